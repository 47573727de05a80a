package cbehavior

import "strings"

// file is one lexed C/C++ source with its bracket structure: match[i] is
// the index of the bracket closing (or opening) token i, or -1.
type file struct {
	src   []byte
	toks  []token
	match []int32
	// work counts tokens visited by block summaries; nested blocks are
	// visited once per enclosing trigger, so it is bounded per file.
	work int
}

// maxWork bounds the block-summary work on one file (a few seconds).
const maxWork = 64 << 20

// maxDepth bounds bracket nesting; deeper brackets are left unmatched, so
// a file of a million '(' costs a bounded stack and matches nothing.
const maxDepth = 4096

func parseFile(src []byte) *file {
	f := &file{src: src, toks: lex(src)}
	f.match = make([]int32, len(f.toks))
	var stack []int32
	for i := range f.toks {
		f.match[i] = -1
		if f.toks[i].kind != tPunct || f.toks[i].end-f.toks[i].start != 1 {
			continue
		}
		switch c := src[f.toks[i].start]; c {
		case '(', '[', '{':
			if len(stack) < maxDepth {
				stack = append(stack, int32(i))
			}
		case ')', ']', '}':
			open := openerOf(c)
			// Unwind to the nearest opener of the same kind: a stray ')'
			// inside an #if branch must not unbalance the braces.
			for k := len(stack) - 1; k >= 0; k-- {
				if f.src[f.toks[stack[k]].start] == open {
					f.match[i], f.match[stack[k]] = stack[k], int32(i)
					stack = stack[:k]
					break
				}
				if open != '}' {
					break // ')' or ']' never closes across an unclosed '{'
				}
			}
		}
	}
	return f
}

func (f *file) text(i int) string {
	if i < 0 || i >= len(f.toks) {
		return ""
	}
	return string(f.src[f.toks[i].start:f.toks[i].end])
}

// is reports whether token i is the punctuator or identifier s.
func (f *file) is(i int, s string) bool {
	if i < 0 || i >= len(f.toks) {
		return false
	}
	t := f.toks[i]
	return int(t.end-t.start) == len(s) && string(f.src[t.start:t.end]) == s
}

func (f *file) kindAt(i int) kind {
	if i < 0 || i >= len(f.toks) {
		return 0
	}
	return f.toks[i].kind
}

// span is a half-open range of token indices.
type span struct{ from, to int }

// function is a function definition: its name, parameter names and body
// (the tokens between its braces).
type function struct {
	name   string
	params map[string]bool
	body   span
	off    int32
}

var notFunctions = map[string]bool{
	"if": true, "while": true, "for": true, "switch": true, "catch": true, "sizeof": true,
	"return": true, "do": true, "else": true, "__attribute__": true, "defined": true,
	"alignof": true, "_Alignof": true, "decltype": true, "typeof": true, "__typeof__": true,
}

// functions finds definitions: NAME ( PARAMS ) [qualifiers] { BODY }, at
// any brace depth outside another function (namespaces, extern "C",
// classes). Their bodies are not searched for nested definitions.
func (f *file) functions() []function {
	var out []function
	for i := 0; i < len(f.toks); i++ {
		if !f.is(i, "{") || f.match[i] < 0 {
			continue
		}
		// Walk back over qualifiers to the ')' of the parameter list.
		j := i - 1
		for k := 0; k < 6 && j >= 0 && f.kindAt(j) == tIdent; k++ {
			j-- // const, override, noexcept, final, throw-less qualifiers
		}
		if !f.is(j, ")") || f.match[j] < 0 {
			continue
		}
		lp := int(f.match[j])
		name := f.text(lp - 1)
		if f.kindAt(lp-1) != tIdent || notFunctions[name] {
			continue
		}
		params := map[string]bool{}
		for k := lp + 1; k < j; k++ {
			if f.kindAt(k) == tIdent && (f.is(k+1, ",") || f.is(k+1, ")") || f.is(k+1, "[")) {
				params[f.text(k)] = true
			}
		}
		out = append(out, function{name: name, params: params, body: span{i + 1, int(f.match[i])}, off: f.toks[lp-1].start})
		i = int(f.match[i])
	}
	return out
}

// call is a call expression NAME(args) inside a span.
type call struct {
	name string
	at   int    // index of the name token
	args []span // each argument's tokens
}

// callAt returns the call whose name is token i, if token i starts one.
func (f *file) callAt(i int) (call, bool) {
	if f.kindAt(i) != tIdent || !f.is(i+1, "(") || f.match[i+1] < 0 {
		return call{}, false
	}
	name := f.text(i)
	if notFunctions[name] {
		return call{}, false
	}
	c := call{name: name, at: i}
	end := int(f.match[i+1])
	start := i + 2
	for k := start; k <= end; k++ {
		if k == end || f.is(k, ",") {
			if k > start {
				c.args = append(c.args, span{start, k})
			}
			start = k + 1
			continue
		}
		if m := f.match[k]; m > int32(k) && (f.is(k, "(") || f.is(k, "[") || f.is(k, "{")) {
			k = int(m)
		}
	}
	return c, true
}

// mentions reports whether any identifier of s is in names.
func (f *file) mentions(s span, names map[string]bool) bool {
	for i := s.from; i < s.to; i++ {
		if f.kindAt(i) == tIdent && names[f.text(i)] {
			// a member name (p->argv, s.cmd) is not the variable itself
			if f.is(i-1, "->") || f.is(i-1, ".") {
				continue
			}
			return true
		}
	}
	return false
}

// single returns the only token of s, or -1.
func single(s span) int {
	if s.to-s.from == 1 {
		return s.from
	}
	return -1
}

// stringValue decodes a C string or char literal token (prefix dropped,
// simple escapes resolved); ok is false for other tokens.
func (f *file) stringValue(i int) (string, bool) {
	k := f.kindAt(i)
	if k != tString && k != tChar {
		return "", false
	}
	t := f.text(i)
	q := strings.IndexAny(t, "\"'")
	if q < 0 || len(t) < q+2 {
		return "", false
	}
	body := t[q+1:]
	if strings.HasSuffix(body, t[q:q+1]) {
		body = body[:len(body)-1]
	}
	var b strings.Builder
	for j := 0; j < len(body); j++ {
		if body[j] != '\\' || j+1 >= len(body) {
			b.WriteByte(body[j])
			continue
		}
		j++
		switch body[j] {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case '0':
			b.WriteByte(0)
		default:
			b.WriteByte(body[j])
		}
	}
	return b.String(), true
}

// statementAfter returns the body guarded by a condition ending at token
// close (a ')'): a braced block, or one statement up to its ';'.
func (f *file) statementAfter(close int, limit int) span {
	i := close + 1
	if f.is(i, "{") && f.match[i] > int32(i) {
		return span{i + 1, min(int(f.match[i]), limit)}
	}
	for j := i; j < limit; j++ {
		if f.is(j, ";") {
			return span{i, j + 1}
		}
		if m := f.match[j]; m > int32(j) && (f.is(j, "(") || f.is(j, "{")) {
			j = int(m)
		}
	}
	return span{i, limit}
}

func openerOf(c byte) byte {
	switch c {
	case ')':
		return '('
	case ']':
		return '['
	}
	return '{'
}
