package bootsvc

import (
	"bytes"
	"path"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Limits that keep hostile scripts cheap: a boot script is a few KiB, so
// anything beyond these is not worth reading whole.
const (
	maxScript    = 1 << 20 // bytes of one script parsed
	maxCmds      = 20000   // commands kept per script
	maxWalkDepth = 64      // nesting of blocks, ifs, subshells, sh -c
	maxTextLen   = 240     // bytes of a command's source kept as evidence
)

// Cmd is one command a script would run, with its words expanded as far as
// the script itself says (simple variable assignments, defaults).
type Cmd struct {
	Args       []string   // expanded words; an unknown expansion stays "$NAME"
	Line       int        // 1-based line in the file
	Text       string     // the command's source line, capped
	Background bool       // "cmd &"
	Pipe       [][]string // every stage of the pipeline the command is in
	Cond       bool       // inside an if, a loop, a || / && or a case on something other than $1
}

// Script is what a shell file would run: its top-level commands (the
// branches a boot "start" takes) and its function bodies, kept apart so the
// final pass runs a function only when something calls it.
type Script struct {
	Top   []Cmd
	Funcs map[string][]Cmd
	// RcCommon is set for OpenWrt scripts run through /etc/rc.common, whose
	// boot/start/start_service functions the framework calls.
	RcCommon bool
	// Broken is set when the parser gave up and lines were read one by one.
	Broken bool
}

// ParseScript reads a shell script. It never fails: text the parser
// refuses is read line by line, so a stray syntax error cannot hide a
// telnetd line from the analysis.
func ParseScript(src []byte) *Script {
	if len(src) > maxScript {
		src = src[:maxScript]
	}
	s := &Script{Funcs: map[string][]Cmd{}}
	first, _, _ := bytes.Cut(src, []byte("\n"))
	s.RcCommon = bytes.HasPrefix(first, []byte("#!")) && bytes.Contains(first, []byte("rc.common"))
	w := newWalker(src, s)
	if tooDeep(src) {
		s.Broken = true
		w.lineByLine(&s.Top)
		return s
	}
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(bytes.NewReader(src), "")
	if err == nil {
		w.collectAssigns(f)
		w.stmts(f.Stmts, ctx{lineBase: 0}, &s.Top)
		return s
	}
	s.Broken = true
	w.lineByLine(&s.Top)
	return s
}

// ctx is where in the script a statement is.
type ctx struct {
	cond     bool
	bg       bool // the enclosing statement runs in the background
	depth    int
	lineBase int // added to positions, for text parsed out of "sh -c"
	pipe     [][]string
}

type walker struct {
	src    []byte
	script *Script
	vars   map[string]string // values as the script runs, in order
	once   map[string]string // variables assigned exactly one literal value anywhere
	n      int               // commands kept so far
	starts []int             // offsets where lines start, computed when needed
}

func newWalker(src []byte, s *Script) *walker {
	return &walker{src: src, script: s, vars: map[string]string{}, once: map[string]string{}}
}

// collectAssigns finds variables the script assigns a single literal value
// anywhere, so a function body can use a variable set after it is declared
// but before it is called (DAEMON=/usr/sbin/telnetd at the bottom).
func (w *walker) collectAssigns(f *syntax.File) {
	multi := map[string]bool{}
	n := 0
	syntax.Walk(f, func(node syntax.Node) bool {
		n++
		if n > 200000 {
			return false
		}
		a, ok := node.(*syntax.Assign)
		if !ok || a.Name == nil || a.Value == nil || a.Array != nil || a.Index != nil {
			return true
		}
		v, lit := literal(a.Value)
		name := a.Name.Value
		if !lit || multi[name] {
			multi[name] = true
			delete(w.once, name)
			return true
		}
		if old, seen := w.once[name]; seen && old != v {
			multi[name] = true
			delete(w.once, name)
			return true
		}
		w.once[name] = v
		return true
	})
}

// literal returns a word's value when it has no expansions.
func literal(wd *syntax.Word) (string, bool) {
	var b strings.Builder
	for _, p := range wd.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			b.WriteString(p.Value)
		case *syntax.SglQuoted:
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				l, ok := q.(*syntax.Lit)
				if !ok {
					return "", false
				}
				b.WriteString(l.Value)
			}
		default:
			return "", false
		}
	}
	return b.String(), true
}

