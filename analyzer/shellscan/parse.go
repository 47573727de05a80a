package shellscan

import (
	"bytes"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Parse reads a shell script (bash dialect, which accepts POSIX sh). It
// never fails: see the package documentation.
func Parse(src []byte) *Script {
	if len(src) > MaxScript {
		src = src[:MaxScript]
	}
	w := &walker{s: &Script{}, vars: map[string]string{}}
	if nesting(src) <= maxNesting {
		if f, err := newParser().Parse(bytes.NewReader(src), ""); err == nil {
			w.stmts(f.Stmts, 0)
			return w.finish()
		}
	}
	w.s.Broken = true
	line, off := 0, 0
	for rest := src; len(rest) > 0 && !w.full(); line++ {
		l := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			l, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		base := off
		off += len(l) + 1
		if len(bytes.TrimSpace(l)) == 0 || nesting(l) > maxNesting {
			continue
		}
		f, err := newParser().Parse(bytes.NewReader(l), "")
		if err != nil {
			continue
		}
		w.lineBase, w.offBase = line, base
		w.stmts(f.Stmts, 0)
	}
	return w.finish()
}

// finish marks substitutions no command claimed (assignments, tests).
func (w *walker) finish() *Script {
	for i := range w.s.Substs {
		if w.s.Substs[i].Owner == -2 {
			w.s.Substs[i].Owner = -1
		}
	}
	return w.s
}

func newParser() *syntax.Parser {
	return syntax.NewParser(syntax.Variant(syntax.LangBash), syntax.KeepComments(false))
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

// walker flattens the syntax tree. Its fields other than s, vars and the
// counters are the context copied into each command it adds.
type walker struct {
	s                 *Script
	vars              map[string]string
	steps             int
	pipes             int
	inner             int // depth of sh -c / eval strings being parsed
	lineBase, offBase int

	pipe, stage int
	subst       int
	guards      []int
	cond        int
	fn          string
	escapes     int // $'\x..' escapes decoded in the current command's words
}

func (w *walker) full() bool {
	if len(w.s.Cmds) >= maxCmds || w.steps >= maxSteps {
		w.s.Truncated = true
		return true
	}
	return false
}

func (w *walker) stmts(list []*syntax.Stmt, depth int) {
	for _, st := range list {
		w.stmt(st, depth)
	}
}

func (w *walker) stmt(st *syntax.Stmt, depth int) {
	if st == nil || depth > maxDepth || w.full() {
		if depth > maxDepth {
			w.s.Truncated = true
		}
		return
	}
	w.steps++
	switch c := st.Cmd.(type) {
	case *syntax.CallExpr:
		w.call(st, c, depth)
	case *syntax.BinaryCmd:
		w.binary(c, depth)
	case *syntax.IfClause:
		w.ifClause(c, depth)
	case *syntax.WhileClause:
		id := w.newCond()
		saved := w.cond
		w.cond = id
		w.stmts(c.Cond, depth+1)
		w.cond = saved
		w.guarded(id, c.Do, depth)
	case *syntax.ForClause:
		if wi, ok := c.Loop.(*syntax.WordIter); ok {
			for _, it := range wi.Items {
				w.word(it, depth+1)
			}
		}
		w.stmts(c.Do, depth+1)
	case *syntax.Block:
		w.stmts(c.Stmts, depth+1)
	case *syntax.Subshell:
		w.stmts(c.Stmts, depth+1)
	case *syntax.CaseClause:
		w.word(c.Word, depth+1)
		for _, it := range c.Items {
			w.stmts(it.Stmts, depth+1)
		}
	case *syntax.FuncDecl:
		saved := w.fn
		if c.Name != nil {
			w.fn = c.Name.Value
		}
		w.stmt(c.Body, depth+1)
		w.fn = saved
	case *syntax.TimeClause:
		w.stmt(c.Stmt, depth+1)
	case *syntax.CoprocClause:
		w.stmt(c.Stmt, depth+1)
	case *syntax.DeclClause:
		for _, a := range c.Args {
			w.assign(a, depth+1)
		}
	case *syntax.TestClause:
		w.testExpr(st, c.X, depth+1)
	case *syntax.ArithmCmd:
		w.arithm(st, c.X, depth+1)
	}
}

// ifClause gives each condition an id and walks its branches guarded by
// it; an elif or else is guarded by the conditions before it too.
func (w *walker) ifClause(c *syntax.IfClause, depth int) {
	if c == nil || depth > maxDepth {
		return
	}
	if len(c.Cond) == 0 { // plain else
		w.stmts(c.Then, depth+1)
		return
	}
	id := w.newCond()
	saved := w.cond
	w.cond = id
	w.stmts(c.Cond, depth+1)
	w.cond = saved
	w.guards = append(w.guards, id)
	w.stmts(c.Then, depth+1)
	w.ifClause(c.Else, depth+1)
	w.guards = w.guards[:len(w.guards)-1]
}

func (w *walker) guarded(id int, list []*syntax.Stmt, depth int) {
	w.guards = append(w.guards, id)
	w.stmts(list, depth+1)
	w.guards = w.guards[:len(w.guards)-1]
}

func (w *walker) newCond() int {
	w.s.Conds = append(w.s.Conds, nil)
	return len(w.s.Conds)
}

func (w *walker) binary(c *syntax.BinaryCmd, depth int) {
	switch c.Op {
	case syntax.Pipe, syntax.PipeAll:
		var stages []*syntax.Stmt
		x := c
		for depth < maxDepth {
			stages = append(stages, x.Y)
			if l, ok := x.X.Cmd.(*syntax.BinaryCmd); ok && (l.Op == syntax.Pipe || l.Op == syntax.PipeAll) && !x.X.Negated && len(x.X.Redirs) == 0 {
				x, depth = l, depth+1
				continue
			}
			stages = append(stages, x.X)
			break
		}
		w.pipes++
		id := w.pipes
		savedP, savedS := w.pipe, w.stage
		first := len(w.s.Cmds)
		for i := len(stages) - 1; i >= 0; i-- {
			w.pipe, w.stage = id, len(stages)-1-i
			w.stmt(stages[i], depth+1)
		}
		w.pipe, w.stage = savedP, savedS
		for i := first; i < len(w.s.Cmds); i++ {
			if w.s.Cmds[i].Pipe == id && w.s.Cmds[i].Stage == len(stages)-1 {
				w.s.Cmds[i].Last = true
			}
		}
	case syntax.AndStmt, syntax.OrStmt:
		// "[ test ] && cmd" guards cmd like an if; "a || b" runs b when a
		// fails, which is still gated by a.
		id := w.newCond()
		saved := w.cond
		w.cond = id
		w.stmt(c.X, depth+1)
		w.cond = saved
		w.guarded(id, []*syntax.Stmt{c.Y}, depth)
	}
}

// add appends a command with the current context and returns its index.
func (w *walker) add(args []string, pos syntax.Pos, redirs []Redir) int {
	c := Cmd{
		Args:   args,
		Line:   int(pos.Line()) + w.lineBase,
		Offset: int(pos.Offset()) + w.offBase,
		Pipe:   w.pipe, Stage: w.stage,
		Subst:  w.subst,
		Redirs: redirs,
		Guards: append([]int(nil), w.guards...),
		Cond:   w.cond,
		Func:   w.fn,
	}
	if w.escapes > 0 {
		c.Escapes = w.escapes
	}
	c.Test = testOf(args)
	w.s.Cmds = append(w.s.Cmds, c)
	i := len(w.s.Cmds) - 1
	if w.cond > 0 {
		w.s.Conds[w.cond-1] = append(w.s.Conds[w.cond-1], i)
	}
	return i
}

func (w *walker) call(st *syntax.Stmt, c *syntax.CallExpr, depth int) {
	firstSubst := len(w.s.Substs)
	w.escapes = 0
	for _, a := range c.Assigns {
		w.assign(a, depth+1)
	}
	args := make([]string, 0, len(c.Args))
	for _, wd := range c.Args {
		args = append(args, w.word(wd, depth+1))
	}
	redirs := w.redirs(st, depth+1)
	if len(args) == 0 && len(redirs) == 0 {
		return
	}
	i := w.add(args, st.Pos(), redirs)
	w.escapes = 0
	for j := firstSubst; j < len(w.s.Substs); j++ {
		if w.s.Substs[j].Owner == -2 && w.s.Substs[j].Parent == w.subst {
			w.s.Substs[j].Owner = i
		}
	}
	w.innerScript(i, depth)
}

func (w *walker) redirs(st *syntax.Stmt, depth int) []Redir {
	var out []Redir
	for _, r := range st.Redirs {
		rd := Redir{Op: r.Op.String()}
		if r.N != nil {
			rd.N = r.N.Value
		}
		if r.Word != nil {
			rd.Target = w.word(r.Word, depth)
		}
		if r.Hdoc != nil {
			rd.Target = w.word(r.Hdoc, depth)
		}
		out = append(out, rd)
	}
	return out
}

func (w *walker) assign(a *syntax.Assign, depth int) {
	if a == nil || a.Name == nil {
		return
	}
	v := ""
	if a.Value != nil {
		v = w.word(a.Value, depth)
	}
	if a.Array != nil {
		for _, el := range a.Array.Elems {
			if el.Value != nil {
				v += " " + w.word(el.Value, depth)
			}
		}
	}
	if a.Append {
		v = w.vars[a.Name.Value] + v
	}
	if len(v) > maxVarLen {
		v = v[:maxVarLen]
	}
	if _, ok := w.vars[a.Name.Value]; ok || len(w.vars) < maxVars {
		w.vars[a.Name.Value] = v
	}
}

// innerScript parses the string of "sh -c STRING" or "eval STRING" as a
// script of its own, run by command i, when the string is literal.
func (w *walker) innerScript(i, depth int) {
	if w.inner >= maxInner || w.full() {
		return
	}
	c := &w.s.Cmds[i]
	argv := c.Argv()
	var text string
	switch name := Base(firstOr(argv)); {
	case name == "eval":
		text = strings.Join(argv[1:], " ")
	case IsShell(name):
		for j := 1; j+1 < len(argv); j++ {
			if argv[j] == "-c" || (strings.HasPrefix(argv[j], "-") && strings.HasSuffix(argv[j], "c") && !strings.HasPrefix(argv[j], "--")) {
				text = argv[j+1]
				break
			}
		}
	}
	if text == "" || strings.IndexByte(text, 1) >= 0 || nesting([]byte(text)) > maxNesting {
		return
	}
	f, err := newParser().Parse(strings.NewReader(text), "")
	if err != nil {
		return
	}
	w.s.Substs = append(w.s.Substs, Subst{ID: len(w.s.Substs) + 1, Kind: Inner, Owner: i, Parent: w.subst})
	saved := *w
	w.subst = len(w.s.Substs)
	w.pipe, w.stage, w.cond = 0, 0, 0
	w.lineBase = c.Line - 1
	w.offBase = c.Offset
	w.inner++
	w.stmts(f.Stmts, depth+1)
	w.inner = saved.inner
	w.subst, w.pipe, w.stage, w.cond = saved.subst, saved.pipe, saved.stage, saved.cond
	w.lineBase, w.offBase = saved.lineBase, saved.offBase
}

func firstOr(a []string) string {
	if len(a) == 0 {
		return ""
	}
	return a[0]
}

// IsShell reports whether a program name is a shell interpreter.
func IsShell(name string) bool {
	switch name {
	case "sh", "bash", "dash", "zsh", "ksh", "ash", "mksh", "busybox", "fish":
		return true
	}
	return false
}
