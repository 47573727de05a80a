package squashfs

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/format/squashfs/internal/sqfstest"
	"github.com/doorman-sec/doorman/format/squashfs/sqfswrite"
)

// TestTruncatedImage cuts an image at several points: Open must say
// "truncated" (and wrap ErrTruncated) rather than fail obscurely.
func TestTruncatedImage(t *testing.T) {
	data := writeImage(t, sqfstest.Fixture(), sqfswrite.WriteOptions{BlockSize: 4096})
	used := int(openBytes(t, data, Options{}).BytesUsed())
	for _, cut := range []int{4, 50, 95, 96, 500, used / 2, used - 1} {
		_, err := Open(bytes.NewReader(data[:cut]), int64(cut), Options{})
		if !errors.Is(err, ErrTruncated) || !strings.Contains(err.Error(), "truncated") {
			t.Errorf("cut at %d: err = %v, want ErrTruncated", cut, err)
		}
	}
	// The padding after bytes_used is not needed.
	openBytes(t, data[:used], Options{})
}

// cutReader serves data but fails reads past n, like a file that shrank
// after its size was taken or a caller that passed the wrong size.
type cutReader struct {
	data []byte
	n    int64
}

func (c *cutReader) ReadAt(p []byte, off int64) (int, error) {
	if off >= c.n {
		return 0, io.EOF
	}
	n := copy(p, c.data[off:min(c.n, int64(len(c.data)))])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// TestShortReads: when the reader runs out before the size it was given,
// Open, Walk or the file reads report ErrTruncated.
func TestShortReads(t *testing.T) {
	data := writeImage(t, sqfstest.Fixture(), sqfswrite.WriteOptions{BlockSize: 4096})
	im := openBytes(t, data, Options{})
	sb := im.sb
	cuts := map[string]int64{
		"in superblock":      60,
		"in data":            1000,
		"in inode table":     int64(sb.inodeTable) + 10,
		"in directory table": int64(sb.dirTable) + 10,
		"in id table index":  int64(sb.bytesUsed) - 1,
	}
	for name, cut := range cuts {
		t.Run(name, func(t *testing.T) {
			im, err := Open(&cutReader{data: data, n: cut}, int64(len(data)), Options{})
			if err == nil {
				var w *walked
				w, err = walkAll(t, im, 1<<20)
				for _, rerr := range w.readErr {
					err = errors.Join(err, rerr)
				}
			}
			if !errors.Is(err, ErrTruncated) {
				t.Errorf("err = %v, want ErrTruncated", err)
			}
		})
	}
}