func (w *walker) add(out *[]Cmd, c Cmd) {
	if w.n >= maxCmds {
		return
	}
	w.n++
	*out = append(*out, c)
}

func (w *walker) stmts(list []*syntax.Stmt, c ctx, out *[]Cmd) {
	for _, st := range list {
		w.stmt(st, c, out)
	}
}

func (w *walker) stmt(st *syntax.Stmt, c ctx, out *[]Cmd) {
	if st == nil || c.depth > maxWalkDepth {
		return
	}
	c.depth++
	if st.Background {
		c.bg = true
	}
	switch x := st.Cmd.(type) {
	case *syntax.CallExpr:
		w.call(st, x, c, out)
	case *syntax.DeclClause:
		for _, a := range x.Args {
			w.assign(a)
		}
	case *syntax.BinaryCmd:
		switch x.Op {
		case syntax.Pipe, syntax.PipeAll:
			var stages []*syntax.Stmt
			flattenPipe(x, &stages, 0)
			pc := c
			pc.pipe = nil
			for _, s := range stages {
				if call, ok := s.Cmd.(*syntax.CallExpr); ok && len(call.Args) > 0 {
					pc.pipe = append(pc.pipe, w.words(call.Args))
				}
			}
			for _, s := range stages {
				w.stmt(s, pc, out)
			}
		default: // && and ||: the left side runs, the right side may
			w.stmt(x.X, c, out)
			rc := c
			rc.cond = true
			w.stmt(x.Y, rc, out)
		}
	case *syntax.IfClause:
		cc := c
		cc.cond = true
		for ic := x; ic != nil; ic = ic.Else {
			w.stmts(ic.Cond, cc, out)
			w.stmts(ic.Then, cc, out)
		}
	case *syntax.WhileClause:
		cc := c
		cc.cond = true
		w.stmts(x.Cond, cc, out)
		w.stmts(x.Do, cc, out)
	case *syntax.ForClause:
		cc := c
		cc.cond = true
		if it, ok := x.Loop.(*syntax.WordIter); ok {
			for _, item := range it.Items {
				if g := w.word(item); isGlob(g) {
					w.add(out, Cmd{Args: []string{globCmd, g}, Line: w.line(item.Pos(), c), Text: w.text(item.Pos(), c), Cond: true})
				}
			}
		}
		w.stmts(x.Do, cc, out)
	case *syntax.CaseClause:
		w.caseClause(x, c, out)
	case *syntax.Block:
		w.stmts(x.Stmts, c, out)
	case *syntax.Subshell:
		w.stmts(x.Stmts, c, out)
	case *syntax.FuncDecl:
		if x.Name == nil || x.Body == nil {
			return
		}
		var body []Cmd
		w.stmt(x.Body, ctx{depth: c.depth, lineBase: c.lineBase}, &body)
		w.script.Funcs[x.Name.Value] = body
	case *syntax.TimeClause:
		w.stmt(x.Stmt, c, out)
	case *syntax.CoprocClause:
		w.stmt(x.Stmt, c, out)
	}
}

