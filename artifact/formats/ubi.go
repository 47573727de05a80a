package formats

import (
	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/format/ubi"
)

// UBI, the volume layer of NAND-flash firmware, read with our format/ubi.
// Each volume is a child named after it, read in place over its
// eraseblocks; its kind (squashfs, UBIFS) is then detected. Carving looks
// for the first erase-counter header; every PEB starts with one, so the
// claimed length keeps the others from being carved again.
func init() {
	artifact.Register(&artifact.Format{
		Kind:     "ubi",
		Priority: 75,
		Magic:    [][]byte{[]byte("UBI#")},
		Detect:   func(h []byte, _ int64) bool { return ubi.Sniff(h) },
		Open:     openUBI,
		Length:   ubiLength,
		CarveCheck: func(src artifact.Source) (int64, bool) {
			l := ubiLength(src)
			return l, l > 0
		},
	})
}

func ubiLength(src artifact.Source) int64 {
	im, err := ubi.Open(src, src.Size(), ubi.Options{})
	if err != nil {
		return -1
	}
	return im.Length()
}

func openUBI(oc *artifact.OpenContext, src artifact.Source, emit func(artifact.Child) error) error {
	im, err := ubi.Open(src, src.Size(), ubi.Options{})
	if err != nil {
		return err
	}
	for _, w := range im.Warnings() {
		oc.Warn(w)
	}
	for _, v := range im.Volumes() {
		if err := emit(artifact.Child{Name: v.Name, Mode: 0o644, Size: v.Size(), Section: v.Reader()}); err != nil {
			return err
		}
	}
	return nil
}
