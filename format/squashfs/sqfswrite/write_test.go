package sqfswrite_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/format/squashfs/internal/sqfstest"
	"github.com/doorman-sec/doorman/format/squashfs/sqfswrite"
)

func write(t *testing.T, files []sqfswrite.Entry, opt sqfswrite.WriteOptions) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := sqfswrite.Write(&buf, files, opt); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// lsMode formats a mode the way unsquashfs -lls (and ls -l) does.
func lsMode(m fs.FileMode) string {
	typ := map[fs.FileMode]byte{
		fs.ModeDir: 'd', fs.ModeSymlink: 'l', fs.ModeNamedPipe: 'p', fs.ModeSocket: 's',
		fs.ModeDevice: 'b', fs.ModeDevice | fs.ModeCharDevice: 'c', 0: '-',
	}[m.Type()]
	b := []byte{typ}
	special := []struct {
		bit       fs.FileMode
		set, bare byte
	}{{fs.ModeSetuid, 's', 'S'}, {fs.ModeSetgid, 's', 'S'}, {fs.ModeSticky, 't', 'T'}}
	for i := range 3 {
		perm := m.Perm() >> (6 - 3*i)
		for j, c := range "rwx" {
			if perm&(4>>j) != 0 {
				b = append(b, byte(c))
			} else {
				b = append(b, '-')
			}
		}
		if m&special[i].bit != 0 {
			if b[len(b)-1] == 'x' {
				b[len(b)-1] = special[i].set
			} else {
				b[len(b)-1] = special[i].bare
			}
		}
	}
	return string(b)
}

// TestUnsquashfsList checks that unsquashfs accepts the writer's images in
// each layout and lists exactly the entries, with the same modes, owners,
// sizes, link targets and device numbers.
func TestUnsquashfsList(t *testing.T) {
	tool := sqfstest.RequireTool(t, "unsquashfs")
	opts := map[string]sqfswrite.WriteOptions{
		"4k":              {BlockSize: 4096},
		"default":         {},
		"uncompressed":    {BlockSize: 4096, UncompressedData: true, UncompressedMetadata: true},
		"no fragments":    {BlockSize: 4096, NoFragments: true},
		"extended inodes": {BlockSize: 4096, ExtendedInodes: true},
	}
	for name, opt := range opts {
		t.Run(name, func(t *testing.T) {
			img := filepath.Join(t.TempDir(), "image.sqfs")
			if err := os.WriteFile(img, write(t, sqfstest.Fixture(), opt), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(tool, "-lln", img).CombinedOutput()
			if err != nil {
				t.Fatalf("unsquashfs -lln: %v\n%s", err, out)
			}
			// Each line: mode, uid/gid, size (or "major, minor"), date,
			// time, path, and "-> target" for symlinks. Directory sizes
			// are unsquashfs's own, so they are left out.
			got := map[string]string{}
			for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				f := strings.Fields(line)
				i := slices.IndexFunc(f, func(s string) bool { return strings.HasPrefix(s, "squashfs-root") })
				if i < 4 {
					t.Fatalf("unexpected listing line %q", line)
				}
				p := strings.TrimPrefix(strings.TrimPrefix(f[i], "squashfs-root"), "/")
				fields := append(f[:2:2], f[2:i-2]...)
				if f[0][0] == 'd' {
					fields = f[:2]
				}
				got[p] = strings.Join(append(fields, f[i+1:]...), " ")
			}
			want := map[string]string{"": "drwxr-xr-x 0/0"}
			for _, d := range sqfstest.ImplicitDirs {
				want[d] = "drwxr-xr-x 0/0"
			}
			for _, e := range sqfstest.Fixture() {
				s := fmt.Sprintf("%s %d/%d", lsMode(e.Mode), e.UID, e.GID)
				switch {
				case e.Mode.IsDir():
				case e.Mode.IsRegular():
					s += fmt.Sprintf(" %d", len(e.Data))
				case e.Mode&fs.ModeSymlink != 0:
					s += fmt.Sprintf(" %d -> %s", len(e.LinkTarget), e.LinkTarget)
				case e.Mode&fs.ModeDevice != 0:
					s += fmt.Sprintf(" %d, %d", e.Rdev>>8, e.Rdev&0xff)
				default:
					s += " 0"
				}
				want[e.Path] = s
			}
			for p, w := range want {
				if got[p] != w {
					t.Errorf("%q: unsquashfs lists %q, want %q", p, got[p], w)
				}
			}
			if len(got) != len(want) {
				t.Errorf("unsquashfs lists %d entries, want %d", len(got), len(want))
			}
		})
	}
}

