package privatekey

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"golang.org/x/crypto/ssh"
)

const opensshMagic = "openssh-key-v1\x00"

// opensshOuter is the unencrypted envelope of an OpenSSH private key
// (PROTOCOL.key): the public key is readable even when the private part is
// encrypted, which is what lets doorman match encrypted keys against the
// compromised list.
type opensshOuter struct {
	CipherName   string
	KdfName      string
	KdfOpts      string
	NumKeys      uint32
	PubKey       []byte
	PrivKeyBlock []byte
	Rest         []byte `ssh:"rest"`
}

// errSecurityKey marks FIDO security-key ("sk-") keys: their private file
// holds only a handle that is useless without the hardware token, so
// shipping one leaks nothing.
var errSecurityKey = errors.New("security-key handle, not a private key")

// parseOpenSSH reads the DER-like body of an "OPENSSH PRIVATE KEY" block.
func parseOpenSSH(raw []byte) (*Key, error) {
	if !bytes.HasPrefix(raw, []byte(opensshMagic)) {
		return nil, errors.New("OpenSSH: bad magic")
	}
	var w opensshOuter
	if err := ssh.Unmarshal(raw[len(opensshMagic):], &w); err != nil {
		return nil, fmt.Errorf("OpenSSH: %w", err)
	}
	if w.NumKeys != 1 {
		return nil, errors.New("OpenSSH: not exactly one key")
	}
	pub, err := ssh.ParsePublicKey(w.PubKey)
	if err != nil {
		return nil, fmt.Errorf("OpenSSH public key: %w", err)
	}
	if strings.HasPrefix(pub.Type(), "sk-") {
		return nil, errSecurityKey
	}
	cp, ok := pub.(ssh.CryptoPublicKey)
	if !ok {
		return nil, fmt.Errorf("OpenSSH: key type %s", pub.Type())
	}
	k := &Key{Format: "OpenSSH"}
	// setPublic first: it bounds the key size before the private part is
	// parsed (the ssh package validates RSA keys of any size it is given).
	if err := k.setPublic(cp.CryptoPublicKey()); err != nil {
		return nil, err
	}
	if w.CipherName == "" {
		return nil, errors.New("OpenSSH: no cipher name")
	}
	if w.CipherName != "none" {
		if len(w.PrivKeyBlock) == 0 || len(w.PrivKeyBlock)%8 != 0 {
			return nil, errors.New("OpenSSH: encrypted block of impossible length")
		}
		k.Encrypted = true
		k.Cipher = w.CipherName
		if w.KdfName != "" && w.KdfName != "none" {
			k.Cipher += "/" + w.KdfName
		}
		return k, nil
	}
	priv, err := ssh.ParseRawPrivateKey(pem.EncodeToMemory(&pem.Block{Type: "OPENSSH PRIVATE KEY", Bytes: raw}))
	if err != nil {
		return nil, fmt.Errorf("OpenSSH private part: %w", err)
	}
	full := &Key{}
	if err := full.setPrivate(priv); err != nil {
		return nil, err
	}
	if full.SPKISHA256 != k.SPKISHA256 {
		return nil, errors.New("OpenSSH: private part does not match the public key")
	}
	if c, err := opensshComment(w.PrivKeyBlock); err == nil {
		k.Comment = c
	}
	return k, nil
}

// opensshComment returns the comment that ends an unencrypted private
// block (check ints, key, comment, padding).
func opensshComment(block []byte) (string, error) {
	var head struct {
		Check1, Check2 uint32
		Keytype        string
		Rest           []byte `ssh:"rest"`
	}
	if err := ssh.Unmarshal(block, &head); err != nil {
		return "", err
	}
	// The key fields differ per type; the comment is the last string before
	// the padding, so read strings until the padding (1, 2, 3, ...).
	rest := head.Rest
	last := ""
	for len(rest) >= 4 {
		n := int(rest[0])<<24 | int(rest[1])<<16 | int(rest[2])<<8 | int(rest[3])
		if n < 0 || n > len(rest)-4 {
			break
		}
		last = string(rest[4 : 4+n])
		rest = rest[4+n:]
	}
	if !isPadding(rest) {
		return "", errors.New("no comment")
	}
	return printable(last), nil
}

func isPadding(b []byte) bool {
	for i, c := range b {
		if int(c) != i+1 {
			return false
		}
	}
	return true
}

