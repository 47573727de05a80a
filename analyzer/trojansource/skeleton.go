package trojansource

import "strings"

// confusables maps letters of other scripts that look like Latin letters
// onto them: the subset of Unicode TR39's confusables.txt
// (https://www.unicode.org/Public/security/latest/confusables.txt) that
// homoglyph attacks on code use (CVE-2021-42694): Cyrillic, Greek,
// and Armenian look-alikes of ASCII letters, plus full-width
// forms. Mapping an identifier through it gives its "skeleton"; two
// different identifiers with the same skeleton read as one.
var confusables = map[rune]string{
	// Cyrillic
	'а': "a", 'с': "c", 'ԁ': "d", 'е': "e", 'һ': "h", 'і': "i", 'ј': "j", 'ӏ': "l",
	'о': "o", 'р': "p", 'ԛ': "q", 'г': "r", 'ѕ': "s", 'ѵ': "v", 'ԝ': "w", 'х': "x", 'у': "y",
	'А': "A", 'В': "B", 'С': "C", 'Е': "E", 'Н': "H", 'І': "I", 'Ј': "J", 'К': "K", 'М': "M", 'О': "O", 'Р': "P",
	'Ѕ': "S", 'Т': "T", 'Х': "X", 'У': "Y", 'Ԁ': "D", 'Ԍ': "G", 'Ԛ': "Q", 'Ԝ': "W",
	// Greek
	'α': "a", 'ι': "i", 'ν': "v", 'ο': "o", 'ρ': "p", 'υ': "u", 'γ': "y",
	'Α': "A", 'Β': "B", 'Ε': "E", 'Ζ': "Z", 'Η': "H", 'Ι': "I", 'Κ': "K", 'Μ': "M", 'Ν': "N", 'Ο': "O", 'Ρ': "P",
	'Τ': "T", 'Υ': "Y", 'Χ': "X",
	// Armenian
	'օ': "o", 'ս': "u", 'ց': "g", 'հ': "h", 'ո': "n", 'ռ': "n", 'ա': "w",
}

// skeleton maps s through confusables (and full-width ASCII to ASCII) and
// reports whether anything changed.
func skeleton(s string) (string, bool) {
	var b strings.Builder
	changed := false
	for _, r := range s {
		if m, ok := confusables[r]; ok {
			b.WriteString(m)
			changed = true
			continue
		}
		if r >= 0xFF01 && r <= 0xFF5E { // full-width forms of ASCII
			b.WriteRune(r - 0xFF01 + '!')
			changed = true
			continue
		}
		b.WriteRune(r)
	}
	return b.String(), changed
}

// isASCII reports whether s is plain ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
