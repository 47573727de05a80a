package privatekey

import (
	"os"
	"testing"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/analyzertest"
	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/internal/fixture"
)

// A key compiled into a crypto library (GnuTLS's self-test keys) is medium;
// the same key compiled into a daemon is high.
func TestKeyInSharedLibraryIsMedium(t *testing.T) {
	elf, err := os.ReadFile("/bin/true")
	if err != nil || len(elf) < 0x3000 {
		t.Skip("no /bin/true to build an ELF from")
	}
	withKey := func() string {
		b := append([]byte(nil), elf...)
		copy(b[0x2000:], fixture.PKCS8Key(7)) // inside the file, past the headers
		return string(b)
	}
	r := analyzertest.Scan(t, []*analyzer.Analyzer{New()}, map[string]string{
		"usr/lib/x86_64-linux-gnu/libgnutls.so.30": withKey(),
		"usr/sbin/httpd": withKey(),
	})
	got := map[string]finding.Severity{}
	for _, f := range r.Findings {
		got[f.Location.Path[len(f.Location.Target)+1:]] = f.Severity
	}
	if got["usr/lib/x86_64-linux-gnu/libgnutls.so.30"] != finding.Medium || got["usr/sbin/httpd"] != finding.High {
		t.Fatalf("want medium in the library and high in the daemon, got %v", got)
	}
}

// openssl's speed command compiles in RSA keys from 512 to 15360 bits: a
// program holding four or more keys holds test vectors, reported low.
func TestManyKeysInAProgramAreTestVectors(t *testing.T) {
	elf, err := os.ReadFile("/bin/true")
	if err != nil || len(elf) < 0x6000 {
		t.Skip("no /bin/true to build an ELF from")
	}
	b := append([]byte(nil), elf...)
	for i := 0; i < 4; i++ {
		copy(b[0x2000+i*0x400:], fixture.PKCS8Key(byte(20+i)))
	}
	r := analyzertest.Scan(t, []*analyzer.Analyzer{New()}, map[string]string{"usr/bin/openssl": string(b)})
	if len(r.Findings) != 4 {
		t.Fatalf("want the 4 keys reported, got %d", len(r.Findings))
	}
	for _, f := range r.Findings {
		if f.Severity != finding.Low {
			t.Errorf("test-vector key at %s", f.Severity)
		}
	}
}
