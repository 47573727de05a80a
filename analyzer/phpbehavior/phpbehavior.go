// Package phpbehavior finds backdoors in PHP: webshells, request data run
// as code or commands, magic-password logins and encoded payloads. A small
// lexer (inline HTML, strings with interpolation, heredoc and nowdoc,
// comments, backticks) feeds a per-file flow analysis: request data
// ($_GET, $_POST, $_REQUEST, $_COOKIE, $_FILES, $_SERVER['HTTP_*'],
// getallheaders(), php://input) is followed through assignments, and
// constant strings are evaluated, so $f=$_GET['f'];$f($_GET['a']) and a
// function name built with chr() are seen for what they are. Rules, with
// their severity for ordinary run-time code (behavior.Finish raises
// install-time files and lowers tests and docs):
//
//	DM-PHP-001  remote-command-execution, critical: request data reaches
//	            eval, assert, system, exec, passthru, shell_exec, popen,
//	            proc_open, pcntl_exec, backticks, preg_replace /e,
//	            create_function, include/require, call_user_func and other
//	            callbacks, or is itself called as a function. Shell-quoted
//	            (escapeshellarg) and numeric (intval, (int)) data are not.
//	DM-PHP-002  download-execute, high: include/require of a URL.
//	DM-PHP-003  obfuscated-payload, high: eval, assert, create_function,
//	            preg_replace /e or a shell sink given decoded literals
//	            (base64_decode, gzinflate, str_rot13, strrev, hex2bin...)
//	            or a long encoded blob; or a dangerous function called
//	            through a name built from pieces (chr(115).chr(121)...).
//	DM-PHP-004  hidden-trigger, high (medium when only the parameter's name
//	            says it is a password): request data compared with a literal
//	            magic value (==, ===, strcmp, strpos, hash_equals) where the
//	            branch grants a session or login or runs code. The literal
//	            is masked in the evidence. password_verify() is not a magic
//	            value.
//
// The php-src backdoor of March 2021 (a "HTTP_USER_AGENTT" header
// starting with "zerodium" evaluated) is DM-PHP-001 and DM-PHP-004 when
// re-created in PHP; the rule pack names the incident itself
// (DM-KBD-140).
package phpbehavior

import (
	"bytes"
	"path"
	"strings"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/behavior"
	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/finding"
)

// maxFile bounds the files read: PHP beyond this is generated or packed,
// and its blobs are the rule pack's concern.
const maxFile = 4 << 20

// maxPerRule bounds the findings of one rule in one file.
const maxPerRule = 5

// Analyzer is the PHP-behaviour analyzer.
var Analyzer = &analyzer.Analyzer{
	Name: "phpbehavior",
	Doc:  "finds webshells, request data run as code, magic-password logins and encoded payloads in PHP",
	Wants: func(e *artifact.Entry) bool {
		return e.IsRegular() && e.Size > 0 && e.Size <= maxFile && isPHPName(e.Name)
	},
	Run:    run,
	Finish: behavior.Finish,
}

func isPHPName(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".php", ".phtml", ".php3", ".php4", ".php5", ".php7", ".php8", ".inc", ".module", ".theme", ".phpt":
		return true
	}
	return false
}

func run(p *analyzer.Pass) {
	data := p.Data()
	if data == nil || !bytes.Contains(data, []byte("<?")) {
		return
	}
	f := &file{toks: lex(data), tainted: map[string]string{}, consts: map[string]string{}, decoded: map[string]string{}}
	f.match = matches(f.toks)
	r := &reporter{p: p, f: f, counts: map[string]int{}, seen: map[int]bool{}}
	f.walk(r)
}

// matches pairs brackets: match[i] is the index of the bracket closing
// the one at i (or opening the one at i), -1 otherwise.
func matches(toks []token) []int {
	m := make([]int, len(toks))
	var stack []int
	for i, t := range toks {
		m[i] = -1
		if t.kind == tClose {
			stack = stack[:0]
			continue
		}
		if t.kind != tOp {
			continue
		}
		switch t.text {
		case "(", "[", "{":
			stack = append(stack, i)
		case ")", "]", "}":
			if n := len(stack); n > 0 {
				m[stack[n-1]], m[i] = i, stack[n-1]
				stack = stack[:n-1]
			}
		}
	}
	return m
}

// reporter defers findings, at most maxPerRule per rule and one per token.
type reporter struct {
	p      *analyzer.Pass
	f      *file
	counts map[string]int
	seen   map[int]bool
	// sink, when set, receives the token index of each finding instead
	// of the pass (fuzzing runs without one).
	sink func(at int)
}

func (r *reporter) report(at int, rule string, cat finding.Category, sev finding.Severity, conf finding.Confidence, cwe []string, title, msg, secret string) {
	key := at*8 + int(rule[len(rule)-1]-'0')
	if r.counts[rule] >= maxPerRule || r.seen[key] {
		return
	}
	r.counts[rule]++
	r.seen[key] = true
	if r.sink != nil {
		r.sink(at)
		return
	}
	off := int64(r.f.toks[at].off)
	line, col := r.p.Line(off)
	ev := strings.TrimSpace(r.p.LineText(off))
	if secret != "" {
		ev = strings.ReplaceAll(ev, secret, finding.Mask(secret))
	}
	if len(ev) > 200 {
		ev = ev[:200] + "…"
	}
	behavior.Defer(r.p, finding.Finding{
		Rule: rule, Category: cat, CWE: cwe, Severity: sev, Confidence: conf,
		Title: title, Message: msg, Evidence: ev,
		Location: finding.Location{Line: line, Column: col, Offset: &off},
	})
}
