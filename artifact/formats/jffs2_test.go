package formats_test

import (
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/doorman-sec/doorman/artifact"
	_ "github.com/doorman-sec/doorman/artifact/formats"
	"github.com/doorman-sec/doorman/format/jffs2/jffs2write"
	"github.com/doorman-sec/doorman/internal/fixture"
)

// walked is what walkBlob keeps of one entry.
type walked struct {
	Kind artifact.Kind
	Mode fs.FileMode
	Data string // regular entries, up to 1 MiB
	Link string
}

// walkBlob writes data as blob.bin and walks it as the scanner does,
// returning every entry by its path below the temporary folder
// ("blob.bin!/jffs2@0x1234!/etc/passwd") and the errors reported.
func walkBlob(t *testing.T, data []byte) (map[string]walked, []string) {
	t.Helper()
	dir := t.TempDir()
	target := filepath.Join(dir, "blob.bin")
	if err := os.WriteFile(target, data, 0o600); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	out := map[string]walked{}
	var errs []string
	w := artifact.NewWalker(artifact.Config{
		Limits: artifact.DefaultLimits(), TempDir: t.TempDir(),
		Visit: func(e *artifact.Entry, src artifact.Source) {
			v := walked{Kind: e.Kind, Mode: e.Mode, Link: e.LinkTarget}
			if src != nil {
				b, _ := io.ReadAll(io.NewSectionReader(src, 0, min(src.Size(), 1<<20)))
				v.Data = string(b)
			}
			mu.Lock()
			out[strings.TrimPrefix(e.Path, dir+"/")] = v
			mu.Unlock()
		},
		OnError: func(p string, err error) {
			mu.Lock()
			errs = append(errs, p+": "+err.Error())
			mu.Unlock()
		},
	})
	if err := w.WalkTarget(context.Background(), target); err != nil {
		t.Fatal(err)
	}
	return out, errs
}

func walkedPaths(m map[string]walked) []string {
	var p []string
	for k := range m {
		p = append(p, k)
	}
	return p
}

// TestJFFS2Carved finds JFFS2 images of both byte orders at odd offsets
// of a raw flash dump and lists their files.
func TestJFFS2Carved(t *testing.T) {
	files := []jffs2write.Entry{
		{Path: "etc/passwd", Data: []byte("root:x:0:0:root:/root:/bin/sh\n")},
		{Path: "etc/init.d/rcS", Mode: 0o755, Data: []byte("#!/bin/sh\nmount -a\n")},
		{Path: "bin/sh", Mode: fs.ModeSymlink | 0o777, Link: "busybox"},
		{Path: "dev/console", Mode: fs.ModeDevice | fs.ModeCharDevice | 0o600},
	}
	le, err := jffs2write.Write(files, jffs2write.Options{Compressor: jffs2write.Zlib, EraseBlock: 8192})
	if err != nil {
		t.Fatal(err)
	}
	be, err := jffs2write.Write(files, jffs2write.Options{BigEndian: true, Compressor: jffs2write.LZMA})
	if err != nil {
		t.Fatal(err)
	}
	// Offsets are multiples of 4 (flash partitions are aligned far more).
	blob := fixture.Blob(1<<20, 7, fixture.Part{Offset: 0x12344, Data: le}, fixture.Part{Offset: 0x80004, Data: be})
	got, errs := walkBlob(t, blob)
	for _, root := range []string{"blob.bin!/jffs2@0x12344!/", "blob.bin!/jffs2@0x80004!/"} {
		if g := got[root+"etc/passwd"]; g.Data != string(files[0].Data) || g.Kind != artifact.KindText {
			t.Errorf("%setc/passwd: %+v (have %v)", root, g, walkedPaths(got))
		}
		if g := got[root+"etc/init.d/rcS"]; g.Mode != 0o755 || !strings.Contains(g.Data, "mount -a") {
			t.Errorf("%setc/init.d/rcS: %+v", root, g)
		}
		if g := got[root+"bin/sh"]; g.Kind != artifact.KindSymlink || g.Link != "busybox" {
			t.Errorf("%sbin/sh: %+v", root, g)
		}
		if g := got[root+"dev/console"]; g.Kind != artifact.KindSpecial {
			t.Errorf("%sdev/console: %+v", root, g)
		}
		if g := got[strings.TrimSuffix(root, "!/")]; g.Kind != "jffs2" {
			t.Errorf("%s: kind %q", root, g.Kind)
		}
	}
	// Every node of an image has the magic: only the image itself is
	// carved, not each node again.
	n := 0
	for p := range got {
		if strings.Count(p, "jffs2@") > 0 && !strings.Contains(p, "!/jffs2@0x12344!/") && !strings.Contains(p, "!/jffs2@0x80004!/") {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d jffs2 regions carved, want 2: %v", n, walkedPaths(got))
	}
	if len(errs) > 0 {
		t.Errorf("errors: %v", errs)
	}
}
