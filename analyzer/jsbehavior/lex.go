package jsbehavior

import (
	"io"

	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/js"
)

// tok is one significant token (whitespace and comments dropped). For an
// opening bracket, m is the index of its closing bracket, or len(tokens)
// when the file ends first; for a closing bracket, the index of its opener.
type tok struct {
	t    js.TokenType
	s, e int32 // byte range in the source
	m    int32 // matching bracket; -1 when not a bracket
	nl   bool  // a line break precedes the token (automatic semicolons)
}

// maxRestarts bounds how often lexing resumes after a lexical error (an
// unterminated string, "1px"): hostile files must not turn each byte into
// a restart.
const maxRestarts = 256

// maxTokens bounds the token slice (24 bytes a token): beyond it the rest
// of the file is not analysed.
const maxTokens = 3 << 20

// tokenize lexes src with the tdewolff lexer, telling regular expressions
// from divisions by the previous token, and links brackets. A lexical
// error does not end the analysis: lexing resumes one byte further.
func tokenize(src []byte) []tok {
	buf := make([]byte, len(src)+1) // the lexer wants a NUL after the input
	copy(buf, src)
	toks := make([]tok, 0, min(len(src)/3+16, maxTokens))
	off := 0
	nl := false
	restarts := 0
	for off < len(src) && restarts <= maxRestarts && len(toks) < maxTokens {
		l := js.NewLexer(parse.NewInputBytes(buf[off:len(src)]))
		resume := false
		for len(toks) < maxTokens {
			tt, text := l.Next()
			if tt == js.ErrorToken {
				if l.Err() == io.EOF {
					off = len(src)
				} else {
					off++ // skip the offending byte and resume
					restarts++
				}
				break
			}
			start := off
			off += len(text)
			switch tt {
			case js.WhitespaceToken, js.CommentToken:
				continue
			case js.LineTerminatorToken, js.CommentLineTerminatorToken:
				nl = true
				continue
			case js.DivToken, js.DivEqToken:
				if !endsExpr(toks, src) {
					rt, rtext := l.RegExp()
					if rt == js.RegExpToken && start+len(rtext) <= len(src) {
						tt = rt
						off = start + len(rtext)
					} else {
						// not a regular expression after all: the lexer has
						// moved back, so keep the division and resume after it
						toks = append(toks, tok{t: tt, s: int32(start), e: int32(off), m: -1, nl: nl})
						nl = false
						resume = true
					}
				}
			}
			if resume {
				break
			}
			toks = append(toks, tok{t: tt, s: int32(start), e: int32(off), m: -1, nl: nl})
			nl = false
		}
	}
	link(toks)
	return toks
}

// endsExpr says whether the last token can end an expression, in which
// case a following '/' divides; otherwise it starts a regular expression.
func endsExpr(toks []tok, src []byte) bool {
	if len(toks) == 0 {
		return false
	}
	t := toks[len(toks)-1]
	switch {
	case js.IsIdentifier(t.t), t.t == js.PrivateIdentifierToken, js.IsNumeric(t.t),
		t.t == js.StringToken, t.t == js.TemplateToken, t.t == js.TemplateEndToken, t.t == js.RegExpToken,
		t.t == js.CloseParenToken, t.t == js.CloseBracketToken, t.t == js.CloseBraceToken,
		t.t == js.IncrToken, t.t == js.DecrToken:
		return true
	}
	switch string(src[t.s:t.e]) {
	case "this", "super", "null", "true", "false", "undefined":
		return true
	}
	return false
}

// link matches brackets. A closer with no opener of its kind is left
// unmatched; openers closed by a closer of another kind (broken or hostile
// input) are closed there too, so one stray bracket does not swallow the
// rest of the file. Openers never closed match len(toks).
func link(toks []tok) {
	var stack []int32
	for i := range toks {
		switch toks[i].t {
		case js.OpenParenToken, js.OpenBracketToken, js.OpenBraceToken:
			stack = append(stack, int32(i))
		case js.CloseParenToken, js.CloseBracketToken, js.CloseBraceToken:
			want := opener(toks[i].t)
			found := -1
			for j := len(stack) - 1; j >= 0 && j >= len(stack)-8; j-- {
				if toks[stack[j]].t == want {
					found = j
					break
				}
			}
			if found < 0 {
				continue
			}
			for len(stack) > found+1 { // openers left open inside: close them here
				o := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				toks[o].m = int32(i)
			}
			o := stack[found]
			stack = stack[:found]
			toks[o].m = int32(i)
			toks[i].m = o
		}
	}
	for _, o := range stack {
		toks[o].m = int32(len(toks))
	}
}

func opener(c js.TokenType) js.TokenType {
	switch c {
	case js.CloseParenToken:
		return js.OpenParenToken
	case js.CloseBracketToken:
		return js.OpenBracketToken
	}
	return js.OpenBraceToken
}

func isOpen(t js.TokenType) bool {
	return t == js.OpenParenToken || t == js.OpenBracketToken || t == js.OpenBraceToken
}
