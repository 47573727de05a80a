package updatecheck

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/doorman-sec/doorman/finding"
)

// MaxInMemoryArtifact bounds artifacts that must be held whole in memory:
// pure Ed25519 (raw keys, legacy minisign) signs the message itself, not
// a hash of it. Prehashed formats stream the artifact at any size.
const MaxInMemoryArtifact = 512 << 20

// ErrUnknownFormat means a signature or key was not recognised as any
// supported format: the caller passed the wrong file, not a bad signature.
var ErrUnknownFormat = errors.New("unknown signature format")

// SigOptions tune VerifySignature.
type SigOptions struct {
	// Now is the reference time for key and signature expiry (OpenPGP);
	// zero means time.Now().
	Now time.Time
	// Namespace is the SSH signature namespace expected; empty means
	// "file", the namespace `ssh-keygen -Y sign -n file` uses.
	Namespace string
}

// SigResult is the outcome of a detached signature check. No finding
// means the signature verified with the given key.
type SigResult struct {
	// Format is "minisign", "ed25519", "openpgp" or "ssh".
	Format string `json:"format"`
	// KeyID names the key that made the signature, as the format spells
	// it (minisign key id, OpenPGP key id, SSH key fingerprint).
	KeyID string `json:"key_id,omitempty"`
	// Signer is the OpenPGP user id or the minisign trusted comment.
	Signer   string            `json:"signer,omitempty"`
	Findings []finding.Finding `json:"findings"`
}

// sigCheck is what each format's verifier sees.
type sigCheck struct {
	sig, key       []byte
	artifact       string // path
	target, sigLoc string // report target and the signature's path
	opts           SigOptions
	res            *SigResult
}

func (c *sigCheck) fail(rule, msg, evidence string) {
	c.res.Findings = append(c.res.Findings, newFinding(rule, c.target, c.sigLoc, msg, evidence))
}

// artifactBytes reads the artifact whole, for formats that need it.
func (c *sigCheck) artifactBytes() ([]byte, error) {
	return readBounded(c.artifact, MaxInMemoryArtifact)
}

// openArtifact opens the artifact for streaming.
func (c *sigCheck) openArtifact() (*os.File, error) { return os.Open(c.artifact) }

// VerifySignature checks the detached signature in sigPath over the file
// artifactPath with the public key in keyPath, recognising the format
// from the signature's shape. A signature that does not verify, a wrong
// key, an expired key or a malformed signature is a finding; unreadable
// files and unrecognised formats are errors (ErrUnknownFormat).
func VerifySignature(sigPath, keyPath, artifactPath string, opts SigOptions) (*SigResult, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.Namespace == "" {
		opts.Namespace = "file"
	}
	sig, err := readBounded(sigPath, MaxSignatureSize)
	if err != nil {
		return nil, fmt.Errorf("signature: %w", err)
	}
	key, err := readBounded(keyPath, MaxSignatureSize)
	if err != nil {
		return nil, fmt.Errorf("key: %w", err)
	}
	if fi, err := os.Stat(artifactPath); err != nil {
		return nil, err
	} else if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", artifactPath)
	}
	c := &sigCheck{sig: sig, key: key, artifact: artifactPath, target: artifactPath, sigLoc: sigPath, opts: opts, res: &SigResult{}}
	var verify func(*sigCheck) error
	switch c.res.Format = detectSignature(sig); c.res.Format {
	case "minisign":
		verify = verifyMinisign
	case "ssh":
		verify = verifySSH
	case "openpgp":
		verify = verifyOpenPGP
	case "ed25519":
		verify = verifyEd25519
	default:
		return nil, fmt.Errorf("%s: %w (want minisign, OpenPGP, SSH signature or a 64-byte Ed25519 signature)", sigPath, ErrUnknownFormat)
	}
	if err := verify(c); err != nil {
		return nil, err
	}
	finding.Sort(c.res.Findings)
	return c.res, nil
}

// detectSignature names the format of a detached signature by its shape.
func detectSignature(sig []byte) string {
	t := bytes.TrimSpace(sig)
	switch {
	case bytes.HasPrefix(t, []byte("untrusted comment:")):
		return "minisign"
	case bytes.HasPrefix(t, []byte("-----BEGIN SSH SIGNATURE-----")):
		return "ssh"
	case bytes.HasPrefix(t, []byte("-----BEGIN PGP SIGNATURE-----")):
		return "openpgp"
	case len(sig) == 64:
		// Before the binary OpenPGP test: a raw signature's first byte is
		// arbitrary and may look like a packet tag.
		return "ed25519"
	case len(sig) > 2 && isOpenPGPSignaturePacket(sig[0]):
		return "openpgp"
	}
	if b, ok := decodeText(t); ok && len(b) == 64 {
		return "ed25519"
	}
	return ""
}

// isOpenPGPSignaturePacket reports whether b is the header byte of an
// OpenPGP signature packet (tag 2) in the old or new packet format.
func isOpenPGPSignaturePacket(b byte) bool {
	switch {
	case b&0xc0 == 0xc0: // new format
		return b&0x3f == 2
	case b&0x80 == 0x80: // old format
		return (b>>2)&0x0f == 2
	}
	return false
}

// readAll reads r up to MaxSignatureSize bytes.
func readAll(r io.Reader) ([]byte, error) {
	return io.ReadAll(io.LimitReader(r, MaxSignatureSize))
}
