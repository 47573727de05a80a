// Package trojansource finds source code that reads differently from how it
// runs (category trojan-source):
//
//	DM-TRJ-001  bidirectional controls (embeddings, overrides, isolates) in
//	            code, comments or strings: the "Trojan Source" attack,
//	            CVE-2021-42574, which reorders what a reviewer sees.
//	            High; low when the line also holds right-to-left letters
//	            (localised text has a reason for them).
//	DM-TRJ-002  invisible characters in code: an identifier made of, or
//	            containing, zero-width characters or Hangul fillers (the
//	            "invisible backdoor" of a JavaScript `const { timeout,ㅤ }`),
//	            or Unicode tag characters hiding ASCII text. High in code,
//	            medium for tag characters in strings or comments.
//	DM-TRJ-003  identifiers that are confusable under Unicode TR39: mixed
//	            scripts in one identifier (medium), or an identifier whose
//	            skeleton equals a different ASCII identifier of the same
//	            file (high; CVE-2021-42694 homoglyph attack).
//
// Only source files (by extension) are read, and only when they hold a byte
// outside ASCII; files under test or documentation folders (compiler test
// suites carry these characters on purpose) are reported at low.
package trojansource

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/finding"
)

// maxFile bounds the files read: source files larger than this are
// generated bundles whose size alone makes them another analyzer's job.
const maxFile = 4 << 20

// maxPerRule bounds the findings of one rule in one file.
const maxPerRule = 10

var references = []string{
	"https://trojansource.codes/",
	"https://nvd.nist.gov/vuln/detail/CVE-2021-42574",
}

// Analyzer is the trojan-source analyzer.
var Analyzer = &analyzer.Analyzer{
	Name: "trojansource",
	Doc:  "finds bidirectional controls, invisible characters and confusable identifiers that make source code read differently from how it runs",
	Wants: func(e *artifact.Entry) bool {
		_, ok := syntaxFor(e.Name)
		return ok && e.IsRegular() && e.Size > 0 && e.Size <= maxFile
	},
	Run: run,
}

// bidiHit is one bidirectional control.
type bidiHit struct {
	r   rune
	off int
	ctx context
}

