package artifact_test

// Hostile targets: each test builds a target that attacks a scanner (a
// bomb, a lying header, a climbing name, a truncated stream) and proves
// that the walk ends quickly, holds little memory, names what it skipped in
// the errors, still examines the rest of the target and does not panic.

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/artifact/artifacttest"
	"github.com/doorman-sec/doorman/internal/fixture"
)

var clean = []byte("a clean file next to the bomb\n")

// withClean writes name=data and a clean sibling into a fresh folder and
// returns the folder: the clean file must be visited whatever the bomb does.
func withClean(tb testing.TB, name string, data []byte) string {
	tb.Helper()
	dir := tb.TempDir()
	artifacttest.Write(tb, dir, name, data)
	artifacttest.Write(tb, dir, "clean.txt", clean)
	return dir
}

func (r *result) wantClean(tb testing.TB, dir string) {
	tb.Helper()
	v := r.byPath(tb, dir+"/clean.txt")
	if !bytes.Equal(v.Head, clean) {
		tb.Errorf("clean.txt read as %q", v.Head)
	}
}

// 42.zip: five levels of sixteen zips, sixteen leaves of 100 MiB of zeros
// each: 16^5 * 100 MiB = 100 TiB from a file of a few hundred KiB.
func TestNestedZipBomb(t *testing.T) {
	bomb := artifacttest.NestedZipBomb(t, 5, 16, 100*MiB+7)
	t.Logf("bomb: %d bytes, unpacks to %d TiB", len(bomb), (int64(1)<<20)*(100*MiB+7)>>40)
	dir := withClean(t, "42.zip", bomb)
	lim := artifact.DefaultLimits()
	// The point is the total budget; the default 8 GiB stops it the same
	// way, only later.
	lim.MaxTotalSize = 256 * MiB
	r := walk(t, dir, lim)
	r.wantNoInternalError(t)
	r.wantClean(t, dir)
	r.wantBounded(t, 15*time.Second, 256*MiB, 2*GiB)
	if r.Unpacked > lim.MaxTotalSize+32*MiB {
		t.Errorf("unpacked %d MiB, budget %d MiB", r.Unpacked>>20, lim.MaxTotalSize>>20)
	}
	// One error per limit that stopped it, never one per member: the
	// leaves cut at the ratio limit are summed up in one error.
	if len(r.Errors) > 2 {
		t.Fatalf("want at most 2 errors (total size, ratio), got %d", len(r.Errors))
	}
	r.wantError(t, dir+"/42.zip!/", `--max-total-size`)
	for _, e := range r.Errors {
		if !errors.Is(e.Err, artifact.ErrLimit) {
			t.Errorf("error is not a limit: %s: %v", e.Path, e.Err)
		}
	}
}

// The ratio limit cuts each leaf of a nested bomb; a hundred leaves cut
// short make one error that counts them.
func TestNestedZipBombRatioReportedOnce(t *testing.T) {
	bomb := artifacttest.NestedZipBomb(t, 2, 16, 8*MiB) // 256 leaves
	dir := withClean(t, "bomb.zip", bomb)
	lim := artifact.DefaultLimits()
	lim.RatioFloor = 1 * MiB
	lim.MaxRatio = 100 // deflated zeros are about 1000:1
	r := walk(t, dir, lim)
	r.wantNoInternalError(t)
	r.wantClean(t, dir)
	r.wantBounded(t, 15*time.Second, 128*MiB, 2*GiB)
	e := r.wantLimitOnce(t, `compression ratio over 100:1.*255 more in this target`)
	if !strings.HasPrefix(e.Path, dir+"/bomb.zip!/") {
		t.Errorf("ratio error on %s, want a member of the bomb", e.Path)
	}
	if n := len(r.Errors); n != 1 {
		t.Errorf("want 1 error, got %d", n)
	}
}

