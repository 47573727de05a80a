package gobehavior

import (
	"strings"
	"testing"
	"time"
)

// FuzzAnalyze: any bytes, parsed or not, never panic the analysis.
func FuzzAnalyze(f *testing.F) {
	for _, s := range positives {
		f.Add([]byte(s))
	}
	f.Add([]byte("package p\nfunc init() { x := (((("))
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, h := range analyze("f.go", src) {
			if h.pos < 0 || int(h.pos) > len(src) {
				t.Fatalf("position %d outside the file (%d bytes)", h.pos, len(src))
			}
		}
	})
}

// TestHostile: deep nesting and big files stay bounded.
func TestHostile(t *testing.T) {
	for name, src := range map[string]string{
		"deep":  "package p\nfunc f() { x := " + strings.Repeat("(", 200000) + "1" + strings.Repeat(")", 200000) + "}",
		"calls": "package p\nimport \"os/exec\"\nfunc f() {" + strings.Repeat("exec.Command(\"a\", x)\n", 50000) + "}",
		"big":   "package p\nimport \"net/http\"\n" + strings.Repeat("func g(w http.ResponseWriter, r *http.Request) { if r.Header.Get(\"X\") == \"abcdef\" { next.ServeHTTP(w, r) } }\n", 15000),
	} {
		start := time.Now()
		analyze("f.go", []byte(src))
		if d := time.Since(start); d > 20*time.Second {
			t.Errorf("%s: %v", name, d)
		}
	}
}
