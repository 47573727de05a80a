package formats

import (
	"fmt"
	"io"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/format/romfs"
)

// romfs ("-rom1fs-"), the minimal read-only filesystem of uClinux and
// boot-loader images, read with our format/romfs. The magic is a plain
// string, so a carved candidate must also pass the superblock checksum the
// kernel checks at mount time.
func init() {
	artifact.Register(&artifact.Format{
		Kind:     "romfs",
		Priority: 80,
		Magic:    [][]byte{[]byte(romfs.Magic)},
		Detect:   func(h []byte, _ int64) bool { return romfs.Sniff(h) },
		Open:     openRomfs,
		Length: func(src artifact.Source) int64 {
			im, err := romfs.Open(src, src.Size(), romfs.Options{})
			if err != nil {
				return -1
			}
			return min(im.Length(), src.Size())
		},
		CarveCheck: romfsCarveCheck,
	})
}

func romfsCarveCheck(src artifact.Source) (int64, bool) {
	im, err := romfs.Open(src, src.Size(), romfs.Options{})
	if err != nil || im.Length() > src.Size() {
		return -1, false
	}
	if ok, err := im.CheckSum(); err != nil || !ok {
		return -1, false
	}
	return im.Length(), true
}

func openRomfs(oc *artifact.OpenContext, src artifact.Source, emit func(artifact.Child) error) error {
	im, err := romfs.Open(src, src.Size(), romfs.Options{MaxFiles: int(min(oc.Limits.MaxEntries, 1<<30))})
	if err != nil {
		return err
	}
	if im.Length() > src.Size() {
		oc.Warn(fmt.Errorf("%w: image of %d bytes truncated to %d", romfs.ErrTruncated, im.Length(), src.Size()))
	}
	return emitTree(emit, func(visit func(fsFile) error) error {
		return im.Walk(func(f *romfs.File) error {
			return visit(fsFile{Path: f.Path, Mode: f.Mode, Size: f.Size, LinkTarget: f.LinkTarget,
				Open: func() (io.Reader, error) { return im.Open(f) }})
		})
	})
}
