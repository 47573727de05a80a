package privatekey

import (
	"crypto"
	"crypto/dsa" //lint:ignore SA1019 firmware still ships DSA host keys; we must read them to fingerprint them, never to sign.
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/doorman-sec/doorman/finding"
	"golang.org/x/crypto/ssh"
)

// Key is what doorman learned about one private key found in an entry. It
// never holds the private half: only what identifies the key and says how
// well it is protected.
type Key struct {
	// Format names the encoding ("PKCS#1 PEM", "OpenSSH", "PuTTY v3", ...).
	Format string
	// Marker is the text that introduces the key in the file (its PEM BEGIN
	// line, the PuTTY header) or a short name for binary encodings; it
	// starts the evidence, so a reader can find the key in the file.
	Marker string
	// Algorithm is "RSA", "ECDSA P-256", "Ed25519", "DSA", "X25519", or
	// empty when the encoding hides it (an encrypted PKCS#8 key).
	Algorithm string
	// Bits is the key size (RSA modulus, DSA prime, curve size); 0 when
	// unknown.
	Bits int
	// Encrypted is true when the private half needs a passphrase.
	Encrypted bool
	// Cipher names the protection when Encrypted ("AES-256-CBC",
	// "aes256-ctr/bcrypt"), when the format says.
	Cipher string
	// DefaultPassword is set when a well-known default passphrase (possibly
	// empty) opened an encrypted key or key store: such a key is in effect
	// unencrypted.
	DefaultPassword *string
	// Comment is the comment stored with OpenSSH and PuTTY keys (often
	// user@host of whoever generated it): a hint of origin, not secret.
	Comment string
	// Public is the public half, nil when the format hides it.
	Public crypto.PublicKey
	// SPKISHA256 is the hex SHA-256 of the DER SubjectPublicKeyInfo of
	// Public: the identifier used by the compromised-keys list.
	SPKISHA256 string
	// SSHFingerprint is the OpenSSH "SHA256:..." fingerprint when the key
	// type can be used with SSH.
	SSHFingerprint string
}

// Protected reports whether the key needs a secret that doorman does not
// know: encrypted, and no default passphrase opened it.
func (k *Key) Protected() bool { return k.Encrypted && k.DefaultPassword == nil }

// PublicKeyInfo describes a public key (from an authorized_keys line, a
// certificate) the way keys found by the analyzer are described, so that
// other analyzers can look it up in a Table: an authorized key whose
// private half is published is a login anyone can use.
func PublicKeyInfo(pub crypto.PublicKey) (*Key, error) {
	k := &Key{}
	if err := k.setPublic(pub); err != nil {
		return nil, err
	}
	return k, nil
}

// maxRSABits and maxDSABits bound the sizes doorman will do arithmetic on.
// Real keys stop at 16384 and 3072 bits; a hostile file claiming more would
// only make modular arithmetic slow.
const (
	maxRSABits = 16384
	maxDSABits = 4096
)

// errTooLarge is returned for keys beyond the bounds above.
var errTooLarge = errors.New("key size beyond what real keys use")

// setPublic records the public half and everything derived from it:
// algorithm, size, SPKI SHA-256 and, for SSH key types, the OpenSSH
// fingerprint.
func (k *Key) setPublic(pub crypto.PublicKey) error {
	var alg string
	var bits int
	switch p := pub.(type) {
	case *rsa.PublicKey:
		if p.N == nil || p.N.Sign() <= 0 {
			return errors.New("RSA key without a modulus")
		}
		alg, bits = "RSA", p.N.BitLen()
		if bits > maxRSABits {
			return errTooLarge
		}
	case *ecdsa.PublicKey:
		if p.Curve == nil {
			return errors.New("ECDSA key without a curve")
		}
		alg, bits = "ECDSA "+p.Curve.Params().Name, p.Curve.Params().BitSize
	case ed25519.PublicKey:
		if len(p) != ed25519.PublicKeySize {
			return errors.New("Ed25519 public key of the wrong size")
		}
		alg, bits = "Ed25519", 256
	case *ecdh.PublicKey:
		switch p.Curve() {
		case ecdh.X25519():
			alg, bits = "X25519", 256
		default:
			alg, bits = fmt.Sprint("ECDH ", p.Curve()), 0
		}
	case *dsa.PublicKey:
		if p.P == nil || p.Q == nil || p.G == nil || p.Y == nil {
			return errors.New("DSA key with missing parameters")
		}
		alg, bits = "DSA", p.P.BitLen()
		if bits > maxDSABits {
			return errTooLarge
		}
	default:
		return fmt.Errorf("unsupported public key type %T", pub)
	}
	spki, err := marshalSPKI(pub)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(spki)
	k.Public, k.Algorithm, k.Bits = pub, alg, bits
	k.SPKISHA256 = hex.EncodeToString(sum[:])
	// Not every key type exists in SSH (X25519, P-224): those simply have
	// no SSH fingerprint.
	if sp, err := ssh.NewPublicKey(pub); err == nil {
		k.SSHFingerprint = ssh.FingerprintSHA256(sp)
	}
	return nil
}

