package updatepath

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/analyzertest"
	"github.com/doorman-sec/doorman/finding"
)

// scan runs the analyzer over a file tree through the real pipeline.
func scan(t *testing.T, files map[string]string) *finding.Report {
	t.Helper()
	return analyzertest.Scan(t, []*analyzer.Analyzer{Analyzer}, files)
}

// one returns the single finding of a rule, failing otherwise.
func one(t *testing.T, r *finding.Report, rule, suffix string) finding.Finding {
	t.Helper()
	got := analyzertest.Find(r, rule, suffix)
	if len(got) != 1 {
		t.Fatalf("want one %s finding at *%s, got %d: %+v", rule, suffix, len(got), r.Findings)
	}
	return got[0]
}

// quiet fails when the scan reported anything.
func quiet(t *testing.T, r *finding.Report) {
	t.Helper()
	if len(r.Findings) != 0 {
		t.Fatalf("want no findings, got %+v", r.Findings)
	}
}

func mustContain(t *testing.T, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%q does not contain %q", s, sub)
		}
	}
}

// fakeELF builds a 32-bit little-endian MIPS ELF header followed by the
// given strings, NUL-separated, as they sit in a binary's .rodata.
func fakeELF(strs ...string) string {
	h := make([]byte, 52)
	copy(h, "\x7fELF")
	h[4], h[5], h[6] = 1, 1, 1
	binary.LittleEndian.PutUint16(h[16:], 2)  // ET_EXEC
	binary.LittleEndian.PutUint16(h[18:], 8)  // EM_MIPS
	binary.LittleEndian.PutUint32(h[20:], 1)  // version
	binary.LittleEndian.PutUint16(h[40:], 52) // ehsize
	body := strings.Repeat("\x00", 64) + strings.Join(strs, "\x00") + "\x00"
	return string(h) + body
}

const shebang = "#!/bin/sh\n"
