package trojansource

import (
	"unicode"
	"unicode/utf8"
)

// isBidiControl reports the explicit directional formatting characters of
// Unicode's bidirectional algorithm (UAX #9): embeddings, overrides and
// isolates, and the pops that end them. These are what CVE-2021-42574
// ("Trojan Source") uses to make code display in an order other than the
// one the compiler reads. The implicit marks (LRM, RLM, ALM) are left out:
// they cannot reorder a run on their own and are common in localised text.
func isBidiControl(r rune) bool {
	switch r {
	case 0x202A, 0x202B, 0x202D, 0x202E, // LRE, RLE, LRO, RLO
		0x2066, 0x2067, 0x2068, // LRI, RLI, FSI
		0x202C, 0x2069: // PDF, PDI
		return true
	}
	return false
}

// bidiPush says whether a bidi control opens a run (and so must be closed
// by a PDF or PDI before the line ends).
func bidiPush(r rune) bool { return r != 0x202C && r != 0x2069 && isBidiControl(r) }

// isInvisible reports characters that display as nothing (or as a blank)
// yet are distinct code points: an identifier made of them, or one with
// them inside, reads as something else. U+3164 HANGUL FILLER and its
// relatives are letters to Unicode, so JavaScript and others accept them in
// identifiers (https://certitude.consulting/blog/en/invisible-backdoor/).
func isInvisible(r rune) bool {
	switch {
	case r == 0x200B, r == 0x200C, r == 0x200D, // zero width space, non-joiner, joiner
		r == 0x2060, r >= 0x2061 && r <= 0x2064, // word joiner, invisible operators
		r == 0x00AD, r == 0x034F, r == 0x180E, // soft hyphen, grapheme joiner, Mongolian vowel separator
		r == 0xFEFF,                                        // zero width no-break space (a BOM anywhere but the start)
		r == 0x3164, r == 0xFFA0, r == 0x115F, r == 0x1160, // Hangul fillers
		r >= 0xE0000 && r <= 0xE007F: // tag characters ("ASCII smuggling")
		return true
	}
	return false
}

// isTag reports Unicode tag characters, which map one to one onto ASCII and
// render as nothing: text hidden in plain sight for people, visible to
// programs and language models.
func isTag(r rune) bool { return r >= 0xE0000 && r <= 0xE007F }

// isRTLLetter reports letters of right-to-left scripts: a line that has
// them has a reason to carry directional controls.
func isRTLLetter(r rune) bool {
	return unicode.In(r, unicode.Hebrew, unicode.Arabic, unicode.Syriac, unicode.Thaana, unicode.Nko, unicode.Samaritan, unicode.Mandaic)
}

// isIdentStart and isIdentPart approximate the identifier rules shared by
// C-family languages, Go, Python, JavaScript and PHP (UAX #31 plus _ and $).
func isIdentStart(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '_' || r == '$' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
	}
	return unicode.IsLetter(r) || unicode.Is(unicode.Nl, r)
}

func isIdentPart(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '_' || r == '$' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return isIdentStart(r) || unicode.In(r, unicode.Mn, unicode.Mc, unicode.Nd, unicode.Pc) || r == 0x200C || r == 0x200D
}

// script names the script of a letter for mixed-script checks; "" for
// characters that belong to every script (digits, _, $, marks).
func script(r rune) string {
	switch {
	case r < 0x80:
		if unicode.IsLetter(r) {
			return "Latin"
		}
		return ""
	case unicode.Is(unicode.Latin, r):
		return "Latin"
	case unicode.Is(unicode.Cyrillic, r):
		return "Cyrillic"
	case unicode.Is(unicode.Greek, r):
		return "Greek"
	case unicode.Is(unicode.Armenian, r):
		return "Armenian"
	case unicode.Is(unicode.Cherokee, r):
		return "Cherokee"
	case unicode.IsLetter(r):
		return "Other"
	}
	return ""
}
