package jffs2

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"testing"

	"github.com/doorman-sec/doorman/format/jffs2/jffs2write"
)

// needTool skips when an external tool is missing, except in CI, where
// the tool is installed (.ci/run) and a skip would hide a lost test.
func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s not installed (CI installs mtd-utils)", name)
		}
		t.Skipf("%s not installed (apt-get install mtd-utils)", name)
	}
	return p
}

// got is what a test keeps of one walked file.
type got struct {
	Mode fs.FileMode
	Data string
	Link string
}

// readTree opens data, walks it and reads every regular file (up to limit
// bytes each).
func readTree(t testing.TB, data []byte, limit int64) (map[string]got, *Image) {
	t.Helper()
	im, err := Open(bytes.NewReader(data), int64(len(data)), Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	out := map[string]got{}
	err = im.Walk(func(f *File) error {
		g := got{Mode: f.Mode, Link: f.LinkTarget}
		if f.Mode.IsRegular() {
			r, err := im.Open(f)
			if err != nil {
				t.Fatalf("%s: %v", f.Path, err)
			}
			b, err := io.ReadAll(io.LimitReader(r, limit))
			if err != nil {
				t.Fatalf("%s: read: %v", f.Path, err)
			}
			g.Data = string(b)
		}
		out[f.Path] = g
		return nil
	})
	if err != nil {
		t.Fatalf("Walk: %v", err)
	}
	return out, im
}

// text returns n bytes of compressible text, different for each seed.
func text(seed, n int) []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < n; i++ {
		b.WriteString("line ")
		b.WriteString(string(rune('a' + (i*7+seed)%26)))
		b.WriteString(" of a config file that repeats itself\n")
	}
	return b.Bytes()[:n]
}

// noise returns n incompressible bytes.
func noise(seed uint32, n int) []byte {
	b := make([]byte, n)
	x := seed | 1
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}

// sampleEntries is a small router-like tree.
func sampleEntries() []jffs2write.Entry {
	return []jffs2write.Entry{
		{Path: "etc/passwd", Data: []byte("root:x:0:0:root:/root:/bin/sh\n")},
		{Path: "etc/config/network", Data: text(1, 10000)},
		{Path: "bin/busybox", Mode: 0o755 | fs.ModeSetuid, Data: noise(3, 9000)},
		{Path: "bin/sh", Mode: fs.ModeSymlink | 0o777, Link: "busybox"},
		{Path: "dev/ttyS0", Mode: fs.ModeDevice | fs.ModeCharDevice | 0o600},
		{Path: "empty", Data: nil},
		{Path: "tmp", Mode: fs.ModeDir | fs.ModeSticky | 0o777},
	}
}

func build(t testing.TB, entries []jffs2write.Entry, opt jffs2write.Options) []byte {
	t.Helper()
	b, err := jffs2write.Write(entries, opt)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