// An overlapping-entry zip: 20 000 directory entries share one deflate
// stream of 4 MiB of zeros (80 GB if each were unpacked; one copy stays
// within the ratio floor, so that only the overlap check is at work).
func TestOverlappingZipBomb(t *testing.T) {
	bomb := artifacttest.OverlapZip(t, 20000, 4*MiB)
	dir := withClean(t, "overlap.zip", bomb)
	r := walk(t, dir, artifact.DefaultLimits())
	r.wantNoInternalError(t)
	r.wantClean(t, dir)
	r.wantBounded(t, 10*time.Second, 128*MiB, 512*MiB)
	e := r.wantLimitOnce(t, `overlap`)
	if e.Path != dir+"/overlap.zip" {
		t.Errorf("overlap reported on %s", e.Path)
	}
	if r.Unpacked > 4*MiB {
		t.Errorf("unpacked %d MiB: more than one copy of the shared stream", r.Unpacked>>20)
	}
	if len(r.Errors) != 1 {
		t.Errorf("want 1 error, got %d", len(r.Errors))
	}
}

// A tar made to attack an extractor is listed, never extracted: names are
// cleaned for display, links are listed with their targets, devices are
// listed and never read.
func TestHostileTarNames(t *testing.T) {
	dir := withClean(t, "evil.tar", artifacttest.HostileTar(t))
	r := walk(t, dir, artifact.DefaultLimits())
	r.wantNoInternalError(t)
	r.wantClean(t, dir)
	if len(r.Errors) > 0 {
		t.Errorf("unexpected errors: %v", r.Errors)
	}
	tarPath := dir + "/evil.tar!/"
	for name, content := range map[string]string{
		"x":                "climbs two levels\n",
		"etc/x":            "absolute path\n",
		"b":                "climbs through a folder\n",
		"etc/through-link": "written through the etc link by a naive extractor\n",
	} {
		v := r.byPath(t, tarPath+name)
		if string(v.Head) != content {
			t.Errorf("%s: content %q", name, v.Head)
		}
	}
	for name, target := range map[string]string{
		"passwd": "/etc/passwd", "hardpasswd": "/etc/passwd",
		"loop-a": "loop-b", "loop-b": "loop-a", "etc": "/etc",
	} {
		v := r.byPath(t, tarPath+name)
		if v.Kind != artifact.KindSymlink || v.LinkTarget != target || v.HasSource {
			t.Errorf("%s: kind %s, link %q, source %v; want a symlink to %q without content", name, v.Kind, v.LinkTarget, v.HasSource, target)
		}
	}
	for _, name := range []string{"dev/sda", "dev/null"} {
		if v := r.byPath(t, tarPath+name); v.Kind != artifact.KindSpecial || v.HasSource {
			t.Errorf("%s: kind %s, source %v; want special without content", name, v.Kind, v.HasSource)
		}
	}
	for _, v := range r.Visits {
		if strings.Contains(v.Name, "..") || strings.HasPrefix(v.Name, "/") {
			t.Errorf("unclean name %q (%s)", v.Name, v.Path)
		}
	}
}

// A folder target with links to the scanning machine's files, a link
// loop, a fifo and a device: links are listed and never followed (the
// scanner's own /etc/passwd must not be read), the fifo is not opened (it
// would block) and the folder the link points to is not descended into.
func TestHostileFolder(t *testing.T) {
	dir := withClean(t, "x.txt", []byte("x\n"))
	links := map[string]string{"passwd": "/etc/passwd", "etc": "/etc", "loop-a": "loop-b", "loop-b": "loop-a", "self": "."}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A device node needs privilege; the test runs without it as well.
	hasDev := syscall.Mknod(filepath.Join(dir, "null"), syscall.S_IFCHR|0o600, int(1<<8|3)) == nil
	r := walk(t, dir, artifact.DefaultLimits())
	r.wantNoInternalError(t)
	r.wantClean(t, dir)
	for name, target := range links {
		v := r.byPath(t, dir+"/"+name)
		if v.Kind != artifact.KindSymlink || v.LinkTarget != target || v.HasSource {
			t.Errorf("%s: kind %s, link %q; want a symlink to %q without content", name, v.Kind, v.LinkTarget, target)
		}
	}
	if v := r.byPath(t, dir+"/fifo"); v.Kind != artifact.KindSpecial || v.HasSource {
		t.Errorf("fifo: kind %s, source %v", v.Kind, v.HasSource)
	}
	if hasDev {
		if v := r.byPath(t, dir+"/null"); v.Kind != artifact.KindSpecial || v.HasSource {
			t.Errorf("device: kind %s, source %v", v.Kind, v.HasSource)
		}
	}
	wantNoHostFile(t, r, "/etc/passwd")
	for _, v := range r.Visits {
		if strings.HasPrefix(v.Path, dir+"/etc/") || strings.HasPrefix(v.Path, dir+"/self/") {
			t.Errorf("descended through a symlink: %s", v.Path)
		}
	}
}

