package formats

import (
	"io"
	"strings"

	"github.com/doorman-sec/doorman/artifact"
)

// streamChild emits the single decompressed child of a compressed stream.
func streamChild(oc *artifact.OpenContext, src artifact.Source, name string, open func(r io.Reader) (io.ReadCloser, error), emit func(artifact.Child) error) error {
	return emit(artifact.Child{
		Name:       name,
		Size:       -1,
		Compressed: src.Size(),
		Stream: func() (io.ReadCloser, error) {
			return open(io.NewSectionReader(src, 0, src.Size()))
		},
	})
}

// innerName names a stream's content after its container: "fw.tar.gz"
// gives "fw.tar", "rootfs.tgz" gives "rootfs.tar"; otherwise "data".
func innerName(container string, exts map[string]string) string {
	if strings.Contains(container, "@0x") {
		return "data"
	}
	lower := strings.ToLower(container)
	for ext, repl := range exts {
		if strings.HasSuffix(lower, ext) && len(container) > len(ext) {
			return container[:len(container)-len(ext)] + repl
		}
	}
	return "data"
}

type nopCloser struct{ io.Reader }

func (nopCloser) Close() error { return nil }

// probe decodes the first bytes of a freshly opened decoder to confirm that
// a carved candidate really is that kind of stream.
func probe(rc io.ReadCloser, err error) bool {
	if err != nil {
		return false
	}
	defer rc.Close()
	got, err := io.CopyN(io.Discard, rc, 1024)
	return err == nil || (err == io.EOF && got > 0)
}

// historyCap bounds the history (zstd window, LZMA dictionary) a stream may
// make its decoder allocate before producing a byte: at most most, and no
// more than 1024 times the stream's compressed size, with floor always
// allowed (8 MiB is the default of xz -6 and zstd -19 streams, which xz does
// not shrink even for a 200-byte control.tar.xz). Decoders allocate the whole declared history up front, so a
// fuzzing corpus of a few thousand 100-byte frames that each declare a
// 128 MiB window cost minutes of zeroing memory and gigabytes of peak RSS
// (klauspost/compress's own testdata did). A real stream that needs more
// history than 1024 times its size would also break the ratio limit.
func historyCap(r io.Reader, floor, most int64) int64 {
	s, ok := r.(interface{ Size() int64 })
	if !ok {
		return most
	}
	return min(max(s.Size()*1024, floor), most)
}
