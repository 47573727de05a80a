package updatecheck

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/crypto/blake2b"
)

// Minisign (https://jedisct1.github.io/minisign/) stores, in base64:
//
//	public key: "Ed" || key id (8 bytes, little endian) || Ed25519 key (32)
//	signature:  "Ed" or "ED" || key id (8) || Ed25519 signature (64)
//
// "ED" signs the BLAKE2b-512 hash of the file (the default since 0.8),
// "Ed" the file itself (legacy). A second, global signature signs the
// signature bytes followed by the trusted comment, so the comment (which
// usually carries the file name and a timestamp) cannot be swapped.

type minisignKey struct {
	id  [8]byte
	pub ed25519.PublicKey
}

type minisignSig struct {
	alg            string
	id             [8]byte
	sig            []byte
	trustedComment string
	global         []byte
}

// keyIDString prints a key id the way minisign does: the little-endian
// integer in upper-case hex.
func keyIDString(id [8]byte) string {
	return fmt.Sprintf("%016X", binary.LittleEndian.Uint64(id[:]))
}

// parseMinisignKey reads a minisign public key file (comment line and
// base64 line) or the bare base64 line ("RW…").
func parseMinisignKey(b []byte) (*minisignKey, error) {
	var line string
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "untrusted comment:") {
			continue
		}
		line = l
		break
	}
	raw, err := base64.StdEncoding.DecodeString(line)
	if err != nil || len(raw) != 42 || string(raw[:2]) != "Ed" {
		return nil, fmt.Errorf("%w: not a minisign public key", ErrUnknownFormat)
	}
	k := &minisignKey{pub: ed25519.PublicKey(raw[10:])}
	copy(k.id[:], raw[2:10])
	return k, nil
}

// parseMinisignSig reads the four lines of a .minisig file.
func parseMinisignSig(b []byte) (*minisignSig, error) {
	lines := strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
	if len(lines) < 4 {
		return nil, errors.New("a minisign signature has 4 lines: untrusted comment, signature, trusted comment, global signature")
	}
	if !strings.HasPrefix(lines[0], "untrusted comment:") {
		return nil, errors.New("first line is not an untrusted comment")
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(lines[1]))
	if err != nil || len(raw) != 74 {
		return nil, fmt.Errorf("signature line is not base64 of 74 bytes (algorithm, key id, signature)")
	}
	s := &minisignSig{alg: string(raw[:2]), sig: raw[10:]}
	copy(s.id[:], raw[2:10])
	if s.alg != "Ed" && s.alg != "ED" {
		return nil, fmt.Errorf("unknown signature algorithm %q (want Ed or ED)", s.alg)
	}
	const tc = "trusted comment: "
	if !strings.HasPrefix(lines[2], tc) {
		return nil, errors.New("third line is not a trusted comment")
	}
	s.trustedComment = strings.TrimSuffix(lines[2][len(tc):], "\r")
	if s.global, err = base64.StdEncoding.DecodeString(strings.TrimSpace(lines[3])); err != nil || len(s.global) != 64 {
		return nil, errors.New("global signature line is not base64 of 64 bytes")
	}
	return s, nil
}

func verifyMinisign(c *sigCheck) error {
	key, err := parseMinisignKey(c.key)
	if err != nil {
		return fmt.Errorf("minisign signature needs a minisign public key: %w", err)
	}
	sig, err := parseMinisignSig(c.sig)
	if err != nil {
		c.fail(RuleSigMalformed, "malformed minisign signature: "+err.Error(), "minisign malformed")
		return nil
	}
	c.res.KeyID = keyIDString(sig.id)
	c.res.Signer = sig.trustedComment
	if sig.id != key.id {
		c.fail(RuleSigInvalid, fmt.Sprintf("minisign signature was made by key %s, but the trusted key is %s", keyIDString(sig.id), keyIDString(key.id)),
			"minisign key="+keyIDString(sig.id)+" want="+keyIDString(key.id))
		return nil
	}
	var msg []byte
	if sig.alg == "ED" {
		f, err := c.openArtifact()
		if err != nil {
			return err
		}
		defer f.Close()
		h, _ := blake2b.New512(nil)
		if _, err := io.Copy(h, f); err != nil {
			return err
		}
		msg = h.Sum(nil)
	} else if msg, err = c.artifactBytes(); err != nil {
		return err
	}
	if !ed25519.Verify(key.pub, msg, sig.sig) {
		c.fail(RuleSigInvalid, fmt.Sprintf("minisign signature (%s) by key %s does not verify over %s: the artifact was altered", sig.alg, keyIDString(key.id), c.artifact),
			"minisign key="+keyIDString(key.id))
		return nil
	}
	global := append(bytes.Clone(sig.sig), sig.trustedComment...)
	if !ed25519.Verify(key.pub, global, sig.global) {
		c.fail(RuleSigInvalid, fmt.Sprintf("minisign trusted comment %q is not signed by key %s: the comment was altered", sig.trustedComment, keyIDString(key.id)),
			"minisign trusted comment key="+keyIDString(key.id))
	}
	return nil
}
