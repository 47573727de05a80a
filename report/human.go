package report

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// visible makes untrusted text safe to show to a person. doorman reports on
// hostile input, and a file name, message or evidence may carry terminal
// escape sequences (which could rewrite the terminal or hide lines),
// bidirectional overrides and zero-width characters (the very trojan-source
// trick a finding may be about) or invalid UTF-8. Each such character is
// replaced by a Go-style escape (\x1b, \u202e) so the reader sees it instead
// of being fooled by it. Newlines are kept when keepNewlines is set, so
// multi-line evidence stays multi-line; everything else is escaped.
func visible(s string, keepNewlines bool) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || !(r == ' ' || unicode.IsPrint(r)) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n' && keepNewlines:
			b.WriteByte('\n')
		case r == ' ' || (r != utf8.RuneError && unicode.IsPrint(r)):
			b.WriteString(s[i : i+n])
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
		i += n
	}
	return b.String()
}

// humanDuration writes milliseconds at a precision a person cares about:
// "812 ms", "12.3 s", "2 min 05 s", "1 h 02 min".
func humanDuration(ms int64) string {
	switch {
	case ms < 1000:
		return fmt.Sprintf("%d ms", ms)
	case ms < 60_000:
		return fmt.Sprintf("%.1f s", float64(ms)/1000)
	case ms < 3_600_000:
		s := ms / 1000
		return fmt.Sprintf("%d min %02d s", s/60, s%60)
	}
	m := ms / 60_000
	return fmt.Sprintf("%d h %02d min", m/60, m%60)
}

// humanInt writes an integer with thousands separators ("1,532").
func humanInt(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// plural writes "1 finding" / "3 findings".
func plural(n int, one, many string) string {
	return plural64(int64(n), one, many)
}

// plural64 is plural for 64-bit counts such as files scanned.
func plural64(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return humanInt(n) + " " + many
}

// wrap breaks s into lines of at most width runes, at spaces where it can
// and inside a word only when the word alone is longer than width (a URL,
// a hash, a base64 blob). Existing newlines are kept. It never returns an
// empty slice, so callers can always print the first line after a label.
func wrap(s string, width int) []string {
	if width < 8 {
		width = 8
	}
	var out []string
	for _, para := range strings.Split(s, "\n") {
		var line []rune
		for _, word := range strings.Split(para, " ") {
			w := []rune(word)
			switch {
			case len(line) == 0:
			case len(line)+1+len(w) <= width:
				line = append(line, ' ')
			default:
				out = append(out, string(line))
				line = line[:0]
			}
			for len(line)+len(w) > width {
				cut := width - len(line)
				line = append(line, w[:cut]...)
				out = append(out, string(line))
				line = line[:0]
				w = w[cut:]
			}
			line = append(line, w...)
		}
		out = append(out, string(line))
	}
	return out
}
