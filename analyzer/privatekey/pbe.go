package privatekey

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"hash"
	"unicode/utf16"
)

// Password-based encryption, as used by encrypted PKCS#8 keys and PKCS#12
// key stores. doorman decrypts only to find out whether a well-known
// default password opens a key; the schemes covered are those that real
// tools write by default (OpenSSL 1.x and 3, Java keytool, Windows): PBES2
// with PBKDF2 and AES or 3DES, and the PKCS#12 SHA-1/3DES scheme.

// DefaultPasswords are the passwords tried on encrypted keys and key
// stores: the empty one, and those that vendors and tools use by default
// (Java's "changeit", tutorials' "password"). A key that opens with one of
// them is protected by nothing.
var DefaultPasswords = []string{"", "password", "changeit", "changeme", "secret", "123456", "12345678", "1234", "admin", "test", "pass"}

// maxIterations bounds the key-derivation work doorman accepts per
// password try. Tools write 2048 (OpenSSL) to 10000 (Java); a file asking
// for millions is either hostile or not worth guessing, and is reported as
// protected without trying.
const maxIterations = 20000

var (
	oidPBES2             = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2            = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	oidPBEWithSHA3DES    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 3}
	oidPBEWithSHA2DES    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 4}
	oidPBEWithSHARC2128  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 5}
	oidPBEWithSHARC240   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 6}
	oidPBEWithSHARC4128  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 1}
	oidPBEWithSHARC440   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 2}
	oidPBEWithMD5DES     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 3}
	oidPBEWithSHA1DES    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 10}
	oidAES128CBC         = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 2}
	oidAES192CBC         = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 22}
	oidAES256CBC         = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}
	oidDESEDE3CBC        = asn1.ObjectIdentifier{1, 2, 840, 113549, 3, 7}
	oidHMACWithSHA1      = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 7}
	oidHMACWithSHA224    = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 8}
	oidHMACWithSHA256    = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}
	oidHMACWithSHA384    = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 10}
	oidHMACWithSHA512    = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 11}
	oidSHA1              = asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}
	oidSHA224            = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 4}
	oidSHA256            = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidSHA384            = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}
	oidSHA512            = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}
	errUnsupportedScheme = errors.New("unsupported encryption scheme")
	errWrongPassword     = errors.New("wrong password")
)

// pbeParams are the parameters of the PKCS#12 PBE schemes.
type pbeParams struct {
	Salt       []byte
	Iterations int
}

type pbes2Params struct {
	KDF pkix.AlgorithmIdentifier
	Enc pkix.AlgorithmIdentifier
}

type pbkdf2Params struct {
	Salt       asn1.RawValue // OCTET STRING; the "otherSource" choice is unused in practice
	Iterations int
	KeyLength  int                      `asn1:"optional"`
	PRF        pkix.AlgorithmIdentifier `asn1:"optional"`
}

// pbe is a parsed password-based encryption scheme.
type pbe struct {
	name       string // "PBES2/AES-256-CBC", "PBE-SHA1-3DES", ...
	iterations int
	// decrypt derives the key from password and decrypts data; nil when the
	// scheme is recognised but not implemented (RC2, RC4, single DES).
	decrypt func(password string, data []byte) ([]byte, error)
}

// parsePBE reads an encryption AlgorithmIdentifier. It fails only on
// malformed parameters: an unknown scheme gives a pbe without decrypt.
func parsePBE(alg pkix.AlgorithmIdentifier) (*pbe, error) {
	switch {
	case alg.Algorithm.Equal(oidPBES2):
		return parsePBES2(alg.Parameters.FullBytes)
	case alg.Algorithm.Equal(oidPBEWithSHA3DES):
		var p pbeParams
		if err := unmarshalAll(alg.Parameters.FullBytes, &p); err != nil {
			return nil, err
		}
		return &pbe{name: "PBE-SHA1-3DES", iterations: p.Iterations, decrypt: func(password string, data []byte) ([]byte, error) {
			pw := bmpPassword(password)
			key := pkcs12KDF(sha1.New, 64, p.Salt, pw, p.Iterations, 1, 24)
			iv := pkcs12KDF(sha1.New, 64, p.Salt, pw, p.Iterations, 2, 8)
			block, err := des.NewTripleDESCipher(key)
			if err != nil {
				return nil, err
			}
			return cbcDecrypt(block, iv, data)
		}}, nil
	}
	names := []struct {
		oid  asn1.ObjectIdentifier
		name string
	}{
		{oidPBEWithSHA2DES, "PBE-SHA1-2DES"}, {oidPBEWithSHARC2128, "PBE-SHA1-RC2-128"},
		{oidPBEWithSHARC240, "PBE-SHA1-RC2-40"}, {oidPBEWithSHARC4128, "PBE-SHA1-RC4-128"},
		{oidPBEWithSHARC440, "PBE-SHA1-RC4-40"}, {oidPBEWithMD5DES, "PBE-MD5-DES"},
		{oidPBEWithSHA1DES, "PBE-SHA1-DES"},
	}
	for _, n := range names {
		if alg.Algorithm.Equal(n.oid) {
			return &pbe{name: n.name}, nil
		}
	}
	return &pbe{name: "OID " + alg.Algorithm.String()}, nil
}

