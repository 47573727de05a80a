package jsbehavior

import (
	"regexp"
	"strings"

	"github.com/tdewolff/parse/v2/js"
)

// cand is a finding the walk suspects; some wait for the end of the file
// (a download run without a hash check is only known at the end).
type cand struct {
	rule   string
	tok    int    // token the finding is reported at
	detail string // what the message adds: which source reached which sink
	sev    sevAdj // raise or lower the rule's severity
	masked string // a value to hide in the evidence (a magic password)
}

type sevAdj int

const (
	sevSame sevAdj = iota
	sevUp
	sevDown
)

type scope struct {
	id  int
	end int
}

type varKey struct {
	scope int
	name  string
}

// walker reads a file's tokens once, front to back, keeping the labels of
// its variables per function scope.
type walker struct {
	*file
	fns       []fn
	byHead    map[int]int
	byBody    map[int]int
	byName    map[string]int
	scopes    []scope
	vars      map[varKey]label
	cbTaint   map[int]label   // function → labels of its parameters
	written   map[string]bool // path keys of files written with downloaded content
	streams   map[string]string
	effects   map[int]effect // function summaries, computed on demand
	integrity bool           // a digest compared, or a signature verified, somewhere in the file
	budget    int
	cands     []cand
}

func newWalker(f *file) *walker {
	w := &walker{file: f, vars: map[varKey]label{}, cbTaint: map[int]label{}, written: map[string]bool{}, streams: map[string]string{}, effects: map[int]effect{}}
	w.fns, w.byHead, w.byBody, w.byName = f.findFuncs()
	w.budget = 64*len(f.toks) + 1<<20
	w.scopes = []scope{{id: 0, end: len(f.toks)}}
	return w
}

func (w *walker) lookup(name string) label {
	for s := len(w.scopes) - 1; s >= 0; s-- {
		if l, ok := w.vars[varKey{w.scopes[s].id, name}]; ok {
			return l
		}
	}
	return 0
}

// assign sets a variable: in the current scope when declared, else where
// it is already bound (or at file level).
func (w *walker) assign(name string, l label, declare, union bool) {
	k := varKey{w.scopes[len(w.scopes)-1].id, name}
	if !declare {
		k.scope = 0
		for s := len(w.scopes) - 1; s >= 0; s-- {
			if _, ok := w.vars[varKey{w.scopes[s].id, name}]; ok {
				k.scope = w.scopes[s].id
				break
			}
		}
	}
	if union {
		l |= w.vars[k]
	}
	w.vars[k] = l
}

// run walks the file.
func (w *walker) run() {
	n := len(w.toks)
	for i := 0; i < n && w.budget > 0; i++ {
		w.budget--
		for len(w.scopes) > 1 && w.scopes[len(w.scopes)-1].end < i {
			w.scopes = w.scopes[:len(w.scopes)-1]
		}
		if fi, ok := w.byBody[i]; ok {
			w.enter(fi)
		}
		t := w.typ(i)
		switch {
		case t == js.EqToken || t == js.AddEqToken || t == js.OrEqToken || t == js.NullishEqToken:
			w.assignment(i)
		case t == js.OpenParenToken && w.isCall(i):
			w.call(i)
		case (t == js.IfToken || t == js.WhileToken) && w.typ(i+1) == js.OpenParenToken:
			w.condition(i + 1)
		case t == js.OfToken || t == js.InToken:
			w.forOf(i)
		case t == js.EqEqEqToken || t == js.EqEqToken || t == js.NotEqEqToken || t == js.NotEqToken:
			if !w.integrity && w.labelsOf(max(0, i-16), min(n, i+16))&lHash != 0 {
				w.integrity = true
			}
		}
	}
}

// enter opens a function's scope and binds its parameters with the
// labels a caller gave them (a response callback's body is downloaded).
func (w *walker) enter(fi int) {
	x := w.fns[fi]
	w.scopes = append(w.scopes, scope{id: fi + 1, end: x.bEnd})
	l := w.cbTaint[fi]
	for j := x.pOpen; j <= x.pEnd && j >= 0; j++ {
		if isName(w.typ(j)) && w.typ(j-1) != js.DotToken && w.typ(j+1) != js.ColonToken || w.typ(j+1) == js.ColonToken && w.typ(j-1) == js.OpenParenToken {
			w.vars[varKey{fi + 1, w.text(j)}] = l
		}
	}
}

