package formats

import (
	"errors"
	"io"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/format/cpio"
)

// cpio (newc, crc, odc, old binary): the initramfs of most embedded Linux,
// read with our format/cpio. Member data are sections of the archive.
func init() {
	artifact.Register(&artifact.Format{
		Kind:     "cpio",
		Priority: 45,
		Magic:    [][]byte{[]byte("070701"), []byte("070702"), []byte("070707")},
		Detect:   func(h []byte, _ int64) bool { return cpio.Sniff(h) },
		Open:     openCpio,
		Length: func(src artifact.Source) int64 {
			end, _ := cpioExtent(src)
			return end
		},
		CarveCheck: func(src artifact.Source) (int64, bool) {
			end, n := cpioExtent(src)
			return end, n > 0
		},
	})
}

func openCpio(oc *artifact.OpenContext, src artifact.Source, emit func(artifact.Child) error) error {
	r := cpio.NewReader(io.NewSectionReader(src, 0, src.Size()))
	for {
		h, err := r.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		c := artifact.Child{Name: h.Name, Mode: h.Mode, Size: h.Size, LinkTarget: h.LinkTarget}
		if c.Mode.IsRegular() {
			size := h.Size
			if h.Offset+size > src.Size() {
				oc.Warn(errors.New("truncated archive: member " + h.Name + " says it has more bytes than remain"))
				size = max(0, src.Size()-h.Offset)
			}
			c.Section = io.NewSectionReader(src, h.Offset, size)
		}
		if err := emit(c); err != nil {
			return err
		}
	}
}

// cpioExtent returns where a cpio archive ends (after its trailer) and how
// many members it has, so that carving neither looks inside it again nor
// misses what follows it (initramfs images chain several archives).
func cpioExtent(src artifact.Source) (int64, int) {
	r := cpio.NewReader(io.NewSectionReader(src, 0, src.Size()))
	n := 0
	for n < 1_000_000 {
		if _, err := r.Next(); err != nil {
			if !errors.Is(err, io.EOF) {
				return -1, n
			}
			break
		}
		n++
	}
	return min(r.InputOffset(), src.Size()), n
}
