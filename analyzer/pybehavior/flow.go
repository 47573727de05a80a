package pybehavior

import (
	"math"
	"strings"
)

// label is what a value may carry: where its data came from, or what kind
// of object it is. Labels flow through assignments, calls, f-strings,
// concatenation, containers and attribute reads within a file.
type label uint32

const (
	lNet     label = 1 << iota // content fetched over HTTP
	lRecv                      // data received on a raw socket
	lNetFile                   // a path that fetched content was written to
	lEnv                       // the whole environment
	lEnvKey                    // one secret environment variable (…TOKEN, …SECRET…)
	lSecret                    // credential files, browser and wallet stores
	lPath                      // a path to a credential store, not yet read
	lHost                      // host or user identity
	lReq                       // data of an incoming web request
	lDecoded                   // output of a decoder or decryptor
	lBlob                      // a long high-entropy literal
	lHash                      // a digest
	lTime                      // the current date or time
	lLocale                    // locale or time zone
	lGeo                       // a geolocation answer
	lKeyEnv                    // decrypted with a key from the environment

	oHTTP // an HTTP/SMTP/FTP client object
	oSock // a socket
	oReq  // a prepared request (url and body)
	oFile // a file opened for writing
)

const objMask = oHTTP | oSock | oReq | oFile

// dataMask are the labels that travel through function parameters.
const dataMask = lNet | lRecv | lNetFile | lEnv | lEnvKey | lSecret | lPath | lHost | lReq | lDecoded | lBlob | lHash

// frame is a scope: the module, a class body or a function.
type frame struct {
	kind     stmtKind // 0 (module), sClass or sDef
	indent   int
	name     string
	params   []string
	env      map[string]label
	verified bool // a digest or signature of fetched data was checked
	handler  bool // an HTTP request handler class (or a method of one)
	auth     bool // a function that decides logins
}

// analysis runs the detectors over one file's statements.
type analysis struct {
	src      string
	aliases  map[string]string
	frames   []*frame
	gates    []*gate
	summary  map[string]label   // function name → labels of what it returns
	paramIn  map[string][]label // function name → labels passed to each parameter
	defs     map[string][]string
	netLits  map[string]bool   // literal paths fetched content was written to
	fileOf   map[string]string // variable → path key of the file it writes
	lastOpen string
	report   bool
	cond     bool // evaluating an if/while condition
	pend     []*gate
	out      func(r rule, off int, msg string, mask string)
	steps    int
}

// maxSteps bounds the evaluation work per file and pass.
const maxSteps = 4 << 20

func newAnalysis(src string, out func(rule, int, string, string)) *analysis {
	return &analysis{src: src, out: out, summary: map[string]label{}, paramIn: map[string][]label{}, defs: map[string][]string{}}
}

// run evaluates the statements twice: the first pass learns what functions
// return and receive, the second reports.
func (a *analysis) run(stmts []stmt) {
	for pass := 0; pass < 2; pass++ {
		a.report = pass == 1
		a.aliases = map[string]string{}
		a.frames = []*frame{{indent: -1, env: map[string]label{}}}
		a.gates = nil
		a.netLits = map[string]bool{}
		a.fileOf = map[string]string{}
		a.steps = 0
		for i := range stmts {
			a.stmt(&stmts[i])
		}
		a.popGates(-1, "")
	}
}

func (a *analysis) top() *frame { return a.frames[len(a.frames)-1] }

// fn returns the innermost function frame, or nil.
func (a *analysis) fn() *frame {
	for i := len(a.frames) - 1; i > 0; i-- {
		if a.frames[i].kind == sDef {
			return a.frames[i]
		}
	}
	return nil
}

func (a *analysis) emit(r rule, off int, msg, mask string) {
	if a.report {
		a.out(r, off, msg, mask)
	}
}

