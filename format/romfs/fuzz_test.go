package romfs

import (
	"bytes"
	"io"
	"testing"
)

// FuzzWalk opens, checks, walks and reads arbitrary images: no panic, no
// hang, bounded work.
func FuzzWalk(f *testing.F) {
	f.Add(writeImage("v", sampleTree()))
	f.Add(writeImage("", []*tnode{{Name: "x", Type: typeHardlink, LinkTo: &tnode{}}}))
	f.Add([]byte("-rom1fs-\x00\x00\x01\x00\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		im, err := Open(bytes.NewReader(data), int64(len(data)), Options{MaxFiles: 10000})
		if err != nil {
			return
		}
		_, _ = im.CheckSum()
		_ = im.Walk(func(fl *File) error {
			if fl.Mode.IsRegular() {
				if r, err := im.Open(fl); err == nil {
					_, _ = io.Copy(io.Discard, io.LimitReader(r, 1<<20))
				}
			}
			return nil
		})
	})
}
