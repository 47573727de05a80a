package trojansource

import (
	"path"
	"strings"
	"unicode/utf8"
)

// syntax is what the lexer needs to know of a language: how its comments
// start. Strings are quoted with ', " or ` in all of them.
type syntax struct {
	slashComments bool // // and /* */
	hashComments  bool // # to the end of the line
	backquote     bool // `…` is a string (JS/TS templates, Go raw strings, shell)
	regex         bool // /…/ after an operator is a regular expression literal (JS/TS)
}

var (
	cLike  = syntax{slashComments: true}
	jsLike = syntax{slashComments: true, backquote: true, regex: true}
	goLike = syntax{slashComments: true, backquote: true}
	hashy  = syntax{hashComments: true}
	shell  = syntax{hashComments: true, backquote: true}
	php    = syntax{slashComments: true, hashComments: true}
)

// languages maps source-file extensions to their syntax. Only code is
// examined: documentation and data legitimately carry any character.
var languages = map[string]syntax{
	".c": cLike, ".h": cLike, ".cc": cLike, ".cpp": cLike, ".cxx": cLike, ".hpp": cLike, ".hh": cLike,
	".java": cLike, ".kt": cLike, ".scala": cLike, ".cs": cLike, ".swift": cLike, ".rs": cLike, ".dart": cLike,
	".go": goLike, ".js": jsLike, ".mjs": jsLike, ".cjs": jsLike, ".jsx": jsLike, ".ts": jsLike, ".tsx": jsLike,
	".mts": jsLike, ".cts": jsLike, ".vue": jsLike, ".svelte": jsLike,
	".py": hashy, ".pyw": hashy, ".rb": hashy, ".pl": hashy, ".pm": hashy, ".r": hashy,
	".sh": shell, ".bash": shell, ".zsh": shell, ".ksh": shell,
	".php": php, ".phtml": php,
}

// syntaxFor returns the syntax of a file name, ok=false for non-code.
func syntaxFor(name string) (syntax, bool) {
	s, ok := languages[strings.ToLower(path.Ext(name))]
	return s, ok
}

// context is where in the code a character stands.
type context int

const (
	inCode context = iota
	inComment
	inString
)

func (c context) String() string {
	switch c {
	case inComment:
		return "comment"
	case inString:
		return "string literal"
	}
	return "code"
}

// visitor receives what the lexer sees: each non-ASCII rune with its
// context and byte offset, and each identifier in code.
type visitor struct {
	rune  func(r rune, off int, ctx context)
	ident func(id string, off int)
}

// lex walks src once. It is an approximation of every language's lexer
// (no regex literals, no heredocs, no nested template expressions), good
// enough to tell code from comments and strings, which is all the checks
// need; it never fails.
func lex(src []byte, syn syntax, v visitor) {
	ctx := inCode
	var quote byte        // the quote that ends the current string
	blockComment := false // in /* */ rather than a line comment
	identStart := -1
	prev := byte('(') // the last significant code byte: a regex may start the file
	endIdent := func(at int) {
		if identStart >= 0 {
			v.ident(string(src[identStart:at]), identStart)
			identStart = -1
		}
	}
	i := 0
	if strings.HasPrefix(string(src[:min(3, len(src))]), "\ufeff") {
		i = 3 // a byte-order mark at the start is no character of the code
	}
	for i < len(src) {
		c := src[i]
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(src[i:])
			v.rune(r, i, ctx)
			if ctx == inCode {
				prev = 'a' // a letter: after an identifier, "/" divides
			}
		}
		switch ctx {
		case inCode:
			if isIdentPart(r) || isInvisible(r) {
				if identStart < 0 && (isIdentStart(r) || isInvisible(r)) {
					identStart = i
				}
				prev = 'a' // after a name or number, "/" divides
				i += size
				continue
			}
			endIdent(i)
			if syn.regex && c == '/' && i+1 < len(src) && src[i+1] != '/' && src[i+1] != '*' && regexCanStart(prev) {
				if end := regexEnd(src, i); end > 0 {
					// A regular expression's characters are data, like a
					// string's: bundles match identifier characters
					// ([\u200C\u200D]) or soft hyphens this way.
					for k := i + 1; k < end; {
						r, n := utf8.DecodeRune(src[k:])
						if r >= utf8.RuneSelf {
							v.rune(r, k, inString)
						}
						k += n
					}
					i, prev = end, '/'
					continue
				}
			}
			if c > ' ' {
				prev = c
			}
			switch {
			case syn.slashComments && c == '/' && i+1 < len(src) && src[i+1] == '/':
				ctx, blockComment = inComment, false
				i += 2
				continue
			case syn.slashComments && c == '/' && i+1 < len(src) && src[i+1] == '*':
				ctx, blockComment = inComment, true
				i += 2
				continue
			case syn.hashComments && c == '#':
				ctx, blockComment = inComment, false
			case c == '"' || c == '\'' || (c == '`' && syn.backquote):
				ctx, quote = inString, c
			}
		case inComment:
			if blockComment && c == '*' && i+1 < len(src) && src[i+1] == '/' {
				ctx = inCode
				i += 2
				continue
			}
			if !blockComment && c == '\n' {
				ctx = inCode
			}
		case inString:
			switch {
			case c == '\\' && quote != '`':
				i += 2 // skip the escaped byte (an escaped multibyte rune is still seen below as bytes ≥ 0x80, harmlessly)
				continue
			case c == quote:
				ctx = inCode
			case c == '\n' && quote != '`' && !syn.hashComments:
				// An unterminated string ends at the line in C-like languages;
				// Python and shell strings may span lines.
				ctx = inCode
			}
		}
		i += size
	}
	endIdent(len(src))
}

// regexCanStart reports whether "/" after the byte prev starts a regular
// expression rather than dividing: after an operator, an opening bracket,
// a separator, or at the start. After an identifier, a number or a
// closing bracket it divides. (Keywords such as "return /x/" are missed,
// which only means the regex is read as code, as before.)
func regexCanStart(prev byte) bool {
	return strings.IndexByte("(,=:[!&|?{};+-*%<>~^", prev) >= 0
}

// regexEnd returns the offset just past the regular expression literal
// starting at src[start] == '/', or 0 when none ends on the line (then it
// was a division after all).
func regexEnd(src []byte, start int) int {
	inClass := false
	for i := start + 1; i < len(src); i++ {
		switch src[i] {
		case '\\':
			i++
		case '[':
			inClass = true
		case ']':
			inClass = false
		case '/':
			if !inClass {
				return i + 1
			}
		case '\n', '\r':
			return 0
		}
	}
	return 0
}
