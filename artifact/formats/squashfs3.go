package formats

import (
	"io"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/format/squashfs3"
)

// squashfs 3.x, in either byte order and with the zlib or vendor LZMA
// blocks of the Broadcom/Realtek SDKs and old OpenWrt, read with our
// format/squashfs3. Detect requires major version 3, so 4.x images go to
// the squashfs format (and 3.x ones no longer stop at its "unsupported").
func init() {
	artifact.Register(&artifact.Format{
		Kind:     "squashfs3",
		Priority: 80,
		Magic:    [][]byte{[]byte("hsqs"), []byte("sqsh"), []byte("shsq"), []byte("qshs")},
		Detect:   func(h []byte, _ int64) bool { return squashfs3.Sniff(h) },
		Open:     openSquashfs3,
		Length:   squashfs3Length,
		CarveCheck: func(src artifact.Source) (int64, bool) {
			// Open decodes the root inode's metadata block, so a
			// stray magic with a plausible superblock is refused.
			l := squashfs3Length(src)
			return l, l > 0
		},
	})
}

func squashfs3Length(src artifact.Source) int64 {
	im, err := squashfs3.Open(src, src.Size(), squashfs3.Options{})
	if err != nil {
		return -1
	}
	return min(im.BytesUsed(), src.Size())
}

func openSquashfs3(oc *artifact.OpenContext, src artifact.Source, emit func(artifact.Child) error) error {
	im, err := squashfs3.Open(src, src.Size(), squashfs3.Options{MaxFiles: int(min(oc.Limits.MaxEntries, 1<<30))})
	if err != nil {
		return err
	}
	return emitTree(emit, func(visit func(fsFile) error) error {
		return im.Walk(func(f *squashfs3.File) error {
			return visit(fsFile{Path: f.Path, Mode: f.Mode, Size: f.Size, LinkTarget: f.LinkTarget,
				Open: func() (io.Reader, error) { return im.Open(f) }})
		})
	})
}
