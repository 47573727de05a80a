package executable

import (
	"bytes"
	"strings"
)

// CredHint is a password-like literal stored next to a login or password
// string: how a hidden credential check looks in a binary's .rodata, where
// a compiler lays the strings of one function side by side.
type CredHint struct {
	Context string // the login/password string beside it ("Password: ")
	Literal string // the literal itself; masked before it is reported
	Offset  int64
}

// Keywords that mark login and password handling. Case variants are
// listed because the keyword pass is case-sensitive.
var credKeywords = []string{"assword", "ASSWORD", "login:", "Login:", "LOGIN:", "username", "Username", "passwd", "backdoor"}

const (
	credWindow     = 192 // bytes read on each side of a hit
	credNeighbours = 3   // strings on each side looked at
	maxCredHints   = 8
	maxCredHits    = 64 // keyword hits examined per binary
)

// credentialsNear returns the password-like strings among the few strings
// stored on each side of the one containing the hit at rel in window.
func credentialsNear(window []byte, rel int, base int64) []CredHint {
	if rel < 0 || rel >= len(window) {
		return nil
	}
	type str struct {
		s   string
		off int
	}
	var strs []str
	at := -1
	start := 0
	for i := 0; i <= len(window); i++ {
		if i < len(window) && window[i] != 0 {
			continue
		}
		if i > start {
			if rel >= start && rel < i {
				at = len(strs)
			}
			strs = append(strs, str{string(window[start:i]), start})
		}
		start = i + 1
	}
	if at < 0 {
		return nil
	}
	ctx := strs[at].s
	var out []CredHint
	for j := max(0, at-credNeighbours); j <= min(len(strs)-1, at+credNeighbours); j++ {
		if j == at {
			continue
		}
		// the window's first and last strings may be cut: skip them
		if (strs[j].off == 0 && base > 0) || strs[j].off+len(strs[j].s) == len(window) {
			continue
		}
		if looksLikePassword(strs[j].s) {
			out = append(out, CredHint{Context: printable(ctx), Literal: strs[j].s, Offset: base + int64(strs[j].off)})
		}
	}
	return out
}

// notPasswords are tokens with letters and digits that programs carry
// for other reasons: algorithms, encodings, architectures, protocols.
var notPasswords = set("sha256", "sha512", "sha384", "sha224", "sha1", "md5", "md4", "base64", "base32", "utf8", "utf16", "utf32", "x86_64", "i386", "i486", "i586", "i686", "amd64", "arm64", "aarch64", "mips32", "ipv4", "ipv6", "inet6", "x509", "pkcs11", "pkcs12", "aes128", "aes256", "des3", "rc4", "ed25519", "curve25519", "blake2b", "sha3", "yescrypt", "scrypt", "argon2", "argon2id", "pbkdf2", "sm3", "sm4", "crc32", "tls13", "tls12", "http2", "ssh2", "ucs2", "ucs4", "iso8859", "latin1", "win32", "win64", "mips64", "ppc64", "s390x", "riscv64", "x509v3", "utf8mb4", "mp3", "mpeg4", "h264", "h265", "ipv4only", "iso8601", "iso8859", "rfc3339", "rfc822", "rfc2822", "x25519", "x448", "ed448", "p256", "p384", "p521", "secp256k1", "secp256r1", "secp384r1", "secp521r1", "prime256v1", "gost2012", "sha3_256", "ripemd160", "camellia128", "camellia256", "chacha20", "poly1305", "salsa20", "md5sum", "sha1sum", "sha256sum", "sha512sum", "base58", "bzip2", "lz4hc", "zstd19")

// looksLikePassword accepts what a baked-in password usually is: 5 to 32
// printable characters without spaces, letters and at least two digits or
// a symbol, and not a format, path, option, identifier or known token.
func looksLikePassword(s string) bool {
	if len(s) < 5 || len(s) > 32 {
		return false
	}
	var lower, upper, digit, symbol int
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z':
			lower++
		case c >= 'A' && c <= 'Z':
			upper++
		case c >= '0' && c <= '9':
			digit++
		case c > ' ' && c < 0x7f:
			symbol++
		default:
			return false // spaces, control bytes, non-ASCII: text or data
		}
	}
	if lower+upper == 0 || strings.ContainsAny(s, "%/\\=:.,;()[]{}<>\"'`$&|*?-_") {
		return false
	}
	// A plain word ("admin", "Passwd", "eth0") is a prompt or a name, and
	// a word with a sign ("@include", "tor+https") is syntax: a password
	// mixes digits in, or case and signs.
	mixed := lower > 0 && upper > 0
	if !(digit >= 2 || digit == 1 && mixed || symbol > 0 && (digit > 0 || mixed)) {
		return false
	}
	if notPasswords[strings.ToLower(s)] || isHex(s) || strings.HasPrefix(s, "GLIBC") || strings.HasPrefix(s, "GCC") {
		return false
	}
	// an upper-case identifier with digits (SIGUSR1, EAGAIN2, ERR0R01) is a constant name
	if lower == 0 && symbol == 0 {
		return false
	}
	return true
}

func isHex(s string) bool {
	if len(s) < 8 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// printable trims a context string for a message.
func printable(s string) string {
	s = strings.TrimSpace(s)
	b := []byte(s)
	for i, c := range b {
		if c < ' ' || c >= 0x7f {
			b[i] = '?'
		}
	}
	if len(b) > 60 {
		b = append(b[:59], "…"...)
	}
	return string(bytes.TrimSpace(b))
}