// setPrivate records the public half of a parsed private key.
func (k *Key) setPrivate(priv any) error {
	switch p := priv.(type) {
	case *rsa.PrivateKey:
		return k.setPublic(&p.PublicKey)
	case *ecdsa.PrivateKey:
		return k.setPublic(&p.PublicKey)
	case ed25519.PrivateKey:
		return k.setEd25519(p)
	case *ed25519.PrivateKey: // what x/crypto/ssh returns for OpenSSH keys
		if p == nil {
			return errors.New("nil Ed25519 key")
		}
		return k.setEd25519(*p)
	case *ecdh.PrivateKey:
		return k.setPublic(p.PublicKey())
	case *dsa.PrivateKey:
		return k.setDSA(p.P, p.Q, p.G, p.Y, p.X)
	default:
		return fmt.Errorf("unsupported private key type %T", priv)
	}
}

// setEd25519 records an Ed25519 private key, checking that its stored
// public half is the one its seed gives (a key whose halves disagree was
// edited by hand or is corrupt).
func (k *Key) setEd25519(p ed25519.PrivateKey) error {
	if len(p) != ed25519.PrivateKeySize {
		return errors.New("Ed25519 private key of the wrong size")
	}
	pub := ed25519.NewKeyFromSeed(p.Seed()).Public().(ed25519.PublicKey)
	if !pub.Equal(ed25519.PublicKey(p[32:])) {
		return errors.New("Ed25519 public half does not match the seed")
	}
	return k.setPublic(pub)
}

// setDSA records a DSA private key after checking that it is one: y must
// be g^x mod p. The parsers of the DSA encodings check nothing, so without
// this any five integers would pass for a key.
func (k *Key) setDSA(p, q, g, y, x *big.Int) error {
	for _, v := range []*big.Int{p, q, g, x} {
		if v == nil || v.Sign() <= 0 {
			return errors.New("DSA key with a missing or negative parameter")
		}
	}
	if p.BitLen() > maxDSABits || q.BitLen() > p.BitLen() || x.Cmp(q) >= 0 || g.Cmp(p) >= 0 {
		return errors.New("DSA parameters out of range")
	}
	want := new(big.Int).Exp(g, x, p)
	if y != nil && want.Cmp(y) != 0 {
		return errors.New("DSA public value does not match the private value")
	}
	return k.setPublic(&dsa.PublicKey{Parameters: dsa.Parameters{P: p, Q: q, G: g}, Y: want})
}

var oidDSA = asn1.ObjectIdentifier{1, 2, 840, 10040, 4, 1}

// marshalSPKI is x509.MarshalPKIXPublicKey plus DSA, which the standard
// library no longer writes but which many shipped host keys still are.
func marshalSPKI(pub crypto.PublicKey) ([]byte, error) {
	d, ok := pub.(*dsa.PublicKey)
	if !ok {
		return x509.MarshalPKIXPublicKey(pub)
	}
	params, err := asn1.Marshal(struct{ P, Q, G *big.Int }{d.P, d.Q, d.G})
	if err != nil {
		return nil, err
	}
	y, err := asn1.Marshal(d.Y)
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}{
		pkix.AlgorithmIdentifier{Algorithm: oidDSA, Parameters: asn1.RawValue{FullBytes: params}},
		asn1.BitString{Bytes: y, BitLength: 8 * len(y)},
	})
}

// describe is the short, secret-free description used in evidence:
// "RSA 2048, unencrypted, SPKI SHA-256 ab12cd34ef56…".
func (k *Key) describe() string {
	s := algorithmText(k.Algorithm, k.Bits)
	if s == "" {
		s = "algorithm hidden by encryption"
	}
	switch {
	case k.DefaultPassword != nil:
		s += ", encrypted with " + describePassword(*k.DefaultPassword)
	case k.Encrypted && k.Cipher != "":
		s += ", encrypted (" + k.Cipher + ")"
	case k.Encrypted:
		s += ", encrypted"
	default:
		s += ", unencrypted"
	}
	if k.SPKISHA256 != "" {
		s += ", SPKI SHA-256 " + k.SPKISHA256[:16] + "…"
	} else if k.SSHFingerprint != "" {
		s += ", " + k.SSHFingerprint
	}
	return s
}

// algorithmText names an algorithm with its size, unless the name already
// gives it ("ECDSA P-256", "Ed25519"): "RSA 2048".
func algorithmText(alg string, bits int) string {
	switch {
	case bits == 0, strings.HasPrefix(alg, "ECDSA "), strings.HasPrefix(alg, "Ed"), strings.HasPrefix(alg, "X"):
		return alg
	}
	return fmt.Sprintf("%s %d", alg, bits)
}

// describePassword names a default password without printing it in full:
// it is a published default, but reports still mask secrets.
func describePassword(p string) string {
	if p == "" {
		return "an empty passphrase"
	}
	return fmt.Sprintf("the default passphrase %q", finding.Mask(p))
}
