package updatecheck

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/verify"
	"github.com/sigstore/sigstore/pkg/cryptoutils"
	"github.com/sigstore/sigstore/pkg/signature"

	"github.com/doorman-sec/doorman/finding"
)

// BundleOptions tune VerifyBundle.
type BundleOptions struct {
	// TrustedRoot is a Sigstore trusted_root.json (Fulcio CAs, Rekor and
	// CT logs, timestamp authorities). Required.
	TrustedRoot string
	// Key is a PEM public key for bundles signed with a key rather than a
	// Fulcio certificate.
	Key string
	// Identity and Issuer are the expected certificate subject (e-mail or
	// URI) and OIDC issuer of a keyless signature. Empty Identity with a
	// keyless bundle checks the signature but not who made it, and says
	// so in Notes.
	Identity, Issuer string
}

// BundleResult is the outcome of VerifyBundle. No finding means the
// bundle verified.
type BundleResult struct {
	MediaType string `json:"media_type,omitempty"`
	// Identity and Issuer are the signer's certificate subject and OIDC
	// issuer when the bundle carries a certificate.
	Identity string            `json:"identity,omitempty"`
	Issuer   string            `json:"issuer,omitempty"`
	KeyBased bool              `json:"key_based"`
	Notes    []string          `json:"notes,omitempty"`
	Findings []finding.Finding `json:"findings"`
}

// VerifyBundle verifies a Sigstore bundle for an artifact offline. The
// verification policy follows the trusted root: when it names a Rekor log
// the bundle must carry a verified log entry, when it names CT logs a
// certificate must carry an SCT, when it names a timestamp authority a
// signed timestamp is accepted as the signing time. With none of these a
// certificate is checked at the current time and a key needs no
// timestamp (private deployments).
func VerifyBundle(bundlePath, artifactPath string, o BundleOptions) (*BundleResult, error) {
	data, err := readBounded(bundlePath, MaxBundleSize)
	if err != nil {
		return nil, fmt.Errorf("bundle: %w", err)
	}
	if !json.Valid(data) {
		return nil, fmt.Errorf("%s: %w: a Sigstore bundle is JSON", bundlePath, ErrUnknownFormat)
	}
	if o.TrustedRoot == "" {
		return nil, fmt.Errorf("a Sigstore bundle needs a trusted root (--trusted-root FILE)")
	}
	trb, err := readBounded(o.TrustedRoot, MaxMetadataSize)
	if err != nil {
		return nil, fmt.Errorf("trusted root: %w", err)
	}
	tr, err := root.NewTrustedRootFromJSON(trb)
	if err != nil {
		return nil, fmt.Errorf("trusted root %s: %w", o.TrustedRoot, err)
	}
	var material root.TrustedMaterial = tr
	if o.Key != "" {
		km, err := keyMaterial(o.Key)
		if err != nil {
			return nil, err
		}
		material = root.TrustedMaterialCollection{tr, km}
	}
	if fi, err := os.Stat(artifactPath); err != nil {
		return nil, err
	} else if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", artifactPath)
	}

	res := &BundleResult{}
	fail := func(rule, msg, ev string) {
		res.Findings = append(res.Findings, newFinding(rule, artifactPath, bundlePath, msg, ev))
	}
	b := &bundle.Bundle{}
	if err := safeCall(func() error { return b.UnmarshalJSON(data) }); err != nil {
		fail(RuleBundle, "malformed Sigstore bundle: "+err.Error(), "bundle malformed")
		return res, nil
	}
	res.MediaType = b.GetMediaType()
	vc, err := b.VerificationContent()
	if err != nil {
		fail(RuleBundle, "Sigstore bundle has no usable verification material: "+err.Error(), "bundle material")
		return res, nil
	}
	res.KeyBased = vc.Certificate() == nil
	if res.KeyBased && o.Key == "" {
		return nil, fmt.Errorf("the bundle is signed with a key, not a certificate: give the public key with --key FILE")
	}

	v, err := verify.NewVerifier(material, verifierOptions(tr, res.KeyBased)...)
	if err != nil {
		return nil, fmt.Errorf("sigstore verifier: %w", err)
	}
	if err := checkEntity(v, b, artifactPath, o, res, fail); err != nil {
		return nil, err
	}
	return res, nil
}

