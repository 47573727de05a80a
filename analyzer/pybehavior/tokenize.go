package pybehavior

import (
	"unicode/utf8"
)

// tokKind is the kind of a Python token.
type tokKind uint8

const (
	tName tokKind = iota + 1
	tNum
	tStr
	tOp
)

// token is one token; its text is src[off:end]. Offsets are int32: files
// larger than 2 GiB are never read (maxFile is far below).
type token struct {
	kind     tokKind
	off, end int32
}

// logicalLine is one statement's worth of tokens (a physical line, joined
// with its continuations and bracketed parts, split at top-level ';').
type logicalLine struct {
	indent int // column of the first token, tabs to multiples of 8
	off    int // offset of the first token
	toks   []token
}

// Bounds that keep hostile input cheap: a logical line keeps at most
// maxLineTokens tokens (the rest of it is skipped but still lexed to find its
// end), the whole file at most maxFileTokens.
const (
	maxLineTokens = 20000
	maxFileTokens = 1 << 20
	// hiddenRun and hiddenCol: code that starts after a run of at least
	// hiddenRun blanks and at or beyond column hiddenCol is out of sight in
	// every editor and diff view (the W4SP stealer trick).
	hiddenRun = 100
	hiddenCol = 200
	// maxFStringDepth bounds nested f-string expressions.
	maxFStringDepth = 4
)

// lexer splits Python source into logical lines following the tokenizer
// rules of Python 3.12: string prefixes, triple quotes, f-strings with nested
// quotes, backslash continuations, implicit joining inside brackets. It
// never fails: an unterminated string ends at the end of its line (single
// quotes) or of the file (triple quotes), unbalanced brackets are tolerated.
type lexer struct {
	src    string
	pos    int
	depth  int // bracket depth
	total  int
	hidden []int // offsets of code hidden past hiddenCol
}

// lex returns the logical lines of src and the offsets of hidden code.
func lex(src string, emit func(logicalLine)) (hidden []int) {
	lx := &lexer{src: src}
	lx.run(emit)
	return lx.hidden
}

func (lx *lexer) run(emit func(logicalLine)) {
	var cur logicalLine
	buf := make([]token, 0, 64)
	atLineStart := true
	flush := func() {
		if len(buf) > 0 {
			cur.toks = buf
			emit(cur)
			buf = buf[:0:0]
			buf = make([]token, 0, 64)
		}
		cur = logicalLine{}
	}
	lineStart := 0
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		// Blanks: measure indentation at a line start, watch for long runs.
		if c == ' ' || c == '\t' || c == '\f' {
			start := lx.pos
			col := 0
			for lx.pos < len(lx.src) {
				switch lx.src[lx.pos] {
				case ' ':
					col++
				case '\t':
					col = (col/8 + 1) * 8
				case '\f':
				default:
					goto done
				}
				lx.pos++
			}
		done:
			if lx.pos-start >= hiddenRun && lx.pos-lineStart >= hiddenCol && lx.pos < len(lx.src) {
				if n := lx.src[lx.pos]; n != '\n' && n != '\r' && n != '#' && n != '\\' {
					lx.hidden = append(lx.hidden, lx.pos)
				}
			}
			if atLineStart && len(buf) == 0 {
				cur.indent = col
			}
			continue
		}
		switch {
		case c == '\n' || c == '\r':
			lx.pos++
			if c == '\r' && lx.pos < len(lx.src) && lx.src[lx.pos] == '\n' {
				lx.pos++
			}
			lineStart = lx.pos
			if lx.depth == 0 {
				flush()
				atLineStart = true
			}
			continue
		case c == '#':
			for lx.pos < len(lx.src) && lx.src[lx.pos] != '\n' && lx.src[lx.pos] != '\r' {
				lx.pos++
			}
			continue
		case c == '\\':
			// A continuation joins the next physical line; a stray
			// backslash is skipped.
			lx.pos++
			if lx.pos < len(lx.src) && (lx.src[lx.pos] == '\n' || lx.src[lx.pos] == '\r') {
				if lx.src[lx.pos] == '\r' && lx.pos+1 < len(lx.src) && lx.src[lx.pos+1] == '\n' {
					lx.pos++
				}
				lx.pos++
				lineStart = lx.pos
			}
			continue
		case c == ';' && lx.depth == 0:
			lx.pos++
			ind := cur.indent
			flush()
			cur.indent = ind
			atLineStart = false
			continue
		}
		if atLineStart && len(buf) == 0 {
			cur.off = lx.pos
		}
		if len(buf) == 0 && !atLineStart {
			cur.off = lx.pos
		}
		atLineStart = false
		t := lx.next()
		lx.total++
		if len(buf) < maxLineTokens && lx.total < maxFileTokens {
			buf = append(buf, t)
		}
	}
	flush()
}

