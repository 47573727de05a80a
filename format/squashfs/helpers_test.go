package squashfs

import (
	"bytes"
	"encoding/binary"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/format/squashfs/internal/sqfstest"
	"github.com/doorman-sec/doorman/format/squashfs/sqfswrite"
)

// mksquashfs builds an image of src with the given extra arguments.
func mksquashfs(t testing.TB, src string, args ...string) []byte {
	t.Helper()
	tool := sqfstest.RequireTool(t, "mksquashfs")
	img := filepath.Join(t.TempDir(), "image.sqfs")
	cmd := exec.Command(tool, append([]string{src, img, "-noappend", "-no-progress", "-quiet"}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("mksquashfs %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	data, err := os.ReadFile(img)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// writeImage builds an image with sqfswrite.
func writeImage(t testing.TB, files []sqfswrite.Entry, opt sqfswrite.WriteOptions) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := sqfswrite.Write(&buf, files, opt); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func openBytes(t testing.TB, data []byte, opt Options) *Image {
	t.Helper()
	im, err := Open(bytes.NewReader(data), int64(len(data)), opt)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return im
}

// walked is everything a walk saw.
type walked struct {
	order   []string
	files   map[string]*File
	content map[string][]byte
	readErr map[string]error
}

// walkAll walks the image and reads every regular file (up to limit bytes
// each), returning what it saw and the walk's error.
func walkAll(t testing.TB, im *Image, limit int64) (*walked, error) {
	t.Helper()
	w := &walked{files: map[string]*File{}, content: map[string][]byte{}, readErr: map[string]error{}}
	err := im.Walk(func(f *File) error {
		if _, dup := w.files[f.Path]; dup {
			t.Errorf("path %q reported twice", f.Path)
		}
		w.order = append(w.order, f.Path)
		w.files[f.Path] = f
		if f.Mode.IsRegular() {
			r, err := im.Open(f)
			if err != nil {
				w.readErr[f.Path] = err
				return nil
			}
			data, err := io.ReadAll(io.LimitReader(r, limit))
			w.content[f.Path] = data
			if err != nil {
				w.readErr[f.Path] = err
			}
		}
		return nil
	})
	return w, err
}

// checkEntries verifies that the image holds exactly entries plus the
// implicit directories dirs, with matching type, permissions, content,
// link targets and device numbers. Owners are compared when owners is set
// (mksquashfs -all-root drops them).
func checkEntries(t *testing.T, im *Image, entries []sqfswrite.Entry, dirs []string, owners bool) {
	t.Helper()
	w, err := walkAll(t, im, 1<<30)
	if err != nil {
		t.Fatalf("Walk: %v", err)
	}
	want := map[string]bool{}
	for _, d := range dirs {
		want[d] = true
		if f := w.files[d]; f == nil || !f.Mode.IsDir() {
			t.Errorf("%s: missing or not a directory", d)
		}
	}
	for _, e := range entries {
		want[e.Path] = true
		f := w.files[e.Path]
		if f == nil {
			t.Errorf("%s: missing", e.Path)
			continue
		}
		if f.Mode != e.Mode {
			t.Errorf("%s: mode %v, want %v", e.Path, f.Mode, e.Mode)
		}
		if owners && (f.UID != e.UID || f.GID != e.GID) {
			t.Errorf("%s: owner %d:%d, want %d:%d", e.Path, f.UID, f.GID, e.UID, e.GID)
		}
		switch {
		case e.Mode.IsRegular():
			if err := w.readErr[e.Path]; err != nil {
				t.Errorf("%s: read: %v", e.Path, err)
			}
			if f.Size != int64(len(e.Data)) || !bytes.Equal(w.content[e.Path], e.Data) {
				t.Errorf("%s: content differs (size %d, read %d, want %d)", e.Path, f.Size, len(w.content[e.Path]), len(e.Data))
			}
		case e.Mode&fs.ModeSymlink != 0:
			if f.LinkTarget != e.LinkTarget {
				t.Errorf("%s: link target %q, want %q", e.Path, f.LinkTarget, e.LinkTarget)
			}
		case e.Mode&fs.ModeDevice != 0:
			if f.Rdev != e.Rdev {
				t.Errorf("%s: rdev %#x, want %#x", e.Path, f.Rdev, e.Rdev)
			}
		}
	}
	for _, p := range w.order {
		if !want[p] {
			t.Errorf("unexpected entry %s", p)
		}
	}
}

// putU16, putU32 and putU64 patch little-endian fields of an image.
func putU16(b []byte, off int64, v uint16) { binary.LittleEndian.PutUint16(b[off:], v) }
func putU32(b []byte, off int64, v uint32) { binary.LittleEndian.PutUint32(b[off:], v) }
func putU64(b []byte, off int64, v uint64) { binary.LittleEndian.PutUint64(b[off:], v) }