// checkEntity verifies a signed entity (a bundle) with v: first the
// signature, chain, log and timestamps without identity, so a wrong signer
// is told apart from a broken signature; then, for certificates, the
// expected identity. Problems become findings through fail; err is for
// options that cannot be used at all.
func checkEntity(v *verify.Verifier, b verify.SignedEntity, artifactPath string, o BundleOptions, res *BundleResult, fail func(rule, msg, ev string)) error {
	base := verify.WithoutIdentitiesUnsafe()
	if res.KeyBased {
		base = verify.WithKey()
	}
	vr, err := runVerify(v, b, artifactPath, base)
	if err != nil {
		fail(RuleBundle, fmt.Sprintf("Sigstore bundle does not verify for %s: %v", artifactPath, err), "bundle invalid")
		return nil
	}
	if vr.Signature != nil && vr.Signature.Certificate != nil {
		res.Identity = vr.Signature.Certificate.SubjectAlternativeName
		res.Issuer = vr.Signature.Certificate.Issuer
	}
	if res.KeyBased {
		return nil
	}
	if o.Identity == "" && o.Issuer == "" {
		res.Notes = append(res.Notes, fmt.Sprintf("signer identity not checked (signed by %q via %q): pass --identity and --issuer", res.Identity, res.Issuer))
		return nil
	}
	sanRE, issRE := "", ""
	if o.Identity == "" {
		sanRE = ".*"
	}
	if o.Issuer == "" {
		issRE = ".*"
	}
	id, err := verify.NewShortCertificateIdentity(o.Issuer, issRE, o.Identity, sanRE)
	if err != nil {
		return fmt.Errorf("expected identity: %w", err)
	}
	if _, err := runVerify(v, b, artifactPath, verify.WithCertificateIdentity(id)); err != nil {
		fail(RuleBundleIdentity, fmt.Sprintf("Sigstore bundle is signed by %q via issuer %q, expected %q via %q", res.Identity, res.Issuer, o.Identity, o.Issuer),
			"identity="+res.Identity+" issuer="+res.Issuer)
	}
	return nil
}

func runVerify(v *verify.Verifier, b verify.SignedEntity, artifact string, opt verify.PolicyOption) (*verify.VerificationResult, error) {
	f, err := os.Open(artifact)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var vr *verify.VerificationResult
	err = safeCall(func() error {
		var err error
		vr, err = v.Verify(b, verify.NewPolicy(verify.WithArtifact(f), opt))
		return err
	})
	return vr, err
}

// verifierOptions derives the policy from what the trusted root names.
func verifierOptions(tr *root.TrustedRoot, keyBased bool) []verify.VerifierOption {
	var opts []verify.VerifierOption
	timed := false
	if len(tr.RekorLogs()) > 0 {
		opts = append(opts, verify.WithTransparencyLog(1), verify.WithObserverTimestamps(1))
		timed = true
	} else if len(tr.TimestampingAuthorities()) > 0 {
		opts = append(opts, verify.WithSignedTimestamps(1))
		timed = true
	}
	if !keyBased && len(tr.CTLogs()) > 0 {
		opts = append(opts, verify.WithSignedCertificateTimestamps(1))
	}
	if !timed {
		if keyBased {
			opts = append(opts, verify.WithNoObserverTimestamps())
		} else {
			opts = append(opts, verify.WithCurrentTime())
		}
	}
	return opts
}

// keyMaterial makes trusted material of one PEM public key, valid at any
// time: the key's owner, not a log, vouches for it.
func keyMaterial(path string) (root.TrustedMaterial, error) {
	b, err := readBounded(path, MaxSignatureSize)
	if err != nil {
		return nil, fmt.Errorf("key: %w", err)
	}
	pub, err := cryptoutils.UnmarshalPEMToPublicKey(bytes.TrimSpace(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w: want a PEM public key: %v", path, ErrUnknownFormat, err)
	}
	h := crypto.SHA256
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P384():
			h = crypto.SHA384
		case elliptic.P521():
			h = crypto.SHA512
		}
	case ed25519.PublicKey:
		h = crypto.Hash(0) // Ed25519 signs the message itself
	}
	ver, err := signature.LoadVerifier(pub, h)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	ek := root.NewExpiringKey(ver, time.Time{}, time.Time{})
	return root.NewTrustedPublicKeyMaterial(func(string) (root.TimeConstrainedVerifier, error) { return ek, nil }), nil
}

// safeCall turns a panic in third-party parsing or verification of
// hostile input into an error.
func safeCall(f func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("aborted on malformed input: %v", p)
		}
	}()
	return f()
}
