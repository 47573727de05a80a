package jsbehavior

import "github.com/tdewolff/parse/v2/js"

// fn is one function: declaration, expression, arrow or method.
type fn struct {
	name       string
	head       int // first token of the function expression
	pOpen      int // parameter list: [pOpen, pEnd] inclusive
	pEnd       int
	body, bEnd int // body [body, bEnd]; for an arrow with an expression body, bEnd is its last token
}

// findFuncs locates every function of the file, so that the walk can give
// each its own scope, taint callback parameters and skip function values
// inside expressions.
func (f *file) findFuncs() (fns []fn, byHead, byBody map[int]int, byName map[string]int) {
	byHead, byBody, byName = map[int]int{}, map[int]int{}, map[string]int{}
	add := func(x fn) {
		if x.body < 0 || x.body >= len(f.toks) {
			return
		}
		if _, dup := byBody[x.body]; dup {
			return
		}
		byHead[x.head] = len(fns)
		byBody[x.body] = len(fns)
		if x.name != "" {
			if _, seen := byName[x.name]; !seen {
				byName[x.name] = len(fns)
			}
		}
		fns = append(fns, x)
	}
	n := len(f.toks)
	// Arrow bodies without braces end where their expression ends; found
	// innermost first, so that x => y => z => ... stays linear.
	f.arrowEnd = map[int]int{}
	for i := n - 1; i >= 0; i-- {
		if f.typ(i) == js.ArrowToken && f.typ(i+1) != js.OpenBraceToken {
			f.arrowEnd[i] = f.exprEnd(i + 1)
		}
	}
	for i := 0; i < n; i++ {
		switch f.typ(i) {
		case js.FunctionToken:
			x := fn{head: i, pOpen: -1, body: -1}
			if f.typ(i-1) == js.AsyncToken {
				x.head = i - 1
			}
			for j := i + 1; j < i+5 && j < n; j++ {
				if f.typ(j) == js.OpenParenToken {
					x.pOpen, x.pEnd = j, f.end(j)
					break
				}
				if isName(f.typ(j)) {
					x.name = f.text(j)
				}
			}
			if x.pOpen < 0 {
				continue
			}
			x.body = f.nextBrace(x.pEnd + 1)
			if x.body < 0 {
				continue
			}
			x.bEnd = f.end(x.body)
			if x.name == "" {
				x.name = f.assignedName(x.head)
			}
			add(x)
		case js.ArrowToken:
			x := fn{pOpen: -1, body: i + 1}
			p := i - 1
			for q := i - 1; q > i-14 && q > 0; q-- { // TypeScript return type: (a): T =>
				if f.typ(q) == js.CloseParenToken && f.typ(q+1) == js.ColonToken {
					p = q
					break
				}
			}
			switch {
			case f.typ(p) == js.CloseParenToken && f.toks[p].m >= 0:
				x.pOpen, x.pEnd = int(f.toks[p].m), p
				x.head = x.pOpen
			case isName(f.typ(p)):
				x.pOpen, x.pEnd, x.head = p, p, p
			default:
				continue
			}
			if f.typ(x.head-1) == js.AsyncToken {
				x.head--
			}
			if f.typ(i+1) == js.OpenBraceToken {
				x.bEnd = f.end(i + 1)
			} else {
				x.bEnd = f.arrowEnd[i] - 1
			}
			if x.bEnd < x.body {
				continue
			}
			x.name = f.assignedName(x.head)
			add(x)
		case js.OpenBraceToken:
			p := i - 1
			for q := i - 1; q > i-14 && q > 0 && f.typ(q) != js.SemicolonToken && f.typ(q) != js.CloseBraceToken; q-- {
				if f.typ(q) == js.CloseParenToken && f.typ(q+1) == js.ColonToken {
					p = q
					break
				}
			}
			if f.typ(p) != js.CloseParenToken || f.toks[p].m < 0 {
				continue
			}
			o := int(f.toks[p].m)
			t := f.typ(o - 1)
			if !isName(t) || js.IsReservedWord(t) {
				continue
			}
			add(fn{name: f.text(o - 1), head: o - 1, pOpen: o, pEnd: p, body: i, bEnd: f.end(i)})
		}
	}
	return
}

// nextBrace finds the '{' that opens a body at or after i, past a
// TypeScript return type; -1 when there is none nearby.
func (f *file) nextBrace(i int) int {
	for j := i; j < i+40 && j < len(f.toks); j++ {
		switch f.typ(j) {
		case js.OpenBraceToken:
			return j
		case js.SemicolonToken, js.CloseBraceToken:
			return -1
		case js.OpenParenToken, js.OpenBracketToken:
			j = f.end(j)
		}
	}
	return -1
}

// assignedName is the name a function expression at head is bound to
// (const x = function, x: () => ..., exports.x = function), or "".
func (f *file) assignedName(head int) string {
	if (f.typ(head-1) == js.EqToken || f.typ(head-1) == js.ColonToken) && isName(f.typ(head-2)) {
		return f.text(head - 2)
	}
	return ""
}

// exprEnd returns the index just past the expression starting at i: the
// first ',', ';' or unmatched closer at depth 0, or a line break where
// automatic semicolon insertion ends a statement.
func (f *file) exprEnd(i int) int {
	n := len(f.toks)
	for j := i; j < n && j < i+20000; j++ {
		t := f.typ(j)
		switch {
		case t == js.CommaToken || t == js.SemicolonToken:
			return j
		case t == js.CloseParenToken || t == js.CloseBracketToken || t == js.CloseBraceToken:
			return j
		case isOpen(t):
			j = f.end(j)
			if j >= n {
				return n
			}
			continue
		case t == js.ArrowToken:
			if e, ok := f.arrowEnd[j]; ok {
				j = e - 1
				continue
			}
		}
		if j > i && f.toks[j].nl && (isName(t) && !js.IsOperator(t) || isStr(t) || js.IsNumeric(t)) && f.endsExprAt(j-1) {
			return j
		}
	}
	return min(n, i+20000)
}

// endsExprAt is endsExpr for token i.
func (f *file) endsExprAt(i int) bool {
	return i >= 0 && endsExpr(f.toks[:i+1], f.src)
}