// wantNoHostFile fails when a visited entry has the content of the
// scanning machine's file hostPath: a link was followed out of the target.
func wantNoHostFile(tb testing.TB, r *result, hostPath string) {
	tb.Helper()
	host, err := os.ReadFile(hostPath)
	if err != nil || len(host) == 0 {
		tb.Logf("cannot read %s (%v): check skipped", hostPath, err)
		return
	}
	for _, v := range r.Visits {
		if v.HasSource && len(v.Head) > 0 && bytes.Equal(v.Head, host[:min(len(host), headBytes)]) {
			tb.Errorf("%s has the content of the host's %s", v.Path, hostPath)
		}
	}
}

// truncTar is a tar of 24 files of text, 384 KiB: compressed, it spans
// several blocks of every format, so a cut stream still holds whole files.
func truncTar(tb testing.TB) (tarball []byte, first []byte) {
	var ms []artifacttest.TarMember
	for i := range 24 {
		ms = append(ms, artifacttest.File(fmt.Sprintf("f%02d.txt", i), artifacttest.Words(16*KiB, uint64(i))))
	}
	return artifacttest.Tar(tb, ms...), ms[0].Data
}

// A truncated stream or archive: the error names the entry and says it was
// cut short, and what came before the cut is still examined.
func TestTruncated(t *testing.T) {
	tarball, first := truncTar(t)
	for _, tc := range []struct {
		name string
		data func(testing.TB) []byte
	}{
		{"fw.tar", func(testing.TB) []byte { return tarball }},
		{"fw.tar.gz", func(tb testing.TB) []byte { return artifacttest.Gzip(tb, tarball, "") }},
		{"fw.tar.xz", func(tb testing.TB) []byte { return artifacttest.XZ(tb, tarball) }},
		{"fw.tar.bz2", func(tb testing.TB) []byte { return artifacttest.Bzip2(tb, tarball) }},
		{"fw.tar.zst", func(tb testing.TB) []byte { return artifacttest.Zstd(tb, tarball) }},
		{"fw.tar.lz4", func(tb testing.TB) []byte { return artifacttest.LZ4(tb, tarball) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			whole := tc.data(t)
			for _, cut := range []int{len(whole) / 4, len(whole) / 2, len(whole) * 3 / 4, len(whole) - 5} {
				t.Run(fmt.Sprint(cut), func(t *testing.T) {
					dir := withClean(t, tc.name, whole[:cut])
					r := walk(t, dir, artifact.DefaultLimits())
					r.wantNoInternalError(t)
					r.wantClean(t, dir)
					r.wantBounded(t, 5*time.Second, 64*MiB, 256*MiB)
					target := dir + "/" + tc.name
					r.wantError(t, target, `(?i)truncated|cut short`)
					if cut < len(whole)/2 {
						return // bzip2's first block may not be whole yet
					}
					v, ok := r.find(func(v visit) bool { return strings.HasSuffix(v.Path, "!/f00.txt") })
					if !ok {
						t.Fatalf("the first file, before the cut, was not visited: %s", r.paths(30))
					}
					if !strings.HasPrefix(v.Path, target+"!/") || !bytes.Equal(v.Head, first) {
						t.Errorf("first file: %s, %d bytes (want %d)", v.Path, len(v.Head), len(first))
					}
				})
			}
		})
	}
}

