package pybehavior

import "strings"

// stmtKind is what a logical line does.
type stmtKind uint8

const (
	sExpr stmtKind = iota + 1
	sAssign
	sDef
	sClass
	sIf // if and elif
	sElse
	sWhile
	sFor
	sWith
	sReturn
	sImport
	sRaise
	sOther
)

// stmt is one statement: its kind, indentation and parts. Compound
// statements keep their header; an inline body ("if x: exec(y)") becomes a
// separate statement one column deeper.
type stmt struct {
	kind    stmtKind
	indent  int
	off     int
	keyword string  // the leading keyword ("elif", "try", ...)
	targets []*node // assignment, for and with-as targets
	value   *node   // assigned value, condition, iterable, return value, expression
	withs   []withItem
	name    string   // def or class name
	params  []string // def parameters
	bases   []*node  // class bases
	imports []alias  // import bindings
}

type withItem struct {
	expr   *node
	target *node
}

// alias binds a local name to a dotted module path.
type alias struct{ local, full string }

// compound are the keywords whose header ends with a top-level ':'.
var compound = map[string]bool{
	"if": true, "elif": true, "else": true, "while": true, "for": true, "with": true,
	"try": true, "except": true, "finally": true, "def": true, "class": true, "match": true, "case": true,
}

// maxStmts bounds the statements kept per file: no hand-written module
// comes near it, and a hostile file of tiny statements stays cheap.
const maxStmts = 100000

// parseFile lexes and parses src into statements, bounded by maxNodes.
func parseFile(src string) (stmts []stmt, hidden []int) {
	nodes := 0
	hidden = lex(src, func(ll logicalLine) {
		if len(stmts) >= maxStmts {
			return
		}
		p := &parser{src: src, toks: ll.toks, nodes: &nodes}
		stmts = parseLine(p, ll.indent, ll.off, stmts)
	})
	return stmts, hidden
}

// parseLine appends the statements of one logical line.
func parseLine(p *parser, indent, off int, out []stmt) []stmt {
	for guard := 0; p.i < len(p.toks) && guard < 64; guard++ {
		kw := ""
		if t := p.toks[p.i]; t.kind == tName {
			kw = p.text(t)
		}
		if kw == "async" && p.i+1 < len(p.toks) {
			p.i++
			kw = p.text(p.toks[p.i])
		}
		if kw == "match" || kw == "case" {
			// Soft keywords: a statement only when something stands between
			// the keyword and a top-level ':' ("match: int = 3" is not one).
			if colon := p.topColon(); colon <= p.i+1 {
				kw = ""
			}
		}
		if !compound[kw] {
			out = append(out, p.simple(indent, off))
			return out
		}
		colon := p.topColon()
		if colon < 0 {
			colon = len(p.toks)
		}
		head := &parser{src: p.src, toks: p.toks[p.i+1 : colon], nodes: p.nodes}
		s := stmt{indent: indent, off: int(p.toks[p.i].off), keyword: kw}
		switch kw {
		case "if", "elif":
			s.kind, s.value = sIf, head.expr()
		case "while":
			s.kind, s.value = sWhile, head.expr()
		case "else", "try", "finally":
			s.kind = sElse
		case "for":
			s.kind = sFor
			var targets []*node
			for head.i < len(head.toks) && !head.isKw("in") {
				if head.isOp(",") {
					head.i++
					continue
				}
				targets = append(targets, head.postfix())
			}
			head.i++
			s.targets, s.value = targets, head.expr()
		case "with":
			s.kind = sWith
			for head.i < len(head.toks) {
				if head.isOp(",") || head.isOp("(") || head.isOp(")") {
					head.i++
					continue
				}
				w := withItem{expr: head.expr()}
				if head.isKw("as") {
					head.i++
					w.target = head.postfix()
				}
				s.withs = append(s.withs, w)
			}
		case "def":
			s.kind = sDef
			if head.i < len(head.toks) {
				s.name = head.text(head.toks[head.i])
			}
			s.params = params(head)
		case "class":
			s.kind = sClass
			if head.i < len(head.toks) {
				s.name = head.text(head.toks[head.i])
				head.i++
			}
			if head.isOp("(") {
				head.i++
				s.bases, _ = head.items(")", true)
			}
		default: // except, match, case
			s.kind = sOther
			if kw == "except" {
				s.kind = sElse
			}
		}
		out = append(out, s)
		if colon >= len(p.toks)-1 {
			return out
		}
		// An inline body: the rest of the line, one level deeper.
		p.i = colon + 1
		indent++
		off = int(p.toks[p.i].off)
	}
	return out
}

// topColon returns the index of the first ':' at bracket depth 0 from p.i,
// skipping lambda bodies, or -1.
func (p *parser) topColon() int {
	level, lambdas := 0, 0
	for j := p.i; j < len(p.toks); j++ {
		t := p.toks[j]
		txt := p.text(t)
		if t.kind == tName && txt == "lambda" && level == 0 {
			lambdas++
		}
		if t.kind != tOp {
			continue
		}
		switch txt {
		case "(", "[", "{":
			level++
		case ")", "]", "}":
			if level > 0 {
				level--
			}
		case ":":
			if level == 0 {
				if lambdas > 0 {
					lambdas--
					continue
				}
				return j
			}
		}
	}
	return -1
}

