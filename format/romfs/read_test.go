package romfs

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestWriterAllTypes(t *testing.T) {
	img := writeImage("vol", sampleTree())
	im, err := Open(bytes.NewReader(img), int64(len(img)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := im.CheckSum(); !ok || err != nil {
		t.Fatalf("checksum: %v %v", ok, err)
	}
	if im.Volume() != "vol" || im.Length() != int64(len(img)) {
		t.Errorf("volume %q length %d", im.Volume(), im.Length())
	}
	got, order, err := walkAll(t, img, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]entry{
		"bin":           {Mode: fs.ModeDir | 0o755},
		"bin/busybox":   {Mode: 0o755, Data: strings.Repeat("\x7fELF", 100)},
		"bin/sh":        {Mode: fs.ModeSymlink | 0o777, Link: "busybox"},
		"dev":           {Mode: fs.ModeDir | 0o755},
		"dev/console":   {Mode: fs.ModeDevice | fs.ModeCharDevice | 0o600, Dev: [2]uint32{5, 1}},
		"dev/mtdblock0": {Mode: fs.ModeDevice | 0o600, Dev: [2]uint32{31, 2}},
		"dev/log":       {Mode: fs.ModeSocket | 0o644},
		"dev/initctl":   {Mode: fs.ModeNamedPipe | 0o644},
		"empty":         {Mode: fs.ModeDir | 0o755},
		"etc":           {Mode: fs.ModeDir | 0o755},
		"etc/passwd":    {Mode: 0o644, Data: "root:x:0:0:root:/root:/bin/sh\n"},
		"etc/passwd-":   {Mode: 0o644, Data: "root:x:0:0:root:/root:/bin/sh\n"},
	}
	for p, w := range want {
		if got[p] != w {
			t.Errorf("%s: got %+v, want %+v", p, got[p], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("entries %v", keys(got))
	}
	if order[0] != "bin" || order[1] != "bin/busybox" {
		t.Errorf("order %v", order)
	}
}

// TestGenromfs reads an image made by the real tool, with its "." and ".."
// entries, hard links and executable bits.
func TestGenromfs(t *testing.T) {
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "etc/init.d"), 0o755))
	must(os.MkdirAll(filepath.Join(dir, "bin"), 0o755))
	must(os.MkdirAll(filepath.Join(dir, "www/cgi-bin"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "etc/passwd"), []byte("root:x:0:0::/root:/bin/sh\n"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "etc/init.d/rcS"), []byte("#!/bin/sh\nmount -a\n"), 0o755))
	big := bytes.Repeat([]byte("0123456789abcdef-"), 10000)
	must(os.WriteFile(filepath.Join(dir, "bin/busybox"), big, 0o755))
	must(os.Symlink("busybox", filepath.Join(dir, "bin/sh")))
	must(os.Link(filepath.Join(dir, "etc/passwd"), filepath.Join(dir, "etc/passwd.bak")))
	must(syscall.Mkfifo(filepath.Join(dir, "etc/fifo"), 0o644))
	long := strings.Repeat("n", 200)
	must(os.WriteFile(filepath.Join(dir, "www/cgi-bin", long), []byte("x"), 0o644))
	img := genromfs(t, dir)

	im, err := Open(bytes.NewReader(img), int64(len(img)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := im.CheckSum(); !ok || err != nil {
		t.Fatalf("checksum: %v %v", ok, err)
	}
	if im.Volume() != "doorman" || im.Length() > int64(len(img)) || im.Length() < int64(len(big)) {
		t.Errorf("volume %q length %d of %d", im.Volume(), im.Length(), len(img))
	}
	got, _, err := walkAll(t, img, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]entry{
		"etc":                 {Mode: fs.ModeDir | 0o755},
		"etc/init.d":          {Mode: fs.ModeDir | 0o755},
		"etc/init.d/rcS":      {Mode: 0o755, Data: "#!/bin/sh\nmount -a\n"},
		"etc/passwd":          {Mode: 0o644, Data: "root:x:0:0::/root:/bin/sh\n"},
		"etc/passwd.bak":      {Mode: 0o644, Data: "root:x:0:0::/root:/bin/sh\n"},
		"etc/fifo":            {Mode: fs.ModeNamedPipe | 0o644},
		"bin":                 {Mode: fs.ModeDir | 0o755},
		"bin/busybox":         {Mode: 0o755, Data: string(big)},
		"bin/sh":              {Mode: fs.ModeSymlink | 0o777, Link: "busybox"},
		"www":                 {Mode: fs.ModeDir | 0o755},
		"www/cgi-bin":         {Mode: fs.ModeDir | 0o755},
		"www/cgi-bin/" + long: {Mode: 0o644, Data: "x"},
	}
	for p, w := range want {
		if got[p] != w {
			g := got[p]
			if len(g.Data) > 80 {
				g.Data = g.Data[:80] + "..."
			}
			t.Errorf("%s: got %+v, want mode %v", p, g, w.Mode)
		}
	}
	if len(got) != len(want) {
		t.Errorf("entries %v", keys(got))
	}
}

func TestSkipDirAndAll(t *testing.T) {
	img := writeImage("v", sampleTree())
	im, err := Open(bytes.NewReader(img), int64(len(img)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	err = im.Walk(func(f *File) error {
		seen = append(seen, f.Path)
		if f.Path == "bin" {
			return fs.SkipDir
		}
		if f.Path == "dev/mtdblock0" {
			return fs.SkipDir // rest of dev
		}
		if f.Path == "etc" {
			return fs.SkipAll
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(seen, ",") != "bin,dev,dev/console,dev/mtdblock0,empty,etc" {
		t.Errorf("seen %v", seen)
	}
}
