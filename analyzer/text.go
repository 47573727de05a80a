package analyzer

// Minified reports whether most of a text's bytes sit on lines longer than
// 1000 characters: a minified or generated bundle, where one-letter names
// are reused in every scope and unrelated modules share one line, so that
// token-level conclusions (data flow, what a reviewer sees) are guesses.
func Minified(data []byte) bool {
	long, start := 0, 0
	for i := 0; i <= len(data); i++ {
		if i == len(data) || data[i] == '\n' {
			if i-start > 1000 {
				long += i - start
			}
			start = i + 1
		}
	}
	return len(data) > 0 && long*2 > len(data)
}
