package cbehavior

// kind is what a token is.
type kind uint8

const (
	tIdent  kind = iota + 1
	tNumber      // pp-number: 0x3a, 6200, 1e5
	tString      // "..." with its prefix (L, u8, R"(...)")
	tChar        // '...'
	tPunct       // operators and brackets, longest match
	tPP          // a whole preprocessor directive line, continuations included
)

// token is one lexical unit: its kind and where it sits in the file. Text
// is never copied; callers slice the source.
type token struct {
	kind       kind
	start, end int32
}

// maxTokens bounds the work on one file: a file with more tokens than this
// is read up to the limit only (a generated table, not hand-written code).
const maxTokens = 4 << 20

// puncts are the multi-character operators, longest first within each
// leading byte so the first prefix match is the longest.
var puncts = []string{
	"<<=", ">>=", "...", "->*",
	"->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
	"+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "::", "##", ".*",
}

// lex splits C or C++ source into tokens. Comments and whitespace are
// dropped; a preprocessor directive is one tPP token. It never fails:
// unterminated comments, strings and raw strings end at the end of the
// file (or of their line, for ordinary strings, as compilers do), so any
// byte sequence yields tokens in time linear in its length.
func lex(src []byte) []token {
	var toks []token
	n := len(src)
	lineStart := true // only whitespace and comments so far on this line
	for i := 0; i < n && len(toks) < maxTokens; {
		c := src[i]
		switch {
		case c == '\n':
			lineStart = true
			i++
			continue
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i++
			continue
		case c == '\\' && i+1 < n && (src[i+1] == '\n' || src[i+1] == '\r'):
			i = skipNewline(src, i+1)
			continue
		case c == '/' && i+1 < n && src[i+1] == '/':
			i = lineEnd(src, i)
			continue
		case c == '/' && i+1 < n && src[i+1] == '*':
			i = blockCommentEnd(src, i+2)
			continue
		case c == '#' && lineStart:
			end := lineEnd(src, i)
			toks = append(toks, token{tPP, int32(i), int32(end)})
			i = end
			continue
		}
		lineStart = false
		start := i
		switch {
		case isIdentStart(c):
			j := i + 1
			for j < n && isIdentByte(src[j]) {
				j++
			}
			if j < n && (src[j] == '"' || src[j] == '\'') && isLiteralPrefix(src[i:j]) {
				if src[j] == '"' && src[j-1] == 'R' {
					i = rawStringEnd(src, j+1)
				} else {
					i = quotedEnd(src, j+1, src[j])
				}
				k := tString
				if src[j] == '\'' {
					k = tChar
				}
				toks = append(toks, token{k, int32(start), int32(i)})
				continue
			}
			i = j
			toks = append(toks, token{tIdent, int32(start), int32(i)})
		case isDigit(c) || (c == '.' && i+1 < n && isDigit(src[i+1])):
			j := i + 1
			for j < n {
				d := src[j]
				if (d == '+' || d == '-') && (src[j-1]|0x20 == 'e' || src[j-1]|0x20 == 'p') {
					j++
					continue
				}
				if !isIdentByte(d) && d != '.' && d != '\'' {
					break
				}
				j++
			}
			i = j
			toks = append(toks, token{tNumber, int32(start), int32(i)})
		case c == '"':
			i = quotedEnd(src, i+1, '"')
			toks = append(toks, token{tString, int32(start), int32(i)})
		case c == '\'':
			i = quotedEnd(src, i+1, '\'')
			toks = append(toks, token{tChar, int32(start), int32(i)})
		default:
			l := 1
			for _, p := range puncts {
				if i+len(p) <= n && string(src[i:i+len(p)]) == p {
					l = len(p)
					break
				}
			}
			i += l
			toks = append(toks, token{tPunct, int32(start), int32(i)})
		}
	}
	return toks
}

// lineEnd returns the offset of the newline ending the logical line that
// holds i (backslash-newline continues it), or len(src). Block comments
// inside a directive may span lines and are skipped whole.
func lineEnd(src []byte, i int) int {
	for i < len(src) {
		switch src[i] {
		case '\n':
			if i > 0 && src[i-1] == '\\' || i > 1 && src[i-1] == '\r' && src[i-2] == '\\' {
				i++
				continue
			}
			return i
		case '/':
			if i+1 < len(src) && src[i+1] == '*' {
				i = blockCommentEnd(src, i+2)
				continue
			}
		}
		i++
	}
	return len(src)
}

func blockCommentEnd(src []byte, i int) int {
	for ; i+1 < len(src); i++ {
		if src[i] == '*' && src[i+1] == '/' {
			return i + 2
		}
	}
	return len(src)
}

func skipNewline(src []byte, i int) int {
	if i < len(src) && src[i] == '\r' {
		i++
	}
	if i < len(src) && src[i] == '\n' {
		i++
	}
	return i
}

// quotedEnd returns the offset after the closing quote q, honouring
// backslash escapes and line continuations; an unterminated literal ends
// at the end of its line.
func quotedEnd(src []byte, i int, q byte) int {
	for i < len(src) {
		switch src[i] {
		case '\\':
			i += 2
			continue
		case q:
			return i + 1
		case '\n':
			return i
		}
		i++
	}
	return len(src)
}

// rawStringEnd handles a C++ raw string R"delim( ... )delim"; i is just
// after the opening quote. The delimiter is at most 16 bytes by the
// standard; a malformed one ends the literal at the end of the line.
func rawStringEnd(src []byte, i int) int {
	j := i
	for j < len(src) && j-i <= 16 && src[j] != '(' {
		if src[j] == '\n' || src[j] == '"' || src[j] == '\\' || src[j] == ' ' {
			return quotedEnd(src, i, '"')
		}
		j++
	}
	if j >= len(src) || src[j] != '(' {
		return quotedEnd(src, i, '"')
	}
	closing := ")" + string(src[i:j]) + "\""
	for k := j + 1; k+len(closing) <= len(src); k++ {
		if src[k] == ')' && string(src[k:k+len(closing)]) == closing {
			return k + len(closing)
		}
	}
	return len(src)
}

func isLiteralPrefix(b []byte) bool {
	switch string(b) {
	case "L", "u", "U", "u8", "R", "LR", "uR", "UR", "u8R":
		return true
	}
	return false
}

func isIdentStart(c byte) bool {
	return c == '_' || c == '$' || c|0x20 >= 'a' && c|0x20 <= 'z' || c >= 0x80
}

func isIdentByte(c byte) bool { return isIdentStart(c) || isDigit(c) }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
