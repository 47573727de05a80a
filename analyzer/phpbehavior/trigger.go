package phpbehavior

import (
	"fmt"
	"strings"

	"github.com/doorman-sec/doorman/finding"
)

// compareFuncs compare their arguments.
var compareFuncs = map[string]bool{
	"strcmp": true, "strcasecmp": true, "strncmp": true, "strncasecmp": true, "hash_equals": true,
	"strpos": true, "stripos": true, "str_starts_with": true, "str_contains": true, "substr_compare": true,
}

// common are literals that request data is compared with for routing,
// never as secrets.
var common = map[string]bool{"true": true, "false": true, "null": true, "none": true, "yes": true, "on": true, "off": true, "undefined": true}

// authWords in a parameter's name say it carries a secret.
var authWords = []string{"pass", "pwd", "secret", "token", "auth", "magic", "backdoor", "key"}

// trigger judges the condition of the if at i: request data compared
// with a literal, where the branch grants access or runs code.
func (f *file) trigger(r *reporter, i int) {
	open := i + 1
	m := f.match[open]
	if m < 0 {
		return
	}
	lit, why, at := f.comparison(open+1, m)
	if lit == "" {
		return
	}
	grant, runs := f.body(m + 1)
	lower := strings.ToLower(why)
	authKey := false
	for _, w := range authWords {
		if strings.Contains(lower, w) {
			authKey = true
		}
	}
	switch {
	case runs || grant:
		what := "grants a session or login"
		if runs {
			what = "runs code or commands"
		}
		r.report(at, "DM-PHP-004", finding.HiddenTrigger, finding.High, finding.ConfidenceHigh, cweTrigger, titleTrigger,
			fmt.Sprintf("%s is compared with the literal '%s' and the branch %s", why, finding.Mask(lit), what), lit)
	case authKey:
		r.report(at, "DM-PHP-004", finding.HiddenTrigger, finding.Medium, finding.ConfidenceMedium, cweTrigger, titleTrigger,
			fmt.Sprintf("%s is compared with the hard-coded value '%s'", why, finding.Mask(lit)), lit)
	}
}

// comparison finds, in condition tokens [from, to), request data compared
// with a string literal: the literal, the data and the token index.
func (f *file) comparison(from, to int) (string, string, int) {
	for k := from; k < to && k < from+maxExpr; k++ {
		t := f.toks[k]
		switch {
		case t.kind == tOp && (t.text == "==" || t.text == "===" || t.text == "!=" || t.text == "!=="):
			l0 := f.operandStart(from, k)
			r1 := f.operandEnd(k+1, to)
			if lit, why, ok := f.litVsSource([2]int{l0, k}, [2]int{k + 1, r1}); ok {
				return lit, why, k
			}
		case t.kind == tIdent && compareFuncs[t.text] && f.next(k, "("):
			a := f.args(k + 1)
			for x := range a {
				for y := range a {
					if x == y {
						continue
					}
					if lit, why, ok := f.litVsSource(a[x], a[y]); ok {
						return lit, why, k
					}
				}
			}
		}
	}
	return "", "", 0
}

// litVsSource reports whether one range is a lone string literal and the
// other holds request data (digests of it included: md5($_POST['p'])).
func (f *file) litVsSource(a, b [2]int) (string, string, bool) {
	for _, p := range [][2][2]int{{a, b}, {b, a}} {
		l, s := p[0], p[1]
		if l[1]-l[0] != 1 || f.toks[l[0]].kind != tString || len(f.toks[l[0]].vars) > 0 {
			continue
		}
		lit := f.toks[l[0]].text
		if len(lit) < 4 || common[strings.ToLower(lit)] {
			continue
		}
		for j := s[0]; j < s[1]; j++ {
			if why, ok := f.source(j); ok {
				return lit, why, true
			}
		}
	}
	return "", "", false
}

// operandStart walks back from the operator at k to its left operand's
// first token.
func (f *file) operandStart(from, k int) int {
	j := k - 1
	for j >= from {
		t := f.toks[j]
		if t.kind == tOp {
			switch t.text {
			case ")", "]":
				if m := f.match[j]; m >= from && m < j {
					j = m - 1
					continue
				}
			case "(", "&&", "||", ",", "!", "?", ":":
				return j + 1
			}
		}
		if t.kind == tIdent && (t.text == "and" || t.text == "or" || t.text == "xor") {
			return j + 1
		}
		j--
	}
	return from
}

// operandEnd walks forward from i to the end of the right operand.
func (f *file) operandEnd(i, to int) int {
	j := i
	for j < to {
		t := f.toks[j]
		if t.kind == tOp {
			switch t.text {
			case "(", "[":
				if m := f.match[j]; m > j && m < to {
					j = m + 1
					continue
				}
			case ")", "&&", "||", ",", "?", ":":
				return j
			}
		}
		if t.kind == tIdent && (t.text == "and" || t.text == "or" || t.text == "xor") {
			return j
		}
		j++
	}
	return to
}

// body looks at the branch starting at i: does it grant a session or
// login, does it run code or commands?
func (f *file) body(i int) (grant, runs bool) {
	if i >= len(f.toks) {
		return false, false
	}
	to := f.end(i)
	if t := f.toks[i]; t.kind == tOp && t.text == "{" && f.match[i] > i {
		to = f.match[i]
	}
	to = min(to, i+maxExpr)
	for j := i; j < to; j++ {
		t := f.toks[j]
		switch t.kind {
		case tVar:
			n := strings.ToLower(t.text)
			if n == "_session" && f.next(j, "[") {
				grant = true
			}
			if (strings.Contains(n, "logged") || strings.Contains(n, "auth") || n == "is_admin" || n == "admin") && f.next(j, "=") && j+2 < len(f.toks) && f.toks[j+2].text == "true" {
				grant = true
			}
			if f.next(j, "(") {
				if _, ok := f.tainted[t.text]; ok {
					runs = true
				}
			}
		case tIdent:
			switch t.text {
			case "setcookie", "wp_set_auth_cookie", "wp_set_current_user", "loginusingid", "login", "session_regenerate_id":
				grant = grant || f.next(j, "(")
			}
			if (codeSinks[t.text] || shellSinks[t.text]) && f.next(j, "(") && !f.member(j) {
				runs = true
			}
		case tBacktick:
			runs = true
		}
	}
	return grant, runs
}
