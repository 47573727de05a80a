package surveil

import (
	"bytes"
	"path"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Limits that keep hostile scripts cheap: a capture script is a few KiB.
const (
	maxScript  = 1 << 20 // bytes of one script parsed
	maxCmds    = 20000   // commands kept per script
	maxWordLen = 4096    // bytes of one expanded word
	maxTextLen = 200     // bytes of source kept as evidence
	maxNesting = 120     // bracket nesting above which the parser is not trusted
	maxVars    = 4096    // variables remembered
)

// cmd is one simple command as the script would run it.
type cmd struct {
	args  []string // expanded; unknown parts read "${NAME}" or "$(…)"
	line  int
	text  string
	pipe  int // pipeline id, 0 when not in a pipeline
	stage int // position in its pipeline
	out   string
	in    string
}

// parseScript returns the commands of a script in source order. It never
// fails: text the parser refuses, or nests too deeply to trust it with, is
// read line by line.
func parseScript(src []byte) []cmd {
	if len(src) > maxScript {
		src = src[:maxScript]
	}
	w := &walker{src: src, vars: map[string]string{}, pipes: map[*syntax.Stmt][2]int{}}
	if nesting(src) <= maxNesting {
		if f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(bytes.NewReader(src), ""); err == nil {
			w.walk(f, 0)
			return w.cmds
		}
	}
	line := 0
	for rest := src; len(rest) > 0 && len(w.cmds) < maxCmds; line++ {
		l := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			l, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		if len(bytes.TrimSpace(l)) == 0 || nesting(l) > maxNesting {
			continue
		}
		if f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(bytes.NewReader(l), ""); err == nil {
			w.walk(f, line)
		}
	}
	return w.cmds
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
	cmds     []cmd
	vars     map[string]string
	pipes    map[*syntax.Stmt][2]int // stage statement → pipeline id, position
	npipes   int
	lineBase int
}

// walk visits the file in source order: syntax.Walk goes depth first, so
// commands inside loops, ifs and $(...) come where the text has them.
func (w *walker) walk(f *syntax.File, lineBase int) {
	w.lineBase = lineBase
	syntax.Walk(f, func(n syntax.Node) bool {
		if len(w.cmds) >= maxCmds {
			return false
		}
		switch x := n.(type) {
		case *syntax.BinaryCmd:
			if x.Op == syntax.Pipe || x.Op == syntax.PipeAll {
				if _, inner := w.pipes[x.X]; !inner {
					w.npipes++
				}
				// Left-nested pipelines: number the stages once, from the
				// outermost node.
				var stages []*syntax.Stmt
				flatten(x, &stages, 0)
				for i, s := range stages {
					if _, ok := w.pipes[s]; !ok {
						w.pipes[s] = [2]int{w.npipes, i}
					}
				}
			}
		case *syntax.Stmt:
			if call, ok := x.Cmd.(*syntax.CallExpr); ok {
				w.call(x, call)
			}
		}
		return true
	})
}

func flatten(b *syntax.BinaryCmd, out *[]*syntax.Stmt, depth int) {
	if depth > 256 {
		return
	}
	for _, s := range []*syntax.Stmt{b.X, b.Y} {
		if inner, ok := s.Cmd.(*syntax.BinaryCmd); ok && (inner.Op == syntax.Pipe || inner.Op == syntax.PipeAll) {
			flatten(inner, out, depth+1)
		} else {
			*out = append(*out, s)
		}
	}
}

func (w *walker) call(st *syntax.Stmt, c *syntax.CallExpr) {
	if len(c.Args) == 0 {
		for _, a := range c.Assigns {
			if a.Name != nil && len(w.vars) < maxVars {
				v := ""
				if a.Value != nil {
					v = w.word(a.Value)
				}
				w.vars[a.Name.Value] = v
			}
		}
		return
	}
	k := cmd{line: int(st.Pos().Line()) + w.lineBase, text: w.lineText(st)}
	for _, a := range c.Args {
		k.args = append(k.args, w.word(a))
	}
	for _, r := range st.Redirs {
		if r.Word == nil {
			continue
		}
		switch r.Op {
		case syntax.RdrOut, syntax.AppOut, syntax.RdrClob, syntax.RdrAll, syntax.AppAll:
			if r.N == nil || r.N.Value == "1" {
				k.out = w.word(r.Word)
			}
		case syntax.RdrIn:
			k.in = w.word(r.Word)
		}
	}
	if p, ok := w.pipes[st]; ok {
		k.pipe, k.stage = p[0], p[1]+1
	}
	w.cmds = append(w.cmds, k)
}

// word expands a word as far as the script says: literals, quotes and
// variables assigned a known value; other expansions stay marked.
func (w *walker) word(wd *syntax.Word) string {
	var b strings.Builder
	w.parts(&b, wd.Parts, 0)
	s := b.String()
	if len(s) > maxWordLen {
		s = s[:maxWordLen]
	}
	return s
}

func (w *walker) parts(b *strings.Builder, parts []syntax.WordPart, depth int) {
	if depth > 16 || b.Len() > maxWordLen {
		return
	}
	for _, p := range parts {
		switch x := p.(type) {
		case *syntax.Lit:
			b.WriteString(x.Value)
		case *syntax.SglQuoted:
			b.WriteString(x.Value)
		case *syntax.DblQuoted:
			w.parts(b, x.Parts, depth+1)
		case *syntax.ParamExp:
			name := ""
			if x.Param != nil {
				name = x.Param.Value
			}
			if v, ok := w.vars[name]; ok && x.Exp == nil && x.Repl == nil && x.Slice == nil {
				b.WriteString(v)
			} else {
				b.WriteString("${" + name + "}")
			}
		case *syntax.CmdSubst:
			b.WriteString("$(…)")
		default:
			b.WriteString("$(…)")
		}
	}
}

func (w *walker) lineText(st *syntax.Stmt) string {
	start, end := int(st.Pos().Offset()), int(st.End().Offset())
	if start < 0 || start > len(w.src) || w.lineBase > 0 {
		return ""
	}
	end = min(max(end, start), len(w.src), start+maxTextLen)
	s := string(w.src[start:end])
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// isShell says whether a text file is a shell script: a shell shebang, a
// shell extension, or no extension of another language and text that
// reads like shell.
func isShell(name string, data []byte) bool {
	if bytes.HasPrefix(data, []byte("#!")) {
		first, _, _ := bytes.Cut(data[:min(len(data), 256)], []byte("\n"))
		for _, sh := range []string{"sh", "bash", "ash", "dash", "ksh", "busybox", "rc.common"} {
			if bytes.HasSuffix(bytes.TrimSpace(first), []byte(sh)) || bytes.Contains(first, []byte("/"+sh+" ")) || bytes.Contains(first, []byte("env "+sh)) {
				return true
			}
		}
		return false
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".sh", ".bash", ".ash":
		return true
	case "":
		return bytes.Contains(data, []byte("\nfi\n")) || bytes.Contains(data, []byte("; then")) || bytes.Contains(data, []byte("; do")) || bytes.Contains(data, []byte(" | "))
	}
	return false
}