// printable keeps a comment safe to print: ASCII graphic characters only,
// at most 64 of them.
func printable(s string) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= 64 {
			break
		}
		if r >= 0x20 && r < 0x7f {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Dropbear, the SSH server of most embedded Linux, keeps its host keys in
// its own binary format (dropbear_rsa_host_key, ...): the key type as an
// SSH string, then the key's numbers. These are the prefixes, with their
// length words, that start such a key.
var dropbearPrefixes = []string{
	"\x00\x00\x00\x07ssh-rsa",
	"\x00\x00\x00\x07ssh-dss",
	"\x00\x00\x00\x0bssh-ed25519",
	"\x00\x00\x00\x13ecdsa-sha2-nistp",
}

// parseDropbear reads a Dropbear private key at the start of b and returns
// it with the number of bytes it occupies. Every number is checked against
// the others (p·q = n, y = g^x, d·G = Q), so an SSH public-key blob or
// protocol bytes that merely start the same way are not taken for a key.
func parseDropbear(b []byte) (*Key, int, error) {
	var head struct {
		Type string
		Rest []byte `ssh:"rest"`
	}
	if err := ssh.Unmarshal(b, &head); err != nil {
		return nil, 0, err
	}
	k := &Key{Format: "Dropbear", Marker: "Dropbear " + head.Type + " private key"}
	var rest []byte
	switch head.Type {
	case "ssh-rsa":
		var s struct {
			E, N, D, P, Q *big.Int
			Rest          []byte `ssh:"rest"`
		}
		if err := ssh.Unmarshal(head.Rest, &s); err != nil {
			return nil, 0, err
		}
		if s.N.Sign() <= 0 || s.N.BitLen() > maxRSABits || !s.E.IsInt64() || s.E.Int64() < 3 || s.E.Int64() > 1<<31-1 {
			return nil, 0, errors.New("dropbear RSA: numbers out of range")
		}
		if s.P.Cmp(big.NewInt(1)) <= 0 || s.Q.Cmp(big.NewInt(1)) <= 0 || new(big.Int).Mul(s.P, s.Q).Cmp(s.N) != 0 {
			return nil, 0, errors.New("dropbear RSA: primes do not multiply to the modulus")
		}
		if err := k.setPublic(&rsa.PublicKey{N: s.N, E: int(s.E.Int64())}); err != nil {
			return nil, 0, err
		}
		rest = s.Rest
	case "ssh-dss":
		var s struct {
			P, Q, G, Y, X *big.Int
			Rest          []byte `ssh:"rest"`
		}
		if err := ssh.Unmarshal(head.Rest, &s); err != nil {
			return nil, 0, err
		}
		if err := k.setDSA(s.P, s.Q, s.G, s.Y, s.X); err != nil {
			return nil, 0, err
		}
		rest = s.Rest
	case "ssh-ed25519":
		var s struct {
			Key  []byte // 32-byte seed then 32-byte public key
			Rest []byte `ssh:"rest"`
		}
		if err := ssh.Unmarshal(head.Rest, &s); err != nil {
			return nil, 0, err
		}
		if err := k.setEd25519(s.Key); err != nil {
			return nil, 0, err
		}
		rest = s.Rest
	case "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521":
		var s struct {
			Curve string
			Q     []byte
			D     *big.Int
			Rest  []byte `ssh:"rest"`
		}
		if err := ssh.Unmarshal(head.Rest, &s); err != nil {
			return nil, 0, err
		}
		if err := k.setECDSA(head.Type, s.Q, s.D); err != nil {
			return nil, 0, err
		}
		rest = s.Rest
	default:
		return nil, 0, fmt.Errorf("dropbear: key type %q", head.Type)
	}
	return k, len(b) - len(rest), nil
}

// setECDSA records an ECDSA key given as its curve's SSH name, public
// point and private scalar, after checking that the scalar gives the point.
func (k *Key) setECDSA(sshType string, point []byte, d *big.Int) error {
	var c elliptic.Curve
	var e ecdh.Curve
	switch sshType {
	case "ecdsa-sha2-nistp256":
		c, e = elliptic.P256(), ecdh.P256()
	case "ecdsa-sha2-nistp384":
		c, e = elliptic.P384(), ecdh.P384()
	case "ecdsa-sha2-nistp521":
		c, e = elliptic.P521(), ecdh.P521()
	default:
		return fmt.Errorf("curve %q", sshType)
	}
	size := (c.Params().BitSize + 7) / 8
	if d == nil || d.Sign() <= 0 || d.BitLen() > 8*size {
		return errors.New("ECDSA scalar out of range")
	}
	priv, err := e.NewPrivateKey(d.FillBytes(make([]byte, size)))
	if err != nil {
		return err
	}
	if !bytes.Equal(priv.PublicKey().Bytes(), point) {
		return errors.New("ECDSA public point does not match the scalar")
	}
	pub, err := ecdsa.ParseUncompressedPublicKey(c, point)
	if err != nil {
		return err
	}
	return k.setPublic(pub)
}
