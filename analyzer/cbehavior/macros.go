package cbehavior

import "strings"

// macro is a #define: its name, parameters (nil for an object-like macro)
// and body, lexed on its own.
type macro struct {
	name   string
	params map[string]bool
	body   *file
	off    int32
}

// maxMacroBody bounds the bytes of one macro body that are examined.
const maxMacroBody = 64 << 10

// macros reads the #define directives of a file.
func (f *file) macros() []macro {
	var out []macro
	for _, t := range f.toks {
		if t.kind != tPP {
			continue
		}
		line := f.src[t.start:t.end]
		rest := strings.TrimLeft(string(line[1:]), " \t")
		if !strings.HasPrefix(rest, "define") {
			continue
		}
		rest = strings.TrimLeft(rest[len("define"):], " \t")
		n := 0
		for n < len(rest) && isIdentByte(rest[n]) {
			n++
		}
		if n == 0 || isDigit(rest[0]) {
			continue
		}
		m := macro{name: rest[:n], off: t.start}
		rest = rest[n:]
		if strings.HasPrefix(rest, "(") {
			close := strings.IndexByte(rest, ')')
			if close < 0 {
				continue
			}
			m.params = map[string]bool{}
			for _, p := range strings.Split(rest[1:close], ",") {
				if p = strings.TrimSpace(p); p != "" {
					m.params[p] = true
				}
			}
			rest = rest[close+1:]
		}
		if len(rest) > maxMacroBody {
			rest = rest[:maxMacroBody]
		}
		m.body = parseFile([]byte(strings.ReplaceAll(rest, "\\\n", " \n")))
		out = append(out, m)
	}
	return out
}

// literalValue returns the value of an object-like macro that is a single
// string or char literal (#define DEBUGMODE3_INFO "AB").
func (m macro) literalValue() (string, bool) {
	if m.params != nil || len(m.body.toks) != 1 {
		return "", false
	}
	return m.body.stringValue(0)
}
