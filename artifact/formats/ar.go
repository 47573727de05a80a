package formats

import (
	"bytes"
	"errors"
	"io"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/format/ar"
)

// ar archives and Debian packages (an ar of debian-binary, control.tar.*
// and data.tar.*), read with our format/ar: members are sections of the
// archive, so nothing is copied.
func init() {
	for _, k := range []artifact.Kind{"deb", "ar"} {
		k := k
		artifact.Register(&artifact.Format{
			Kind:     k,
			Priority: 45,
			Detect: func(h []byte, _ int64) bool {
				isDeb := bytes.HasPrefix(h, []byte("!<arch>\ndebian-binary"))
				return ar.Sniff(h) && isDeb == (k == "deb")
			},
			Open: openAr,
		})
	}
}

func openAr(oc *artifact.OpenContext, src artifact.Source, emit func(artifact.Child) error) error {
	r := ar.NewReader(io.NewSectionReader(src, 0, src.Size()))
	for {
		h, err := r.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		size := h.Size
		if h.Offset+size > src.Size() {
			oc.Warn(errors.New("truncated archive: member " + h.Name + " runs past the end"))
			size = max(0, src.Size()-h.Offset)
		}
		// ar members are always regular files, whatever their mode says.
		c := artifact.Child{Name: h.Name, Mode: h.Mode.Perm(), Size: size, Section: io.NewSectionReader(src, h.Offset, size)}
		if err := emit(c); err != nil {
			return err
		}
	}
}
