package formats

import (
	"io"
	"strings"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/format/android"
)

// Android sparse images (system.img and friends as fastboot flashes them)
// and boot images (boot.img, recovery.img), read with our format/android.
// A sparse image has one child, the expanded image, read as a stream so
// that the size and ratio limits bound what lying block counts and
// don't-care chunks would make of it; a boot image's kernel, ramdisk and
// second stage are regions of it, read in place.
func init() {
	artifact.Register(&artifact.Format{
		Kind:     "android-sparse",
		Priority: 70,
		Magic:    [][]byte{{0x3a, 0xff, 0x26, 0xed}},
		Detect:   func(h []byte, _ int64) bool { return android.SniffSparse(h) },
		Open:     openSparse,
		Length: func(src artifact.Source) int64 {
			s, err := android.OpenSparse(src, src.Size())
			if err != nil {
				return -1
			}
			return s.Length()
		},
	})
	artifact.Register(&artifact.Format{
		Kind:     "android-boot",
		Priority: 70,
		Magic:    [][]byte{[]byte(android.BootMagic)},
		Detect:   func(h []byte, _ int64) bool { return android.SniffBoot(h) },
		Open:     openBoot,
		Length: func(src artifact.Source) int64 {
			b, err := android.OpenBoot(src, src.Size())
			if err != nil {
				return -1
			}
			return b.Length()
		},
	})
}

// sparseChildName names the expanded image: "system.simg" gives
// "system.img", "system.img" gives "system.img.raw".
func sparseChildName(container string) string {
	switch {
	case strings.Contains(container, "@0x"):
		return "expanded.img"
	case strings.HasSuffix(strings.ToLower(container), ".simg") && len(container) > 5:
		return container[:len(container)-5] + ".img"
	}
	return container + ".raw"
}

func openSparse(oc *artifact.OpenContext, src artifact.Source, emit func(artifact.Child) error) error {
	s, err := android.OpenSparse(src, src.Size())
	if err != nil {
		return err
	}
	return emit(artifact.Child{
		Name:       sparseChildName(oc.Name),
		Mode:       0o644,
		Size:       s.Size(),
		Compressed: max(s.Length(), 1),
		Stream: func() (io.ReadCloser, error) {
			return nopCloser{s.Reader()}, nil
		},
	})
}

func openBoot(oc *artifact.OpenContext, src artifact.Source, emit func(artifact.Child) error) error {
	b, err := android.OpenBoot(src, src.Size())
	if err != nil {
		return err
	}
	for _, w := range b.Warnings() {
		oc.Warn(w)
	}
	for _, s := range b.Sections {
		if err := emit(artifact.Child{Name: s.Name, Mode: 0o644, Size: s.Size, Section: io.NewSectionReader(src, s.Offset, s.Size)}); err != nil {
			return err
		}
	}
	return nil
}