// 10 000 levels of gzip around nothing: the walk stops at MaxDepth with
// one error, without deep recursion.
func TestDeepGzipNest(t *testing.T) {
	nest := artifacttest.GzipNest(t, nil, 10000)
	dir := withClean(t, "nest.gz", nest)
	lim := artifact.DefaultLimits()
	r := walk(t, dir, lim)
	r.wantNoInternalError(t)
	r.wantClean(t, dir)
	r.wantBounded(t, 5*time.Second, 64*MiB, 256*MiB)
	e := r.wantLimitOnce(t, `--max-depth`)
	if got := strings.Count(e.Path, "!/"); got != lim.MaxDepth {
		t.Errorf("depth error at %d levels (%s), want %d", got, e.Path, lim.MaxDepth)
	}
	if len(r.Errors) != 1 {
		t.Errorf("want 1 error, got %d", len(r.Errors))
	}
}

// A gzip whose trailer claims 4 GiB, around 50 MiB of zeros: the stream is
// read only up to the per-file limit, whatever the header says.
func TestGzipLyingSize(t *testing.T) {
	gz := artifacttest.Gzip(t, make([]byte, 50*MiB), "")
	binary.LittleEndian.PutUint32(gz[len(gz)-4:], 0xffffffff) // ISIZE
	dir := withClean(t, "kernel.gz", gz)
	lim := artifact.DefaultLimits()
	lim.MaxFileSize = 8 * MiB
	lim.MaxRatio = 0 // this case is about the per-file limit
	r := walk(t, dir, lim)
	r.wantNoInternalError(t)
	r.wantClean(t, dir)
	r.wantBounded(t, 5*time.Second, 64*MiB, 256*MiB)
	e := r.wantLimitOnce(t, `--max-file-size`)
	if e.Path != dir+"/kernel.gz!/kernel" {
		t.Errorf("limit reported on %s", e.Path)
	}
	if v := r.byPath(t, dir+"/kernel.gz!/kernel"); v.Size != lim.MaxFileSize {
		t.Errorf("member size %d, want the limit %d", v.Size, lim.MaxFileSize)
	}
}

// A zip whose central directory says 1 KiB for a member that inflates to
// 50 MiB: reading stops at the declared size, and the member is reported
// as corrupt.
func TestZipLyingSmallSize(t *testing.T) {
	z := artifacttest.Zip(t, artifacttest.ZipMember{Name: "small.bin", Data: make([]byte, 50*MiB)})
	z = artifacttest.PatchZipSizes(t, z, 1024)
	dir := withClean(t, "liar.zip", z)
	r := walk(t, dir, artifact.DefaultLimits())
	r.wantNoInternalError(t)
	r.wantClean(t, dir)
	r.wantBounded(t, 5*time.Second, 64*MiB, 256*MiB)
	r.wantError(t, dir+"/liar.zip!/small.bin", `cut short.*not a valid zip`)
	// archive/zip fails the read that goes past the declared size and
	// drops its bytes, so little or nothing of the member is left to visit.
	if v, ok := r.find(func(v visit) bool { return v.Path == dir+"/liar.zip!/small.bin" }); ok && v.Size > 1024 {
		t.Errorf("member read as %d bytes, declared 1024", v.Size)
	}
	if r.Unpacked > 64*KiB {
		t.Errorf("unpacked %d bytes for a member declared 1 KiB", r.Unpacked)
	}
}

// A zip whose directory says 4 GiB for 50 MiB of zeros: the per-file limit
// holds.
func TestZipLyingLargeSize(t *testing.T) {
	z := artifacttest.Zip(t, artifacttest.ZipMember{Name: "big.bin", Data: make([]byte, 50*MiB)})
	z = artifacttest.PatchZipSizes(t, z, 0xfffffffe)
	dir := withClean(t, "liar.zip", z)
	lim := artifact.DefaultLimits()
	lim.MaxFileSize = 8 * MiB
	r := walk(t, dir, lim)
	r.wantNoInternalError(t)
	r.wantClean(t, dir)
	r.wantBounded(t, 5*time.Second, 64*MiB, 256*MiB)
	r.wantLimitOnce(t, `--max-file-size`)
	if v := r.byPath(t, dir+"/liar.zip!/big.bin"); v.Size != lim.MaxFileSize {
		t.Errorf("member size %d, want the limit %d", v.Size, lim.MaxFileSize)
	}
}