func parsePBES2(params []byte) (*pbe, error) {
	var p pbes2Params
	if err := unmarshalAll(params, &p); err != nil {
		return nil, err
	}
	if !p.KDF.Algorithm.Equal(oidPBKDF2) {
		return &pbe{name: "PBES2 with KDF " + p.KDF.Algorithm.String()}, nil
	}
	var kp pbkdf2Params
	if err := unmarshalAll(p.KDF.Parameters.FullBytes, &kp); err != nil {
		return nil, err
	}
	if kp.Salt.Tag != asn1.TagOctetString || kp.Salt.Class != asn1.ClassUniversal {
		return nil, errors.New("PBKDF2 salt is not an OCTET STRING")
	}
	prf, prfName := sha1.New, "SHA1"
	if len(kp.PRF.Algorithm) > 0 {
		switch {
		case kp.PRF.Algorithm.Equal(oidHMACWithSHA1):
		case kp.PRF.Algorithm.Equal(oidHMACWithSHA224):
			prf, prfName = sha256.New224, "SHA224"
		case kp.PRF.Algorithm.Equal(oidHMACWithSHA256):
			prf, prfName = sha256.New, "SHA256"
		case kp.PRF.Algorithm.Equal(oidHMACWithSHA384):
			prf, prfName = sha512.New384, "SHA384"
		case kp.PRF.Algorithm.Equal(oidHMACWithSHA512):
			prf, prfName = sha512.New, "SHA512"
		default:
			return &pbe{name: "PBES2 with PRF " + kp.PRF.Algorithm.String(), iterations: kp.Iterations}, nil
		}
	}
	var (
		name     string
		keyLen   int
		newBlock func([]byte) (cipher.Block, error)
	)
	switch {
	case p.Enc.Algorithm.Equal(oidAES128CBC):
		name, keyLen, newBlock = "AES-128-CBC", 16, aes.NewCipher
	case p.Enc.Algorithm.Equal(oidAES192CBC):
		name, keyLen, newBlock = "AES-192-CBC", 24, aes.NewCipher
	case p.Enc.Algorithm.Equal(oidAES256CBC):
		name, keyLen, newBlock = "AES-256-CBC", 32, aes.NewCipher
	case p.Enc.Algorithm.Equal(oidDESEDE3CBC):
		name, keyLen, newBlock = "DES-EDE3-CBC", 24, des.NewTripleDESCipher
	default:
		return &pbe{name: "PBES2 with cipher " + p.Enc.Algorithm.String(), iterations: kp.Iterations}, nil
	}
	var iv []byte
	if err := unmarshalAll(p.Enc.Parameters.FullBytes, &iv); err != nil {
		return nil, fmt.Errorf("PBES2 IV: %w", err)
	}
	salt := kp.Salt.Bytes
	return &pbe{name: "PBES2/" + name + "/HMAC-" + prfName, iterations: kp.Iterations, decrypt: func(password string, data []byte) ([]byte, error) {
		// PBES2 takes the password as its UTF-8 bytes, also inside PKCS#12
		// (RFC 9579), unlike the PKCS#12 schemes' BMPString.
		key, err := pbkdf2.Key(prf, password, salt, kp.Iterations, keyLen)
		if err != nil {
			return nil, err
		}
		block, err := newBlock(key)
		if err != nil {
			return nil, err
		}
		return cbcDecrypt(block, iv, data)
	}}, nil
}

// budget bounds the key-derivation work spent guessing passwords in one
// entry, counted in KDF iterations: a file holding hundreds of key stores
// that each ask for the maximum must not hold the scan for minutes. A nil
// budget is unlimited.
type budget struct{ left int64 }

// entryBudget is the guessing work allowed per entry: a few seconds at
// worst, room for about a hundred ordinary stores.
const entryBudget = 1 << 22

func newBudget() *budget { return &budget{left: entryBudget} }