func (a *analysis) stmt(s *stmt) {
	for len(a.frames) > 1 && s.indent <= a.top().indent {
		a.frames = a.frames[:len(a.frames)-1]
	}
	a.popGates(s.indent, s.keyword)
	for _, g := range a.gates {
		g.body++
		if g.body == 1 && isExit(s) {
			g.exitFirst = true
		}
	}
	switch s.kind {
	case sImport:
		for _, al := range s.imports {
			a.aliases[al.local] = al.full
		}
	case sDef:
		f := &frame{kind: sDef, indent: s.indent, name: s.name, params: s.params, env: map[string]label{}, auth: authFunc.MatchString(s.name)}
		f.handler = a.top().handler
		in := a.paramIn[s.name]
		for i, p := range s.params {
			if i < len(in) {
				f.env[p] = in[i]
			}
		}
		if !a.report {
			a.defs[s.name] = s.params
		}
		a.frames = append(a.frames, f)
	case sClass:
		f := &frame{kind: sClass, indent: s.indent, name: s.name, env: map[string]label{}}
		for _, b := range s.bases {
			if strings.Contains(a.dotted(b), "RequestHandler") {
				f.handler = true
			}
		}
		a.frames = append(a.frames, f)
	case sIf, sWhile:
		a.cond = true
		a.pend = a.pend[:0]
		a.ev(s.value)
		a.cond = false
		for _, g := range a.pend {
			g.indent = s.indent
			if g.trigger != nil && !a.triggerApplies(g.trigger, s.value) {
				continue
			}
			a.gates = append(a.gates, g)
		}
		a.pend = a.pend[:0]
	case sFor:
		l := a.ev(s.value)
		for _, t := range s.targets {
			a.assign(t, l)
		}
	case sWith:
		for _, w := range s.withs {
			a.lastOpen = ""
			l := a.ev(w.expr)
			if w.target != nil {
				a.assign(w.target, l)
			}
		}
	case sAssign:
		a.lastOpen = ""
		l := a.ev(s.value)
		for _, t := range s.targets {
			a.assign(t, l)
		}
		if isTrueConst(s.value) {
			for _, t := range s.targets {
				if d := a.dotted(t); d != "" && privName.MatchString(lastPart(d)) {
					a.success(s.off)
				}
			}
		}
	case sReturn:
		a.pend = a.pend[:0]
		l := a.ev(s.value)
		if f := a.fn(); f != nil && !a.report {
			a.summary[f.name] |= l
		}
		for _, g := range a.pend {
			if g.trigger != nil && a.triggerApplies(g.trigger, s.value) {
				a.emit(ruleMagicPass, g.trigger.off, g.trigger.message(), g.trigger.lit)
			}
		}
		a.pend = a.pend[:0]
		if isSuccess(s.value) {
			a.success(s.off)
		}
	case sExpr, sRaise:
		a.ev(s.value)
	}
}

// assign gives the labels l to an assignment target.
func (a *analysis) assign(t *node, l label) {
	switch t.kind {
	case nName:
		a.top().env[t.name] = l
		if l&oFile != 0 && a.lastOpen != "" {
			a.fileOf[t.name] = a.lastOpen
		}
	case nAttr:
		d := a.dotted(t)
		if d == "" {
			return
		}
		if strings.HasPrefix(d, "self.") || strings.HasPrefix(d, "cls.") {
			a.frames[0].env[d] = l // shared by the methods of the class
		} else {
			a.top().env[d] = l
		}
	case nSub:
		// d[k] = v: the container now holds v.
		if b := t.x; b != nil && (b.kind == nName || b.kind == nAttr) {
			a.mutate(b, l)
		}
	case nSeq:
		for _, k := range t.kids {
			a.assign(k, l)
		}
	}
}

// mutate adds labels to the variable a container expression names.
func (a *analysis) mutate(b *node, l label) {
	l &^= objMask
	if l == 0 {
		return
	}
	key := b.name
	if b.kind == nAttr {
		key = a.dotted(b)
	}
	if key == "" || key == "os.environ" {
		return
	}
	for i := len(a.frames) - 1; i >= 0; i-- {
		if v, ok := a.frames[i].env[key]; ok {
			a.frames[i].env[key] = v | l
			return
		}
	}
	a.top().env[key] = l
}

func (a *analysis) lookup(key string) (label, bool) {
	for i := len(a.frames) - 1; i >= 0; i-- {
		if v, ok := a.frames[i].env[key]; ok {
			return v, true
		}
	}
	return 0, false
}

