package formats

import (
	"fmt"
	"io"
	"strings"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/format/rpm"
)

// rpm packages, read with our format/rpm (the rpm libraries drag in the
// removed x/crypto/openpgp). Children: the payload (a compressed cpio,
// detected by its bytes) and each install-time scriptlet as a text member
// "scriptlet/<tag>", so analyzers see what runs as root at install.
func init() {
	artifact.Register(&artifact.Format{
		Kind:     "rpm",
		Priority: 45,
		Detect:   func(h []byte, _ int64) bool { return rpm.Sniff(h) },
		Open:     openRPM,
	})
}

func openRPM(oc *artifact.OpenContext, src artifact.Source, emit func(artifact.Child) error) error {
	p, err := rpm.Open(src, src.Size())
	if err != nil {
		return err
	}
	used := map[string]int{}
	for _, s := range p.Scripts {
		name := "scriptlet/" + s.Tag
		if used[name]++; used[name] > 1 { // several triggers share a tag
			name = fmt.Sprintf("%s.%d", name, used[name])
		}
		body := s.Body
		if s.Interpreter != "" && !strings.HasPrefix(body, "#!") {
			body = "#!" + s.Interpreter + "\n" + body
		}
		if err := emit(artifact.Child{
			Name: name, Mode: 0o755, Size: int64(len(body)),
			Stream: func() (io.ReadCloser, error) { return nopCloser{strings.NewReader(body)}, nil },
		}); err != nil {
			return err
		}
	}
	if p.PayloadOffset >= src.Size() {
		return nil
	}
	size := src.Size() - p.PayloadOffset
	return emit(artifact.Child{Name: "payload", Mode: 0o644, Size: size, Section: io.NewSectionReader(src, p.PayloadOffset, size)})
}
