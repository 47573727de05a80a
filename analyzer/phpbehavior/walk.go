package phpbehavior

import (
	"fmt"
	"strings"

	"github.com/doorman-sec/doorman/finding"
)

var (
	cweRCE     = []string{"CWE-94", "CWE-78", "CWE-912"}
	cweInclude = []string{"CWE-494", "CWE-98"}
	cweObf     = []string{"CWE-506"}
	cweTrigger = []string{"CWE-912", "CWE-798"}
)

const (
	titleRCE     = "PHP runs code or commands taken from the request"
	titleInclude = "PHP includes code from a URL"
	titleObf     = "PHP decodes hidden code and runs it"
	titleTrigger = "PHP compares request data with a magic value"
)

// codeSinks evaluate PHP; shellSinks run commands.
var (
	codeSinks  = map[string]bool{"eval": true, "assert": true, "create_function": true}
	shellSinks = map[string]bool{"system": true, "exec": true, "passthru": true, "shell_exec": true, "popen": true, "proc_open": true, "pcntl_exec": true, "expect_popen": true}
	// callbacks maps functions that call a function named by an argument
	// to that argument's position.
	callbacks = map[string]int{
		"call_user_func": 0, "call_user_func_array": 0, "array_map": 0, "register_shutdown_function": 0,
		"register_tick_function": 0, "forward_static_call": 0, "forward_static_call_array": 0,
		"array_filter": 1, "array_walk": 1, "usort": 1, "uasort": 1, "uksort": 1, "array_reduce": 1, "iterator_apply": 1,
	}
	includes = map[string]bool{"include": true, "include_once": true, "require": true, "require_once": true}
)

// maxSinks bounds the sink calls examined per file.
const maxSinks = 3000

// walk reads the file's statements in order: assignments update what the
// variables hold, and every sink, call and condition is judged with what
// is known at that point.
func (f *file) walk(r *reporter) {
	sinks := 0
	for i := 0; i < len(f.toks); i++ {
		t := f.toks[i]
		switch t.kind {
		case tVar:
			if i+1 < len(f.toks) && f.toks[i+1].kind == tOp && (f.toks[i+1].text == "=" || f.toks[i+1].text == ".=") && !f.member(i) {
				f.assign(i)
			}
			if f.next(i, "(") && !f.member(i) && sinks < maxSinks {
				sinks++
				f.dynamicCall(r, i, i+1)
			} else if superglobals[t.text] && f.index(i) != "" && i+4 < len(f.toks) && f.toks[i+4].text == "(" {
				sinks++
				f.dynamicCall(r, i, i+4) // $_GET['f']($_GET['a'])
			}
		case tIdent:
			if sinks >= maxSinks {
				continue
			}
			switch {
			case t.text == "foreach" && f.next(i, "("):
				f.foreach(i)
			case (t.text == "if" || t.text == "elseif") && f.next(i, "("):
				sinks++
				f.trigger(r, i)
			case includes[t.text] && !f.member(i):
				sinks++
				f.include(r, i)
			case f.next(i, "(") && !f.member(i):
				sinks++
				f.call(r, i)
			}
		case tBacktick:
			if why, ok := f.source(i); ok {
				r.report(i, "DM-PHP-001", finding.RemoteCommandExecution, finding.Critical, finding.ConfidenceHigh, cweRCE, titleRCE,
					fmt.Sprintf("%s is interpolated into a backtick shell command", why), "")
			}
		}
	}
}

// member reports whether the name at i is a method, property, class
// constant or a declaration: $pdo->exec(), Foo::system(), function
// exec(), not PHP's own functions.
func (f *file) member(i int) bool {
	if i == 0 {
		return false
	}
	p := f.toks[i-1]
	return p.kind == tOp && (p.text == "->" || p.text == "::" || p.text == "?->") || p.kind == tIdent && (p.text == "function" || p.text == "new" || p.text == "const")
}

// end returns the index ending the statement or expression that starts
// at i: a ';', ',' or closing bracket at depth 0, or a ?>.
func (f *file) end(i int) int {
	for j := i; j < len(f.toks) && j < i+maxExpr; j++ {
		t := f.toks[j]
		if t.kind == tClose {
			return j
		}
		if t.kind != tOp {
			continue
		}
		switch t.text {
		case ";", ",", ")", "]", "}":
			return j
		case "(", "[", "{":
			if m := f.match[j]; m > j {
				j = m
			}
		}
	}
	return min(len(f.toks), i+maxExpr)
}