// params reads the parameter names of a def header positioned at its name.
func params(p *parser) []string {
	var out []string
	if p.i+1 >= len(p.toks) || p.text(p.toks[p.i+1]) != "(" {
		return nil
	}
	level := 0
	expectName := true
	for j := p.i + 1; j < len(p.toks); j++ {
		t := p.toks[j]
		txt := p.text(t)
		if t.kind == tOp {
			switch txt {
			case "(", "[", "{":
				level++
				if level == 1 {
					expectName = true
				}
			case ")", "]", "}":
				level--
				if level == 0 {
					return out
				}
			case ",":
				if level == 1 {
					expectName = true
				}
			case "=", ":":
				if level == 1 {
					expectName = false
				}
			}
			continue
		}
		if level == 1 && expectName && t.kind == tName {
			out = append(out, txt)
			expectName = false
		}
	}
	return out
}

// simple parses a simple statement at p.i.
func (p *parser) simple(indent, off int) stmt {
	s := stmt{indent: indent, off: off}
	t := p.toks[p.i]
	kw := ""
	if t.kind == tName {
		kw = p.text(t)
	}
	switch kw {
	case "import":
		s.kind = sImport
		p.i++
		for p.i < len(p.toks) {
			name := p.dotted()
			if name == "" {
				p.i++
				continue
			}
			local := name
			if i := strings.IndexByte(name, '.'); i >= 0 {
				local = name[:i] // "import os.path" binds os
				s.imports = append(s.imports, alias{local, local})
			}
			if p.isKw("as") {
				p.i++
				if p.i < len(p.toks) {
					local = p.text(p.toks[p.i])
					p.i++
				}
				s.imports = append(s.imports, alias{local, name})
			} else if local == name {
				s.imports = append(s.imports, alias{name, name})
			}
			if p.isOp(",") {
				p.i++
			}
		}
		return s
	case "from":
		s.kind = sImport
		p.i++
		mod := ""
		for p.isOp(".") || p.isOp("...") {
			p.i++
		}
		mod = p.dotted()
		if !p.isKw("import") {
			return s
		}
		p.i++
		for p.i < len(p.toks) {
			if p.isOp("(") || p.isOp(")") || p.isOp(",") {
				p.i++
				continue
			}
			tt := p.toks[p.i]
			if tt.kind != tName {
				p.i++
				continue
			}
			name := p.text(tt)
			p.i++
			local := name
			if p.isKw("as") {
				p.i++
				if p.i < len(p.toks) {
					local = p.text(p.toks[p.i])
					p.i++
				}
			}
			full := name
			if mod != "" {
				full = mod + "." + name
			}
			s.imports = append(s.imports, alias{local, full})
		}
		return s
	case "return":
		s.kind = sReturn
		p.i++
		if p.i < len(p.toks) {
			s.value = p.tuple()
		}
		return s
	case "raise":
		s.kind = sRaise
		p.i++
		if p.i < len(p.toks) {
			s.value = p.tuple()
		}
		return s
	case "pass", "break", "continue", "global", "nonlocal", "del", "assert":
		s.kind = sOther
		p.i++
		if kw == "assert" || kw == "del" {
			s.kind = sExpr
			s.value = p.tuple()
		}
		p.i = len(p.toks)
		return s
	}
	// Expression or assignment: a = b = value, a += value, a: T = value.
	var parts []*node
	for p.i < len(p.toks) {
		n := p.tuple()
		parts = append(parts, n)
		tt, txt, ok := p.peek()
		if !ok {
			break
		}
		if tt.kind == tOp && (txt == "=" || strings.HasSuffix(txt, "=") && len(txt) >= 2 && txt != "==" && txt != "!=" && txt != "<=" && txt != ">=") {
			if txt != "=" {
				// Augmented: the target keeps what it had and gains the value.
				s.targets = append(s.targets, n)
				p.i++
				v := p.tuple()
				s.kind, s.value = sAssign, p.newNode(node{kind: nOp, kids: []*node{n, v}, ops: []string{txt[:len(txt)-1]}, off: n.off})
				return s
			}
			p.i++
			continue
		}
		if tt.kind == tOp && txt == ":" {
			// Annotation: skip the type.
			p.i++
			p.expr()
			continue
		}
		break
	}
	p.i = len(p.toks)
	if len(parts) == 1 {
		s.kind, s.value = sExpr, parts[0]
		return s
	}
	s.kind = sAssign
	s.targets = parts[:len(parts)-1]
	s.value = parts[len(parts)-1]
	return s
}

// tuple parses an expression list "a, b, c" (one node when there is one).
func (p *parser) tuple() *node {
	first := p.expr()
	if !p.isOp(",") {
		return first
	}
	kids := []*node{first}
	for p.isOp(",") {
		p.i++
		if p.i >= len(p.toks) || p.isOp("=") {
			break
		}
		if t, txt, _ := p.peek(); t.kind == tOp && (txt == ")" || txt == "]" || txt == "}" || strings.HasSuffix(txt, "=") && txt != "==") {
			break
		}
		kids = append(kids, p.expr())
		if len(kids) > 4096 {
			break
		}
	}
	return p.newNode(node{kind: nSeq, name: "(", kids: kids, off: first.off})
}

// dotted reads a dotted name "a.b.c".
func (p *parser) dotted() string {
	var b strings.Builder
	for p.i < len(p.toks) {
		t := p.toks[p.i]
		if t.kind != tName || p.text(t) == "as" || p.text(t) == "import" {
			break
		}
		b.WriteString(p.text(t))
		p.i++
		if !p.isOp(".") {
			break
		}
		b.WriteByte('.')
		p.i++
	}
	return b.String()
}