// isCall says whether the '(' at i calls something (not a function's
// parameter list, not a control statement's head).
func (w *walker) isCall(i int) bool {
	p := w.typ(i - 1)
	if p == js.ImportToken {
		return true
	}
	if !(isName(p) && (!js.IsReservedWord(p) || p == js.ThisToken || p == js.SuperToken) || p == js.CloseParenToken || p == js.CloseBracketToken || p == js.TemplateToken) {
		return false
	}
	for _, x := range []int{i - 1, i - 2} {
		if fi, ok := w.byHead[x]; ok && w.fns[fi].pOpen == i {
			return false
		}
	}
	if p == js.IdentifierToken && w.typ(i-2) == js.FunctionToken {
		return false
	}
	return true
}

// forOf labels the loop variables of for (const x of y) / for (k in o).
func (w *walker) forOf(i int) {
	o := i - 1
	for o > 0 && o > i-12 && w.typ(o) != js.OpenParenToken {
		o--
	}
	if w.typ(o) != js.OpenParenToken || w.typ(o-1) != js.ForToken {
		return
	}
	l := w.labelsOf(i+1, w.end(o))
	declare := w.typ(o+1) == js.ConstToken || w.typ(o+1) == js.LetToken || w.typ(o+1) == js.VarToken
	for j := o + 1; j < i; j++ {
		if isName(w.typ(j)) && !js.IsReservedWord(w.typ(j)) && w.typ(j) != js.LetToken {
			w.assign(w.text(j), l, declare, false)
		}
	}
}

// assignment handles x = e, const {a, b} = e, o.p = e, x += e.
func (w *walker) assignment(eq int) {
	end := w.exprEnd(eq + 1)
	l := w.labelsOf(eq+1, end)
	union := w.typ(eq) != js.EqToken
	lhs := eq - 1
	if d := w.typedDecl(eq); d > 0 {
		lhs = d // const x: T = e (TypeScript)
	}
	t := w.typ(lhs)
	switch {
	case t == js.CloseBraceToken || t == js.CloseBracketToken:
		o := int(w.toks[lhs].m)
		if o < 0 {
			return
		}
		declare := w.isDecl(o - 1)
		envOnly := end == eq+3 && w.is(eq+1, "process") && w.is(eq+3, "env") || end == eq+4 && w.is(eq+1, "process") && w.is(eq+3, "env")
		for j := o + 1; j < lhs; j++ {
			if !isName(w.typ(j)) || w.typ(j-1) == js.DotToken || w.typ(j+1) == js.ColonToken {
				continue
			}
			v := l
			if envOnly { // const {HOME, NPM_TOKEN} = process.env
				key := w.text(j)
				if w.typ(j-1) == js.ColonToken && isName(w.typ(j-2)) {
					key = w.text(j - 2)
				}
				v = envLabel(key)
			}
			w.assign(w.text(j), v, declare, union)
		}
	case isName(t) && w.typ(lhs-1) != js.DotToken && w.typ(lhs-1) != js.OptChainToken:
		name := w.text(lhs)
		w.assign(name, l, w.isDecl(lhs-1), union)
		if m := w.streamTarget(eq+1, end); m != "" {
			w.streams[name] = m
		}
	case isName(t) || t == js.CloseBracketToken:
		// o.p = e: the object carries what was stored in it
		base := w.chainBase(lhs)
		if base >= 0 && l != 0 {
			w.assign(w.text(base), l, false, true)
		}
	}
}

// typedDecl returns the name of a TypeScript declaration with a type
// annotation (const x: Map<string, T> = e) whose '=' is at eq, or -1.
func (w *walker) typedDecl(eq int) int {
	for j := eq - 1; j > eq-16 && j > 1; j-- {
		switch t := w.typ(j); {
		case t == js.ColonToken:
			if isName(w.typ(j-1)) && w.isDecl(j-2) {
				return j - 1
			}
			return -1
		case t == js.CloseBracketToken || t == js.CloseParenToken || t == js.CloseBraceToken:
			if m := int(w.toks[j].m); m >= 0 && m < j {
				j = m
			}
		case t == js.SemicolonToken || t == js.EqToken || isOpen(t):
			return -1
		}
	}
	return -1
}