// ev returns the labels of an expression, checking the calls in it.
func (a *analysis) ev(n *node) label {
	if n == nil {
		return 0
	}
	a.steps++
	if a.steps > maxSteps {
		return 0
	}
	switch n.kind {
	case nName:
		if v, ok := a.lookup(n.name); ok {
			return v
		}
		if a.resolve(n.name) == "os.environ" {
			return lEnv
		}
		return 0
	case nAttr:
		return a.evAttr(n)
	case nCall:
		return a.evCall(n)
	case nSub:
		return a.evSub(n)
	case nStr:
		return a.evStr(n)
	case nOp:
		return a.evOp(n)
	case nSeq, nSlice:
		var l label
		for _, k := range n.kids {
			l |= a.ev(k)
		}
		if n.name == "for" {
			// A comprehension over a decoder's output is decoded too;
			// "".join(chr(c) for c in ...) is handled by the join call.
			return l &^ objMask
		}
		return l
	case nWalrus:
		l := a.ev(n.x)
		a.top().env[n.name] = l
		if a.cond && privName.MatchString(n.name) && isPrivLiteral(n.x) {
			a.emit(ruleWalrusPriv, n.off, "the condition assigns "+n.name+" := "+literalText(n.x)+" instead of comparing: the branch is always taken and the privilege always granted", "")
		}
		return l
	}
	return 0
}

// reqAttrs are the attributes of a web framework's request object that
// hold client data (Flask, Django, DRF, Bottle, Starlette, aiohttp).
var reqAttrs = set("args", "form", "values", "data", "json", "files", "headers", "cookies", "environ", "stream",
	"query_string", "GET", "POST", "META", "COOKIES", "body", "FILES", "query", "forms", "params", "query_params",
	"path_params", "content", "raw_post_data", "match_info", "rel_url")

// handlerAttrs are the client data of an http.server request handler.
var handlerAttrs = set("path", "headers", "rfile", "requestline")

func isRequestBase(a *analysis, n *node) bool {
	d := a.dotted(n)
	return d == "request" || d == "req" || strings.HasSuffix(d, ".request") || d == "flask.request" || d == "bottle.request"
}

func (a *analysis) evAttr(n *node) label {
	d := a.dotted(n)
	switch {
	case d == "os.environ":
		return lEnv
	case localeFuncs[d]:
		return lLocale
	case reqAttrs[n.name] && isRequestBase(a, n.x):
		return lReq
	case handlerAttrs[n.name] && a.top().handler && n.x.kind == nName && n.x.name == "self":
		return lReq
	}
	if d != "" {
		if v, ok := a.lookup(d); ok {
			return v
		}
	}
	return a.ev(n.x)
}

func (a *analysis) evSub(n *node) label {
	base := a.dotted(n.x)
	if base == "os.environ" && len(n.kids) > 0 {
		return a.envKey(n.kids[0])
	}
	l := a.ev(n.x)
	for _, k := range n.kids {
		kl := a.ev(k)
		if k.kind == nSlice && isReverse(k) && (n.x.kind == nStr || n.x.kind == nSeq) {
			// "..."[::-1]: a reversed literal is a classic way to hide
			// code. Reversing a variable is ordinary (flask reverses a
			// list of module name parts).
			l |= lDecoded
		}
		l |= kl & lEnv
	}
	return l
}

// envKey returns the labels of os.environ[key] / os.getenv(key).
func (a *analysis) envKey(k *node) label {
	if k.kind != nStr {
		return a.ev(k) & lEnv
	}
	key := k.str
	switch {
	case envLocaleKey[key]:
		return lLocale
	case envHostKey[key]:
		return lHost
	case envSecretKey.MatchString(key):
		return lEnvKey
	}
	return 0
}

func isReverse(k *node) bool {
	if len(k.kids) != 3 {
		return false
	}
	st := k.kids[2]
	return k.kids[0] == other && k.kids[1] == other && st.kind == nNum && st.name == "-1"
}

func (a *analysis) evStr(n *node) label {
	var l label
	for _, k := range n.kids {
		l |= a.ev(k)
	}
	s := n.str
	if isSecretPath(s) {
		l |= lPath
	}
	if isBlob(s) {
		l |= lBlob
	}
	if isGeoURL(s) {
		l |= lGeo
	}
	for lit := range a.netLits {
		if strings.Contains(s, lit) {
			l |= lNetFile
			break
		}
	}
	return l
}