// assign records what $x = EXPR puts in $x.
func (f *file) assign(i int) {
	name, op := f.toks[i].text, f.toks[i+1].text
	from, to := i+2, f.end(i+2)
	in := f.expr(from, to)
	if in.taint != "" {
		f.tainted[name] = in.taint
	} else if op == "=" {
		delete(f.tainted, name)
	}
	if v, ok := f.constant(from, to); ok {
		if op == ".=" {
			v = f.consts[name] + v
		}
		if len(v) <= 1<<16 {
			f.consts[name] = v
		}
	} else {
		delete(f.consts, name)
	}
	if in.decoder != "" {
		f.decoded[name] = in.decoder
	} else if op == "=" {
		delete(f.decoded, name)
	}
}

// foreach taints the loop variables of foreach ($_GET as $k => $v).
func (f *file) foreach(i int) {
	m := f.match[i+1]
	if m < 0 {
		return
	}
	for j := i + 2; j < m; j++ {
		if f.toks[j].kind == tIdent && f.toks[j].text == "as" {
			if in := f.expr(i+2, j); in.taint != "" {
				for k := j + 1; k < m; k++ {
					if f.toks[k].kind == tVar {
						f.tainted[f.toks[k].text] = in.taint
					}
				}
			}
			return
		}
	}
}

// args splits the arguments of the call whose "(" is at open.
func (f *file) args(open int) [][2]int {
	m := f.match[open]
	if m < 0 {
		return nil
	}
	var out [][2]int
	start := open + 1
	for j := start; j <= m && j < start+maxExpr; j++ {
		if j == m || f.toks[j].kind == tOp && f.toks[j].text == "," {
			out = append(out, [2]int{start, j})
			start = j + 1
			continue
		}
		if t := f.toks[j]; t.kind == tOp && (t.text == "(" || t.text == "[" || t.text == "{") && f.match[j] > j {
			j = f.match[j] - 1
		}
	}
	return out
}

// call judges a call of a named function at i.
func (f *file) call(r *reporter, i int) {
	name := f.toks[i].text
	open := i + 1
	m := f.match[open]
	if m < 0 {
		return
	}
	switch {
	case codeSinks[name] || shellSinks[name]:
		in := f.expr(open+1, m)
		switch {
		case in.taint != "":
			r.report(i, "DM-PHP-001", finding.RemoteCommandExecution, finding.Critical, finding.ConfidenceHigh, cweRCE, titleRCE,
				fmt.Sprintf("%s reaches %s()", in.taint, name), "")
		case in.decoder != "":
			r.report(i, "DM-PHP-003", finding.ObfuscatedPayload, finding.High, finding.ConfidenceHigh, cweObf, titleObf,
				fmt.Sprintf("%s() runs text decoded by %s()", name, in.decoder), "")
		case in.blob:
			r.report(i, "DM-PHP-003", finding.ObfuscatedPayload, finding.High, finding.ConfidenceMedium, cweObf, titleObf,
				fmt.Sprintf("%s() is given a long encoded literal", name), "")
		}
	case name == "preg_replace" || name == "preg_filter":
		a := f.args(open)
		if len(a) == 0 {
			return
		}
		pat := f.toks[a[0][0]]
		in := f.expr(open+1, m)
		eMod := pat.kind == tString && a[0][1] == a[0][0]+1 && evalModifier(pat.text)
		switch {
		case f.expr(a[0][0], a[0][1]).taint != "":
			r.report(i, "DM-PHP-001", finding.RemoteCommandExecution, finding.Critical, finding.ConfidenceHigh, cweRCE, titleRCE,
				fmt.Sprintf("the request chooses the pattern of %s(), and so its /e modifier", name), "")
		case eMod && in.taint != "":
			r.report(i, "DM-PHP-001", finding.RemoteCommandExecution, finding.Critical, finding.ConfidenceHigh, cweRCE, titleRCE,
				fmt.Sprintf("%s reaches %s() with the /e modifier, which evaluates the replacement as PHP", in.taint, name), "")
		case eMod && (in.decoder != "" || in.blob):
			r.report(i, "DM-PHP-003", finding.ObfuscatedPayload, finding.High, finding.ConfidenceHigh, cweObf, titleObf,
				fmt.Sprintf("%s() with the /e modifier evaluates decoded text", name), "")
		}
	default:
		pos, ok := callbacks[name]
		if !ok {
			return
		}
		a := f.args(open)
		if pos >= len(a) {
			return
		}
		if in := f.expr(a[pos][0], a[pos][1]); in.taint != "" {
			r.report(i, "DM-PHP-001", finding.RemoteCommandExecution, finding.Critical, finding.ConfidenceHigh, cweRCE, titleRCE,
				fmt.Sprintf("%s chooses the function %s() calls", in.taint, name), "")
		} else if v, ok := f.constant(a[pos][0], a[pos][1]); ok && dangerous(v) && a[pos][1]-a[pos][0] > 1 {
			r.report(i, "DM-PHP-003", finding.ObfuscatedPayload, finding.High, finding.ConfidenceHigh, cweObf, titleObf,
				fmt.Sprintf("%s() calls %s through a name built from pieces", name, v), "")
		}
	}
}

