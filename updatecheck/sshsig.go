package updatecheck

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"hash"
	"io"
	"strings"

	"golang.org/x/crypto/ssh"
)

// SSH signatures (`ssh-keygen -Y sign`) follow OpenSSH's PROTOCOL.sshsig.
// golang.org/x/crypto has no sshsig package at the version we use, so the
// envelope is parsed here and the signature checked with x/crypto/ssh:
//
//	blob   = "SSHSIG" u32(1) string(publickey) string(namespace)
//	         string(reserved) string(hash_algorithm) string(signature)
//	signed = "SSHSIG" string(namespace) string(reserved)
//	         string(hash_algorithm) string(H(message))

const sshsigMagic = "SSHSIG"

type sshsigBlob struct {
	Version   uint32
	PublicKey []byte
	Namespace string
	Reserved  []byte
	HashAlg   string
	Signature []byte
}

func parseSSHSig(armored []byte) (*sshsigBlob, error) {
	blk, _ := pem.Decode(bytes.TrimSpace(armored))
	if blk == nil || blk.Type != "SSH SIGNATURE" {
		return nil, errors.New("not an armored SSH SIGNATURE")
	}
	b := blk.Bytes
	if !bytes.HasPrefix(b, []byte(sshsigMagic)) {
		return nil, errors.New("missing SSHSIG magic")
	}
	var s sshsigBlob
	if err := ssh.Unmarshal(b[len(sshsigMagic):], &s); err != nil {
		return nil, fmt.Errorf("SSHSIG envelope: %w", err)
	}
	if s.Version != 1 {
		return nil, fmt.Errorf("SSHSIG version %d (want 1)", s.Version)
	}
	return &s, nil
}

// parseSSHKey reads an authorized_keys or allowed_signers style line
// (the first that parses) or a raw "ssh-ed25519 AAAA…" key.
func parseSSHKey(b []byte) (ssh.PublicKey, error) {
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if k, _, _, _, err := ssh.ParseAuthorizedKey([]byte(line)); err == nil {
			return k, nil
		}
		// allowed_signers: "principals [options] keytype base64".
		f := strings.Fields(line)
		for i := 1; i+1 < len(f); i++ {
			if raw, err := base64.StdEncoding.DecodeString(f[i+1]); err == nil {
				if k, err := ssh.ParsePublicKey(raw); err == nil && k.Type() == f[i] {
					return k, nil
				}
			}
		}
	}
	return nil, fmt.Errorf("%w: the key is not an SSH public key (authorized_keys or allowed_signers line)", ErrUnknownFormat)
}

func verifySSH(c *sigCheck) error {
	key, err := parseSSHKey(c.key)
	if err != nil {
		return err
	}
	s, err := parseSSHSig(c.sig)
	if err != nil {
		c.fail(RuleSigMalformed, "malformed SSH signature: "+err.Error(), "sshsig malformed")
		return nil
	}
	signer, err := ssh.ParsePublicKey(s.PublicKey)
	if err != nil {
		c.fail(RuleSigMalformed, "SSH signature carries an unreadable public key: "+err.Error(), "sshsig bad key")
		return nil
	}
	c.res.KeyID = ssh.FingerprintSHA256(signer)
	if !bytes.Equal(signer.Marshal(), key.Marshal()) {
		c.fail(RuleSigInvalid, fmt.Sprintf("SSH signature was made by key %s, but the trusted key is %s", c.res.KeyID, ssh.FingerprintSHA256(key)),
			"sshsig key="+c.res.KeyID)
		return nil
	}
	if s.Namespace != c.opts.Namespace {
		// A signature for another namespace (git commits, email) must not
		// be accepted as a file signature: that is the point of namespaces.
		c.fail(RuleSigInvalid, fmt.Sprintf("SSH signature is for namespace %q, not the expected %q", s.Namespace, c.opts.Namespace),
			"sshsig namespace="+s.Namespace)
		return nil
	}
	var h hash.Hash
	switch s.HashAlg {
	case "sha256":
		h = sha256.New()
	case "sha512":
		h = sha512.New()
	default:
		c.fail(RuleSigMalformed, fmt.Sprintf("SSH signature uses unsupported hash %q", s.HashAlg), "sshsig hash="+s.HashAlg)
		return nil
	}
	f, err := c.openArtifact()
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := io.Copy(h, f); err != nil {
		return err
	}
	signed := []byte(sshsigMagic)
	signed = append(signed, ssh.Marshal(struct {
		Namespace string
		Reserved  []byte
		HashAlg   string
		Hash      []byte
	}{s.Namespace, s.Reserved, s.HashAlg, h.Sum(nil)})...)
	var sig ssh.Signature
	if err := ssh.Unmarshal(s.Signature, &sig); err != nil {
		c.fail(RuleSigMalformed, "SSH signature blob is malformed: "+err.Error(), "sshsig blob")
		return nil
	}
	if err := key.Verify(signed, &sig); err != nil {
		c.fail(RuleSigInvalid, fmt.Sprintf("SSH signature by %s does not verify over %s: %v", c.res.KeyID, c.artifact, err), "sshsig key="+c.res.KeyID)
	}
	return nil
}
