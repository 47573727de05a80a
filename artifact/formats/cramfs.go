package formats

import (
	"fmt"
	"io"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/format/cramfs"
)

// cramfs, the compressed read-only filesystem of older camera and router
// firmware, in either byte order, read with our format/cramfs. The magic
// number is stored in the image's byte order, so carving looks for the
// "Compressed ROMFS" signature 16 bytes in; a padded image (mkcramfs -p)
// is carved from its superblock.
func init() {
	artifact.Register(&artifact.Format{
		Kind:        "cramfs",
		Priority:    80,
		Magic:       [][]byte{[]byte("Compressed ROMFS")},
		MagicOffset: 16,
		Detect:      func(h []byte, _ int64) bool { return cramfs.Sniff(h) },
		Open:        openCramfs,
		Length: func(src artifact.Source) int64 {
			im, err := cramfs.Open(src, src.Size(), cramfs.Options{})
			if err != nil {
				return -1
			}
			return min(im.Length(), src.Size())
		},
		CarveCheck: cramfsCarveCheck,
	})
}

// cramfsCarveCheck accepts a candidate whose superblock opens and, for
// images that carry one (all that mkcramfs writes), whose CRC over the
// whole image matches: the signature is a plain string that a binary may
// hold.
func cramfsCarveCheck(src artifact.Source) (int64, bool) {
	im, err := cramfs.Open(src, src.Size(), cramfs.Options{})
	if err != nil || im.Length() > src.Size() {
		return -1, false
	}
	if ok, err := im.CheckCRC(); err != nil || !ok {
		return -1, false
	}
	return im.Length(), true
}

func openCramfs(oc *artifact.OpenContext, src artifact.Source, emit func(artifact.Child) error) error {
	im, err := cramfs.Open(src, src.Size(), cramfs.Options{MaxFiles: int(min(oc.Limits.MaxEntries, 1<<30))})
	if err != nil {
		return err
	}
	if im.Length() > src.Size() {
		oc.Warn(fmt.Errorf("%w: image of %d bytes truncated to %d", cramfs.ErrCorrupt, im.Length(), src.Size()))
	}
	return emitTree(emit, func(visit func(fsFile) error) error {
		return im.Walk(func(f *cramfs.File) error {
			return visit(fsFile{Path: f.Path, Mode: f.Mode, Size: f.Size, LinkTarget: f.LinkTarget, Compressed: 0,
				Open: func() (io.Reader, error) { return im.Open(f) }})
		})
	})
}