// next lexes one token at lx.pos (not a blank, newline or comment).
func (lx *lexer) next() token {
	s, start := lx.src, lx.pos
	c := s[start]
	switch {
	case c == '"' || c == '\'':
		lx.pos = skipString(s, start, 0)
		return token{tStr, int32(start), int32(lx.pos)}
	case isIdentStart(c):
		i := start
		for i < len(s) && isIdentByte(s[i]) {
			i++
		}
		if i < len(s) && (s[i] == '"' || s[i] == '\'') && isStringPrefix(s[start:i]) {
			lx.pos = skipString(s, i, 0)
			return token{tStr, int32(start), int32(lx.pos)}
		}
		lx.pos = i
		return token{tName, int32(start), int32(i)}
	case c >= '0' && c <= '9' || c == '.' && start+1 < len(s) && s[start+1] >= '0' && s[start+1] <= '9':
		i := start + 1
		for i < len(s) {
			d := s[i]
			if isIdentByte(d) && d < 0x80 || d == '.' {
				i++
				continue
			}
			if (d == '+' || d == '-') && (s[i-1] == 'e' || s[i-1] == 'E') && !(len(s) > start+1 && (s[start+1] == 'x' || s[start+1] == 'X')) {
				i++
				continue
			}
			break
		}
		lx.pos = i
		return token{tNum, int32(start), int32(i)}
	}
	// Operators, longest first.
	for _, op := range ops3 {
		if len(s)-start >= 3 && s[start:start+3] == op {
			lx.pos = start + 3
			return token{tOp, int32(start), int32(lx.pos)}
		}
	}
	for _, op := range ops2 {
		if len(s)-start >= 2 && s[start:start+2] == op {
			lx.pos = start + 2
			return token{tOp, int32(start), int32(lx.pos)}
		}
	}
	switch c {
	case '(', '[', '{':
		lx.depth++
	case ')', ']', '}':
		if lx.depth > 0 {
			lx.depth--
		}
	}
	if c >= 0x80 {
		// A stray non-ASCII rune that is not part of an identifier.
		_, n := utf8.DecodeRuneInString(s[start:])
		lx.pos = start + n
	} else {
		lx.pos = start + 1
	}
	return token{tOp, int32(start), int32(lx.pos)}
}

var ops3 = []string{"**=", "//=", ">>=", "<<=", "..."}
var ops2 = []string{"->", ":=", "==", "!=", "<=", ">=", "**", "//", "<<", ">>", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@="}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isIdentByte(c byte) bool {
	return isIdentStart(c) || c >= '0' && c <= '9'
}

// isStringPrefix: r, u, b, f, t (template strings, 3.14) and their
// two-letter combinations, in any case.
func isStringPrefix(p string) bool {
	if len(p) == 0 || len(p) > 2 {
		return false
	}
	seen := 0
	for i := 0; i < len(p); i++ {
		switch p[i] | 0x20 {
		case 'r':
			seen |= 1
		case 'u':
			if len(p) > 1 {
				return false
			}
		case 'b':
			seen |= 2
		case 'f':
			seen |= 4
		case 't':
			seen |= 8
		default:
			return false
		}
	}
	return len(p) == 1 || seen&1 != 0 && seen != 1
}

