package formats

import (
	"bytes"
	"compress/bzip2"
	"io"

	"github.com/doorman-sec/doorman/artifact"
)

// bzip2 via the standard library (decompression only, which is all we need).
func init() {
	artifact.Register(&artifact.Format{
		Kind:        "bzip2",
		Priority:    50,
		Magic:       [][]byte{[]byte("1AY&SY")}, // the block magic after "BZh9"
		MagicOffset: 4,
		Detect: func(h []byte, _ int64) bool {
			return len(h) >= 10 && bytes.HasPrefix(h, []byte("BZh")) && h[3] >= '1' && h[3] <= '9' && bytes.Equal(h[4:10], []byte("1AY&SY"))
		},
		Open: func(oc *artifact.OpenContext, src artifact.Source, emit func(artifact.Child) error) error {
			return streamChild(oc, src, innerName(oc.Name, map[string]string{".tbz2": ".tar", ".tbz": ".tar", ".bz2": ""}), openBzip2, emit)
		},
		CarveCheck: func(src artifact.Source) (int64, bool) {
			return -1, probe(openBzip2(io.NewSectionReader(src, 0, src.Size())))
		},
	})
}

func openBzip2(r io.Reader) (io.ReadCloser, error) {
	return nopCloser{bzip2.NewReader(r)}, nil
}
