package formats

import (
	"io"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/format/squashfs"
)

// squashfs 4.x with every compressor used in the field, read with our
// format/squashfs: no Go library reads mksquashfs' lz4 images or survives
// lying size fields, so the reader is ours (and fuzzed).
func init() {
	artifact.Register(&artifact.Format{
		Kind:     "squashfs",
		Priority: 80,
		Magic:    [][]byte{[]byte("hsqs")},
		Detect:   func(h []byte, _ int64) bool { return squashfs.Sniff(h) },
		Open:     openSquashfs,
		Length:   squashfsLength,
		CarveCheck: func(src artifact.Source) (int64, bool) {
			l := squashfsLength(src)
			return l, l > 0
		},
	})
}

func squashfsLength(src artifact.Source) int64 {
	im, err := squashfs.Open(src, src.Size(), squashfs.Options{})
	if err != nil {
		return -1
	}
	return min(im.BytesUsed(), src.Size())
}

func openSquashfs(oc *artifact.OpenContext, src artifact.Source, emit func(artifact.Child) error) error {
	im, err := squashfs.Open(src, src.Size(), squashfs.Options{MaxFiles: int(min(oc.Limits.MaxEntries, 1<<30))})
	if err != nil {
		return err
	}
	return emitTree(emit, func(visit func(fsFile) error) error {
		return im.Walk(func(f *squashfs.File) error {
			return visit(fsFile{Path: f.Path, Mode: f.Mode, Size: f.Size, LinkTarget: f.LinkTarget, Compressed: 0,
				Open: func() (io.Reader, error) { return im.Open(f) }})
		})
	})
}