// skipString returns the offset just past the string literal whose opening
// quote is at q. In an f-string, the replacement fields are skipped with
// their own nested strings (Python 3.12 allows the same quote inside).
func skipString(s string, q int, depth int) int {
	fstr := false
	for i := q - 1; i >= 0 && i >= q-2 && isIdentByte(s[i]); i-- {
		if s[i]|0x20 == 'f' || s[i]|0x20 == 't' {
			fstr = true
		}
	}
	quote := s[q]
	triple := q+2 < len(s) && s[q+1] == quote && s[q+2] == quote
	i := q + 1
	if triple {
		i = q + 3
	}
	for i < len(s) {
		c := s[i]
		switch {
		case c == '\\':
			i += 2
			continue
		case c == quote:
			if !triple {
				return i + 1
			}
			if i+2 < len(s) && s[i+1] == quote && s[i+2] == quote {
				return i + 3
			}
		case (c == '\n' || c == '\r') && !triple:
			return i // unterminated: ends at the line
		case fstr && c == '{':
			if i+1 < len(s) && s[i+1] == '{' {
				i += 2
				continue
			}
			i = skipField(s, i+1, depth+1, triple)
			continue
		}
		i++
	}
	return len(s)
}

// skipField skips an f-string replacement field starting after its '{' and
// returns the offset after its '}'.
func skipField(s string, i, depth int, triple bool) int {
	level := 1
	for i < len(s) {
		c := s[i]
		switch {
		case c == '\'' || c == '"':
			if depth >= maxFStringDepth {
				i++
				continue
			}
			i = skipString(s, i, depth)
			continue
		case (c == '\n' || c == '\r') && !triple:
			return i
		case c == '{' || c == '[' || c == '(':
			level++
		case c == '}' || c == ']' || c == ')':
			level--
			if level == 0 {
				return i + 1
			}
		}
		i++
	}
	return len(s)
}

// strParts splits a string token into its prefix (lower case), its body
// (between the quotes) and the body's offset.
func strParts(s string) (prefix, body string, bodyOff int) {
	i := 0
	for i < len(s) && s[i] != '"' && s[i] != '\'' {
		i++
	}
	prefix = lower(s[:i])
	if i >= len(s) {
		return prefix, "", i
	}
	q := s[i]
	n := 1
	if i+2 < len(s) && s[i+1] == q && s[i+2] == q && len(s)-i >= 6 {
		n = 3
	}
	start := i + n
	end := len(s)
	if end-start >= n && s[end-n:] == repeat(q, n) {
		end -= n
	}
	if end < start {
		end = start
	}
	return prefix, s[start:end], start
}

func repeat(c byte, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = c
	}
	return string(b)
}

func lower(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'A' && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// fieldSpans returns the [start, end) spans (relative to body) of the
// expressions in an f-string body, without format specs or conversions.
func fieldSpans(body string) [][2]int {
	var out [][2]int
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c == '\\' {
			i++
			continue
		}
		if c != '{' {
			continue
		}
		if i+1 < len(body) && body[i+1] == '{' {
			i++
			continue
		}
		end := skipField(body, i+1, 1, true)
		// The expression ends at a top-level '!', ':' or '=' spec, or '}'.
		level := 0
		j := i + 1
	scan:
		for ; j < end; j++ {
			switch body[j] {
			case '(', '[', '{':
				level++
			case ')', ']':
				level--
			case '}':
				if level == 0 {
					break scan
				}
				level--
			case '\'', '"':
				j = skipString(body, j, maxFStringDepth) - 1
			case '!', ':':
				if level == 0 && !(j+1 < end && body[j+1] == '=') {
					break scan
				}
			}
		}
		if j > end {
			j = end
		}
		out = append(out, [2]int{i + 1, j})
		i = end - 1
		if len(out) >= 64 {
			break
		}
	}
	return out
}
