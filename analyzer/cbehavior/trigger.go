package cbehavior

import (
	"regexp"
	"strings"
)

// candidate is an if-statement whose condition compares input with a
// literal (or a macro constant) and whose guarded block does something.
// The block's calls to functions or macros defined in other files are
// resolved in the final pass, so it travels as a fact.
type candidate struct {
	Func     string
	Off      int64
	Line     int
	Compare  string // the comparison, for evidence ("strcmp(cmd->argv[1], \"ACIDBITCHEZ\") == 0")
	Magic    string // the literal or macro name
	Subject  string
	Local    bool // the subject is a command-line argument or environment variable
	AuthCtx  bool // an authentication function comparing a user or password
	Acts     act
	External []callRef // calls to names this file does not define
}

// maxCandidates bounds the candidates kept per file.
const maxCandidates = 256

// cmpFuncs compare two strings and return 0 when they are equal;
// eqFuncs return true when they are equal (or, for strstr, contain).
var cmpFuncs = map[string]bool{
	"strcmp": true, "strncmp": true, "strcasecmp": true, "strncasecmp": true, "memcmp": true,
	"bcmp": true, "stricmp": true, "_stricmp": true, "strnicmp": true, "_strnicmp": true,
	"g_strcmp0": true, "g_ascii_strcasecmp": true, "wcscmp": true, "lstrcmpA": true, "lstrcmpiA": true,
	"strcoll": true, "CRYPTO_memcmp": true,
}
var eqFuncs = map[string]bool{
	"strstr": true, "strcasestr": true, "g_str_equal": true, "streq": true, "STREQ": true,
	"str_equal": true, "strequal": true, "g_str_has_prefix": true, "memmem": true,
}

var typeWords = map[string]bool{"char": true, "const": true, "unsigned": true, "signed": true, "int": true, "void": true, "struct": true, "uint8_t": true, "u_char": true, "size_t": true}

var authFunc = regexp.MustCompile(`(?i)auth|login|passw|passwd|check_?pass|verify|pam_|valid_?user|logon`)
var authSubject = regexp.MustCompile(`(?i)pass|pwd|passwd|user|login|uname|account`)

// localRoots are names of command-line and environment input: comparing
// them with literals is option parsing.
var localRoots = map[string]bool{"argv": true, "av": true, "optarg": true, "envp": true, "environ": true, "opt": true, "getenv": true}

// triggers finds the candidates of one function.
func (f *file) triggers(fn function, out []candidate) []candidate {
	for i := fn.body.from; i < fn.body.to && len(out) < maxCandidates; i++ {
		if !f.is(i, "if") || !f.is(i+1, "(") || f.match[i+1] < 0 {
			continue
		}
		cond := span{i + 2, int(f.match[i+1])}
		cmp, magic, subj, ok := f.magicComparison(cond)
		if !ok {
			continue
		}
		body := f.statementAfter(cond.to, fn.body.to)
		roots := f.roots(subj)
		sum := f.summarize(body, roots)
		if sum.Acts == 0 && len(sum.Calls) == 0 {
			continue
		}
		subjText := f.spanText(subj)
		c := candidate{
			Func: fn.name, Off: int64(f.toks[i].start), Compare: cmp, Magic: magic, Subject: subjText,
			Acts: sum.Acts,
		}
		for r := range roots {
			if localRoots[r] {
				c.Local = true
			}
		}
		if fn.name == "main" || strings.Contains(subjText, "getenv") {
			c.Local = true
		}
		c.AuthCtx = authFunc.MatchString(fn.name) && authSubject.MatchString(subjText)
		c.External = sum.Calls
		out = append(out, c)
	}
	return out
}

// magicComparison finds, in an if-condition, a comparison that is true
// when input equals a non-empty literal: !strcmp(x, "lit"), strcmp(..)==0,
// strstr(x, ":)"), x == "lit" (C++), or two or more character tests of
// one buffer joined by && (buf[0]=='A' && buf[1]=='B'; p[i]==0x3a &&
// p[i+1]==0x29).
func (f *file) magicComparison(cond span) (text, magic string, subject span, ok bool) {
	for i := cond.from; i < cond.to; i++ {
		c, isCall := f.callAt(i)
		if !isCall || len(c.args) < 2 || !(cmpFuncs[c.name] || eqFuncs[c.name]) {
			continue
		}
		lit, other := -1, -1
		for k, a := range c.args[:2] {
			if f.isMagicLiteral(a) {
				lit = k
			} else {
				other = k
			}
		}
		if lit < 0 || other < 0 {
			continue
		}
		end := int(f.match[i+1])
		if cmpFuncs[c.name] {
			equal := f.is(i-1, "!") && !f.is(i-2, "!") ||
				(f.is(end+1, "==") && f.is(end+2, "0")) ||
				(f.is(i-1, "==") && f.is(i-2, "0"))
			if !equal {
				continue
			}
		} else if f.is(i-1, "!") {
			continue
		}
		return f.spanText(span{max(i-1, cond.from), min(end+3, cond.to)}), f.spanText(c.args[lit]), c.args[other], true
	}
	if t, m, s, ok := f.charChain(cond); ok {
		return t, m, s, true
	}
	// C++: std::string compared with == to a string literal.
	for i := cond.from; i < cond.to; i++ {
		if !f.is(i, "==") {
			continue
		}
		if v, ok := f.stringValue(i + 1); ok && v != "" && f.kindAt(i+1) == tString && f.kindAt(i-1) == tIdent {
			return f.spanText(span{i - 1, i + 2}), f.text(i + 1), span{i - 1, i}, true
		}
	}
	return "", "", span{}, false
}

