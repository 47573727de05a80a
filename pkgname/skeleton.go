package pkgname

import "strings"

// confusable maps the characters attackers use to imitate Latin package
// names to the ASCII letter they look like. It is the part of Unicode
// TR39's confusables table (https://www.unicode.org/Public/security/latest/confusables.txt)
// that matters for names typed in lockfiles: Cyrillic and Greek homoglyphs,
// fullwidth forms, dotless i, and the ASCII digit/letter look-alikes.
var confusable = map[rune]rune{
	// Cyrillic
	'а': 'a', 'в': 'b', 'с': 'c', 'ԁ': 'd', 'е': 'e', 'ҽ': 'e', 'һ': 'h', 'і': 'i', 'ј': 'j',
	'к': 'k', 'ӏ': 'l', 'м': 'm', 'п': 'n', 'о': 'o', 'р': 'p', 'ԛ': 'q', 'ѕ': 's', 'т': 't',
	'υ': 'u', 'ѵ': 'v', 'ԝ': 'w', 'х': 'x', 'у': 'y', 'ү': 'y',
	'А': 'a', 'В': 'b', 'С': 'c', 'Е': 'e', 'Н': 'h', 'І': 'l', 'Ј': 'j', 'К': 'k', 'М': 'm',
	'О': 'o', 'Р': 'p', 'Ѕ': 's', 'Т': 't', 'Х': 'x', 'Ү': 'y',
	// Greek
	'α': 'a', 'β': 'b', 'ε': 'e', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ο': 'o', 'ρ': 'p',
	'τ': 't', 'χ': 'x', 'γ': 'y', 'Α': 'a', 'Β': 'b', 'Ε': 'e', 'Ζ': 'z', 'Η': 'h', 'Ι': 'l',
	'Κ': 'k', 'Μ': 'm', 'Ν': 'n', 'Ο': 'o', 'Ρ': 'p', 'Τ': 't', 'Υ': 'y', 'Χ': 'x',
	// Latin look-alikes
	'ı': 'i', 'ɩ': 'i', 'ǀ': 'l', 'ℓ': 'l', 'ɡ': 'g', 'ս': 'u', 'օ': 'o',
	// ASCII: digits and capitals read as lower-case letters. Capital I is
	// read as l, which is how "jeIlyfish" passed for "jellyfish".
	'0': 'o', '1': 'l', 'I': 'l', '|': 'l', '5': 's', '3': 'e',
}

// skeleton returns the name as it looks: confusable characters replaced by
// their ASCII look-alike, fullwidth forms folded, lower-cased, and the
// letter pairs that render like one letter (rn → m, vv → w) merged. Two
// names with the same skeleton are hard to tell apart on screen.
func skeleton(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	for _, r := range name {
		if r >= 0xFF01 && r <= 0xFF5E { // fullwidth ASCII
			r -= 0xFEE0
		}
		if m, ok := confusable[r]; ok {
			r = m
		} else if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	s := b.String()
	s = strings.ReplaceAll(s, "rn", "m")
	s = strings.ReplaceAll(s, "vv", "w")
	return s
}

// asciiOnly reports whether s has only ASCII characters.
func asciiOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
