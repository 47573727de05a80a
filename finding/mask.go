package finding

import (
	"fmt"
	"unicode/utf8"
)

// Mask hides a secret, leaving enough to recognise it: a short prefix and
// the length. "hunter2" becomes "hu*****"; a 40-character token keeps its
// first 4 characters. An empty secret stays empty.
func Mask(secret string) string {
	n := utf8.RuneCountInString(secret)
	switch {
	case n == 0:
		return ""
	case n <= 3:
		return string([]rune(secret)[:1]) + "***"
	}
	keep := n / 4
	if keep > 4 {
		keep = 4
	}
	if keep < 1 {
		keep = 1
	}
	r := []rune(secret)
	if n > 16 {
		return fmt.Sprintf("%s…(%d chars)", string(r[:keep]), n)
	}
	out := make([]rune, 0, n)
	out = append(out, r[:keep]...)
	for i := keep; i < n; i++ {
		out = append(out, '*')
	}
	return string(out)
}
