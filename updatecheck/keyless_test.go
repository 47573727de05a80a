package updatecheck

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/sigstore/sigstore-go/pkg/testing/ca"
	"github.com/sigstore/sigstore-go/pkg/verify"
)

// Keyless signing (a Fulcio certificate for an OIDC identity, logged in
// Rekor) against sigstore-go's virtual Sigstore: the right signer passes,
// another identity is DM-UPD-202, a changed artifact is DM-UPD-201.
func TestKeylessBundle(t *testing.T) {
	vs, err := ca.NewVirtualSigstore()
	if err != nil {
		t.Fatal(err)
	}
	artifact := []byte("firmware image 2.4.1\n")
	entity, err := vs.Sign("release@example.com", "https://issuer.example.com", artifact)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "fw.bin")
	bad := filepath.Join(dir, "fw-tampered.bin")
	os.WriteFile(good, artifact, 0o644)
	os.WriteFile(bad, append(artifact, '!'), 0o644)
	v, err := verify.NewVerifier(vs, verify.WithTransparencyLog(1), verify.WithObserverTimestamps(1))
	if err != nil {
		t.Fatal(err)
	}
	run := func(path string, o BundleOptions) *BundleResult {
		res := &BundleResult{}
		fail := func(rule, msg, ev string) {
			res.Findings = append(res.Findings, newFinding(rule, path, "bundle.json", msg, ev))
		}
		if err := checkEntity(v, entity, path, o, res, fail); err != nil {
			t.Fatal(err)
		}
		return res
	}
	if r := run(good, BundleOptions{Identity: "release@example.com", Issuer: "https://issuer.example.com"}); len(r.Findings) != 0 || r.Identity != "release@example.com" {
		t.Fatalf("right signer: %+v", r)
	}
	if r := run(good, BundleOptions{Identity: "someone-else@example.com", Issuer: "https://issuer.example.com"}); len(r.Findings) != 1 || r.Findings[0].Rule != RuleBundleIdentity {
		t.Fatalf("wrong signer: %+v", r.Findings)
	}
	if r := run(bad, BundleOptions{Identity: "release@example.com", Issuer: "https://issuer.example.com"}); len(r.Findings) != 1 || r.Findings[0].Rule != RuleBundle {
		t.Fatalf("tampered artifact: %+v", r.Findings)
	}
	if r := run(good, BundleOptions{}); len(r.Findings) != 0 || len(r.Notes) != 1 {
		t.Fatalf("no identity given: the signer is named in a note: %+v", r)
	}
}