// A blob made of nothing but signatures: carving examines a bounded number
// of candidates in bounded time and reports the cut once.
func TestRepeatedMagicBlob(t *testing.T) {
	for _, tc := range []struct {
		name string
		unit string
	}{
		{"mixed", "hsqs\x1f\x8b\x08PK\x03\x04\x5d\x00\x00"},
		{"squashfs", "hsqs"},
		{"gzip", "\x1f\x8b\x08"},
		{"gzip-header", "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"},
		{"zip", "PK\x03\x04"},
		{"zip-header", "PK\x03\x04\x14\x00\x00\x00\x08\x00"},
		{"lzma", "\x5d\x00\x00"},
		// Each header asks for a 64 MiB dictionary, of unknown size.
		{"lzma-header", "\x5d\x00\x00\x00\x04\xff\xff\xff\xff\xff\xff\xff\xff"},
		{"ustar", "ustar\x00"},
		// The first candidate's check follows the chain of headers to the
		// end: one cpio of 37 449 members (named "a") covers the blob.
		{"cpio-header", string(artifacttest.Cpio(artifacttest.CpioMember{Name: "a"})[:112])},
	} {
		t.Run(tc.name, func(t *testing.T) {
			blob := bytes.Repeat([]byte(tc.unit), 4*MiB/len(tc.unit))
			blob = append([]byte{0, 0, 0, 0}, blob...) // a raw blob, not a recognised file
			dir := withClean(t, "blob.bin", blob)
			r := walk(t, dir, artifact.DefaultLimits())
			r.wantNoInternalError(t)
			r.wantClean(t, dir)
			r.wantBounded(t, 10*time.Second, 256*MiB, 4*GiB)
			if len(r.Errors) > 3 {
				t.Errorf("error storm: %d errors", len(r.Errors))
			}
			if r.Entries > artifact.MaxCarveCandidates+10 && tc.name != "cpio-header" {
				t.Errorf("%d entries from one blob", r.Entries)
			}
		})
	}
}

// A 16 MiB raw flash dump: a uImage with a gzip'd kernel at 0, random
// bytes, and a tar.gz at an odd offset. The tar's files come out under the
// carved region's name.
func TestRawBlobCarving(t *testing.T) {
	const off = 0x1a0013
	kernel := append([]byte("Linux version 6.1.0 (builder@host) #1 SMP\n"), artifacttest.Words(200*KiB, 7)...)
	blob := artifacttest.Random(16*MiB, 1)
	img := fixture.UImage("Linux-6.1.0", artifacttest.Gzip(t, kernel, ""), 1)
	copy(blob, img)
	rootfs := artifacttest.Gzip(t, artifacttest.Tar(t,
		artifacttest.File("etc/passwd", []byte(artifacttest.Passwd)),
		artifacttest.File("etc/init.d/rcS", []byte("#!/bin/sh\ntelnetd -l /bin/sh\n")),
	), "")
	copy(blob[off:], rootfs)
	dir := withClean(t, "blob.bin", blob)
	r := walk(t, dir, artifact.DefaultLimits())
	r.wantNoInternalError(t)
	r.wantClean(t, dir)
	r.wantBounded(t, 10*time.Second, 128*MiB, 1*GiB)
	if len(r.Errors) > 0 {
		t.Errorf("errors on a clean blob: %v", r.Errors)
	}
	b := dir + "/blob.bin"
	if v := r.byPath(t, b); v.Kind != "uimage" {
		t.Errorf("blob kind %s, want uimage", v.Kind)
	}
	if v := r.byPath(t, b+"!/Linux-6.1.0"); v.Kind != "gzip" {
		t.Errorf("uImage payload kind %s, want gzip", v.Kind)
	}
	k, ok := r.find(func(v visit) bool { return strings.HasPrefix(v.Path, b+"!/Linux-6.1.0!/") })
	if !ok || !bytes.Equal(k.Head, kernel[:headBytes]) {
		t.Errorf("kernel not unpacked: %s", r.paths(20))
	}
	p, ok := r.find(func(v visit) bool { return strings.HasSuffix(v.Path, "!/etc/passwd") })
	if !ok {
		t.Fatalf("etc/passwd not found: %s", r.paths(20))
	}
	want := fmt.Sprintf("%s!/gzip@0x%x!/", b, off)
	if !strings.HasPrefix(p.Path, want) || string(p.Head) != artifacttest.Passwd {
		t.Errorf("passwd at %s, want under %s", p.Path, want)
	}
	r.byPath(t, strings.TrimSuffix(p.Path, "passwd")+"init.d/rcS")
}

