package formats

import (
	"bytes"
	"io"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/klauspost/compress/zstd"
)

// zstd via klauspost/compress, the reference pure-Go decoder. The window is
// capped so that a frame header cannot make us allocate gigabytes.
func init() {
	artifact.Register(&artifact.Format{
		Kind:     "zstd",
		Priority: 50,
		Magic:    [][]byte{{0x28, 0xb5, 0x2f, 0xfd}},
		Detect: func(h []byte, _ int64) bool {
			return bytes.HasPrefix(h, []byte{0x28, 0xb5, 0x2f, 0xfd})
		},
		Open: func(oc *artifact.OpenContext, src artifact.Source, emit func(artifact.Child) error) error {
			return streamChild(oc, src, innerName(oc.Name, map[string]string{".tzst": ".tar", ".zst": "", ".zstd": ""}), openZstd, emit)
		},
		CarveCheck: func(src artifact.Source) (int64, bool) {
			return -1, probe(openZstd(io.NewSectionReader(src, 0, src.Size())))
		},
	})
}

type zstdCloser struct{ *zstd.Decoder }

func (z zstdCloser) Close() error { z.Decoder.Close(); return nil }

func openZstd(r io.Reader) (io.ReadCloser, error) {
	d, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true), zstd.WithDecoderMaxWindow(uint64(historyCap(r, 8<<20, 128<<20))), zstd.WithDecoderMaxMemory(1<<30))
	if err != nil {
		return nil, err
	}
	return zstdCloser{d}, nil
}