func flattenPipe(b *syntax.BinaryCmd, out *[]*syntax.Stmt, depth int) {
	if depth > maxWalkDepth {
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

// caseClause keeps the branches a boot takes: an init script is called
// with "start" (OpenWrt: "boot"), so in `case "$1" in` only the items that
// match one of those run; a case on anything else may take any branch.
func (w *walker) caseClause(x *syntax.CaseClause, c ctx, out *[]Cmd) {
	subject := w.word(x.Word)
	onAction := subject == "$1" || subject == "$ACTION" || subject == "$action" || subject == "$@" || subject == "$*"
	cc := c
	if !onAction {
		cc.cond = true
		for _, it := range x.Items {
			w.stmts(it.Stmts, cc, out)
		}
		return
	}
	explicit := false
	for _, it := range x.Items {
		if matchesBoot(w, it, false) {
			explicit = true
		}
	}
	for _, it := range x.Items {
		if matchesBoot(w, it, !explicit) {
			w.stmts(it.Stmts, c, out)
		}
	}
}

// matchesBoot reports whether a case item is taken for "start" or "boot";
// a catch-all pattern counts only when no item names them.
func matchesBoot(w *walker, it *syntax.CaseItem, catchAll bool) bool {
	for _, p := range it.Patterns {
		pat := w.word(p)
		if pat == "*" && !catchAll {
			continue
		}
		for _, arg := range []string{"start", "boot"} {
			if ok, err := path.Match(pat, arg); err == nil && ok {
				return true
			}
		}
	}
	return false
}

func (w *walker) assign(a *syntax.Assign) {
	if a == nil || a.Name == nil || a.Array != nil || a.Index != nil {
		return
	}
	if a.Value == nil {
		if a.Naked { // "export X": no new value
			return
		}
		w.vars[a.Name.Value] = ""
		return
	}
	v := w.word(a.Value)
	if a.Append {
		v = w.vars[a.Name.Value] + v
	}
	w.vars[a.Name.Value] = v
}

func (w *walker) call(st *syntax.Stmt, x *syntax.CallExpr, c ctx, out *[]Cmd) {
	if len(x.Args) == 0 {
		for _, a := range x.Assigns {
			w.assign(a)
		}
		return
	}
	if w.n >= maxCmds {
		return
	}
	args := w.words(x.Args)
	line := w.line(st.Pos(), c)
	cmd := Cmd{Args: args, Line: line, Text: w.text(st.Pos(), c), Cond: c.cond, Pipe: c.pipe, Background: c.bg}
	w.add(out, cmd)
	// Text run by a nested shell is parsed too: its commands run as well.
	if inner, ok := nestedShell(args); ok && c.depth < maxWalkDepth/2 {
		w.nested(inner, line, c, out)
	}
}

// nestedShell returns the script text of `sh -c TEXT`, `eval TEXT...` and
// `su -c TEXT`.
func nestedShell(args []string) (string, bool) {
	base := path.Base(args[0])
	if base == "eval" && len(args) > 1 {
		return strings.Join(args[1:], " "), true
	}
	if isShell(base) || base == "su" || base == "busybox" {
		for i := 1; i+1 < len(args); i++ {
			if args[i] == "-c" {
				return args[i+1], true
			}
		}
	}
	return "", false
}

func (w *walker) nested(text string, line int, c ctx, out *[]Cmd) {
	if tooDeep([]byte(text)) {
		return
	}
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(text), "")
	if err != nil {
		return
	}
	sub := &walker{src: []byte(text), script: w.script, vars: w.vars, once: w.once, n: w.n}
	var cmds []Cmd
	sub.stmts(f.Stmts, ctx{cond: c.cond, depth: c.depth + 1}, &cmds)
	w.n = sub.n
	for _, cm := range cmds {
		cm.Line = line // the nested text lives on the outer command's line
		cm.Text = w.lineText(line)
		*out = append(*out, cm)
	}
}

// words expands each word to one argument (no field splitting: boot
// scripts quote little, and a split $VAR would lose the command's shape
// only in ways that do not matter here, except the one handled below).
func (w *walker) words(ws []*syntax.Word) []string {
	out := make([]string, 0, len(ws))
	for _, wd := range ws {
		v := w.word(wd)
		// An unquoted variable holding several words ($DAEMON_ARGS)
		// becomes several arguments.
		if isUnquotedParam(wd) && strings.ContainsAny(v, " \t") {
			out = append(out, strings.Fields(v)...)
			continue
		}
		out = append(out, v)
	}
	return out
}

func isUnquotedParam(wd *syntax.Word) bool {
	if len(wd.Parts) != 1 {
		return false
	}
	_, ok := wd.Parts[0].(*syntax.ParamExp)
	return ok
}

func (w *walker) word(wd *syntax.Word) string {
	if wd == nil {
		return ""
	}
	var b strings.Builder
	w.parts(wd.Parts, &b, 0)
	return b.String()
}

func (w *walker) parts(ps []syntax.WordPart, b *strings.Builder, depth int) {
	if depth > 8 {
		return
	}
	for _, p := range ps {
		if b.Len() > 4096 {
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
			b.WriteString(w.param(p, depth))
		case *syntax.CmdSubst:
			b.WriteString("$(...)")
		default:
			b.WriteString("$?")
		}
	}
}

// param expands $NAME, ${NAME} and ${NAME:-default} from what the script
// assigned; anything else stays as written.
func (w *walker) param(p *syntax.ParamExp, depth int) string {
	if p.Param == nil {
		return "$?"
	}
	name := p.Param.Value
	v, ok := w.vars[name]
	if !ok {
		v, ok = w.once[name]
	}
	if p.Exp != nil && p.Exp.Word != nil {
		switch p.Exp.Op {
		case syntax.DefaultUnset, syntax.DefaultUnsetOrNull:
			if !ok || (v == "" && p.Exp.Op == syntax.DefaultUnsetOrNull) {
				var b strings.Builder
				w.parts(p.Exp.Word.Parts, &b, depth+1)
				return b.String()
			}
			return v
		}
		if ok {
			return v
		}
		return "$" + name
	}
	if p.Index != nil || p.Slice != nil || p.Repl != nil || p.Length || p.Excl {
		return "$" + name
	}
	if ok {
		return v
	}
	return "$" + name
}

func (w *walker) line(p syntax.Pos, c ctx) int {
	return int(p.Line()) + c.lineBase
}

// text returns the source line of a position, capped for evidence.
func (w *walker) text(p syntax.Pos, c ctx) string {
	return w.lineText(w.line(p, c))
}

func (w *walker) lineText(line int) string {
	if line <= 0 {
		return ""
	}
	if w.starts == nil {
		w.starts = []int{0}
		for i, b := range w.src {
			if b == '\n' {
				w.starts = append(w.starts, i+1)
			}
		}
	}
	if line > len(w.starts) {
		return ""
	}
	src := w.src[w.starts[line-1]:]
	if j := bytes.IndexByte(src, '\n'); j >= 0 {
		src = src[:j]
	}
	src = bytes.TrimSpace(src)
	if len(src) > maxTextLen+8 {
		src = src[:maxTextLen+8]
	}
	return capText(string(src))
}

func capText(s string) string {
	if len(s) > maxTextLen {
		s = s[:maxTextLen] + "…"
	}
	return strings.ToValidUTF8(s, "?")
}

// lineByLine is the fallback for text the parser refuses: each line is
// parsed on its own, and a line that still fails is split on blanks.
func (w *walker) lineByLine(out *[]Cmd) {
	p := syntax.NewParser(syntax.Variant(syntax.LangBash))
	for i, raw := range bytes.Split(w.src, []byte("\n")) {
		line := strings.TrimSpace(string(raw))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if tooDeep(raw) {
			if fs := strings.Fields(capText(line)); len(fs) > 0 {
				w.add(out, Cmd{Args: fs, Line: i + 1, Text: capText(line), Cond: true})
			}
			continue
		}
		f, err := p.Parse(strings.NewReader(line), "")
		if err == nil {
			sub := &walker{src: raw, script: w.script, vars: w.vars, once: w.once, n: w.n}
			var cmds []Cmd
			sub.stmts(f.Stmts, ctx{cond: true}, &cmds)
			w.n = sub.n
			for _, c := range cmds {
				c.Line, c.Text = i+1, capText(line)
				w.add(out, c)
			}
			continue
		}
		if fs := strings.Fields(line); len(fs) > 0 {
			w.add(out, Cmd{Args: fs, Line: i + 1, Text: capText(line), Cond: true})
		}
	}
}

// globCmd is the pseudo-command a `for x in /etc/init.d/S*` loop becomes:
// the scripts the pattern matches run, in order.
const globCmd = "\x00glob"

func isGlob(s string) bool {
	return !strings.HasPrefix(s, "$") && strings.ContainsAny(s, "*?[")
}

// isShell reports whether a program name is a shell.
func isShell(base string) bool {
	switch strings.TrimPrefix(base, "-") {
	case "sh", "ash", "bash", "dash", "ksh", "mksh", "zsh", "hush", "msh", "csh", "tcsh", "rbash":
		return true
	}
	return false
}