func run(p *analyzer.Pass) {
	data := p.Data()
	if !hasSuspectRune(data) {
		return
	}
	syn, _ := syntaxFor(p.Entry.Name)
	var bidi []bidiHit
	var tags []bidiHit
	var strayInvisible []bidiHit
	ascii := map[string]bool{}
	type ident struct {
		name string
		off  int
	}
	var foreign []ident
	lex(data, syn, visitor{
		rune: func(r rune, off int, ctx context) {
			switch {
			case isBidiControl(r):
				bidi = append(bidi, bidiHit{r, off, ctx})
			case isTag(r) && ctx != inCode:
				tags = append(tags, bidiHit{r, off, ctx})
			case isInvisible(r) && ctx == inCode && !(r == 0xFEFF && off == 0):
				strayInvisible = append(strayInvisible, bidiHit{r, off, ctx})
			}
		},
		ident: func(id string, off int) {
			if isASCII(id) {
				ascii[id] = true
			} else if len(foreign) < 10000 {
				foreign = append(foreign, ident{id, off})
			}
		},
	})
	low := analyzer.InTestOrDocs(p.Entry)
	sev := func(s finding.Severity) finding.Severity {
		if low && s > finding.Low {
			return finding.Low
		}
		return s
	}

	reportBidi(p, data, bidi, sev)
	if analyzer.Minified(data) {
		// In a minified bundle (nested template literals, regular
		// expressions after keywords) this lexer loses track of strings,
		// and Unicode tables of identifier characters look like names.
		// Nobody reviews such a file by eye, which is what invisible and
		// confusable names attack: only bidi controls and tag text stay.
		foreign, strayInvisible = nil, nil
	}

	// Invisible characters in code: inside identifiers (reported with the
	// identifier) or on their own between tokens.
	// Every character of a non-ASCII identifier is judged with it (a
	// joiner in a Kurdish name is spelling), never again as stray.
	seen := map[int]bool{}
	for _, id := range foreign {
		for i := id.off; i < id.off+len(id.name); i++ {
			seen[i] = true
		}
	}
	n := 0
	for _, id := range foreign {
		if !hasHiddenChar(id.name) {
			continue
		}
		if n++; n > maxPerRule {
			continue
		}
		what := "contains invisible characters"
		if strings.TrimFunc(id.name, isInvisible) == "" {
			what = "is made only of invisible characters"
		}
		report(p, id.off, finding.Finding{
			Rule: "DM-TRJ-002", Severity: sev(finding.High),
			Title:      "Invisible characters in an identifier",
			Message:    fmt.Sprintf("the identifier %s %s: code that uses it reads as if it were not there, or as another name", visible(id.name), what),
			Evidence:   visible(p.LineText(int64(id.off))),
			References: []string{"https://certitude.consulting/blog/en/invisible-backdoor/", "https://www.unicode.org/reports/tr31/"},
		})
	}
	for _, h := range strayInvisible {
		if seen[h.off] {
			continue
		}
		if n++; n > maxPerRule {
			break
		}
		report(p, h.off, finding.Finding{
			Rule: "DM-TRJ-002", Severity: sev(finding.High),
			Title:      "Invisible character in code",
			Message:    fmt.Sprintf("%s stands in code, outside strings and comments: the line does not read as it compiles", runeName(h.r)),
			Evidence:   visible(p.LineText(int64(h.off))),
			References: []string{"https://certitude.consulting/blog/en/invisible-backdoor/"},
		})
	}
	for i, h := range tags {
		if i > 0 && tags[i-1].off+4 == h.off { // a run of tag characters is one hidden text
			continue
		}
		if n++; n > maxPerRule {
			break
		}
		report(p, h.off, finding.Finding{
			Rule: "DM-TRJ-002", Severity: sev(finding.Medium),
			Title:      "Hidden text in Unicode tag characters",
			Message:    fmt.Sprintf("a %s holds Unicode tag characters, which render as nothing but carry ASCII text: %q", h.ctx, tagText(data[h.off:])),
			Evidence:   visible(p.LineText(int64(h.off))),
			References: []string{"https://www.unicode.org/charts/PDF/UE0000.pdf"},
		})
	}

	// Confusable identifiers.
	n = 0
	reported := map[string]bool{}
	for _, id := range foreign {
		if reported[id.name] || hasHiddenChar(id.name) {
			continue
		}
		skel, changed := skeleton(id.name)
		mixed := mixedScripts(id.name)
		// One-letter names are left out: math code names a Greek ρ beside
		// an ASCII p on purpose (ML-DSA, ftoa), and a one-letter homoglyph
		// has too little to hide.
		collides := changed && skel != id.name && ascii[skel] && utf8.RuneCountInString(id.name) > 1
		if !collides && mixed == "" {
			continue
		}
		reported[id.name] = true
		if n++; n > maxPerRule {
			break
		}
		f := finding.Finding{
			Rule: "DM-TRJ-003", Severity: sev(finding.Medium),
			Title:      "Identifier mixes scripts",
			Message:    fmt.Sprintf("the identifier %s mixes %s letters: it can pass for another name in review", visible(id.name), mixed),
			Evidence:   visible(p.LineText(int64(id.off))),
			References: []string{"https://www.unicode.org/reports/tr39/", "https://nvd.nist.gov/vuln/detail/CVE-2021-42694"},
		}
		if collides {
			f.Severity = sev(finding.High)
			f.Title = "Identifier confusable with another one in the same file"
			f.Message = fmt.Sprintf("the identifier %s looks like %q, which the file also uses, but is a different name (homoglyph)", visible(id.name), skel)
		}
		report(p, id.off, f)
	}
}

// reportBidi reports one finding per line holding bidirectional controls.
func reportBidi(p *analyzer.Pass, data []byte, hits []bidiHit, sev func(finding.Severity) finding.Severity) {
	n := 0
	for i := 0; i < len(hits); {
		lineStart, lineEnd := lineBounds(data, hits[i].off)
		j := i
		var names []string
		ctxs := map[string]bool{}
		depth, unbalanced := 0, false
		for ; j < len(hits) && hits[j].off < lineEnd; j++ {
			names = append(names, runeName(hits[j].r))
			ctxs[hits[j].ctx.String()] = true
			if bidiPush(hits[j].r) {
				depth++
			} else if depth > 0 {
				depth--
			}
		}
		unbalanced = depth > 0
		first := hits[i].off
		i = j
		if n++; n > maxPerRule {
			break
		}
		line := data[lineStart:lineEnd]
		s := finding.High
		why := "nothing on the line is written right to left, so they can only serve to reorder what a reviewer sees"
		if hasRTL(line) {
			s = finding.Low
			why = "the line holds right-to-left text, which may explain them"
		}
		where := sortedKeys(ctxs)
		msg := fmt.Sprintf("bidirectional controls %s in %s; %s", strings.Join(dedupe(names), ", "), strings.Join(where, " and "), why)
		if unbalanced {
			msg += "; they are not closed before the line ends, so they reorder the rest of the line"
		}
		report(p, first, finding.Finding{
			Rule: "DM-TRJ-001", Severity: sev(s),
			Title:      "Bidirectional control characters in source code",
			Message:    msg,
			Evidence:   visible(string(line)),
			References: references,
		})
	}
}

// report fills the parts every finding shares and emits it.
func report(p *analyzer.Pass, off int, f finding.Finding) {
	f.Category = finding.TrojanSource
	f.CWE = []string{"CWE-451", "CWE-1007"}
	f.Confidence = finding.ConfidenceHigh
	line, col := p.Line(int64(off))
	f.Location.Line, f.Location.Column = line, col
	o := int64(off)
	f.Location.Offset = &o
	if len(f.Evidence) > 300 {
		f.Evidence = f.Evidence[:300] + "…"
	}
	p.Report(f)
}