// A walk cancelled while members are being unpacked reports the timeout
// once, whatever was in flight.
func TestTimeoutReportedOnce(t *testing.T) {
	gz := artifacttest.Gzip(t, make([]byte, 64*MiB), "")
	dir := t.TempDir()
	for i := range 64 {
		artifacttest.Write(t, dir, fmt.Sprintf("f%02d.gz", i), gz)
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	lim := artifact.DefaultLimits()
	lim.MaxRatio = 0 // zeros are over the ratio limit; this case is about the timeout
	r := walk(t, dir, lim, walkOpts{ctx: ctx, workers: 4, visit: func(e *artifact.Entry, _ artifact.Source) {
		if strings.HasSuffix(e.Path, "!/f05") {
			cancel(errors.New("scan took longer than 1ms"))
		}
	}})
	r.wantNoInternalError(t)
	r.wantBounded(t, 10*time.Second, 256*MiB, 4*GiB)
	r.wantLimitOnce(t, `longer than 1ms`)
	if len(r.Errors) != 1 {
		t.Errorf("want 1 error, got %d", len(r.Errors))
	}
}

// find returns the first visit that satisfies ok.
func (r *result) find(ok func(visit) bool) (visit, bool) {
	for _, v := range r.Visits {
		if ok(v) {
			return v, true
		}
	}
	return visit{}, false
}

// A fake stream header in front of a payload must not hide the payload
// from carving: a container that opens nothing is carved like raw bytes.
func TestFakeHeaderDoesNotHideCarving(t *testing.T) {
	payload := artifacttest.Gzip(t, artifacttest.Tar(t, artifacttest.File("etc/passwd", []byte("root::0:0::/root:/bin/sh\n"))), "")
	blob := append([]byte{0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff}, make([]byte, 4096)...)
	blob = append(blob, payload...)
	p := filepath.Join(t.TempDir(), "fake.bin")
	if err := os.WriteFile(p, blob, 0o644); err != nil {
		t.Fatal(err)
	}
	found := false
	w := artifact.NewWalker(artifact.Config{Limits: artifact.DefaultLimits(), TempDir: t.TempDir(),
		Visit: func(e *artifact.Entry, _ artifact.Source) {
			if strings.HasSuffix(e.Path, "!/etc/passwd") {
				found = true
			}
		}})
	if err := w.WalkTarget(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if !found {
		t.Fatal("the tar.gz behind a fake gzip header was not carved")
	}
}

// A target that is a symlink to a folder is walked: the user chose it.
func TestSymlinkedFolderTarget(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real")
	os.MkdirAll(filepath.Join(real, "etc"), 0o755)
	os.WriteFile(filepath.Join(real, "etc", "shadow"), []byte("root::1:0:::::\n"), 0o644)
	link := filepath.Join(dir, "link")
	if err := os.Symlink(real, link); err != nil {
		t.Skip("symlinks unavailable:", err)
	}
	var paths []string
	w := artifact.NewWalker(artifact.Config{Limits: artifact.DefaultLimits(), TempDir: t.TempDir(),
		Visit: func(e *artifact.Entry, _ artifact.Source) { paths = append(paths, e.Path) }})
	if err := w.WalkTarget(context.Background(), link); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(paths, link+"/etc/shadow") {
		t.Fatalf("walked %v, want %s/etc/shadow", paths, link)
	}
}