// isMagicLiteral: a non-empty string literal, or a macro-looking constant
// (all capitals: #define DEBUGMODE3_INFO "AB").
func (f *file) isMagicLiteral(a span) bool {
	i := single(a)
	if i < 0 {
		return false
	}
	if v, ok := f.stringValue(i); ok {
		return v != "" && f.kindAt(i) == tString
	}
	t := f.text(i)
	return f.kindAt(i) == tIdent && len(t) >= 3 && strings.ToUpper(t) == t && strings.ContainsAny(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") && t != "NULL"
}

// charChain finds BUF[..] == LIT && BUF[..] == LIT (at least two tests of
// the same buffer in one &&-chain); magic is the literals decoded.
func (f *file) charChain(cond span) (text, magic string, subject span, ok bool) {
	type test struct {
		buf string
		sp  span
		lit string
	}
	var tests []test
	for i := cond.from; i < cond.to; i++ {
		if !f.is(i, "]") || !f.is(i+1, "==") || f.match[i] < 0 {
			continue
		}
		lit, ok := f.charLiteral(i + 2)
		if !ok {
			continue
		}
		lb := int(f.match[i])
		// The buffer expression: identifiers joined by -> and . before '['.
		s := lb
		for s-1 >= cond.from && (f.kindAt(s-1) == tIdent || f.is(s-1, "->") || f.is(s-1, ".")) {
			s--
		}
		if s == lb {
			continue
		}
		tests = append(tests, test{f.spanText(span{s, lb}), span{s, lb}, lit})
	}
	for _, a := range tests {
		var lits []string
		for _, b := range tests {
			if b.buf == a.buf {
				lits = append(lits, b.lit)
			}
		}
		if len(lits) >= 2 && f.joinedByAnd(cond) {
			return f.spanText(cond), strings.Join(lits, ""), a.sp, true
		}
	}
	return "", "", span{}, false
}

// joinedByAnd: the condition's top-level logic is a conjunction (a char
// test in an || chain is a character class, not a password).
func (f *file) joinedByAnd(cond span) bool {
	and := false
	for i := cond.from; i < cond.to; i++ {
		if f.is(i, "||") {
			return false
		}
		if f.is(i, "&&") {
			and = true
		}
	}
	return and
}

// charLiteral reads 'A', 0x3a or 58 as one byte.
func (f *file) charLiteral(i int) (string, bool) {
	if v, ok := f.stringValue(i); ok && f.kindAt(i) == tChar && len(v) == 1 {
		return v, true
	}
	if f.kindAt(i) != tNumber {
		return "", false
	}
	t := strings.ToLower(f.text(i))
	var n int
	base := 10
	if strings.HasPrefix(t, "0x") {
		base, t = 16, t[2:]
	}
	for _, c := range t {
		d := strings.IndexRune("0123456789abcdef", c)
		if d < 0 || d >= base {
			return "", false
		}
		n = n*base + d
		if n > 255 {
			return "", false
		}
	}
	if n < 0x21 || n > 0x7e {
		return "", false // NUL, newline and space tests end tokens; they are not magic
	}
	return string(rune(n)), true
}

// roots are the variables an expression reads: identifiers not naming a
// member, a type or a subscript.
func (f *file) roots(s span) map[string]bool {
	out := map[string]bool{}
	for i := s.from; i < s.to; i++ {
		if (f.is(i, "[") || f.is(i, "(")) && f.match[i] > int32(i) && !(f.is(i, "(") && f.kindAt(i-1) == tIdent) {
			if f.is(i, "[") {
				i = int(f.match[i])
				continue
			}
		}
		if f.kindAt(i) != tIdent || typeWords[f.text(i)] || f.is(i-1, "->") || f.is(i-1, ".") {
			continue
		}
		out[f.text(i)] = true
	}
	return out
}

// spanText returns the source of a span, whitespace collapsed, at most
// 160 bytes.
func (f *file) spanText(s span) string {
	if s.from >= s.to || s.from < 0 || s.to > len(f.toks) {
		return ""
	}
	t := strings.Join(strings.Fields(string(f.src[f.toks[s.from].start:f.toks[s.to-1].end])), " ")
	if len(t) > 160 {
		t = t[:157] + "..."
	}
	return t
}
