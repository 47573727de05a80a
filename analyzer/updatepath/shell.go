package updatepath

import (
	"bytes"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Limits that keep hostile scripts cheap. An update script is a few KiB;
// these bounds are far above that and far below what could stall a scan.
const (
	maxScript     = 1 << 20 // bytes of one script parsed
	maxCmds       = 20000   // commands kept per script
	maxDepth      = 48      // nesting of blocks, substitutions and inlined calls
	maxInline     = 4       // nested function calls followed
	maxInlineCmds = 4000    // commands produced by inlining, in all
	maxWordLen    = 4096    // bytes of one expanded word
	maxTextLen    = 200     // bytes of a source line kept as evidence
	maxNesting    = 120     // bracket nesting above which the parser is not trusted
	maxSteps      = 200000  // statements walked, inlined calls included
)

// cmd is one simple command as the script would run it, in source order,
// with its words expanded as far as the script says.
type cmd struct {
	args   []string
	line   int
	text   string // the source line, capped
	out    string // file stdout is redirected to ("" when none)
	in     string // file stdin is read from
	pipe   int    // pipeline id (0: not in a pipeline)
	stage  int    // position in the pipeline
	last   bool   // last stage of its pipeline
	subst  int    // id of the $(...) this command runs in (0: none)
	test   *test  // set for [ ], test and [[ ]]
	negate bool
}

// test is a comparison: "[ A = B ]", "[[ A != B ]]".
type test struct{ x, y string }

// script is what a file would run, split into scopes: the top level (with
// the bodies of the functions it calls put in place) and, apart, each
// function nothing in the file calls (a library or rc.common function
// that the framework calls).
type script struct {
	scopes [][]cmd
	substs int // number of $(...) seen; tokens are 1..substs
	broken bool
}

// substToken is how the value of $(...) number id appears inside an
// expanded word, so a comparison can tell a hash from a literal.
func substToken(id int) string { return "\x01" + strconv.Itoa(id) + "\x01" }

// substIDs returns the ids of the $(...) whose values a string holds.
func substIDs(s string) []int {
	var out []int
	for {
		i := strings.IndexByte(s, 1)
		if i < 0 {
			return out
		}
		j := strings.IndexByte(s[i+1:], 1)
		if j < 0 {
			return out
		}
		if n, err := strconv.Atoi(s[i+1 : i+1+j]); err == nil {
			out = append(out, n)
		}
		s = s[i+j+2:]
	}
}

// stripTokens removes $(...) tokens from a string, for messages.
func stripTokens(s string) string {
	for {
		i := strings.IndexByte(s, 1)
		if i < 0 {
			return s
		}
		j := strings.IndexByte(s[i+1:], 1)
		if j < 0 {
			return s[:i]
		}
		s = s[:i] + "$(...)" + s[i+j+2:]
	}
}

// parseScript reads a shell script. It never fails: a file the parser
// refuses, or nests too deeply to trust it with, is read line by line, so a
// stray syntax error cannot hide a download from the analysis.
func parseScript(src []byte) *script {
	if len(src) > maxScript {
		src = src[:maxScript]
	}
	w := &walker{src: src, s: &script{}, vars: map[string]string{}, funcs: map[string]*syntax.Stmt{}, called: map[string]bool{}}
	if nesting(src) <= maxNesting {
		if f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(bytes.NewReader(src), ""); err == nil {
			w.run(f.Stmts, 0)
			return w.s
		}
	}
	w.s.broken = true
	var top []cmd
	w.out = &top
	line := 0
	for rest := src; len(rest) > 0 && w.n < maxCmds; line++ {
		l := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			l, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		if len(bytes.TrimSpace(l)) == 0 || nesting(l) > maxNesting {
			continue
		}
		f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(bytes.NewReader(l), "")
		if err != nil {
			continue
		}
		w.lineBase = line
		w.stmts(f.Stmts, 0)
	}
	w.s.scopes = append(w.s.scopes, top)
	return w.s
}

// nesting is the deepest bracket nesting of the text: the parser recurses
// on it, so a hostile file of brackets is not given to it.
func nesting(src []byte) int {
	depth, most := 0, 0
	for _, c := range src {
		switch c {
		case '(', '{', '[', '`':
			depth++
			most = max(most, depth)
		case ')', '}', ']':
			if depth > 0 {
				depth--
			}
		}
	}
	return most
}

type walker struct {
	src      []byte
	s        *script
	out      *[]cmd
	vars     map[string]string
	funcs    map[string]*syntax.Stmt
	called   map[string]bool
	lineBase int
	n        int // commands kept
	steps    int // statements walked
	inlined  int // commands produced inside inlined calls
	calls    int // current depth of inlined calls
	pipes    int
	subst    int   // the $(...) being expanded (0: none)
	starts   []int // offsets where lines start
}

// run walks the top level, then every function no one called.
func (w *walker) run(list []*syntax.Stmt, depth int) {
	w.collectFuncs(list)
	var top []cmd
	w.out = &top
	w.stmts(list, depth)
	w.s.scopes = append(w.s.scopes, top)
	for _, st := range list {
		fd, ok := st.Cmd.(*syntax.FuncDecl)
		if !ok || fd.Name == nil || w.called[fd.Name.Value] {
			continue
		}
		var body []cmd
		w.out = &body
		w.called[fd.Name.Value] = true
		w.stmt(fd.Body, 1)
		if len(body) > 0 {
			w.s.scopes = append(w.s.scopes, body)
		}
	}
}

// collectFuncs records the functions the file declares at top level, so a
// call may come before the declaration in the text (rc.common scripts).
func (w *walker) collectFuncs(list []*syntax.Stmt) {
	for _, st := range list {
		if fd, ok := st.Cmd.(*syntax.FuncDecl); ok && fd.Name != nil && fd.Body != nil {
			w.funcs[fd.Name.Value] = fd.Body
		}
	}
}

func (w *walker) add(c cmd) {
	if w.n >= maxCmds {
		return
	}
	if w.calls > 0 {
		if w.inlined >= maxInlineCmds {
			return
		}
		w.inlined++
	}
	w.n++
	c.subst = w.subst
	*w.out = append(*w.out, c)
}

func (w *walker) stmts(list []*syntax.Stmt, depth int) {
	for _, st := range list {
		w.stmt(st, depth)
	}
}

func (w *walker) stmt(st *syntax.Stmt, depth int) {
	if st == nil || depth > maxDepth || w.n >= maxCmds || w.steps >= maxSteps {
		return
	}
	w.steps++
	depth++
	switch x := st.Cmd.(type) {
	case *syntax.CallExpr:
		w.call(st, x, 0, 0, false, depth)
	case *syntax.DeclClause:
		for _, a := range x.Args {
			w.assign(a, depth)
		}
	case *syntax.BinaryCmd:
		if x.Op == syntax.Pipe || x.Op == syntax.PipeAll {
			var stages []*syntax.Stmt
			flattenPipe(x, &stages, 0)
			w.pipes++
			id := w.pipes
			for i, s := range stages {
				if call, ok := s.Cmd.(*syntax.CallExpr); ok {
					w.call(s, call, id, i, i == len(stages)-1, depth)
				} else {
					w.stmt(s, depth)
				}
			}
			return
		}
		w.stmt(x.X, depth)
		w.stmt(x.Y, depth)
	case *syntax.IfClause:
		for ic := x; ic != nil; ic = ic.Else {
			w.stmts(ic.Cond, depth)
			w.stmts(ic.Then, depth)
		}
	case *syntax.WhileClause:
		w.stmts(x.Cond, depth)
		w.stmts(x.Do, depth)
	case *syntax.ForClause:
		if it, ok := x.Loop.(*syntax.WordIter); ok && it.Name != nil && len(it.Items) == 1 {
			w.vars[it.Name.Value] = w.word(it.Items[0], depth)
		}
		w.stmts(x.Do, depth)
	case *syntax.CaseClause:
		w.word(x.Word, depth)
		for _, it := range x.Items {
			w.stmts(it.Stmts, depth)
		}
	case *syntax.Block:
		w.stmts(x.Stmts, depth)
	case *syntax.Subshell:
		w.stmts(x.Stmts, depth)
	case *syntax.FuncDecl:
		if x.Name != nil && x.Body != nil {
			w.funcs[x.Name.Value] = x.Body
		}
	case *syntax.TestClause:
		t := &test{}
		if b, ok := x.X.(*syntax.BinaryTest); ok && isCompare(b.Op) {
			t.x, t.y = w.testWord(b.X, depth), w.testWord(b.Y, depth)
		} else {
			w.testWord(x.X, depth)
		}
		w.add(cmd{args: []string{"[["}, line: w.line(st.Pos()), text: w.text(st.Pos()), test: t, negate: st.Negated})
	case *syntax.TimeClause:
		w.stmt(x.Stmt, depth)
	case *syntax.CoprocClause:
		w.stmt(x.Stmt, depth)
	}
}

func isCompare(op syntax.BinTestOperator) bool {
	return op == syntax.TsMatch || op == syntax.TsMatchShort || op == syntax.TsNoMatch
}

// testWord expands the words of a [[ ]] expression (running any $(...)
// in it) and returns the word when the expression is one.
func (w *walker) testWord(e syntax.TestExpr, depth int) string {
	if depth > maxDepth {
		return ""
	}
	switch e := e.(type) {
	case *syntax.Word:
		return w.word(e, depth+1)
	case *syntax.BinaryTest:
		w.testWord(e.X, depth+1)
		w.testWord(e.Y, depth+1)
	case *syntax.UnaryTest:
		w.testWord(e.X, depth+1)
	case *syntax.ParenTest:
		w.testWord(e.X, depth+1)
	}
	return ""
}

func flattenPipe(b *syntax.BinaryCmd, out *[]*syntax.Stmt, depth int) {
	if depth > maxDepth {
		return
	}
	for _, s := range []*syntax.Stmt{b.X, b.Y} {
		if s == nil {
			continue
		}
		if inner, ok := s.Cmd.(*syntax.BinaryCmd); ok && (inner.Op == syntax.Pipe || inner.Op == syntax.PipeAll) {
			flattenPipe(inner, out, depth+1)
			continue
		}
		*out = append(*out, s)
	}
}

func (w *walker) assign(a *syntax.Assign, depth int) {
	if a == nil || a.Name == nil || a.Array != nil || a.Index != nil {
		return
	}
	if a.Value == nil {
		if !a.Naked {
			w.vars[a.Name.Value] = ""
		}
		return
	}
	v := w.word(a.Value, depth)
	if a.Append {
		v = w.vars[a.Name.Value] + v
	}
	if len(v) > maxWordLen {
		v = v[:maxWordLen]
	}
	w.vars[a.Name.Value] = v
}

// call records one simple command, or puts a called function's body in
// its place with the call's arguments as $1, $2...
func (w *walker) call(st *syntax.Stmt, x *syntax.CallExpr, pipe, stage int, last bool, depth int) {
	if len(x.Args) == 0 {
		for _, a := range x.Assigns {
			w.assign(a, depth)
		}
		return
	}
	args := w.words(x.Args, depth)
	c := cmd{args: args, line: w.line(st.Pos()), text: w.text(st.Pos()), pipe: pipe, stage: stage, last: last, negate: st.Negated}
	for _, r := range st.Redirs {
		if r.Word == nil {
			continue
		}
		switch r.Op {
		case syntax.RdrOut, syntax.AppOut, syntax.RdrClob, syntax.RdrAll, syntax.AppAll:
			if r.N == nil || r.N.Value == "1" {
				c.out = w.word(r.Word, depth)
			}
		case syntax.RdrIn:
			c.in = w.word(r.Word, depth)
		}
	}
	name := args[0]
	if name == "[" || name == "test" {
		c.test = bracketTest(args)
	}
	if body, ok := w.funcs[name]; ok && w.calls < maxInline && pipe == 0 {
		w.called[name] = true
		saved := map[string]string{}
		for i := 1; i <= 9; i++ {
			k := strconv.Itoa(i)
			saved[k] = w.vars[k]
			w.vars[k] = ""
			if i < len(args) {
				w.vars[k] = args[i]
			}
		}
		w.calls++
		w.stmt(body, depth)
		w.calls--
		for k, v := range saved {
			w.vars[k] = v
		}
		return
	}
	w.add(c)
}

// bracketTest reads "[ A = B ]" and "test A != B".
func bracketTest(args []string) *test {
	a := args[1:]
	if len(a) > 0 && a[len(a)-1] == "]" {
		a = a[:len(a)-1]
	}
	if len(a) > 0 && a[0] == "!" {
		a = a[1:]
	}
	if len(a) == 3 && (a[1] == "=" || a[1] == "==" || a[1] == "!=") {
		return &test{x: a[0], y: a[2]}
	}
	return &test{}
}

func (w *walker) words(ws []*syntax.Word, depth int) []string {
	out := make([]string, 0, len(ws))
	for _, wd := range ws {
		v := w.word(wd, depth)
		// An unquoted variable holding several words ($WGET_OPTS) is
		// several arguments.
		if len(wd.Parts) == 1 && strings.ContainsAny(v, " \t") {
			if _, ok := wd.Parts[0].(*syntax.ParamExp); ok {
				out = append(out, strings.Fields(v)...)
				continue
			}
		}
		out = append(out, v)
	}
	return out
}

func (w *walker) word(wd *syntax.Word, depth int) string {
	if wd == nil {
		return ""
	}
	var b strings.Builder
	w.parts(wd.Parts, &b, depth)
	return b.String()
}

func (w *walker) parts(ps []syntax.WordPart, b *strings.Builder, depth int) {
	if depth > maxDepth {
		return
	}
	for _, p := range ps {
		if b.Len() > maxWordLen {
			return
		}
		switch p := p.(type) {
		case *syntax.Lit:
			b.WriteString(p.Value)
		case *syntax.SglQuoted:
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			w.parts(p.Parts, b, depth+1)
		case *syntax.ParamExp:
			b.WriteString(w.param(p, depth+1))
		case *syntax.CmdSubst:
			b.WriteString(w.cmdSubst(p.Stmts, depth+1))
		default:
			b.WriteString("$?")
		}
	}
}

// cmdSubst runs the commands of $(...) in place (they run before the
// command that uses their output) and returns the token standing for
// their output.
func (w *walker) cmdSubst(list []*syntax.Stmt, depth int) string {
	w.s.substs++
	id := w.s.substs
	outer := w.subst
	w.subst = id
	w.stmts(list, depth)
	w.subst = outer
	return substToken(id)
}

// param expands $NAME, ${NAME} and ${NAME:-default}; a variable the script
// never set stays "$NAME", which still names the same file at each use.
func (w *walker) param(p *syntax.ParamExp, depth int) string {
	if p.Param == nil {
		return "$?"
	}
	name := p.Param.Value
	v, ok := w.vars[name]
	if p.Exp != nil && p.Exp.Word != nil && (p.Exp.Op == syntax.DefaultUnset || p.Exp.Op == syntax.DefaultUnsetOrNull) {
		if !ok || (v == "" && p.Exp.Op == syntax.DefaultUnsetOrNull) {
			var b strings.Builder
			w.parts(p.Exp.Word.Parts, &b, depth+1)
			return b.String()
		}
		return v
	}
	if p.Index != nil || p.Slice != nil || p.Repl != nil || p.Length || p.Excl || p.Exp != nil {
		return "$" + name
	}
	if ok {
		return v
	}
	return "$" + name
}

func (w *walker) line(p syntax.Pos) int { return int(p.Line()) + w.lineBase }

// text returns the source line of a position, trimmed and capped.
func (w *walker) text(p syntax.Pos) string {
	line := w.line(p)
	if w.starts == nil {
		w.starts = []int{0}
		for i, c := range w.src {
			if c == '\n' {
				w.starts = append(w.starts, i+1)
			}
		}
	}
	if line <= 0 || line > len(w.starts) {
		return ""
	}
	src := w.src[w.starts[line-1]:]
	if j := bytes.IndexByte(src, '\n'); j >= 0 {
		src = src[:j]
	}
	s := strings.TrimSpace(string(src))
	if len(s) > maxTextLen {
		s = s[:maxTextLen] + "…"
	}
	return strings.ToValidUTF8(s, "?")
}
