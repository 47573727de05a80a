package pybehavior

import "strings"

// nodeKind is the kind of an expression node. The tree is deliberately
// coarse: what the detectors need is calls with their callee and arguments,
// names, attributes, subscripts, literals, comparisons and which names an
// expression reads. Operator precedence is not modelled: a chain of binary,
// boolean and comparison operators is one nOp node with its operators.
type nodeKind uint8

const (
	nName   nodeKind = iota + 1
	nAttr            // x.name
	nCall            // x(kids), kws names keyword arguments
	nSub             // x[kids]
	nStr             // str holds the body; fields the f-string expressions
	nNum             // name holds the text
	nConst           // True, False, None, ...
	nSeq             // tuple, list, set, dict, comprehension: kids
	nOp              // kids joined by ops
	nWalrus          // name := x
	nSlice           // a[b:c:d] part: kids
	nOther           // something not modelled
)

type node struct {
	kind   nodeKind
	name   string
	prefix string // string prefix, lower case
	str    string
	x      *node
	kids   []*node
	kws    []string // per kid of a call: "" positional, a keyword, "*" or "**"
	ops    []string
	off    int
}

// Bounds on the expression parser: nesting deeper than maxDepth is skipped
// as one opaque node, and a file yields at most maxNodes nodes (the rest of
// the file then parses to opaque nodes), so memory stays proportional to
// what is worth examining.
const (
	maxDepth = 100
	maxNodes = 1 << 20
)

var other = &node{kind: nOther}

// parser parses expressions from one logical line's tokens.
type parser struct {
	src   string
	toks  []token
	i     int
	depth int
	nodes *int
	// fdepth bounds f-string expressions parsed recursively.
	fdepth int
}

func (p *parser) text(t token) string { return p.src[t.off:t.end] }

func (p *parser) peek() (token, string, bool) {
	if p.i >= len(p.toks) {
		return token{}, "", false
	}
	t := p.toks[p.i]
	return t, p.text(t), true
}

func (p *parser) isOp(s string) bool {
	t, txt, ok := p.peek()
	return ok && t.kind == tOp && txt == s
}

func (p *parser) isKw(s string) bool {
	t, txt, ok := p.peek()
	return ok && t.kind == tName && txt == s
}

func (p *parser) newNode(n node) *node {
	*p.nodes++
	if *p.nodes > maxNodes {
		return other
	}
	return &n
}

// binOps are the operators that continue an expression.
var binOps = map[string]bool{
	"+": true, "-": true, "*": true, "/": true, "//": true, "%": true, "**": true, "@": true,
	"&": true, "|": true, "^": true, "<<": true, ">>": true,
	"==": true, "!=": true, "<": true, ">": true, "<=": true, ">=": true,
}

var wordOps = map[string]bool{"and": true, "or": true, "in": true, "is": true, "not": true, "if": true, "else": true}

