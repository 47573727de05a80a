package phpbehavior

import (
	"bytes"
	"strings"
)

// tokKind is the kind of a PHP token.
type tokKind uint8

const (
	tOp       tokKind = iota + 1 // punctuation and operators
	tVar                         // $name (text: name without '$')
	tIdent                       // names and keywords (text lower-cased)
	tString                      // quoted string, heredoc or nowdoc (text: its value)
	tNumber                      //
	tBacktick                    // `...`: a shell command
	tClose                       // ?> or the end of a PHP block: ends a statement
)

// token is one PHP token. For strings, text is the value with escapes of
// the literal parts decoded; vars lists the variables interpolated in it
// (double quotes, heredoc, backticks), so "$_GET[x]" still counts.
type token struct {
	kind tokKind
	text string
	off  int
	vars []string
	// idx is the literal index of an interpolated "$a[x]" or of
	// "$_SERVER['HTTP_X']" when the next tokens give it (set by the lexer
	// for interpolations only).
	idx []string
}

// maxTokens bounds the tokens kept per file.
const maxTokens = 400000

// lex splits a PHP file into tokens of its PHP blocks; inline HTML
// between ?> and <?php is dropped (a tClose marks the gap). It never
// fails: an unterminated string or comment runs to the end of the file.
func lex(src []byte) []token {
	var out []token
	i := 0
	for i < len(src) && len(out) < maxTokens {
		// Inline HTML up to the next open tag.
		j := bytes.Index(src[i:], []byte("<?"))
		if j < 0 {
			break
		}
		i += j + 2
		switch {
		case hasPrefixFold(src[i:], "php"):
			i += 3
		case i < len(src) && src[i] == '=':
			i++
		}
		i = lexPHP(src, i, &out)
		out = append(out, token{kind: tClose, off: i})
	}
	return out
}

func hasPrefixFold(b []byte, s string) bool {
	return len(b) >= len(s) && strings.EqualFold(string(b[:len(s)]), s)
}

// lexPHP lexes one PHP block from i and returns the offset after its ?>.
func lexPHP(src []byte, i int, out *[]token) int {
	for i < len(src) && len(*out) < maxTokens {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '?' && i+1 < len(src) && src[i+1] == '>':
			return i + 2
		case c == '#' && !(i+1 < len(src) && src[i+1] == '['), c == '/' && i+1 < len(src) && src[i+1] == '/':
			// A line comment ends at the line's end or at ?>.
			for i < len(src) && src[i] != '\n' {
				if src[i] == '?' && i+1 < len(src) && src[i+1] == '>' {
					return i + 2
				}
				i++
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			k := bytes.Index(src[i+2:], []byte("*/"))
			if k < 0 {
				return len(src)
			}
			i += k + 4
		case c == '$' && i+1 < len(src) && isIdentStart(src[i+1]):
			j := i + 1
			for j < len(src) && isIdent(src[j]) {
				j++
			}
			*out = append(*out, token{kind: tVar, text: string(src[i+1 : j]), off: i})
			i = j
		case isIdentStart(c) || c == '\\' && i+1 < len(src) && isIdentStart(src[i+1]):
			j := i + 1
			for j < len(src) && (isIdent(src[j]) || src[j] == '\\') {
				j++
			}
			name := strings.ToLower(strings.TrimPrefix(string(src[i:j]), "\\"))
			if k := strings.LastIndexByte(name, '\\'); k >= 0 {
				name = name[k+1:] // \Foo\system → system is not PHP's, but eval/exec are global
			}
			*out = append(*out, token{kind: tIdent, text: name, off: i})
			i = j
		case c >= '0' && c <= '9':
			j := i
			for j < len(src) && (isIdent(src[j]) || src[j] == '.') {
				j++
			}
			*out = append(*out, token{kind: tNumber, text: string(src[i:j]), off: i})
			i = j
		case c == '\'':
			val, end := singleQuoted(src, i+1)
			*out = append(*out, token{kind: tString, text: val, off: i})
			i = end
		case c == '"' || c == '`':
			val, vars, idx, end := interpolated(src, i+1, c)
			k := tString
			if c == '`' {
				k = tBacktick
			}
			*out = append(*out, token{kind: k, text: val, off: i, vars: vars, idx: idx})
			i = end
		case c == '<' && bytes.HasPrefix(src[i:], []byte("<<<")):
			t, end, ok := heredoc(src, i)
			if !ok {
				*out = append(*out, token{kind: tOp, text: "<", off: i})
				i++
				continue
			}
			*out = append(*out, t)
			i = end
		default:
			op := operator(src[i:])
			*out = append(*out, token{kind: tOp, text: op, off: i})
			i += len(op)
		}
	}
	return len(src)
}

// operators longest first.
var operators = []string{"===", "!==", "<=>", "**=", "...", "??=", "<<=", ">>=", "==", "!=", "<>", "<=", ">=", "->", "=>", "::", ".=", "+=", "-=", "*=", "/=", "&&", "||", "??", "++", "--", "?->"}

