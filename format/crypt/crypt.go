// Package crypt verifies Unix password hashes in the crypt(3) formats that
// firmware and Linux images store in /etc/shadow, /etc/passwd and
// .htpasswd files: traditional DES crypt (13 characters), MD5-crypt ($1$
// and Apache's $apr1$), SHA-256-crypt ($5$), SHA-512-crypt ($6$) and
// bcrypt ($2a$, $2b$, $2y$). It is what a dictionary check needs and no
// more: Verify tells whether a password produces a hash, and Cost says how
// much work one attempt takes, so callers can keep a time budget against
// hostile round counts.
//
// DES, MD5 and SHA crypt have no implementation in the Go standard library
// or x/crypto; they are written here from the published algorithms (the
// Seventh Edition crypt.c, Poul-Henning Kamp's md5crypt, Ulrich Drepper's
// "Unix crypt using SHA-256 and SHA-512" specification) and checked against
// vectors produced by glibc's crypt(3).
package crypt

import (
	"crypto/subtle"
	"strconv"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

// Scheme names a hash format.
type Scheme string

// The schemes Identify recognises. Verify supports all but Yescrypt,
// Unknown and the locked / empty pseudo-schemes.
const (
	DES       Scheme = "descrypt"
	MD5       Scheme = "md5crypt"
	APR1      Scheme = "apr1"
	SHA256    Scheme = "sha256crypt"
	SHA512    Scheme = "sha512crypt"
	Bcrypt    Scheme = "bcrypt"
	Yescrypt  Scheme = "yescrypt"
	SHA1Plain Scheme = "htpasswd-sha1" // Apache "{SHA}" + base64(SHA-1)
	Unknown   Scheme = "unknown"
)

// itoa64 is the alphabet of crypt(3)'s base-64 encoding.
const itoa64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// Identify returns the scheme of a hash string, or Unknown.
func Identify(h string) Scheme {
	switch {
	case strings.HasPrefix(h, "$1$"):
		return MD5
	case strings.HasPrefix(h, "$apr1$"):
		return APR1
	case strings.HasPrefix(h, "$5$"):
		return SHA256
	case strings.HasPrefix(h, "$6$"):
		return SHA512
	case strings.HasPrefix(h, "$2a$"), strings.HasPrefix(h, "$2b$"), strings.HasPrefix(h, "$2y$"):
		return Bcrypt
	case strings.HasPrefix(h, "$y$"):
		return Yescrypt
	case strings.HasPrefix(h, "{SHA}"):
		return SHA1Plain
	case len(h) == 13 && isCryptAlphabet(h):
		return DES
	}
	return Unknown
}

func isCryptAlphabet(s string) bool {
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(itoa64, s[i]) < 0 {
			return false
		}
	}
	return true
}

// Cost is the estimated work of one Verify attempt in microseconds on a
// modest core (measured by the benchmarks), from the scheme and its parameters. It is 0 for hashes
// Verify cannot check. Callers budget on this estimate rather than the
// clock, so which passwords get tried does not depend on machine load.
func Cost(h string) int64 {
	switch Identify(h) {
	case DES:
		return 120
	case MD5, APR1:
		return 460
	case SHA1Plain:
		return 1
	case SHA256:
		if r, ok := shaRounds(h, "$5$"); ok {
			return max(1, int64(r)*6/10)
		}
	case SHA512:
		if r, ok := shaRounds(h, "$6$"); ok {
			return max(1, int64(r)*9/10)
		}
	case Bcrypt:
		if c, err := bcrypt.Cost([]byte(h)); err == nil {
			// About 60 ms at cost 10 on a modest core; doubles per step.
			return 60_000 << max(0, c-10) >> max(0, 10-c)
		}
	}
	return 0
}

// Verify reports whether password produces hash h. Unsupported or
// malformed hashes never verify.
func Verify(h, password string) bool {
	var got string
	switch Identify(h) {
	case DES:
		got = desCrypt(password, h[:2])
	case MD5:
		got = md5Crypt(password, h, "$1$")
	case APR1:
		got = md5Crypt(password, h, "$apr1$")
	case SHA256:
		got = shaCrypt(password, h, false)
	case SHA512:
		got = shaCrypt(password, h, true)
	case SHA1Plain:
		got = sha1Plain(password)
	case Bcrypt:
		return bcrypt.CompareHashAndPassword([]byte(h), []byte(password)) == nil
	default:
		return false
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(h)) == 1
}

// Crypt hashes password with the scheme and salt of setting (a full hash
// or just its prefix and salt), as crypt(3) does. It returns "" for
// schemes it cannot compute. Tests and fixture builders use it.
func Crypt(password, setting string) string {
	switch Identify(setting) {
	case MD5:
		return md5Crypt(password, setting, "$1$")
	case APR1:
		return md5Crypt(password, setting, "$apr1$")
	case SHA256:
		return shaCrypt(password, setting, false)
	case SHA512:
		return shaCrypt(password, setting, true)
	case SHA1Plain:
		return sha1Plain(password)
	}
	if len(setting) >= 2 && isCryptAlphabet(setting[:2]) {
		return desCrypt(password, setting[:2])
	}
	return ""
}

// shaRounds reads the round count of a SHA-crypt hash: 5000 by default,
// clamped to [1000, 999999999] as glibc does.
func shaRounds(h, prefix string) (int, bool) {
	rest := strings.TrimPrefix(h, prefix)
	if !strings.HasPrefix(rest, "rounds=") {
		return 5000, true
	}
	rest = strings.TrimPrefix(rest, "rounds=")
	end := strings.IndexByte(rest, '$')
	if end < 0 {
		return 0, false
	}
	n, err := strconv.ParseUint(rest[:end], 10, 64)
	if err != nil {
		return 0, false
	}
	return int(min(max(n, 1000), 999_999_999)), true
}