// isDecl says whether token i is const, let or var (a TypeScript type
// annotation between the name and '=' is not looked through).
func (w *walker) isDecl(i int) bool {
	t := w.typ(i)
	return t == js.ConstToken || t == js.LetToken || t == js.VarToken
}

// chainBase returns the first token of the member chain ending at i.
func (w *walker) chainBase(i int) int {
	for steps := 0; i >= 0 && steps < 32; steps++ {
		switch t := w.typ(i); {
		case t == js.CloseBracketToken:
			i = int(w.toks[i].m) - 1
		case isName(t) && (w.typ(i-1) == js.DotToken || w.typ(i-1) == js.OptChainToken):
			i -= 2
		case isName(t):
			return i
		default:
			return -1
		}
	}
	return -1
}

// streamTarget returns the path key of fs.createWriteStream(p) when the
// expression [i, end) is that call.
func (w *walker) streamTarget(i, end int) string {
	for j := i; j < end && j < i+12; j++ {
		if w.typ(j) == js.OpenParenToken && w.isCall(j) {
			c := w.calleeAt(j)
			if c.plain == "fs.createWriteStream" {
				args := w.args(j)
				if len(args) > 0 {
					return w.pathKey(args[0][0], args[0][1])
				}
			}
			return ""
		}
	}
	return ""
}

// args splits the arguments of the call at open into token ranges.
func (w *walker) args(open int) [][2]int {
	end := w.end(open)
	var out [][2]int
	s := open + 1
	for j := open + 1; j < end; j++ {
		if isOpen(w.typ(j)) {
			j = w.end(j)
			continue
		}
		if w.typ(j) == js.CommaToken {
			out = append(out, [2]int{s, j})
			s = j + 1
		}
		if len(out) > 16 {
			return out
		}
	}
	if s < end {
		out = append(out, [2]int{s, end})
	}
	return out
}

// pathKey names the file an expression denotes: the variable's name, the
// literal's value, or the expression's text, so that a write and a later
// run of the same file can be matched.
func (w *walker) pathKey(i, j int) string {
	if j == i+1 {
		if isStr(w.typ(i)) {
			return unquote(w.raw(i))
		}
		return w.text(i)
	}
	if j <= i || j > len(w.toks) {
		return ""
	}
	s := string(w.src[w.toks[i].s:w.toks[j-1].e])
	return strings.Join(strings.Fields(s), "")
}

// authKey matches object keys whose value is a credential used for its
// purpose (an Authorization header), not data being sent away.
var authKey = regexp.MustCompile(`(?i)^(authorization|auth|token|password|passphrase|bearer|private-token|x-api-key|apikey|api_key|x-auth-token|x-github-token|proxy-authorization|_authtoken|key)$`)