// TestUnsquashfsExtract extracts an image with unsquashfs (as root, so
// that devices and setuid bits are restored) and compares the files.
func TestUnsquashfsExtract(t *testing.T) {
	tool := sqfstest.RequireTool(t, "unsquashfs")
	if os.Geteuid() != 0 {
		t.Skip("extracting device nodes needs root")
	}
	dir := t.TempDir()
	img := filepath.Join(dir, "image.sqfs")
	if err := os.WriteFile(img, write(t, sqfstest.Fixture(), sqfswrite.WriteOptions{BlockSize: 4096}), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if b, err := exec.Command(tool, "-q", "-n", "-d", out, img).CombinedOutput(); err != nil {
		t.Fatalf("unsquashfs: %v\n%s", err, b)
	}
	for _, e := range sqfstest.Fixture() {
		p := filepath.Join(out, e.Path)
		fi, err := os.Lstat(p)
		if err != nil {
			t.Error(err)
			continue
		}
		if fi.Mode() != e.Mode {
			t.Errorf("%s: mode %v, want %v", e.Path, fi.Mode(), e.Mode)
		}
		switch {
		case e.Mode.IsRegular():
			data, err := os.ReadFile(p)
			if err != nil || !bytes.Equal(data, e.Data) {
				t.Errorf("%s: content differs (%v)", e.Path, err)
			}
		case e.Mode&fs.ModeSymlink != 0:
			if target, _ := os.Readlink(p); target != e.LinkTarget {
				t.Errorf("%s: target %q, want %q", e.Path, target, e.LinkTarget)
			}
		}
	}
}

// TestWriteErrors covers input the writer refuses.
func TestWriteErrors(t *testing.T) {
	cases := map[string]struct {
		files []sqfswrite.Entry
		opt   sqfswrite.WriteOptions
	}{
		"block size":        {nil, sqfswrite.WriteOptions{BlockSize: 3000}},
		"block size 2 MiB":  {nil, sqfswrite.WriteOptions{BlockSize: 2 << 20}},
		"empty path":        {[]sqfswrite.Entry{{Path: "", Mode: 0o644}}, sqfswrite.WriteOptions{}},
		"root path":         {[]sqfswrite.Entry{{Path: "/", Mode: fs.ModeDir}}, sqfswrite.WriteOptions{}},
		"dot dot":           {[]sqfswrite.Entry{{Path: "a/../b", Mode: 0o644}}, sqfswrite.WriteOptions{}},
		"dot":               {[]sqfswrite.Entry{{Path: "./a", Mode: 0o644}}, sqfswrite.WriteOptions{}},
		"double slash":      {[]sqfswrite.Entry{{Path: "a//b", Mode: 0o644}}, sqfswrite.WriteOptions{}},
		"long name":         {[]sqfswrite.Entry{{Path: strings.Repeat("n", 257), Mode: 0o644}}, sqfswrite.WriteOptions{}},
		"duplicate":         {[]sqfswrite.Entry{{Path: "a", Mode: 0o644}, {Path: "a", Mode: 0o644}}, sqfswrite.WriteOptions{}},
		"file as parent":    {[]sqfswrite.Entry{{Path: "a", Mode: 0o644}, {Path: "a/b", Mode: 0o644}}, sqfswrite.WriteOptions{}},
		"irregular":         {[]sqfswrite.Entry{{Path: "a", Mode: fs.ModeIrregular}}, sqfswrite.WriteOptions{}},
		"dir over implicit": {[]sqfswrite.Entry{{Path: "a/b", Mode: 0o644}, {Path: "a", Mode: 0o644}}, sqfswrite.WriteOptions{}},
	}
	for name, c := range cases {
		if err := sqfswrite.Write(&bytes.Buffer{}, c.files, c.opt); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestDeterministic: the same input gives the same bytes, so generated
// demo firmware is reproducible.
func TestDeterministic(t *testing.T) {
	a := write(t, sqfstest.Fixture(), sqfswrite.WriteOptions{})
	b := write(t, sqfstest.Fixture(), sqfswrite.WriteOptions{})
	if !bytes.Equal(a, b) {
		t.Error("two writes of the same tree differ")
	}
}
