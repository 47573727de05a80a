package updatecheck

import (
	"bytes"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"strings"
)

// decodeText decodes a hex or base64 (standard or URL, padded or not)
// text blob, ignoring surrounding white space.
func decodeText(t []byte) ([]byte, bool) {
	s := strings.Join(strings.Fields(string(t)), "")
	if s == "" {
		return nil, false
	}
	if b, err := hex.DecodeString(s); err == nil {
		return b, true
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, true
		}
	}
	return nil, false
}

// parseEd25519Key reads an Ed25519 public key: 32 raw bytes, hex or
// base64 of them, a PEM "PUBLIC KEY" (PKIX), or a minisign public key.
func parseEd25519Key(key []byte) (ed25519.PublicKey, error) {
	if len(key) == ed25519.PublicKeySize {
		return ed25519.PublicKey(key), nil
	}
	t := bytes.TrimSpace(key)
	if blk, _ := pem.Decode(t); blk != nil {
		pub, err := x509.ParsePKIXPublicKey(blk.Bytes)
		if err != nil {
			return nil, fmt.Errorf("PEM key: %w", err)
		}
		k, ok := pub.(ed25519.PublicKey)
		if !ok {
			return nil, fmt.Errorf("PEM key is %T, not Ed25519", pub)
		}
		return k, nil
	}
	if mk, err := parseMinisignKey(key); err == nil {
		return mk.pub, nil
	}
	if b, ok := decodeText(t); ok && len(b) == ed25519.PublicKeySize {
		return ed25519.PublicKey(b), nil
	}
	return nil, fmt.Errorf("%w: the key is not a 32-byte Ed25519 key (raw, hex, base64, PEM or minisign)", ErrUnknownFormat)
}

// verifyEd25519 checks a raw 64-byte Ed25519 signature (raw, hex or
// base64) over the whole artifact.
func verifyEd25519(c *sigCheck) error {
	pub, err := parseEd25519Key(c.key)
	if err != nil {
		return err
	}
	sig := c.sig
	if len(sig) != ed25519.SignatureSize {
		b, ok := decodeText(bytes.TrimSpace(sig))
		if !ok || len(b) != ed25519.SignatureSize {
			c.fail(RuleSigMalformed, "Ed25519 signature is not 64 bytes", "ed25519 malformed")
			return nil
		}
		sig = b
	}
	c.res.KeyID = hex.EncodeToString(pub)
	msg, err := c.artifactBytes()
	if err != nil {
		return err
	}
	if !ed25519.Verify(pub, msg, sig) {
		c.fail(RuleSigInvalid, fmt.Sprintf("Ed25519 signature does not verify over %s with key %s: the artifact was altered or signed by another key",
			c.artifact, shortID(c.res.KeyID)), "ed25519 key="+c.res.KeyID)
	}
	return nil
}