// hasHiddenChar reports whether an identifier holds an invisible
// character that has no business there. Zero-width joiners and non-joiners
// after a letter of a script that needs them (Persian, Kurdish, Indic
// scripts: UAX #31 allows them in identifiers for exactly this) are
// spelling, not hiding: moment's Kurdish locale has such names.
func hasHiddenChar(id string) bool {
	prev := rune(0)
	for _, r := range id {
		if isInvisible(r) {
			joiner := r == 0x200C || r == 0x200D
			if !joiner || prev == 0 || !joinsScript(prev) {
				return true
			}
		}
		prev = r
	}
	return false
}

// joinsScript reports letters and marks of scripts whose spelling uses
// zero-width joiners and non-joiners (anything but Latin, Greek, Cyrillic
// and the like, whose words never need them).
func joinsScript(r rune) bool {
	if !unicode.IsLetter(r) && !unicode.In(r, unicode.Mn, unicode.Mc) {
		return false
	}
	switch script(r) {
	case "Latin", "Cyrillic", "Greek", "Armenian", "":
		return unicode.In(r, unicode.Mn, unicode.Mc) && r >= 0x0300 && !unicode.In(r, unicode.Latin)
	}
	return true
}

// mixedScripts names the scripts of an identifier when it mixes Latin with
// letters of another script that look like Latin ones, "" otherwise.
// Identifiers wholly in one script (Russian or Greek names) are ordinary
// code, and so are math names mixing Greek and Latin (maxλ, ηBitlen).
func mixedScripts(id string) string {
	set := map[string]bool{}
	lookalike := false
	for _, r := range id {
		if s := script(r); s != "" {
			set[s] = true
		}
		if _, ok := confusables[r]; ok && r >= 0x80 {
			lookalike = true
		}
	}
	// Greek beside Latin is how math code names things (maxγ1, ρs, the
	// ML-DSA parameters): only a collision with a real name (DM-TRJ-003
	// high) makes it suspect. Cyrillic or Armenian inside a Latin word has
	// no such habit behind it.
	if lookalike && set["Latin"] && (set["Cyrillic"] || set["Armenian"]) {
		return strings.Join(sortedKeys(set), " and ")
	}
	return ""
}

// hasSuspectRune reports whether b holds a character any check is about:
// a directional control, an invisible character, a tag character, or a
// letter of a script with Latin look-alikes. Most non-ASCII in source is a
// © in a licence header or accented Latin in a comment: such files are not
// lexed at all.
func hasSuspectRune(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if isBidiControl(r) || isInvisible(r) {
			return true
		}
		if _, ok := confusables[r]; ok {
			return true
		}
		if r >= 0xFF01 && r <= 0xFF5E { // full-width ASCII
			return true
		}
		i += n
	}
	return false
}

func hasRTL(line []byte) bool {
	for _, r := range string(line) {
		if isRTLLetter(r) {
			return true
		}
	}
	return false
}

func lineBounds(data []byte, off int) (int, int) {
	start, end := off, off
	for start > 0 && data[start-1] != '\n' {
		start--
	}
	for end < len(data) && data[end] != '\n' {
		end++
	}
	return start, end
}

// visible writes invisible and directional characters as <U+XXXX> so the
// evidence shows what a reviewer's screen hides.
func visible(s string) string {
	var b strings.Builder
	for _, r := range s {
		if isBidiControl(r) || isInvisible(r) || r == 0x200E || r == 0x200F {
			fmt.Fprintf(&b, "<U+%04X>", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// tagText decodes a run of tag characters at the start of b into the ASCII
// text they stand for (bounded).
func tagText(b []byte) string {
	var out strings.Builder
	for _, r := range string(b) {
		if !isTag(r) || out.Len() >= 80 {
			break
		}
		if c := r - 0xE0000; c >= 0x20 && c < 0x7F {
			out.WriteRune(c)
		}
	}
	return out.String()
}

var runeNames = map[rune]string{
	0x202A: "LRE", 0x202B: "RLE", 0x202C: "PDF", 0x202D: "LRO", 0x202E: "RLO",
	0x2066: "LRI", 0x2067: "RLI", 0x2068: "FSI", 0x2069: "PDI",
	0x200B: "ZERO WIDTH SPACE", 0x200C: "ZERO WIDTH NON-JOINER", 0x200D: "ZERO WIDTH JOINER",
	0x2060: "WORD JOINER", 0xFEFF: "ZERO WIDTH NO-BREAK SPACE", 0x00AD: "SOFT HYPHEN",
	0x3164: "HANGUL FILLER", 0xFFA0: "HALFWIDTH HANGUL FILLER",
}

func runeName(r rune) string {
	if n, ok := runeNames[r]; ok {
		return fmt.Sprintf("U+%04X %s", r, n)
	}
	return fmt.Sprintf("U+%04X", r)
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
