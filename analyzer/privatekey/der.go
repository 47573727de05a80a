package privatekey

import (
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"

	"golang.org/x/crypto/ssh"
)

// The DER encodings of private keys: PKCS#1 (RSA), SEC1 (EC), PKCS#8 (any
// algorithm), encrypted PKCS#8 and OpenSSL's traditional DSA. PEM blocks
// carry them in base64; firmware also embeds them raw.

var (
	oidRSA    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidRSAPSS = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 10}
	oidEd448  = asn1.ObjectIdentifier{1, 3, 101, 113}
	oidX448   = asn1.ObjectIdentifier{1, 3, 101, 111}
)

// pkcs1 is the RSAPrivateKey structure, read by doorman itself before the
// standard parser: to bound the modulus size first (the standard parser
// does arithmetic on whatever size it is given) and to still fingerprint
// old keys that the standard parser's stricter checks refuse.
type pkcs1 struct {
	Version          int
	N, E, D, P, Q    *big.Int
	Dp, Dq, Qinv     *big.Int        `asn1:"optional"`
	AdditionalPrimes []asn1.RawValue `asn1:"optional,omitempty"`
}

func parsePKCS1(der []byte) (*Key, error) {
	var s pkcs1
	if err := unmarshalAll(der, &s); err != nil {
		return nil, fmt.Errorf("PKCS#1: %w", err)
	}
	if s.Version > 1 || s.N == nil || s.N.Sign() <= 0 || s.E == nil || s.E.Sign() <= 0 || s.P == nil || s.Q == nil {
		return nil, errors.New("PKCS#1: missing or invalid fields")
	}
	if s.N.BitLen() > maxRSABits {
		return nil, errTooLarge
	}
	k := &Key{Format: "PKCS#1"}
	if priv, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return k, k.setPrivate(priv)
	}
	// The standard parser refuses some keys that real devices use (unusual
	// CRT values, exponents it does not like). A key whose primes multiply
	// to its modulus is a real key all the same; its public half is all
	// doorman needs.
	if !s.E.IsInt64() || s.E.Int64() > 1<<31-1 || s.E.Int64() < 3 {
		return nil, errors.New("PKCS#1: public exponent out of range")
	}
	if s.P.Cmp(big.NewInt(1)) <= 0 || s.Q.Cmp(big.NewInt(1)) <= 0 || new(big.Int).Mul(s.P, s.Q).Cmp(s.N) != 0 {
		return nil, errors.New("PKCS#1: primes do not multiply to the modulus")
	}
	return k, k.setPublic(&rsa.PublicKey{N: s.N, E: int(s.E.Int64())})
}

// pkcs8 is PrivateKeyInfo / OneAsymmetricKey (RFC 5958).
type pkcs8 struct {
	Version    int
	Algo       pkix.AlgorithmIdentifier
	PrivateKey []byte
	Attributes asn1.RawValue `asn1:"optional,tag:0"`
	PublicKey  asn1.RawValue `asn1:"optional,tag:1"`
}

func parsePKCS8(der []byte) (*Key, error) {
	var s pkcs8
	if err := unmarshalAll(der, &s); err != nil {
		return nil, fmt.Errorf("PKCS#8: %w", err)
	}
	if s.Version > 1 || len(s.PrivateKey) == 0 {
		return nil, errors.New("PKCS#8: invalid version or empty key")
	}
	switch {
	case s.Algo.Algorithm.Equal(oidRSA), s.Algo.Algorithm.Equal(oidRSAPSS):
		// RSA-PSS keys carry a plain PKCS#1 key that the standard parser
		// does not accept under their OID.
		k, err := parsePKCS1(s.PrivateKey)
		if k != nil {
			k.Format = "PKCS#8"
		}
		return k, err
	case s.Algo.Algorithm.Equal(oidDSA):
		var params struct{ P, Q, G *big.Int }
		if err := unmarshalAll(s.Algo.Parameters.FullBytes, &params); err != nil {
			return nil, fmt.Errorf("PKCS#8 DSA parameters: %w", err)
		}
		var x *big.Int
		if err := unmarshalAll(s.PrivateKey, &x); err != nil {
			return nil, fmt.Errorf("PKCS#8 DSA key: %w", err)
		}
		k := &Key{Format: "PKCS#8"}
		return k, k.setDSA(params.P, params.Q, params.G, nil, x)
	case s.Algo.Algorithm.Equal(oidEd448), s.Algo.Algorithm.Equal(oidX448):
		// No Go implementation derives their public half: the key is real
		// (its private value has the right size) but has no fingerprint.
		var raw []byte
		if err := unmarshalAll(s.PrivateKey, &raw); err != nil {
			return nil, fmt.Errorf("PKCS#8: %w", err)
		}
		name, size := "Ed448", 57
		if s.Algo.Algorithm.Equal(oidX448) {
			name, size = "X448", 56
		}
		if len(raw) != size {
			return nil, fmt.Errorf("PKCS#8: %s key of the wrong size", name)
		}
		return &Key{Format: "PKCS#8", Algorithm: name, Bits: 448}, nil
	}
	priv, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, err
	}
	k := &Key{Format: "PKCS#8"}
	return k, k.setPrivate(priv)
}