// evalModifier reports whether a regex literal carries the e modifier.
func evalModifier(p string) bool {
	if len(p) < 2 {
		return false
	}
	d := p[0]
	switch d {
	case '(':
		d = ')'
	case '{':
		d = '}'
	case '[':
		d = ']'
	case '<':
		d = '>'
	}
	k := strings.LastIndexByte(p, d)
	return k > 0 && strings.ContainsRune(p[k+1:], 'e')
}

// dangerous reports whether a function name runs code or commands.
func dangerous(name string) bool {
	n := strings.ToLower(strings.TrimSpace(name))
	_, cb := callbacks[n]
	return codeSinks[n] || shellSinks[n] || cb || n == "preg_replace" || n == "base64_decode" || n == "gzinflate" || n == "str_rot13"
}

// dynamicCall judges $f(...) (the variable at i, "(" at open).
func (f *file) dynamicCall(r *reporter, i, open int) {
	m := f.match[open]
	if m < 0 {
		return
	}
	name := f.toks[i].text
	if why, ok := f.source(i); ok {
		r.report(i, "DM-PHP-001", finding.RemoteCommandExecution, finding.Critical, finding.ConfidenceHigh, cweRCE, titleRCE,
			fmt.Sprintf("the request chooses the function called: %s(...)", why), "")
		return
	}
	v, ok := f.consts[name]
	if !ok || !dangerous(v) {
		return
	}
	if in := f.expr(open+1, m); in.taint != "" {
		r.report(i, "DM-PHP-001", finding.RemoteCommandExecution, finding.Critical, finding.ConfidenceHigh, cweRCE, titleRCE,
			fmt.Sprintf("%s reaches %s() called through $%s", in.taint, v, name), "")
		return
	}
	r.report(i, "DM-PHP-003", finding.ObfuscatedPayload, finding.High, finding.ConfidenceMedium, cweObf, titleObf,
		fmt.Sprintf("%s() is called through the variable $%s, whose name is assembled from pieces", v, name), "")
}

// include judges include/require EXPR.
func (f *file) include(r *reporter, i int) {
	to := f.end(i + 1)
	if to <= i+1 {
		return
	}
	in := f.expr(i+1, to)
	if in.taint != "" {
		r.report(i, "DM-PHP-001", finding.RemoteCommandExecution, finding.Critical, finding.ConfidenceHigh, cweRCE, titleRCE,
			fmt.Sprintf("%s chooses the file %s runs as PHP", in.taint, f.toks[i].text), "")
		return
	}
	for j := i + 1; j < to; j++ {
		t := f.toks[j]
		if t.kind != tString {
			continue
		}
		l := strings.ToLower(t.text)
		if strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "ftp://") || strings.HasPrefix(l, "data:") {
			r.report(i, "DM-PHP-002", finding.DownloadExecute, finding.High, finding.ConfidenceHigh, cweInclude, titleInclude,
				fmt.Sprintf("%s runs PHP fetched from %s at every request", f.toks[i].text, t.text), "")
			return
		}
		if l == "php://input" {
			r.report(i, "DM-PHP-001", finding.RemoteCommandExecution, finding.Critical, finding.ConfidenceHigh, cweRCE, titleRCE,
				"the request body (php://input) is included and run as PHP", "")
			return
		}
	}
}
