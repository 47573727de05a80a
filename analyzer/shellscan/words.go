package shellscan

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"mvdan.cc/sh/v3/syntax"
)

// word expands a word as far as the script says: literals and quotes as
// written, known variables by value, substitutions by token (their
// commands are walked and added to the script).
func (w *walker) word(wd *syntax.Word, depth int) string {
	if wd == nil {
		return ""
	}
	var b strings.Builder
	w.parts(&b, wd.Parts, depth)
	return b.String()
}

func (w *walker) parts(b *strings.Builder, parts []syntax.WordPart, depth int) {
	for _, p := range parts {
		if depth > maxDepth || w.steps >= maxSteps {
			w.s.Truncated = true
			return
		}
		w.steps++
		w.part(b, p, depth)
	}
}

func appendCapped(b *strings.Builder, s string) {
	if room := maxWordLen - b.Len(); room > 0 {
		if len(s) > room {
			s = s[:room]
		}
		b.WriteString(s)
	}
}

func (w *walker) part(b *strings.Builder, p syntax.WordPart, depth int) {
	switch x := p.(type) {
	case *syntax.Lit:
		appendCapped(b, x.Value)
	case *syntax.SglQuoted:
		if x.Dollar {
			s, n := decodeANSI(x.Value)
			w.escapes += n
			appendCapped(b, s)
		} else {
			appendCapped(b, x.Value)
		}
	case *syntax.DblQuoted:
		w.parts(b, x.Parts, depth+1)
	case *syntax.ParamExp:
		w.param(b, x, depth)
	case *syntax.CmdSubst:
		appendCapped(b, Token(w.substitute(CmdSubst, x.Stmts, depth)))
	case *syntax.ProcSubst:
		k := ProcIn
		if x.Op == syntax.CmdOut {
			k = ProcOut
		}
		appendCapped(b, Token(w.substitute(k, x.Stmts, depth)))
	case *syntax.ArithmExp:
		appendCapped(b, "$((")
		w.arithmText(b, x.X, depth+1)
		appendCapped(b, "))")
	case *syntax.ExtGlob:
		appendCapped(b, x.Op.String()+x.Pattern.Value+")")
	case *syntax.BraceExp:
		appendCapped(b, "{")
		for i, e := range x.Elems {
			if i > 0 {
				appendCapped(b, ",")
			}
			appendCapped(b, w.word(e, depth+1))
		}
		appendCapped(b, "}")
	}
}

func (w *walker) param(b *strings.Builder, x *syntax.ParamExp, depth int) {
	if x.Param == nil {
		return
	}
	name := x.Param.Value
	if x.Length || x.Excl || x.Index != nil || x.Slice != nil || x.Repl != nil || x.Names != 0 {
		appendCapped(b, "$"+name)
		return
	}
	if v, ok := w.vars[name]; ok {
		appendCapped(b, v)
		return
	}
	if x.Exp != nil && x.Exp.Word != nil {
		// ${x:-default}: the default is what an unset x gives; keep the
		// name too, so "$HOME" stays recognisable.
		appendCapped(b, "$"+name)
		w.word(x.Exp.Word, depth+1) // walk substitutions in the default
		return
	}
	appendCapped(b, "$"+name)
}

// substitute walks the statements of a substitution as commands of their
// own and returns its id. Owner is fixed by the caller (-2: pending).
func (w *walker) substitute(k SubstKind, list []*syntax.Stmt, depth int) int {
	w.s.Substs = append(w.s.Substs, Subst{ID: len(w.s.Substs) + 1, Kind: k, Owner: -2, Parent: w.subst})
	id := len(w.s.Substs)
	savedSubst, savedPipe, savedStage, savedCond, savedEsc := w.subst, w.pipe, w.stage, w.cond, w.escapes
	w.subst, w.pipe, w.stage, w.cond, w.escapes = id, 0, 0, 0, 0
	w.stmts(list, depth+1)
	// A substitution that was not claimed by a command of its own level
	// (an assignment, a redirection) keeps Owner -1.
	for j := id; j < len(w.s.Substs); j++ {
		if w.s.Substs[j].Owner == -2 && w.s.Substs[j].Parent == id {
			w.s.Substs[j].Owner = -1
		}
	}
	w.subst, w.pipe, w.stage, w.cond, w.escapes = savedSubst, savedPipe, savedStage, savedCond, savedEsc
	return id
}

// arithmText writes an arithmetic expression as text, walking the
// substitutions in it.
func (w *walker) arithmText(b *strings.Builder, x syntax.ArithmExpr, depth int) {
	if depth > maxDepth {
		return
	}
	switch e := x.(type) {
	case *syntax.Word:
		appendCapped(b, w.word(e, depth+1))
	case *syntax.BinaryArithm:
		w.arithmText(b, e.X, depth+1)
		appendCapped(b, e.Op.String())
		w.arithmText(b, e.Y, depth+1)
	case *syntax.UnaryArithm:
		appendCapped(b, e.Op.String())
		w.arithmText(b, e.X, depth+1)
	case *syntax.ParenArithm:
		appendCapped(b, "(")
		w.arithmText(b, e.X, depth+1)
		appendCapped(b, ")")
	}
}