// isBlob: a long literal without blanks and with the entropy of encoded
// data (base64, hex, packed bytes escaped).
func isBlob(s string) bool {
	if len(s) < 200 {
		return false
	}
	if len(s) > 4096 {
		s = s[:4096]
	}
	var counts [256]int
	blanks, hex := 0, true
	for i := 0; i < len(s); i++ {
		c := s[i]
		counts[c]++
		if c == ' ' || c == '\n' || c == '\t' {
			blanks++
		}
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			hex = false
		}
	}
	if blanks*100 > len(s) {
		return false
	}
	if hex {
		return true
	}
	var h float64
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / float64(len(s))
			h -= p * math.Log2(p)
		}
	}
	return h >= 4.5
}

// cmpOps are the comparison operators.
var cmpOps = set("==", "!=", "<", ">", "<=", ">=", "in", "not in", "is", "is not")

func (a *analysis) evOp(n *node) label {
	ls := make([]label, len(n.kids))
	var l label
	for i, k := range n.kids {
		ls[i] = a.ev(k)
		l |= ls[i]
	}
	for i, op := range n.ops {
		if i+1 >= len(n.kids) || !cmpOps[op] {
			continue
		}
		x, y := n.kids[i], n.kids[i+1]
		lx, ly := ls[i], ls[i+1]
		if (lx|ly)&lHash != 0 {
			// A digest compared with something: fetched data is checked.
			a.top().verified = true
			if f := a.fn(); f != nil {
				f.verified = true
			}
		}
		a.compare(x, y, lx, ly, op)
		a.compare(y, x, ly, lx, op)
	}
	if len(n.ops) > 0 && (n.ops[0] == "==" || n.ops[0] == "!=" || n.ops[0] == "<" || n.ops[0] == ">" || n.ops[0] == "in" || n.ops[0] == "not in") {
		// A comparison yields a boolean, not the data compared.
		return 0
	}
	return l &^ objMask
}

func isTrueConst(n *node) bool { return n != nil && n.kind == nConst && n.name == "True" }

func isPrivLiteral(n *node) bool {
	switch n.kind {
	case nConst:
		return n.name == "True"
	case nNum:
		return n.name == "0" || n.name == "1"
	case nStr:
		l := strings.ToLower(n.str)
		return l == "admin" || l == "root" || l == "superuser"
	}
	return false
}

func literalText(n *node) string {
	switch n.kind {
	case nConst, nNum:
		return n.name
	case nStr:
		return "'" + n.str + "'"
	}
	return "…"
}

func lastPart(d string) string {
	if i := strings.LastIndexByte(d, '.'); i >= 0 {
		return d[i+1:]
	}
	return d
}

// resolve maps a local name through the imports.
func (a *analysis) resolve(name string) string {
	if full, ok := a.aliases[name]; ok {
		return full
	}
	return name
}

// dotted returns the qualified name of a name, attribute chain,
// __import__("mod") or getattr(x, "name") expression, or "".
func (a *analysis) dotted(n *node) string {
	for d := 0; d < 64 && n != nil; d++ {
		switch n.kind {
		case nName:
			return canon(a.resolve(n.name))
		case nAttr:
			b := a.dotted(n.x)
			if b == "" {
				return ""
			}
			return canon(b + "." + n.name)
		case nCall:
			f := a.dotted(n.x)
			switch f {
			case "__import__", "importlib.import_module":
				if len(n.kids) > 0 && n.kids[0].kind == nStr {
					return canon(n.kids[0].str)
				}
			case "getattr":
				if len(n.kids) > 1 && n.kids[1].kind == nStr {
					b := a.dotted(n.kids[0])
					if b != "" {
						return canon(b + "." + n.kids[1].str)
					}
				}
			case "globals", "vars", "locals":
				return "builtins"
			}
			return ""
		case nSub:
			b := a.dotted(n.x)
			if (b == "builtins" || b == "__builtins__") && len(n.kids) == 1 && n.kids[0].kind == nStr {
				return canon(n.kids[0].str)
			}
			return ""
		default:
			return ""
		}
	}
	return ""
}

// canon drops the builtins module from a name: builtins.exec is exec.
func canon(d string) string {
	for _, p := range []string{"builtins.", "__builtins__.", "__builtin__."} {
		if strings.HasPrefix(d, p) {
			return d[len(p):]
		}
	}
	if d == "__builtins__" || d == "__builtin__" {
		return "builtins"
	}
	// "from datetime import datetime": datetime.now resolves to
	// datetime.datetime.now already; "import datetime" gives datetime.datetime.now.
	return d
}
