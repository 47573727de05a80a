package jsbehavior

import (
	"bytes"
	"fmt"
	"path"
	"strings"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/behavior"
	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/finding"
)

// maxFile bounds the files analysed. Larger JavaScript files are bundles
// whose modules were each published (and scanned) on their own.
const maxFile = 8 << 20

// maxPerRule bounds the findings of one rule in one file.
const maxPerRule = 5

// Analyzer is the JavaScript/TypeScript behaviour analyzer.
var Analyzer = &analyzer.Analyzer{
	Name:   "jsbehavior",
	Doc:    "follows data in JavaScript and TypeScript from downloads, requests, secrets and decoders to eval, child_process and the network; finds magic-value triggers and date- or locale-gated payloads",
	Wants:  wants,
	Run:    run,
	Finish: behavior.Finish,
}

var extensions = map[string]bool{".js": true, ".mjs": true, ".cjs": true, ".jsx": true, ".ts": true, ".mts": true, ".cts": true, ".tsx": true}

func wants(e *artifact.Entry) bool {
	if !e.IsRegular() || e.Size <= 0 || e.Size > maxFile {
		return false
	}
	name := strings.ToLower(e.Name)
	if strings.HasSuffix(name, ".d.ts") || strings.HasSuffix(name, ".d.mts") || strings.HasSuffix(name, ".d.cts") {
		return false // declarations only: no code runs
	}
	return extensions[path.Ext(name)]
}

func run(p *analyzer.Pass) {
	data := p.Data()
	if len(data) == 0 {
		return
	}
	for _, c := range analyze(data) {
		report(p, data, c)
	}
}

// analyze returns the candidate findings of one source file.
func analyze(data []byte) []found {
	f := &file{src: data}
	f.toks = tokenize(data)
	if len(f.toks) == 0 {
		return nil
	}
	f.collectAliases()
	w := newWalker(f)
	w.run()
	var out []found
	per := map[string]int{}
	seen := map[string]bool{}
	for _, c := range w.cands {
		if w.integrity && rules[c.rule].category == finding.DownloadExecute && c.rule != "DM-JS-003" {
			continue // the download is checked against a digest or a signature
		}
		off := int(f.toks[min(c.tok, len(f.toks)-1)].s)
		key := fmt.Sprintf("%s@%d", c.rule, off)
		if seen[key] || per[c.rule] >= maxPerRule {
			continue
		}
		seen[key] = true
		per[c.rule]++
		out = append(out, found{cand: c, off: off})
	}
	return out
}

// found is a candidate with its byte offset.
type found struct {
	cand
	off int
}

func report(p *analyzer.Pass, data []byte, c found) {
	r := rules[c.rule]
	sev := r.severity
	switch c.sev {
	case sevUp:
		if sev < finding.Critical {
			sev++
		}
	case sevDown:
		if sev > finding.Low {
			sev--
		}
	}
	conf := r.confidence
	detail := c.detail
	if bundled(data) && sev > finding.Medium && c.rule != "DM-JS-041" {
		// A webpack or esbuild bundle concatenates hundreds of modules in
		// one scope (corepack.cjs): flows between them are guesses.
		sev, conf = finding.Medium, finding.ConfidenceLow
		detail += " (in a bundle of many modules, where data flow between them is uncertain)"
	} else if analyzer.Minified(data) && sev > finding.Medium && !strings.HasPrefix(c.rule, "DM-JS-04") {
		// In a minified bundle one-letter names are reused in every
		// scope and unrelated modules share one line: the flow from a
		// secret to a request is a guess (next's compiled server runtime
		// forwards request headers through the same letters). Obfuscated
		// payloads (DM-JS-04x) keep their severity: packing is their shape.
		sev, conf = finding.Medium, finding.ConfidenceLow
		detail += " (in minified code, where data flow between reused short names is uncertain)"
	}
	off := int64(c.off)
	line, col := p.Line(off)
	ev := strings.TrimSpace(p.LineText(off))
	if c.masked != "" {
		ev = strings.ReplaceAll(ev, c.masked, mask(c.masked))
	}
	ev = maskLong(trim(ev, 200))
	behavior.Defer(p, finding.Finding{
		Rule:       c.rule,
		Category:   r.category,
		CWE:        r.cwe,
		Severity:   sev,
		Confidence: conf,
		Title:      r.title,
		Message:    detail,
		Location:   finding.Location{Line: line, Column: col, Offset: &off},
		Evidence:   ev,
		References: r.refs,
	})
}

// maskLong shortens long unbroken runs (encoded payloads, tokens) in
// evidence: what is left identifies the line without carrying the secret.
func maskLong(s string) string {
	var b strings.Builder
	run := 0
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '+' || r == '/' || r == '=' || r == '_' || r == '-' {
			run++
			if run == 25 {
				b.WriteString("…")
			}
			if run >= 25 {
				continue
			}
		} else {
			run = 0
		}
		b.WriteRune(r)
	}
	return b.String()
}

// bundled reports a webpack or esbuild bundle by the helpers they emit.
func bundled(data []byte) bool {
	for _, m := range []string{"__webpack_require__", "__commonJS(", "__toESM(", "webpackChunk"} {
		if bytes.Contains(data, []byte(m)) {
			return true
		}
	}
	return false
}
