package executable

import (
	"bytes"
	"testing"

	"github.com/doorman-sec/doorman/exe"
)

// Hostile rodata around a hit, and whatever exe.Parse makes of hostile
// bytes, never panic the analyzer.
func FuzzCredentialsAndJudge(f *testing.F) {
	f.Add(rodata("%s login: ", "Password: ", "xc3511", "root"), 12)
	f.Add([]byte("\x7fELF\x02\x01\x01\x00assword\x00P@ss1"), 3)
	f.Fuzz(func(t *testing.T, data []byte, rel int) {
		for _, h := range credentialsNear(data, rel, 0) {
			if !looksLikePassword(h.Literal) {
				t.Fatalf("not a password: %q", h.Literal)
			}
		}
		info, _ := exe.Parse(newBoundedReader(bytes.NewReader(data), int64(len(data))), int64(len(data)))
		Judge(info, Context{Name: string(data[:min(len(data), 40)]), Credentials: credentialsNear(data, rel, 0)})
	})
}
