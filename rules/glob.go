package rules

import (
	"fmt"
	"path"
	"regexp"
	"strings"
)

// glob is a compiled path pattern. Patterns follow gitignore's habit: one
// without a slash matches the base name at any depth ("*.env"); one with a
// slash matches the whole name from the container's root, where "**/"
// stands for any number of folders ("**/etc/config/wireless"). "*" and "?"
// do not cross "/", "[...]" is a class ("[!...]" negated), "{a,b}" is a
// choice.
type glob struct {
	src  string
	base bool
	re   *regexp.Regexp
}

func (g *glob) match(name string) bool {
	if g.base {
		return g.re.MatchString(path.Base(name))
	}
	return g.re.MatchString(name)
}

func matchAny(gs []*glob, name string) bool {
	for _, g := range gs {
		if g.match(name) {
			return true
		}
	}
	return false
}

// compileGlob translates a pattern into an anchored regular expression.
func compileGlob(pat string) (*glob, error) {
	if pat == "" {
		return nil, fmt.Errorf("empty path pattern")
	}
	g := &glob{src: pat, base: !strings.Contains(pat, "/")}
	p := strings.TrimPrefix(pat, "/") // entry names have no leading slash
	var b strings.Builder
	b.WriteString("^")
	braces := 0
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch c {
		case '*':
			if i+1 < len(p) && p[i+1] == '*' {
				if i+2 < len(p) && p[i+2] == '/' {
					b.WriteString("(?:.*/)?")
					i += 2
				} else {
					b.WriteString(".*")
					i++
				}
			} else {
				b.WriteString("[^/]*")
			}
		case '?':
			b.WriteString("[^/]")
		case '[':
			j := i + 1
			if j < len(p) && (p[j] == '!' || p[j] == '^') {
				j++
			}
			if j < len(p) && p[j] == ']' {
				j++ // a leading ']' is a member, as in shells
			}
			for j < len(p) && p[j] != ']' {
				j++
			}
			if j >= len(p) {
				return nil, fmt.Errorf("path pattern %q: unclosed '['", pat)
			}
			class := p[i+1 : j]
			neg := strings.HasPrefix(class, "!") || strings.HasPrefix(class, "^")
			if neg {
				class = class[1:]
			}
			b.WriteString("[")
			if neg {
				b.WriteString("^/")
			}
			b.WriteString(strings.ReplaceAll(class, `\`, `\\`))
			b.WriteString("]")
			i = j
		case '{':
			braces++
			b.WriteString("(?:")
		case '}':
			if braces == 0 {
				return nil, fmt.Errorf("path pattern %q: '}' without '{'", pat)
			}
			braces--
			b.WriteString(")")
		case ',':
			if braces > 0 {
				b.WriteString("|")
			} else {
				b.WriteString(",")
			}
		case '\\':
			if i+1 < len(p) {
				i++
				b.WriteString(regexp.QuoteMeta(p[i : i+1]))
			} else {
				b.WriteString(`\\`)
			}
		default:
			b.WriteString(regexp.QuoteMeta(p[i : i+1]))
		}
	}
	if braces != 0 {
		return nil, fmt.Errorf("path pattern %q: unclosed '{'", pat)
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, fmt.Errorf("path pattern %q: %v", pat, err)
	}
	g.re = re
	return g, nil
}
