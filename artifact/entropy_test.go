package artifact_test

// Regions nothing explains: an encrypted payload inside a firmware blob is
// reported with its offsets, once, while compressed data that a carved
// format claims, text, and the same bytes with the search off are not.

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/artifact/artifacttest"
	"github.com/doorman-sec/doorman/internal/fixture"
)

// aesCTR returns n bytes of AES-128-CTR keystream under a fixed key: what
// an encrypted firmware payload looks like to a scanner.
func aesCTR(tb testing.TB, n int, seed byte) []byte {
	tb.Helper()
	block, err := aes.NewCipher(bytes.Repeat([]byte{seed}, 16))
	if err != nil {
		tb.Fatal(err)
	}
	out := make([]byte, n)
	cipher.NewCTR(block, make([]byte, aes.BlockSize)).XORKeyStream(out, out)
	return out
}

// regionWalk is a walk with the region search on.
type regionWalk struct {
	errors  []string // "path: message"
	regions []string // "path offset length"
	entropy []float64
	visited []string
}

func walkRegions(tb testing.TB, target string, on bool) *regionWalk {
	tb.Helper()
	r := &regionWalk{}
	var mu sync.Mutex
	w := artifact.NewWalker(artifact.Config{
		Limits: artifact.DefaultLimits(), TempDir: tb.TempDir(), Regions: on,
		Visit: func(e *artifact.Entry, _ artifact.Source) {
			mu.Lock()
			r.visited = append(r.visited, e.Path)
			mu.Unlock()
		},
		OnError: func(p string, err error) {
			mu.Lock()
			r.errors = append(r.errors, p+": "+err.Error())
			mu.Unlock()
		},
		OnRegion: func(e *artifact.Entry, rg artifact.Region) {
			if rg.Kind != artifact.RegionHighEntropy {
				tb.Errorf("region kind %q", rg.Kind)
			}
			mu.Lock()
			r.regions = append(r.regions, fmt.Sprintf("%s %#x %#x", e.Path, rg.Offset, rg.Length))
			r.entropy = append(r.entropy, rg.Entropy)
			mu.Unlock()
		},
	})
	if err := w.WalkTarget(context.Background(), target); err != nil {
		tb.Fatal(err)
	}
	sort.Strings(r.errors)
	sort.Strings(r.regions)
	return r
}

// writeTemp writes data to a fresh file and returns its path.
func writeTemp(tb testing.TB, name string, data []byte) string {
	tb.Helper()
	p := filepath.Join(tb.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		tb.Fatal(err)
	}
	return p
}

// rootfs is a small squashfs: a carved format that claims its bytes.
func rootfs() []byte {
	return fixture.Squashfs([]fixture.File{
		{Path: "etc/passwd", Data: []byte(artifacttest.Passwd)},
		{Path: "etc/init.d/rcS", Data: []byte("#!/bin/sh\necho boot\n")},
	})
}

// TestEncryptedRegionReported: zeros, a squashfs, zeros, 1 MiB of AES-CTR,
// zeros. The encrypted MiB is reported once with its exact offsets (4 KiB
// aligned, the refinement's grain), both to OnError and OnRegion.
func TestEncryptedRegionReported(t *testing.T) {
	const encOff, encLen = 0x21000, 1 << 20
	blob := make([]byte, 0x1a0000)
	sq := rootfs()
	copy(blob[0x1000:], sq)
	copy(blob[encOff:], aesCTR(t, encLen, 1))
	p := writeTemp(t, "fw.bin", blob)

	r := walkRegions(t, p, true)
	wantRegions(t, r, []string{fmt.Sprintf("%s %#x %#x", p, encOff, encLen)})
	if len(r.errors) != 1 {
		t.Fatalf("want one error, got %q", r.errors)
	}
	want := regexp.MustCompile(`^` + regexp.QuoteMeta(p) + `: high-entropy region 0x21000–0x121000 \(1048576 bytes, 7\.9\d bits/byte\): encrypted or compressed with an unknown format; not examined$`)
	if !want.MatchString(r.errors[0]) {
		t.Errorf("error %q does not match %s", r.errors[0], want)
	}
	if !contains(r.visited, p+"!/squashfs@0x1000!/etc/passwd") {
		t.Errorf("the squashfs was not carved: %q", r.visited)
	}
	if r.entropy[0] < 7.99 || r.entropy[0] > 8 || math.IsNaN(r.entropy[0]) {
		t.Errorf("entropy %v, want 7.99–8", r.entropy[0])
	}

	// Off (the default), the same blob makes no error: the walk is as
	// before.
	if off := walkRegions(t, p, false); len(off.errors)+len(off.regions) > 0 {
		t.Errorf("regions off: errors %q, regions %q", off.errors, off.regions)
	}
}

// TestEncryptedRegionAfterCarvedImage: the encrypted bytes follow the
// squashfs at once, at an odd offset, and end at an odd offset. The
// region never overlaps the carved image (compressed, high entropy, but
// claimed) and its ends are within one 4 KiB block of the truth.
func TestEncryptedRegionAfterCarvedImage(t *testing.T) {
	sq := rootfs()
	const sqOff, encLen = 0x813, 0x60000
	end := int64(sqOff + len(sq))
	blob := make([]byte, end+encLen+0x23000)
	copy(blob[sqOff:], sq)
	copy(blob[end:], aesCTR(t, encLen, 2))
	p := writeTemp(t, "fw.bin", blob)
	r := walkRegions(t, p, true)
	if len(r.regions) != 1 {
		t.Fatalf("want one region, got %q", r.regions)
	}
	var off, n int64
	if _, err := fmt.Sscanf(strings.TrimPrefix(r.regions[0], p+" "), "%v %v", &off, &n); err != nil {
		t.Fatal(err)
	}
	if off < end || off-end >= 4096 || off+n > end+encLen || end+encLen-(off+n) >= 4096 {
		t.Errorf("region %#x+%#x, want within 4 KiB inside %#x+%#x", off, n, end, encLen)
	}
}