// expr parses an expression: operands joined by binary, boolean and
// comparison operators and the conditional "x if c else y".
func (p *parser) expr() *node {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > 2*maxDepth {
		// Pathological nesting (lambda: lambda: ..., f-string in f-string):
		// the rest of the line is one opaque node.
		p.i = len(p.toks)
		return other
	}
	start := p.i
	first := p.unary()
	var kids []*node
	var ops []string
	for {
		t, txt, ok := p.peek()
		if !ok {
			break
		}
		op := ""
		switch {
		case t.kind == tOp && binOps[txt]:
			op = txt
			p.i++
		case t.kind == tName && wordOps[txt]:
			if txt == "else" && !contains(ops, "if") {
				break
			}
			p.i++
			op = txt
			if txt == "not" && p.isKw("in") {
				p.i++
				op = "not in"
			} else if txt == "is" && p.isKw("not") {
				p.i++
				op = "is not"
			}
		}
		if op == "" {
			break
		}
		if kids == nil {
			kids = []*node{first}
		}
		kids = append(kids, p.unary())
		ops = append(ops, op)
	}
	if p.i == start && p.i < len(p.toks) {
		// Nothing parsed: consume one token so callers always progress.
		p.i++
	}
	if kids == nil {
		return first
	}
	return p.newNode(node{kind: nOp, kids: kids, ops: ops, off: first.off})
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func (p *parser) unary() *node {
	t, txt, ok := p.peek()
	if !ok {
		return other
	}
	neg := false
	for t.kind == tOp && (txt == "-" || txt == "+" || txt == "~" || txt == "*" || txt == "**") ||
		t.kind == tName && (txt == "not" || txt == "await") {
		neg = txt == "-"
		p.i++
		if t, txt, ok = p.peek(); !ok {
			return other
		}
	}
	if neg && t.kind == tNum {
		p.i++
		return p.newNode(node{kind: nNum, name: "-" + txt, off: int(t.off)})
	}
	if t.kind == tName && txt == "lambda" {
		// Skip the parameters; the body is an expression.
		for p.i < len(p.toks) && !p.isOp(":") {
			p.i++
		}
		p.i++
		return p.expr()
	}
	if t.kind == tName && txt == "yield" {
		p.i++
		if p.isKw("from") {
			p.i++
		}
		if p.atEnd() {
			return other
		}
		return p.expr()
	}
	return p.postfix()
}

// atEnd: the next token closes the current expression.
func (p *parser) atEnd() bool {
	t, txt, ok := p.peek()
	if !ok {
		return true
	}
	return t.kind == tOp && (txt == ")" || txt == "]" || txt == "}" || txt == "," || txt == ":" || txt == "=")
}

func (p *parser) postfix() *node {
	n := p.atom()
	for trailers := 0; p.i < len(p.toks); trailers++ {
		if trailers > 256 {
			// a.b.c... thousands deep: nothing real looks like this.
			n = other
		}
		switch {
		case p.isOp("."):
			p.i++
			t, txt, ok := p.peek()
			if !ok || t.kind != tName {
				return n
			}
			p.i++
			n = p.newNode(node{kind: nAttr, x: n, name: txt, off: int(t.off)})
		case p.isOp("("):
			off := int(p.toks[p.i].off)
			p.i++
			kids, kws := p.items(")", true)
			n = p.newNode(node{kind: nCall, x: n, kids: kids, kws: kws, off: off})
		case p.isOp("["):
			off := int(p.toks[p.i].off)
			p.i++
			kids, _ := p.items("]", false)
			n = p.newNode(node{kind: nSub, x: n, kids: kids, off: off})
		default:
			return n
		}
	}
	return n
}

func (p *parser) atom() *node {
	t, txt, ok := p.peek()
	if !ok {
		return other
	}
	switch t.kind {
	case tName:
		p.i++
		switch txt {
		case "True", "False", "None", "Ellipsis", "NotImplemented":
			return p.newNode(node{kind: nConst, name: txt, off: int(t.off)})
		}
		return p.newNode(node{kind: nName, name: txt, off: int(t.off)})
	case tNum:
		p.i++
		return p.newNode(node{kind: nNum, name: txt, off: int(t.off)})
	case tStr:
		return p.strings()
	}
	switch txt {
	case "(", "[", "{":
		p.i++
		closer := map[string]string{"(": ")", "[": "]", "{": "}"}[txt]
		kids, _ := p.items(closer, false)
		if txt == "(" && len(kids) == 1 && kids[0].kind != nSeq {
			return kids[0] // parenthesised expression
		}
		return p.newNode(node{kind: nSeq, kids: kids, name: txt, off: int(t.off)})
	}
	p.i++
	return other
}

// strings parses adjacent string literals as one (implicit concatenation).
func (p *parser) strings() *node {
	first := p.toks[p.i]
	var b strings.Builder
	n := &node{kind: nStr, off: int(first.off)}
	for p.i < len(p.toks) && p.toks[p.i].kind == tStr {
		prefix, body, bodyOff := strParts(p.text(p.toks[p.i]))
		if n.prefix == "" {
			n.prefix = prefix
		}
		if b.Len() < 1<<20 {
			b.WriteString(body)
		}
		if strings.ContainsAny(prefix, "ft") && p.fdepth < maxFStringDepth {
			base := int(p.toks[p.i].off) + bodyOff
			for _, sp := range fieldSpans(body) {
				n.kids = append(n.kids, p.sub(base+sp[0], base+sp[1]))
			}
		}
		p.i++
	}
	n.str = b.String()
	*p.nodes++
	if *p.nodes > maxNodes {
		return other
	}
	return n
}

// sub parses the source span [start, end) (an f-string field) as an
// expression.
func (p *parser) sub(start, end int) *node {
	var toks []token
	lx := &lexer{src: p.src[:end], pos: start}
	for lx.pos < end && len(toks) < 256 {
		c := lx.src[lx.pos]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\\' || c == '#' {
			lx.pos++
			continue
		}
		toks = append(toks, lx.next())
	}
	q := &parser{src: p.src, toks: toks, nodes: p.nodes, fdepth: p.fdepth + 1, depth: p.depth}
	return q.expr()
}

