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
}

var (
	cLike  = syntax{slashComments: true}
	jsLike = syntax{slashComments: true, backquote: true}
	hashy  = syntax{hashComments: true}
	shell  = syntax{hashComments: true, backquote: true}
	php    = syntax{slashComments: true, hashComments: true}
)

// languages maps source-file extensions to their syntax. Only code is
// examined: documentation and data legitimately carry any character.
var languages = map[string]syntax{
	".c": cLike, ".h": cLike, ".cc": cLike, ".cpp": cLike, ".cxx": cLike, ".hpp": cLike, ".hh": cLike,
	".java": cLike, ".kt": cLike, ".scala": cLike, ".cs": cLike, ".swift": cLike, ".rs": cLike, ".dart": cLike,
	".go": jsLike, ".js": jsLike, ".mjs": jsLike, ".cjs": jsLike, ".jsx": jsLike, ".ts": jsLike, ".tsx": jsLike,
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
		}
		switch ctx {
		case inCode:
			if isIdentPart(r) || isInvisible(r) {
				if identStart < 0 && (isIdentStart(r) || isInvisible(r)) {
					identStart = i
				}
				i += size
				continue
			}
			endIdent(i)
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