func parseSEC1(der []byte) (*Key, error) {
	priv, err := x509.ParseECPrivateKey(der)
	if err != nil {
		return nil, err
	}
	k := &Key{Format: "SEC1"}
	return k, k.setPrivate(priv)
}

// parseDSATraditional reads OpenSSL's "DSA PRIVATE KEY" structure.
func parseDSATraditional(der []byte) (*Key, error) {
	d, err := ssh.ParseDSAPrivateKey(der)
	if err != nil {
		return nil, err
	}
	k := &Key{Format: "OpenSSL DSA"}
	return k, k.setDSA(d.P, d.Q, d.G, d.Y, d.X)
}

// encryptedPKCS8 is EncryptedPrivateKeyInfo.
type encryptedPKCS8 struct {
	Algo pkix.AlgorithmIdentifier
	Data []byte
}

// parseEncryptedPKCS8 checks the structure of an encrypted PKCS#8 key and
// tries the default passwords on it.
func parseEncryptedPKCS8(der []byte, b *budget) (*Key, error) {
	var s encryptedPKCS8
	if err := unmarshalAll(der, &s); err != nil {
		return nil, fmt.Errorf("encrypted PKCS#8: %w", err)
	}
	if len(s.Data) == 0 {
		return nil, errors.New("encrypted PKCS#8: no ciphertext")
	}
	p, err := parsePBE(s.Algo)
	if err != nil {
		return nil, fmt.Errorf("encrypted PKCS#8: %w", err)
	}
	if k := openWithDefaults(p, s.Data, b); k != nil {
		return k, nil
	}
	return &Key{Format: "encrypted PKCS#8", Encrypted: true, Cipher: p.name}, nil
}

// openWithDefaults tries the default passwords on an encrypted PKCS#8 key
// and returns it when one opens it (the plaintext must also parse as a
// key: padding alone lets a wrong password through one time in 256).
func openWithDefaults(p *pbe, data []byte, b *budget) *Key {
	if !p.tryable() {
		return nil
	}
	for _, pw := range DefaultPasswords {
		if !b.spend(p.iterations) {
			return nil
		}
		plain, err := p.decrypt(pw, data)
		if err != nil {
			continue
		}
		k, err := parsePKCS8(plain)
		if err != nil || k == nil {
			continue
		}
		pw := pw
		k.Format, k.Encrypted, k.Cipher, k.DefaultPassword = "encrypted PKCS#8", true, p.name, &pw
		return k
	}
	return nil
}

// derLength reads a DER definite length at b (the byte after the tag) and
// returns the content length and the number of length bytes.
func derLength(b []byte) (n, size int, ok bool) {
	if len(b) == 0 {
		return 0, 0, false
	}
	if b[0] < 0x80 {
		return int(b[0]), 1, true
	}
	k := int(b[0] & 0x7f)
	if k == 0 || k > 3 || len(b) < 1+k {
		return 0, 0, false // indefinite (BER) or absurdly long
	}
	for _, c := range b[1 : 1+k] {
		n = n<<8 | int(c)
	}
	if n < 0x80 || (k > 1 && b[1] == 0) {
		return 0, 0, false // not minimal: not DER
	}
	return n, 1 + k, true
}
