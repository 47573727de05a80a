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
