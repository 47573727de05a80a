package jsbehavior

import (
	"strings"

	"github.com/tdewolff/parse/v2/js"
)

// file is one source file being analysed: its tokens, the local names
// bound to modules (require and import), and what the walk learns.
type file struct {
	src   []byte
	toks  []tok
	alias map[string]string // local name → "module" or "module.member"
	// arrowEnd maps an arrow without braces to the end of its body.
	arrowEnd map[int]int
}

func (f *file) raw(i int) []byte {
	t := f.toks[i]
	return f.src[min(int(t.s), len(f.src)):min(int(t.e), len(f.src))]
}

func (f *file) text(i int) string { return string(f.raw(i)) }

// is says whether token i exists and reads s.
func (f *file) is(i int, s string) bool {
	return i >= 0 && i < len(f.toks) && string(f.raw(i)) == s
}

func (f *file) typ(i int) js.TokenType {
	if i < 0 || i >= len(f.toks) {
		return js.ErrorToken
	}
	return f.toks[i].t
}

// end returns the index of the closer of the bracket at i, clamped to the
// token count.
func (f *file) end(i int) int {
	m := int(f.toks[i].m)
	if m < 0 || m > len(f.toks) {
		return len(f.toks)
	}
	return m
}

func isName(t js.TokenType) bool { return js.IsIdentifierName(t) }

func isStr(t js.TokenType) bool { return t == js.StringToken || t == js.TemplateToken }

// strArg returns the value of a bracket group that holds only string
// literals joined by '+' (require("child_" + "process")), and whether it
// does.
func (f *file) strArg(open int) (string, bool) {
	end := f.end(open)
	if end <= open+1 || end-open > 40 {
		return "", false
	}
	var b strings.Builder
	for i := open + 1; i < end; i++ {
		switch {
		case isStr(f.typ(i)):
			b.WriteString(unquote(f.raw(i)))
		case f.typ(i) == js.AddToken:
		default:
			return "", false
		}
	}
	return b.String(), true
}

// normModule folds the spellings of a core module into one name.
func normModule(m string) string {
	m = strings.TrimPrefix(m, "node:")
	switch m {
	case "fs/promises", "fs-extra", "graceful-fs", "original-fs":
		return "fs"
	case "dns/promises":
		return "dns"
	case "cross-spawn":
		return "child_process.spawn"
	}
	return m
}

// collectAliases records which local names stand for which modules:
// x = require("m"), {a, b: c} = require("m"), x = require("m").y and the
// import forms.
func (f *file) collectAliases() {
	f.alias = map[string]string{}
	for i := 0; i < len(f.toks); i++ {
		switch {
		case f.is(i, "require") && f.typ(i+1) == js.OpenParenToken:
			mod, ok := f.strArg(i + 1)
			if !ok {
				continue
			}
			mod = normModule(mod)
			after := f.end(i+1) + 1
			if f.typ(after) == js.DotToken && isName(f.typ(after+1)) {
				mod += "." + f.text(after+1)
			}
			f.bindLHS(i-1, mod)
		case f.typ(i) == js.ImportToken && f.typ(i+1) != js.OpenParenToken && f.typ(i+1) != js.DotToken:
			f.importAt(i)
		}
	}
}

// bindLHS binds the target of an assignment whose '=' is at eq to mod.
func (f *file) bindLHS(eq int, mod string) {
	if f.typ(eq) != js.EqToken {
		return
	}
	l := eq - 1
	switch {
	case isName(f.typ(l)) && f.typ(l-1) != js.DotToken:
		f.alias[f.text(l)] = mod
	case f.typ(l) == js.CloseBraceToken:
		f.bindPattern(int(f.toks[l].m), l, mod)
	}
}

// bindPattern binds the names of a destructuring pattern {a, b: c} or an
// import list {a, b as c} between open and end to members of mod.
func (f *file) bindPattern(open, end int, mod string) {
	if open < 0 || open >= end {
		return
	}
	for i := open + 1; i < end; i++ {
		if !isName(f.typ(i)) || (f.typ(i-1) != js.CommaToken && i != open+1) {
			continue
		}
		key, local := f.text(i), f.text(i)
		if (f.typ(i+1) == js.ColonToken || f.typ(i+1) == js.AsToken) && isName(f.typ(i+2)) {
			local = f.text(i + 2)
		}
		f.alias[local] = mod + "." + key
	}
}

