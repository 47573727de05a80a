package formats

import (
	"io"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/klauspost/compress/gzip"
)

// gzip via klauspost/compress: the same API as compress/gzip, about twice
// as fast at inflating.
func init() {
	artifact.Register(&artifact.Format{
		Kind:     "gzip",
		Priority: 50,
		Magic:    [][]byte{{0x1f, 0x8b, 0x08}},
		Detect: func(h []byte, _ int64) bool {
			// Method 8 (deflate) and no reserved flag bits.
			return len(h) >= 10 && h[0] == 0x1f && h[1] == 0x8b && h[2] == 8 && h[3]&0xe0 == 0
		},
		Open: func(oc *artifact.OpenContext, src artifact.Source, emit func(artifact.Child) error) error {
			name := innerName(oc.Name, map[string]string{".tgz": ".tar", ".gz": "", ".cpgz": ".cpio"})
			// The original file name in the header, when present, is better.
			if zr, err := gzip.NewReader(io.NewSectionReader(src, 0, src.Size())); err == nil && zr.Name != "" && name == "data" {
				name = artifact.CleanName(zr.Name)
			}
			return streamChild(oc, src, name, openGzip, emit)
		},
		CarveCheck: func(src artifact.Source) (int64, bool) {
			return -1, probe(openGzip(io.NewSectionReader(src, 0, src.Size())))
		},
	})
}

func openGzip(r io.Reader) (io.ReadCloser, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, err
	}
	// One member only: firmware often pads a gzip stream with garbage that
	// a multistream reader would report as a corrupt second member.
	zr.Multistream(false)
	return zr, nil
}
