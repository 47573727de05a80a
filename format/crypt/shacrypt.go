package crypt

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"hash"
	"strconv"
	"strings"
)

// shaCrypt implements Ulrich Drepper's SHA-256-crypt ("$5$") and
// SHA-512-crypt ("$6$"), with the optional "rounds=N$" parameter. setting
// is a full hash or its prefix and salt.
func shaCrypt(password, setting string, is512 bool) string {
	prefix, newH, size := "$5$", sha256.New, 32
	if is512 {
		prefix, newH, size = "$6$", sha512.New, 64
	}
	rest := strings.TrimPrefix(setting, prefix)
	rounds, custom := 5000, false
	if strings.HasPrefix(rest, "rounds=") {
		r, ok := shaRounds(setting, prefix)
		if !ok {
			return ""
		}
		rounds, custom = r, true
		rest = rest[strings.IndexByte(rest, '$')+1:]
	}
	salt := rest
	if i := strings.IndexByte(salt, '$'); i >= 0 {
		salt = salt[:i]
	}
	if len(salt) > 16 {
		salt = salt[:16]
	}
	pw, s := []byte(password), []byte(salt)

	sum := func(h hash.Hash) []byte { return h.Sum(nil) }
	b := newH()
	b.Write(pw)
	b.Write(s)
	b.Write(pw)
	bSum := sum(b)

	a := newH()
	a.Write(pw)
	a.Write(s)
	n := len(pw)
	for ; n > size; n -= size {
		a.Write(bSum)
	}
	a.Write(bSum[:n])
	for i := len(pw); i > 0; i >>= 1 {
		if i&1 != 0 {
			a.Write(bSum)
		} else {
			a.Write(pw)
		}
	}
	aSum := sum(a)

	dp := newH()
	for range len(pw) {
		dp.Write(pw)
	}
	p := repeatTo(sum(dp), len(pw))

	ds := newH()
	for range 16 + int(aSum[0]) {
		ds.Write(s)
	}
	sBytes := repeatTo(sum(ds), len(s))

	c := aSum
	h := newH()
	for i := range rounds {
		h.Reset()
		if i&1 != 0 {
			h.Write(p)
		} else {
			h.Write(c)
		}
		if i%3 != 0 {
			h.Write(sBytes)
		}
		if i%7 != 0 {
			h.Write(p)
		}
		if i&1 != 0 {
			h.Write(c)
		} else {
			h.Write(p)
		}
		c = h.Sum(c[:0])
	}

	var out strings.Builder
	out.WriteString(prefix)
	if custom {
		out.WriteString("rounds=")
		out.WriteString(strconv.Itoa(rounds))
		out.WriteByte('$')
	}
	out.WriteString(salt)
	out.WriteByte('$')
	if is512 {
		for _, t := range sha512Order {
			to64(&out, uint32(c[t[0]])<<16|uint32(c[t[1]])<<8|uint32(c[t[2]]), 4)
		}
		to64(&out, uint32(c[63]), 2)
	} else {
		for _, t := range [10][3]int{{0, 10, 20}, {21, 1, 11}, {12, 22, 2}, {3, 13, 23}, {24, 4, 14}, {15, 25, 5}, {6, 16, 26}, {27, 7, 17}, {18, 28, 8}, {9, 19, 29}} {
			to64(&out, uint32(c[t[0]])<<16|uint32(c[t[1]])<<8|uint32(c[t[2]]), 4)
		}
		to64(&out, uint32(c[31])<<8|uint32(c[30]), 3)
	}
	return out.String()
}

// sha512Order is the byte order of the SHA-512-crypt encoding, from the
// specification.
var sha512Order = [21][3]int{
	{0, 21, 42}, {22, 43, 1}, {44, 2, 23}, {3, 24, 45}, {25, 46, 4}, {47, 5, 26}, {6, 27, 48},
	{28, 49, 7}, {50, 8, 29}, {9, 30, 51}, {31, 52, 10}, {53, 11, 32}, {12, 33, 54}, {34, 55, 13},
	{56, 14, 35}, {15, 36, 57}, {37, 58, 16}, {59, 17, 38}, {18, 39, 60}, {40, 61, 19}, {62, 20, 41},
}

// repeatTo returns n bytes of sum repeated.
func repeatTo(sum []byte, n int) []byte {
	out := make([]byte, 0, n)
	for len(out) < n {
		out = append(out, sum[:min(len(sum), n-len(out))]...)
	}
	return out
}

// sha1Plain is Apache's "{SHA}" htpasswd format: base64 of SHA-1.
func sha1Plain(password string) string {
	s := sha1.Sum([]byte(password))
	return "{SHA}" + base64.StdEncoding.EncodeToString(s[:])
}
