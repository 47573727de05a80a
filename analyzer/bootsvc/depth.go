package bootsvc

// maxNesting is how deeply brackets and compound commands may nest before
// the full parser is not trusted with the text: mvdan.cc/sh recurses once
// per level, and a megabyte of "((((" overflows the goroutine stack, which
// no recover catches. Real boot scripts nest a handful of levels.
const maxNesting = 200

// tooDeep reports whether src nests brackets, quotes-with-substitutions or
// compound commands deeper than maxNesting. It over-counts (a ")" in a
// case pattern, a "{" in a string) rather than under-counts; the fallback
// it triggers still reads every line.
func tooDeep(src []byte) bool {
	// chain counts what the parser also recurses on within one statement:
	// pipes, && and ||, "!", "time", "coproc", "f()" heads.
	depth, words, chain := 0, 0, 0
	var last byte
	word := make([]byte, 0, 8)
	flush := func() {
		switch string(word) {
		case "if", "case", "for", "while", "until", "select", "function":
			words++
		case "time", "coproc":
			chain++
		case "fi", "esac", "done":
			if words > 0 {
				words--
			}
		}
		word = word[:0]
	}
	for _, c := range src {
		switch c {
		case '(', '{', '[', '`':
			depth++
			chain++
		case '|', '&', '!':
			chain++
		case '\n', ';':
			if last != '|' && last != '&' {
				chain = 0
			}
		case ')', '}', ']':
			if depth > 0 {
				depth--
			}
		}
		if c >= 'a' && c <= 'z' {
			if len(word) < cap(word) {
				word = append(word, c)
			} else {
				word = word[:0]
			}
		} else {
			flush()
		}
		if depth+words > maxNesting || chain > 2*maxNesting {
			return true
		}
		if c != ' ' && c != '\t' && c != '\n' {
			last = c
		}
	}
	flush()
	return depth+words > maxNesting
}