func operator(b []byte) string {
	for _, op := range operators {
		if bytes.HasPrefix(b, []byte(op)) {
			return op
		}
	}
	return string(b[:1])
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}
func isIdent(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' }

// singleQuoted reads '...' from just after the quote.
func singleQuoted(src []byte, i int) (string, int) {
	var b strings.Builder
	for i < len(src) {
		c := src[i]
		if c == '\\' && i+1 < len(src) && (src[i+1] == '\'' || src[i+1] == '\\') {
			b.WriteByte(src[i+1])
			i += 2
			continue
		}
		if c == '\'' {
			return b.String(), i + 1
		}
		b.WriteByte(c)
		i++
	}
	return b.String(), i
}

// interpolated reads "..." or `...` from just after the quote: the
// literal text (escapes decoded) and the variables interpolated.
func interpolated(src []byte, i int, quote byte) (string, []string, []string, int) {
	var b strings.Builder
	var vars, idx []string
	for i < len(src) {
		c := src[i]
		switch {
		case c == quote:
			return b.String(), vars, idx, i + 1
		case c == '\\' && i+1 < len(src):
			i = escape(&b, src, i)
		case c == '$' && i+1 < len(src) && isIdentStart(src[i+1]) || c == '{' && i+2 < len(src) && src[i+1] == '$' || c == '$' && i+1 < len(src) && src[i+1] == '{':
			name, ix, end := interpVar(src, i)
			vars = append(vars, name)
			idx = append(idx, ix)
			b.WriteString("$" + name)
			i = end
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), vars, idx, i
}

// interpVar reads "$name", "$name[key]", "{$name['key']...}" or
// "${name}" at i.
func interpVar(src []byte, i int) (string, string, int) {
	brace := src[i] == '{'
	if brace {
		i++
	}
	i++ // $
	if i < len(src) && src[i] == '{' {
		i++
		brace = true
	}
	j := i
	for j < len(src) && isIdent(src[j]) {
		j++
	}
	name := string(src[i:j])
	ix := ""
	if j < len(src) && src[j] == '[' {
		k := j + 1
		for k < len(src) && k < j+128 && src[k] != ']' && src[k] != '"' {
			k++
		}
		ix = strings.Trim(string(src[j+1:min(k, len(src))]), "'\"")
		if k < len(src) && src[k] == ']' {
			j = k + 1
		}
	}
	if brace {
		for depth := 1; j < len(src) && depth > 0; j++ {
			switch src[j] {
			case '{':
				depth++
			case '}':
				depth--
			}
		}
	}
	return name, ix, j
}

// escape decodes one escape of a double-quoted string at i.
func escape(b *strings.Builder, src []byte, i int) int {
	e := src[i+1]
	switch e {
	case 'n':
		b.WriteByte('\n')
	case 't':
		b.WriteByte('\t')
	case 'r':
		b.WriteByte('\r')
	case '\\', '"', '$', '`':
		b.WriteByte(e)
	case 'x':
		j := i + 2
		v := 0
		for j < len(src) && j < i+4 && isHex(src[j]) {
			v = v*16 + hexVal(src[j])
			j++
		}
		if j == i+2 {
			b.WriteString("\\x")
			return i + 2
		}
		b.WriteByte(byte(v))
		return j
	case '0', '1', '2', '3', '4', '5', '6', '7':
		j := i + 1
		v := 0
		for j < len(src) && j < i+4 && src[j] >= '0' && src[j] <= '7' {
			v = v*8 + int(src[j]-'0')
			j++
		}
		b.WriteByte(byte(v))
		return j
	default:
		b.WriteByte('\\')
		b.WriteByte(e)
	}
	return i + 2
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

func hexVal(c byte) int {
	switch {
	case c >= 'a':
		return int(c-'a') + 10
	case c >= 'A':
		return int(c-'A') + 10
	}
	return int(c - '0')
}

// heredoc reads <<<ID ... ID, <<<"ID" and the nowdoc <<<'ID'. The closing
// identifier may be indented (PHP 7.3).
func heredoc(src []byte, i int) (token, int, bool) {
	j := i + 3
	for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
		j++
	}
	nowdoc := j < len(src) && src[j] == '\''
	if j < len(src) && (src[j] == '\'' || src[j] == '"') {
		j++
	}
	k := j
	for k < len(src) && isIdent(src[k]) {
		k++
	}
	if k == j {
		return token{}, 0, false
	}
	id := string(src[j:k])
	nl := bytes.IndexByte(src[k:], '\n')
	if nl < 0 {
		return token{kind: tString, off: i}, len(src), true
	}
	body := k + nl + 1
	end, after := len(src), len(src)
	for p := body; p < len(src); {
		q := p
		for q < len(src) && (src[q] == ' ' || src[q] == '\t') {
			q++
		}
		if bytes.HasPrefix(src[q:], []byte(id)) && (q+len(id) >= len(src) || !isIdent(src[q+len(id)])) {
			end, after = p, q+len(id)
			break
		}
		n := bytes.IndexByte(src[p:], '\n')
		if n < 0 {
			break
		}
		p += n + 1
	}
	if nowdoc {
		return token{kind: tString, text: string(src[body:max(body, end-1)]), off: i}, after, true
	}
	val, vars, idx, _ := interpolated(src[:end], body, 0)
	return token{kind: tString, text: val, off: i, vars: vars, idx: idx}, after, true
}
