package updatecheck

import (
	"errors"
	"os"
	"testing"

	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/sign"
)

// keyBundle signs artifact into a Sigstore bundle with a fresh ECDSA key,
// offline (no Fulcio, Rekor or TSA), and writes bundle, PEM key and an
// empty trusted root. A keyless bundle needs a Fulcio-issued certificate
// and, for the public-good policy, a Rekor entry; this test covers the
// key-signed path.
func keyBundle(t *testing.T, artifact []byte) (dir, bundlePath, keyPath, trPath string) {
	t.Helper()
	dir = t.TempDir()
	kp, err := sign.NewEphemeralKeypair(nil)
	if err != nil {
		t.Fatal(err)
	}
	pb, err := sign.Bundle(&sign.PlainData{Data: artifact}, kp, sign.BundleOptions{})
	if err != nil {
		t.Fatal(err)
	}
	bj, err := (&bundle.Bundle{Bundle: pb}).MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	pemKey, err := kp.GetPublicKeyPem()
	if err != nil {
		t.Fatal(err)
	}
	tr, err := root.NewTrustedRoot(root.TrustedRootMediaType01, nil, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	trj, err := tr.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return dir, writeFile(t, dir, "bundle.json", bj), writeFile(t, dir, "key.pem", []byte(pemKey)), writeFile(t, dir, "trusted_root.json", trj)
}

func TestSigstoreKeyBundle(t *testing.T) {
	art := []byte("release artifact")
	dir, b, key, tr := keyBundle(t, art)
	ap := writeFile(t, dir, "artifact", art)
	res, err := VerifyBundle(b, ap, BundleOptions{TrustedRoot: tr, Key: key})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 0 || !res.KeyBased {
		t.Fatalf("valid bundle: %+v", res)
	}
	// Tampered artifact.
	os.WriteFile(ap, []byte("release artifacT"), 0o644)
	res, err = VerifyBundle(b, ap, BundleOptions{TrustedRoot: tr, Key: key})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].Rule != RuleBundle {
		t.Fatalf("tampered artifact: %+v", res.Findings)
	}
	// Another key.
	_, _, otherKey, _ := keyBundle(t, art)
	os.WriteFile(ap, art, 0o644)
	res, err = VerifyBundle(b, ap, BundleOptions{TrustedRoot: tr, Key: otherKey})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].Rule != RuleBundle {
		t.Fatalf("wrong key: %+v", res.Findings)
	}
	// A key-signed bundle without --key, a non-JSON bundle, a broken
	// trusted root: errors, not findings.
	if _, err := VerifyBundle(b, ap, BundleOptions{TrustedRoot: tr}); err == nil {
		t.Fatal("key-signed bundle without a key must be an error")
	}
	if _, err := VerifyBundle(writeFile(t, dir, "junk", []byte("\x00\x01")), ap, BundleOptions{TrustedRoot: tr, Key: key}); !errors.Is(err, ErrUnknownFormat) {
		t.Fatalf("junk bundle: %v", err)
	}
	if _, err := VerifyBundle(b, ap, BundleOptions{TrustedRoot: writeFile(t, dir, "tr2", []byte(`{}`)), Key: key}); err == nil {
		t.Fatal("bad trusted root must be an error")
	}
	// JSON that is not a bundle: a finding.
	res, err = VerifyBundle(writeFile(t, dir, "notbundle.json", []byte(`{"mediaType": "x"}`)), ap, BundleOptions{TrustedRoot: tr, Key: key})
	if err != nil || len(res.Findings) != 1 {
		t.Fatalf("not a bundle: %v %+v", err, res)
	}
}