// labelsOf returns the labels of the expression in [i, j): the variables
// it reads, the sources it calls, the literals it holds. Function values
// inside are skipped (what they compute is not the expression's value),
// and so are credentials placed under an authorization key.
func (w *walker) labelsOf(i, j int) label {
	var l label
	var sawRead, sawBuffer, sawCmd, sawShellLit, encLit, curlLit bool
	j = min(j, len(w.toks))
	for k := i; k < j; k++ {
		w.budget--
		if w.budget < 0 {
			return l
		}
		if fi, ok := w.byHead[k]; ok {
			k = w.fns[fi].bEnd
			continue
		}
		t := w.typ(k)
		prevDot := w.typ(k-1) == js.DotToken || w.typ(k-1) == js.OptChainToken
		switch {
		case (isName(t) || t == js.StringToken) && w.typ(k+1) == js.ColonToken && (w.typ(k-1) == js.OpenBraceToken || w.typ(k-1) == js.CommaToken):
			key := w.text(k)
			if t == js.StringToken {
				key = unquote(w.raw(k))
			}
			if authKey.MatchString(key) {
				k = w.skipValue(k+2, j) - 1
			}
		case isStr(t) || t == js.TemplateStartToken || t == js.TemplateMiddleToken || t == js.TemplateEndToken:
			v := unquote(w.raw(k))
			switch {
			case v == "base64" || v == "hex" || v == "base64url":
				encLit = true
			case v == "/bin/sh" || v == "sh" || v == "bash" || v == "/bin/bash" || v == "cmd.exe" || v == "cmd" || v == "powershell" || v == "powershell.exe":
				sawShellLit = true
			}
			if isBlob(v) {
				l |= lBlob
			}
			if len(v) < 4096 {
				// Case-insensitive regular expressions cost microseconds
				// per call and bundles hold millions of literals: a cheap
				// look for their key words first.
				lv := strings.ToLower(v)
				if hinted(lv, secretPathHints) && secretPath.MatchString(v) {
					l |= lSecretPath
				}
				if hinted(lv, geoHints) && geoLiteral.MatchString(v) {
					l |= lGeo
				}
				if hinted(lv, fetchHints) && shellFetch.MatchString(v) {
					curlLit = true
				}
			}
		case isName(t) && prevDot:
			switch name := w.text(k); {
			case timeMethods[name]:
				l |= lTime
			case name == "resolvedOptions" || name == "timeZone" || name == "language" || name == "languages":
				l |= lLocale
			case geoName.MatchString(name):
				l |= lGeo
			}
		case isName(t):
			name := w.text(k)
			switch {
			case name == "process" && w.is(k+2, "env") && w.typ(k+1) == js.DotToken:
				key, skip := w.envKey(k + 3)
				l |= envLabel(key)
				if key == "" && skip == 0 && (w.typ(k+3) == js.OpenBracketToken) {
					l &^= lEnvAll
				}
				k += 2 + skip
				continue
			case reqObjects[name] && w.typ(k+1) == js.DotToken && isName(w.typ(k+2)) && (reqFields[w.text(k+2)] || reqMethods[w.text(k+2)] && w.typ(k+3) == js.OpenParenToken):
				l |= lReq
			case name == "ctx" && w.is(k+2, "request"):
				l |= lReq
			case name == "Date":
				l |= lTime
			case name == "Intl":
				l |= lLocale
			case name == "navigator" && w.is(k+2, "geolocation"):
				l |= lGeo
			case geoName.MatchString(name):
				l |= lGeo
			}
			l |= w.lookup(name)
		case t == js.OpenParenToken && w.isCall(k):
			c := w.calleeAt(k)
			switch {
			case isNetFetch(c.plain):
				l |= lNet
			case isHTTPRequest(c.plain) || isSocket(c.plain, c.isNew):
				l |= lConn
			case c.plain == "os.hostname" || c.plain == "os.userInfo" || c.plain == "os.networkInterfaces" || c.plain == "os.userInfo.username":
				l |= lHost
			case c.plain == "Buffer.from" || c.plain == "Buffer":
				sawBuffer = true
			case isDecode(c.plain):
				l |= lDecode
			case c.plain == "crypto.createDecipher" || c.plain == "crypto.createDecipheriv":
				l |= lDecipher
			case c.last == "digest":
				l |= lHash
			case isFileRead(c.plain):
				sawRead = true
			case isCmd(c.plain):
				sawCmd = true
			}
		}
	}
	if sawRead && l&lSecretPath != 0 {
		l |= lSecret
	}
	if sawBuffer && encLit {
		l |= lDecode
	}
	if sawCmd && curlLit {
		l |= lNet
	}
	if sawCmd && sawShellLit {
		l |= lShell
	}
	return l
}

// skipValue returns the end of an object property's value starting at i.
func (w *walker) skipValue(i, j int) int {
	for k := i; k < j; k++ {
		switch t := w.typ(k); {
		case isOpen(t):
			k = w.end(k)
		case t == js.CommaToken || t == js.CloseBraceToken:
			return k
		}
	}
	return j
}

// envKey reads what follows process.env at i: .KEY or ["KEY"]. It
// returns the key ("" for the whole object or a computed key) and how many
// tokens it spans.
func (w *walker) envKey(i int) (string, int) {
	switch w.typ(i) {
	case js.DotToken:
		if isName(w.typ(i + 1)) {
			return w.text(i + 1), 2
		}
	case js.OpenBracketToken:
		if v, ok := w.strArg(i); ok {
			return v, w.end(i) - i + 1
		}
		return "", 0
	}
	return "", 0
}

// timeMethods read the clock from a Date.
var timeMethods = map[string]bool{"getFullYear": true, "getYear": true, "getMonth": true, "getDate": true, "getDay": true, "getHours": true, "getUTCFullYear": true, "getUTCMonth": true, "getUTCDate": true, "getUTCDay": true, "getTime": true}

// geoName matches names that hold a country or a position.
var geoName = regexp.MustCompile(`(?i)^(country|countryCode|country_code|country_name|countryName|geo|geoip|geolocation|ipgeo)$`)