// testExpr turns [[ ]] into comparison commands, one per comparison.
func (w *walker) testExpr(st *syntax.Stmt, x syntax.TestExpr, depth int) {
	if depth > maxDepth || w.full() {
		return
	}
	switch e := x.(type) {
	case *syntax.BinaryTest:
		if e.Op == syntax.AndTest || e.Op == syntax.OrTest {
			w.testExpr(st, e.X, depth+1)
			w.testExpr(st, e.Y, depth+1)
			return
		}
		xs, ys := w.testWord(e.X, depth), w.testWord(e.Y, depth)
		w.add([]string{"[[", xs, e.Op.String(), ys, "]]"}, st.Pos(), nil)
	case *syntax.UnaryTest:
		w.add([]string{"[[", e.Op.String(), w.testWord(e.X, depth), "]]"}, st.Pos(), nil)
	case *syntax.ParenTest:
		w.testExpr(st, e.X, depth+1)
	case *syntax.Word:
		w.add([]string{"[[", w.word(e, depth+1), "]]"}, st.Pos(), nil)
	}
}

func (w *walker) testWord(x syntax.TestExpr, depth int) string {
	if wd, ok := x.(*syntax.Word); ok {
		return w.word(wd, depth+1)
	}
	return ""
}

// arithm turns (( X op Y )) into a comparison command.
func (w *walker) arithm(st *syntax.Stmt, x syntax.ArithmExpr, depth int) {
	if e, ok := x.(*syntax.BinaryArithm); ok {
		var xb, yb strings.Builder
		w.arithmText(&xb, e.X, depth+1)
		w.arithmText(&yb, e.Y, depth+1)
		w.add([]string{"((", xb.String(), e.Op.String(), yb.String(), "))"}, st.Pos(), nil)
		return
	}
	var b strings.Builder
	w.arithmText(&b, x, depth+1)
	w.add([]string{"((", b.String(), "))"}, st.Pos(), nil)
}

// testOps are the comparison operators of test, [ ] and [[ ]].
var testOps = map[string]bool{
	"=": true, "==": true, "!=": true, "<": true, ">": true, "=~": true,
	"-eq": true, "-ne": true, "-lt": true, "-le": true, "-gt": true, "-ge": true,
	"-nt": true, "-ot": true, "<=": true, ">=": true,
}

// testOf reads a comparison from a test command's words.
func testOf(args []string) *Test {
	if len(args) == 0 {
		return nil
	}
	a := args[1:]
	switch Base(args[0]) {
	case "[", "[[", "((":
		if len(a) > 0 && (a[len(a)-1] == "]" || a[len(a)-1] == "]]" || a[len(a)-1] == "))") {
			a = a[:len(a)-1]
		}
	case "test":
	default:
		return nil
	}
	if len(a) > 0 && a[0] == "!" {
		a = a[1:]
	}
	switch {
	case len(a) >= 3 && testOps[a[1]]:
		return &Test{X: a[0], Op: a[1], Y: a[2]}
	case len(a) >= 2 && strings.HasPrefix(a[0], "-"):
		return &Test{Op: a[0], Y: a[1]}
	case len(a) == 1:
		return &Test{Y: a[0]}
	}
	return nil
}

// decodeANSI decodes the escapes of a $'...' string and counts the \x,
// \u and octal ones.
func decodeANSI(s string) (string, int) {
	if strings.IndexByte(s, '\\') < 0 {
		return s, 0
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch e := s[i]; e {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'x', 'u', 'U':
			max := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
			j := i + 1
			for j < len(s) && j < i+1+max && isHex(s[j]) {
				j++
			}
			if j == i+1 {
				b.WriteByte('\\')
				b.WriteByte(e)
				continue
			}
			v, _ := strconv.ParseUint(s[i+1:j], 16, 32)
			if e == 'x' {
				b.WriteByte(byte(v))
			} else if r := rune(v); utf8.ValidRune(r) {
				b.WriteRune(r)
			}
			n++
			i = j - 1
		case '0', '1', '2', '3', '4', '5', '6', '7':
			j := i
			for j < len(s) && j < i+3 && s[j] >= '0' && s[j] <= '7' {
				j++
			}
			v, _ := strconv.ParseUint(s[i:j], 8, 16)
			b.WriteByte(byte(v))
			n++
			i = j - 1
		default:
			b.WriteByte(e)
		}
	}
	return b.String(), n
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