// spend takes iterations from the budget and reports whether there were
// enough.
func (b *budget) spend(iterations int) bool {
	if b == nil {
		return true
	}
	if b.left < int64(iterations) {
		b.left = 0
		return false
	}
	b.left -= int64(iterations)
	return true
}

// tryable reports whether guessing passwords on this scheme is implemented
// and affordable.
func (p *pbe) tryable() bool {
	return p != nil && p.decrypt != nil && p.iterations > 0 && p.iterations <= maxIterations
}

// cbcDecrypt decrypts and removes PKCS#7 padding. A wrong key shows up as
// bad padding most of the time; callers still parse the plaintext, which
// catches the rest.
func cbcDecrypt(block cipher.Block, iv, data []byte) ([]byte, error) {
	bs := block.BlockSize()
	if len(iv) != bs || len(data) == 0 || len(data)%bs != 0 {
		return nil, errors.New("ciphertext or IV of the wrong length")
	}
	out := make([]byte, len(data))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(out, data)
	n := int(out[len(out)-1])
	if n == 0 || n > bs || n > len(out) || !bytes.Equal(out[len(out)-n:], bytes.Repeat([]byte{byte(n)}, n)) {
		return nil, errWrongPassword
	}
	return out[:len(out)-n], nil
}

// bmpPassword encodes a password as PKCS#12 does for its own schemes:
// UTF-16 big-endian with a two-byte terminator.
func bmpPassword(s string) []byte {
	u := utf16.Encode([]rune(s))
	out := make([]byte, 0, 2*len(u)+2)
	for _, c := range u {
		out = append(out, byte(c>>8), byte(c))
	}
	return append(out, 0, 0)
}

// pkcs12KDF is the key derivation of RFC 7292 appendix B.2: id 1 derives
// keys, 2 IVs, 3 MAC keys. v is the hash's block size in bytes.
func pkcs12KDF(newHash func() hash.Hash, v int, salt, password []byte, iterations, id, size int) []byte {
	fill := func(b []byte) []byte {
		if len(b) == 0 {
			return nil
		}
		out := make([]byte, v*((len(b)+v-1)/v))
		for i := range out {
			out[i] = b[i%len(b)]
		}
		return out
	}
	d := bytes.Repeat([]byte{byte(id)}, v)
	in := append(fill(salt), fill(password)...)
	var out []byte
	h := newHash()
	for {
		h.Reset()
		h.Write(d)
		h.Write(in)
		a := h.Sum(nil)
		for i := 1; i < iterations; i++ {
			h.Reset()
			h.Write(a)
			a = h.Sum(nil)
		}
		out = append(out, a...)
		if len(out) >= size {
			return out[:size]
		}
		b := make([]byte, v)
		for i := range b {
			b[i] = a[i%len(a)]
		}
		// Each v-byte block of in becomes (block + b + 1) mod 2^(8v).
		for j := 0; j+v <= len(in); j += v {
			carry := 1
			for k := v - 1; k >= 0; k-- {
				s := int(in[j+k]) + int(b[k]) + carry
				in[j+k] = byte(s)
				carry = s >> 8
			}
		}
	}
}

// pkcs12MAC verifies the MAC of a PFX with a password, as RFC 7292 section
// 5.1 defines it (not PBMAC1, which is rare and handled as unknown).
func pkcs12MAC(alg asn1.ObjectIdentifier, salt []byte, iterations int, password []byte, content, want []byte) (bool, error) {
	var newHash func() hash.Hash
	v := 64
	switch {
	case alg.Equal(oidSHA1):
		newHash = sha1.New
	case alg.Equal(oidSHA224):
		newHash = sha256.New224
	case alg.Equal(oidSHA256):
		newHash = sha256.New
	case alg.Equal(oidSHA384):
		newHash, v = sha512.New384, 128
	case alg.Equal(oidSHA512):
		newHash, v = sha512.New, 128
	default:
		return false, errUnsupportedScheme
	}
	if iterations < 1 || iterations > maxIterations {
		return false, errUnsupportedScheme
	}
	key := pkcs12KDF(newHash, v, salt, password, iterations, 3, newHash().Size())
	m := hmac.New(newHash, key)
	m.Write(content)
	return hmac.Equal(m.Sum(nil), want), nil
}

// unmarshalAll is asn1.Unmarshal that also rejects trailing bytes, so a
// structure that merely starts like the expected one is not accepted.
func unmarshalAll(b []byte, v any) error {
	rest, err := asn1.Unmarshal(b, v)
	if err != nil {
		return err
	}
	if len(rest) != 0 {
		return errors.New("trailing data after ASN.1 structure")
	}
	return nil
}
