package formats

import (
	"bytes"
	"io"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/pierrec/lz4/v4"
)

var (
	lz4Frame  = []byte{0x04, 0x22, 0x4d, 0x18}
	lz4Legacy = []byte{0x02, 0x21, 0x4c, 0x18} // Linux kernel / initramfs
)

// lz4 frames (and the legacy format of kernels) via pierrec/lz4.
func init() {
	artifact.Register(&artifact.Format{
		Kind:     "lz4",
		Priority: 50,
		Magic:    [][]byte{lz4Frame, lz4Legacy},
		Detect: func(h []byte, _ int64) bool {
			return bytes.HasPrefix(h, lz4Frame) || bytes.HasPrefix(h, lz4Legacy)
		},
		Open: func(oc *artifact.OpenContext, src artifact.Source, emit func(artifact.Child) error) error {
			return streamChild(oc, src, innerName(oc.Name, map[string]string{".lz4": ""}), openLZ4, emit)
		},
		CarveCheck: func(src artifact.Source) (int64, bool) {
			return -1, probe(openLZ4(io.NewSectionReader(src, 0, src.Size())))
		},
	})
}

func openLZ4(r io.Reader) (io.ReadCloser, error) {
	return nopCloser{lz4.NewReader(r)}, nil
}
