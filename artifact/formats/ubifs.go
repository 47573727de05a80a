package formats

import (
	"io"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/format/ubifs"
)

// UBIFS, the filesystem in the UBI volumes of NAND firmware, read with our
// format/ubifs. It is usually reached as a volume of a UBI image; a bare
// UBIFS image (mkfs.ubifs output) is carved by its superblock node, whose
// CRC Detect checks.
func init() {
	artifact.Register(&artifact.Format{
		Kind:     "ubifs",
		Priority: 75,
		Magic:    [][]byte{{0x31, 0x18, 0x10, 0x06}},
		Detect:   func(h []byte, _ int64) bool { return ubifs.Sniff(h) },
		Open:     openUBIFS,
		Length:   ubifsLength,
		CarveCheck: func(src artifact.Source) (int64, bool) {
			l := ubifsLength(src)
			return l, l > 0
		},
	})
}

func ubifsLength(src artifact.Source) int64 {
	im, err := ubifs.OpenSuper(src, src.Size(), ubifs.Options{})
	if err != nil {
		return -1
	}
	return im.Length()
}

func openUBIFS(oc *artifact.OpenContext, src artifact.Source, emit func(artifact.Child) error) error {
	im, err := ubifs.Open(src, src.Size(), ubifs.Options{MaxFiles: int(min(oc.Limits.MaxEntries, 1<<30))})
	if err != nil {
		return err
	}
	for _, w := range im.Warnings() {
		oc.Warn(w)
	}
	return emitTree(emit, func(visit func(fsFile) error) error {
		return im.Walk(func(f *ubifs.File) error {
			return visit(fsFile{Path: f.Path, Mode: f.Mode, Size: f.Size, LinkTarget: f.LinkTarget, Compressed: max(f.Compressed, 1),
				Open: func() (io.Reader, error) { return im.Open(f) }})
		})
	})
}
