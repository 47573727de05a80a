package formats

import (
	"io"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/format/ext"
)

// ext2, ext3 and ext4 filesystems (eMMC root and data partitions, NAS and
// set-top-box images), read with our format/ext. The magic 0xEF53 sits at
// byte 1080 of the filesystem; two bytes match random data often, so
// carving also needs the superblock to pass ext.Sniff's checks and the root
// directory to be readable. Files stored in one run of blocks are handed on
// as sections of the image (no copy), others are streamed.
func init() {
	artifact.Register(&artifact.Format{
		Kind:        "ext",
		Priority:    30, // magic at 1080: formats with magic at 0 go first (the boot block may hold one)
		Magic:       [][]byte{{0x53, 0xef}},
		MagicOffset: 1080,
		Detect:      func(h []byte, _ int64) bool { return ext.Sniff(h) },
		Open:        openExt,
		Length:      extLength,
		CarveCheck: func(src artifact.Source) (int64, bool) {
			l := extLength(src)
			return l, l > 0
		},
	})
}

// extLength is the filesystem's length (block count times block size), cut
// to the bytes available when the image is truncated, or -1.
func extLength(src artifact.Source) int64 {
	im, err := ext.Open(src, src.Size(), ext.Options{})
	if err != nil {
		return -1
	}
	return min(im.Length(), src.Size())
}

func openExt(oc *artifact.OpenContext, src artifact.Source, emit func(artifact.Child) error) error {
	im, err := ext.Open(src, src.Size(), ext.Options{MaxFiles: int(min(oc.Limits.MaxEntries, 1<<30))})
	if err != nil {
		return err
	}
	var stop error
	err = im.Walk(func(f *ext.File) error {
		c := artifact.Child{Name: f.Path, Mode: f.Mode, Size: f.Size, LinkTarget: f.LinkTarget}
		if f.Mode.IsRegular() {
			if off, ok := im.Section(f); ok {
				c.Section = io.NewSectionReader(src, off, f.Size)
			} else {
				// Sparse files read as zeros: the allocated size
				// feeds the compression-ratio limit.
				c.Compressed = max(f.Allocated, 1)
				c.Stream = func() (io.ReadCloser, error) {
					r, err := im.Open(f)
					if err != nil {
						return nil, err
					}
					return nopCloser{r}, nil
				}
			}
		}
		if err := emit(c); err != nil {
			stop = err
			return err
		}
		return nil
	})
	if stop != nil {
		return stop
	}
	return err
}
