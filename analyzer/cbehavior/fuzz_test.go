package cbehavior

import (
	"strings"
	"testing"
	"time"
)

// FuzzAnalyze feeds arbitrary bytes through the tokenizer, the structure
// pass and every rule: nothing may panic, tokens must lie inside the
// input in order, and brackets must match in pairs.
func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{vsftpdStr, vsftpdSysdep, proftpd, unrealStruct, unrealBsd,
		"#define X(a) system(a\\\n)\nint f(){ if(!strcmp(x,\"AB\")) X(x); }",
		"/* unterminated", "\"unterminated\n'x", "R\"d(raw)d\" u8\"x\" L'c'", "if ((a->uid = 0))",
		"int f(int s){char b[9];recv(s,b,9,0);char*p=b+1;system(p);}", "{{{{((((", "}}}))]]",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		fl := parseFile(src)
		prev := int32(0)
		for i, tk := range fl.toks {
			if tk.start < prev || tk.end < tk.start || int(tk.end) > len(src) {
				t.Fatalf("token %d [%d,%d) out of order or bounds (len %d)", i, tk.start, tk.end, len(src))
			}
			prev = tk.end
			if m := fl.match[i]; m >= 0 && fl.match[m] != int32(i) {
				t.Fatalf("bracket %d matches %d which matches %d", i, m, fl.match[m])
			}
		}
		for _, fn := range fl.functions() {
			fl.triggers(fn, nil)
			fl.assignInConditions(fn)
			fl.remoteCommands(fn)
			fl.summarize(fn.body, fn.params)
		}
		for _, m := range fl.macros() {
			m.body.summarize(span{0, len(m.body.toks)}, m.params)
			m.literalValue()
		}
	})
}

// TestHostile: deep nesting, a huge macro, long unterminated constructs
// and a 10 MB file finish quickly and without panicking.
func TestHostile(t *testing.T) {
	cases := map[string]string{
		"deep":       "int f(){" + strings.Repeat("if((", 200000) + "x",
		"deepbrace":  "int f(){" + strings.Repeat("{", 300000) + strings.Repeat("}", 300000),
		"macro":      "#define M(x) " + strings.Repeat("system(x) \\\n", 100000) + "\nint f(char*b){if(!strcmp(b,\"xyzzy\"))M(b);}",
		"comment":    "int f(){ /*" + strings.Repeat("a", 1<<20),
		"string":     "char *s = \"" + strings.Repeat("\\\"", 1<<20),
		"calls":      "int f(){" + strings.Repeat("g(", 100000) + strings.Repeat(")", 100000) + ";}",
		"conditions": "int f(char*b){" + strings.Repeat("if(b[0]=='A'&&b[1]=='B'){g(b);}\n", 100000) + "}",
		"nested":     "int f(char*b){" + strings.Repeat("if(!strcmp(b,\"xyzzy\")){ x++;", 100000) + strings.Repeat("}", 100001),
		"big":        strings.Repeat("int f(char *b) { if (!strcmp(b, \"zz\")) system(b + 3); }\n", 10<<20/56),
	}
	for name, src := range cases {
		start := time.Now()
		fl := parseFile([]byte(src))
		for _, fn := range fl.functions() {
			fl.triggers(fn, nil)
			fl.assignInConditions(fn)
			fl.remoteCommands(fn)
		}
		for _, m := range fl.macros() {
			m.body.summarize(span{0, len(m.body.toks)}, m.params)
		}
		if d := time.Since(start); d > 20*time.Second {
			t.Errorf("%s: %v", name, d)
		}
	}
}