// TestEncryptedEntryItself: an entry that is nothing but ciphertext (an
// encrypted update inside a tar) is reported as a region of that member.
func TestEncryptedEntryItself(t *testing.T) {
	tarball := artifacttest.Tar(t,
		artifacttest.File("update/fw.enc", aesCTR(t, 512<<10, 3)),
		artifacttest.File("update/readme.txt", []byte("flash with care\n")),
	)
	p := writeTemp(t, "update.tar", tarball)
	r := walkRegions(t, p, true)
	wantRegions(t, r, []string{fmt.Sprintf("%s!/update/fw.enc 0x0 %#x", p, 512<<10)})
}

// TestCompressedChildNotReported: a gzip stream scores like ciphertext,
// but the carver knows it (gzip@0x…) and the region is claimed; what it
// holds is text. A small encrypted region (under 256 KiB) is not worth a
// line either.
func TestCompressedChildNotReported(t *testing.T) {
	gz := artifacttest.Gzip(t, artifacttest.Words(8<<20, 9), "")
	if len(gz) < 512<<10 {
		t.Fatalf("gzip stream of %d bytes, want a region worth reporting", len(gz))
	}
	blob := make([]byte, 0x1000+len(gz)+0x20000)
	copy(blob[0x1000:], gz)
	small := make([]byte, 0x100000)
	copy(small[0x10000:], aesCTR(t, 200<<10, 4))
	for name, data := range map[string][]byte{"gz.bin": blob, "small.bin": small} {
		p := writeTemp(t, name, data)
		r := walkRegions(t, p, true)
		if len(r.errors)+len(r.regions) > 0 {
			t.Errorf("%s: errors %q, regions %q", name, r.errors, r.regions)
		}
		if name == "gz.bin" && !contains(r.visited, p+"!/gzip@0x1000") {
			t.Errorf("the gzip stream was not carved: %q", r.visited)
		}
	}
}

// TestTextNeverReported: text is never measured, however random its
// letters (base64 of random bytes scores 6 bits/byte anyway).
func TestTextNeverReported(t *testing.T) {
	var b strings.Builder
	rnd := artifacttest.Random(1<<20, 5)
	for i := 0; i < len(rnd); i += 57 {
		fmt.Fprintf(&b, "%x\n", rnd[i:min(i+57, len(rnd))])
	}
	for name, data := range map[string][]byte{
		"words.txt": artifacttest.Words(2<<20, 3),
		"hex.txt":   []byte(b.String()),
	} {
		p := writeTemp(t, name, data)
		r := walkRegions(t, p, true)
		if len(r.errors)+len(r.regions) > 0 {
			t.Errorf("%s: errors %q, regions %q", name, r.errors, r.regions)
		}
	}
}

// TestRegionLinesCapped: twenty encrypted regions in one target give
// eight lines of their own and one line counting the rest; OnRegion
// still sees all twenty.
func TestRegionLinesCapped(t *testing.T) {
	const n, size, gap = 20, 256 << 10, 64 << 10
	blob := make([]byte, n*(size+gap))
	for i := range n {
		copy(blob[i*(size+gap)+gap:], aesCTR(t, size, byte(i)))
	}
	p := writeTemp(t, "many.bin", blob)
	r := walkRegions(t, p, true)
	if len(r.regions) != n {
		t.Errorf("OnRegion saw %d regions, want %d", len(r.regions), n)
	}
	if len(r.errors) != 9 {
		t.Fatalf("want 9 error lines, got %d: %q", len(r.errors), r.errors)
	}
	grouped := 0
	for _, e := range r.errors {
		if strings.Contains(e, "(and 11 more in this target, not listed one by one)") {
			grouped++
		}
	}
	if grouped != 1 {
		t.Errorf("want one line counting the 11 others: %q", r.errors)
	}
}

// TestRegionsBoundedTime: 64 MiB of ciphertext is measured in bounded
// time and reported as one region, not one line per window.
func TestRegionsBoundedTime(t *testing.T) {
	if testing.Short() {
		t.Skip("64 MiB")
	}
	p := writeTemp(t, "big.bin", aesCTR(t, 64<<20, 6))
	start := time.Now()
	r := walkRegions(t, p, true)
	took := time.Since(start)
	t.Logf("64 MiB: %v", took)
	wantRegions(t, r, []string{fmt.Sprintf("%s 0x0 %#x", p, 64<<20)})
	if took > 10*time.Second {
		t.Errorf("took %v", took)
	}
}

// BenchmarkRegions200MiB walks a 200 MiB blob of ciphertext with and
// without the region search: the difference is the entropy pass.
func BenchmarkRegions200MiB(b *testing.B) {
	const size = 200 << 20
	p := writeTemp(b, "big.bin", aesCTR(b, size, 7))
	for _, on := range []bool{false, true} {
		b.Run(fmt.Sprintf("regions=%v", on), func(b *testing.B) {
			b.SetBytes(size)
			for b.Loop() {
				walkRegions(b, p, on)
			}
		})
	}
}

func wantRegions(tb testing.TB, r *regionWalk, want []string) {
	tb.Helper()
	if strings.Join(r.regions, "\n") != strings.Join(want, "\n") {
		tb.Errorf("regions\n%s\nwant\n%s\nerrors %q", strings.Join(r.regions, "\n"), strings.Join(want, "\n"), r.errors)
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
