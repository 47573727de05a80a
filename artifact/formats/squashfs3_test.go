package formats_test

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/format/squashfs3/sq3write"
	"github.com/doorman-sec/doorman/internal/fixture"
)

// TestSquashfs3Carved finds SquashFS 3.1 images of both byte orders
// (zlib little-endian, raw-LZMA big-endian as Broadcom SDKs write) at odd
// offsets of a flash dump next to a 4.0 image, and lists their files; the
// 4.0 image stays with the squashfs format.
func TestSquashfs3Carved(t *testing.T) {
	files := []sq3write.Entry{
		{Path: "etc/passwd", Mode: 0o644, Data: []byte("root:x:0:0:root:/root:/bin/sh\n")},
		{Path: "etc/init.d/rcS", Mode: 0o755, Data: []byte("#!/bin/sh\nmount -a\n")},
		{Path: "bin/sh", Mode: fs.ModeSymlink | 0o777, Link: "busybox"},
		{Path: "dev/console", Mode: fs.ModeDevice | fs.ModeCharDevice | 0o600, Rdev: 5<<8 | 1},
	}
	le := sq3write.Write(files, sq3write.Options{})
	be := sq3write.Write(files, sq3write.Options{BE: true, Codec: sq3write.RawLZMA})
	v4 := fixture.Squashfs([]fixture.File{{Path: "etc/passwd", Data: []byte("root:x:0:0:root:/root:/bin/sh\n")}})
	blob := fixture.Blob(1<<20, 5, fixture.Part{Offset: 0x20001, Data: le}, fixture.Part{Offset: 0x60003, Data: be},
		fixture.Part{Offset: 0xa0000, Data: v4})
	got, errs := walkBlob(t, blob)
	for _, root := range []string{"blob.bin!/squashfs3@0x20001!/", "blob.bin!/squashfs3@0x60003!/"} {
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
	}
	if g := got["blob.bin!/squashfs@0xa0000!/etc/passwd"]; !strings.HasPrefix(g.Data, "root:") {
		t.Errorf("4.0 image not read by the squashfs format: %v", walkedPaths(got))
	}
	for p := range got {
		if strings.Contains(p, "squashfs3@0xa0000") {
			t.Errorf("4.0 image taken as 3.x: %s", p)
		}
	}
	if len(errs) > 0 {
		t.Errorf("errors: %v", errs)
	}
}
