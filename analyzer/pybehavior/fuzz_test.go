package pybehavior

import (
	"strings"
	"testing"
	"time"
)

// analyze runs the whole per-file pipeline without a scan.
func analyze(src string) int {
	n := 0
	stmts, hidden := parseFile(src)
	a := newAnalysis(src, func(rule, int, string, string) { n++ })
	a.run(stmts)
	return n + len(hidden)
}

func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{
		"exec(base64.b64decode('cHJpbnQoMSk='))\n",
		"x = f\"{a!r:>{w}} {f'{b}'}\"\n",
		"if (a := 1):\n    pass\nelse: b = [1,\n 2]\n",
		"s = '''unterminated\n",
		"def f(password):\n    if password in ('a', 'b'): return True\n",
		"with urlopen(u) as r: d = r.read()\nexec(d)\n",
		"x = \\\n  1; y = 2\n",
		"lambda: (yield)\n",
		"match x:\n    case [a, *b]: pass\n",
		"r'\\'\n", "b'\\x00' rb\"\\\"\" F'{x:{y}}'\n",
		"a[::-1][1:2, ...]\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		analyze(src)
		lex(src, func(ll logicalLine) {
			for _, tk := range ll.toks {
				if tk.off < 0 || tk.end < tk.off || int(tk.end) > len(src) {
					t.Fatalf("token out of range: %+v in %d bytes", tk, len(src))
				}
			}
		})
	})
}

// Hostile shapes must finish quickly and without exhausting the stack.
func TestHostile(t *testing.T) {
	cases := map[string]string{
		"deep-parens":     strings.Repeat("(", 200000) + strings.Repeat(")", 200000) + "\n",
		"deep-unclosed":   "x = " + strings.Repeat("[", 500000) + "\n",
		"deep-calls":      strings.Repeat("f(", 100000) + strings.Repeat(")", 100000) + "\n",
		"long-line":       "x = " + strings.Repeat("a + ", 2_500_000) + "b\n",
		"long-attr":       "x" + strings.Repeat(".a", 1_000_000) + "\n",
		"unterminated":    "s = '''" + strings.Repeat("abc\n", 100000),
		"unterminated-f":  "s = f'{" + strings.Repeat("(", 100000) + "\n",
		"nested-fstrings": strings.Repeat("f'{", 5000) + "x" + strings.Repeat("}'", 5000) + "\n",
		"lambdas":         "x = " + strings.Repeat("lambda: ", 200000) + "1\n",
		"minus":           "x = " + strings.Repeat("-", 1_000_000) + "1\n",
		"nots":            "x = " + strings.Repeat("not ", 500000) + "1\n",
		"semicolons":      strings.Repeat("exec(x);", 500000) + "\n",
		"indent-staircase": func() string {
			var b strings.Builder
			for i := 0; i < 3000; i++ {
				b.WriteString(strings.Repeat(" ", i) + "if x:\n")
			}
			return b.String()
		}(),
		"blob": "exec(base64.b64decode('" + strings.Repeat("QUJD", 2_500_000) + "'))\n",
		"nul":  strings.Repeat("\x00\xff\xfe", 100000),
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			analyze(src)
			if d := time.Since(start); d > 20*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

func TestLexer(t *testing.T) {
	src := "a = f\"x{b['k']}y\" + rb'\\'' ; c = '''q\n'''  # c\nd = \\\n 1\n"
	var lines []string
	lex(src, func(ll logicalLine) {
		var parts []string
		for _, tk := range ll.toks {
			parts = append(parts, src[tk.off:tk.end])
		}
		lines = append(lines, strings.Join(parts, "|"))
	})
	want := []string{
		`a|=|f"x{b['k']}y"|+|rb'\''`,
		"c|=|'''q\n'''",
		"d|=|1",
	}
	if strings.Join(lines, "\n#\n") != strings.Join(want, "\n#\n") {
		t.Errorf("got %q\nwant %q", lines, want)
	}
	stmts, _ := parseFile("x = f'{os.environ}'\n")
	if len(stmts) != 1 || stmts[0].value.kind != nStr || len(stmts[0].value.kids) != 1 || stmts[0].value.kids[0].kind != nAttr {
		t.Errorf("f-string field not parsed: %+v", stmts)
	}
}