// items parses comma-separated items up to closer, with keyword arguments
// (call), dict pairs, slices, star arguments, walrus and comprehensions.
func (p *parser) items(closer string, call bool) ([]*node, []string) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		p.skipTo(closer)
		return nil, nil
	}
	var kids []*node
	var kws []string
	for p.i < len(p.toks) {
		if p.isOp(closer) {
			p.i++
			return kids, kws
		}
		if p.isOp(")") || p.isOp("]") || p.isOp("}") {
			// Mismatched closer: the line is broken; stop here.
			p.i++
			return kids, kws
		}
		if p.isOp(",") {
			p.i++
			continue
		}
		kw := ""
		if p.isOp("**") {
			kw = "**"
			p.i++
		} else if p.isOp("*") {
			kw = "*"
			p.i++
		} else if call && p.i+1 < len(p.toks) && p.toks[p.i].kind == tName && p.toks[p.i+1].kind == tOp && p.text(p.toks[p.i+1]) == "=" {
			kw = p.text(p.toks[p.i])
			p.i += 2
		}
		var n *node
		if p.isOp(":") {
			n = other // slice without a start
		} else {
			n = p.expr()
		}
		if p.isOp(":=") && n.kind == nName {
			p.i++
			n = p.newNode(node{kind: nWalrus, name: n.name, x: p.expr(), off: n.off})
		}
		if p.isOp(":") {
			// A dict pair or a slice: keep both parts.
			parts := []*node{n}
			for p.isOp(":") {
				p.i++
				if p.atEnd() {
					parts = append(parts, other)
					continue
				}
				parts = append(parts, p.expr())
			}
			n = p.newNode(node{kind: nSlice, kids: parts, off: n.off})
		}
		for p.isKw("for") || p.isKw("async") {
			// Comprehension: keep the iterables and conditions as items.
			if p.isKw("async") {
				p.i++
			}
			p.i++
			for p.i < len(p.toks) && !p.isKw("in") && !p.isOp(closer) {
				p.i++
			}
			if p.isKw("in") {
				p.i++
				n = p.newNode(node{kind: nSeq, name: "for", kids: []*node{n, p.expr()}, off: n.off})
			}
			for p.isKw("if") {
				p.i++
				n.kids = append(n.kids, p.expr())
			}
		}
		kids = append(kids, n)
		kws = append(kws, kw)
		if len(kids) > 4096 {
			p.skipTo(closer)
			return kids, kws
		}
	}
	return kids, kws
}

// skipTo skips to just past the closer that balances the current level.
func (p *parser) skipTo(closer string) {
	level := 0
	for p.i < len(p.toks) {
		t := p.toks[p.i]
		p.i++
		if t.kind != tOp {
			continue
		}
		switch p.text(t) {
		case "(", "[", "{":
			level++
		case ")", "]", "}":
			if level == 0 {
				return
			}
			level--
		}
	}
}

// walk calls f for n and every node below it, depth first, bounded.
func walk(n *node, f func(*node) bool) {
	walkDepth(n, f, 0)
}

func walkDepth(n *node, f func(*node) bool, d int) {
	if n == nil || d > 2*maxDepth+8 || !f(n) {
		return
	}
	if n.x != nil {
		walkDepth(n.x, f, d+1)
	}
	for _, k := range n.kids {
		walkDepth(k, f, d+1)
	}
}