// importAt reads an import declaration starting at i.
func (f *file) importAt(i int) {
	j := i + 1
	var defName, nsName string
	var list [2]int
	for k := 0; k < 6 && j < len(f.toks); k++ {
		switch {
		case f.typ(j) == js.FromToken && isStr(f.typ(j+1)):
			mod := normModule(unquote(f.raw(j + 1)))
			if defName != "" {
				f.alias[defName] = mod
			}
			if nsName != "" {
				f.alias[nsName] = mod
			}
			if list[1] > 0 {
				f.bindPattern(list[0], list[1], mod)
			}
			return
		case f.typ(j) == js.OpenBraceToken:
			list = [2]int{j, f.end(j)}
			j = list[1] + 1
		case f.typ(j) == js.MulToken && f.typ(j+1) == js.AsToken && isName(f.typ(j+2)):
			nsName = f.text(j + 2)
			j += 3
		case f.typ(j) == js.CommaToken:
			j++
		case isName(f.typ(j)) && f.typ(j) != js.FromToken:
			if f.is(j, "type") && isName(f.typ(j+1)) || f.typ(j+1) == js.OpenBraceToken && f.is(j, "type") {
				j++ // import type X from (TypeScript)
				continue
			}
			defName = f.text(j)
			j++
		default:
			return
		}
	}
}

// callee is what a call at an opening parenthesis calls.
type callee struct {
	full  string // resolved dotted name, "()" for intermediate calls: "crypto.createHash().digest"
	plain string // full without the "()" parts: "crypto.createHash.digest"
	last  string // the called name: "digest"
	start int    // first token of the chain
	recv  int    // token index of the dot before last, or -1: the receiver is [start, recv)
	isNew bool
}

// globalPrefixes name the global object; global.eval is eval.
var globalPrefixes = []string{"window.", "global.", "globalThis.", "self."}

// calleeAt resolves the chain before the '(' at k.
func (f *file) calleeAt(k int) callee {
	c := callee{recv: -1, start: k}
	var parts []string
	j := k - 1
	needDot := false
	for steps := 0; j >= 0 && steps < 24; steps++ {
		t := f.typ(j)
		if needDot {
			if t == js.DotToken || t == js.OptChainToken {
				if len(parts) == 1 {
					c.recv = j
				}
				j--
				needDot = false
				continue
			}
			break
		}
		switch {
		case isName(t) && !(js.IsReservedWord(t) && t != js.ThisToken && t != js.SuperToken):
			parts = append(parts, f.text(j))
			c.start = j
			j--
			needDot = true
		case t == js.CloseBracketToken:
			o := int(f.toks[j].m)
			if o < 0 {
				j = -1
				break
			}
			if v, ok := f.strArg(o); ok {
				parts = append(parts, v)
			} else {
				parts = append(parts, "[]")
			}
			if len(parts) == 1 {
				c.recv = o
			}
			c.start = o
			j = o - 1
			needDot = false
		case t == js.CloseParenToken:
			o := int(f.toks[j].m)
			if o < 0 {
				j = -1
				break
			}
			if f.is(o-1, "require") {
				if mod, ok := f.strArg(o); ok {
					parts = append(parts, "require:"+normModule(mod))
					c.start = o - 1
					j = -1
					break
				}
			}
			if len(parts) == 0 && f.typ(f.end(o)-1) == js.IdentifierToken && f.typ(f.end(o)-2) == js.CommaToken {
				parts = append(parts, f.text(f.end(o)-1)) // (0, eval)(x)
				c.start = o
				j = -1
				break
			}
			parts = append(parts, "()")
			c.start = o
			j = o - 1
			needDot = false
		default:
			j = -1
		}
		if j < 0 {
			break
		}
	}
	if len(parts) == 0 {
		return c
	}
	// parts are last-first; build root-first
	for l, r := 0, len(parts)-1; l < r; l, r = l+1, r-1 {
		parts[l], parts[r] = parts[r], parts[l]
	}
	root := parts[0]
	switch {
	case strings.HasPrefix(root, "require:"):
		root = strings.TrimPrefix(root, "require:")
	case f.alias[root] != "":
		root = f.alias[root]
	}
	parts[0] = root
	c.full = strings.Join(parts, ".")
	for _, p := range globalPrefixes {
		c.full = strings.TrimPrefix(c.full, p)
	}
	c.plain = strings.ReplaceAll(c.full, ".()", "")
	c.last = parts[len(parts)-1]
	if i := strings.LastIndexByte(c.plain, '.'); i >= 0 {
		c.last = c.plain[i+1:]
	} else {
		c.last = c.plain
	}
	c.isNew = f.typ(c.start-1) == js.NewToken
	return c
}
