package cli

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/doorman-sec/doorman/finding"
	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/sign"
	"github.com/sigstore/sigstore/pkg/signature"
	"github.com/theupdateframework/go-tuf/v2/metadata"
)

func runVU(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := runVerifyUpdate(&env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}, args)
	return code, out.String(), errb.String()
}

// tufRepo writes a one-key-per-role TUF repository with one target and
// returns the trusted root, metadata folder and targets folder.
func tufRepo(t *testing.T, expires time.Time) (string, string, string) {
	t.Helper()
	base := t.TempDir()
	meta, tdir := filepath.Join(base, "metadata"), filepath.Join(base, "targets")
	os.MkdirAll(meta, 0o755)
	os.MkdirAll(tdir, 0o755)
	root, ts, snap, tg := metadata.Root(expires), metadata.Timestamp(expires), metadata.Snapshot(expires), metadata.Targets(expires)
	signers := map[string]signature.Signer{}
	for _, role := range []string{"root", "timestamp", "snapshot", "targets"} {
		pub, priv, _ := ed25519.GenerateKey(rand.Reader)
		k, err := metadata.KeyFromPublicKey(pub)
		if err != nil {
			t.Fatal(err)
		}
		root.Signed.AddKey(k, role)
		signers[role], _ = signature.LoadED25519Signer(priv)
	}
	data := []byte("firmware v2")
	os.WriteFile(filepath.Join(tdir, "fw.bin"), data, 0o644)
	tf, _ := metadata.TargetFile().FromBytes("fw.bin", data, "sha256")
	tg.Signed.Targets["fw.bin"] = tf
	write := func(name string, md interface {
		Sign(signature.Signer) (*metadata.Signature, error)
		ToFile(string, bool) error
	}, role string) {
		if _, err := md.Sign(signers[role]); err != nil {
			t.Fatal(err)
		}
		if err := md.ToFile(filepath.Join(meta, name), true); err != nil {
			t.Fatal(err)
		}
	}
	write("root.json", root, "root")
	write("targets.json", tg, "targets")
	write("snapshot.json", snap, "snapshot")
	write("timestamp.json", ts, "timestamp")
	trusted := filepath.Join(base, "trusted-root.json")
	b, _ := os.ReadFile(filepath.Join(meta, "root.json"))
	os.WriteFile(trusted, b, 0o644)
	return trusted, meta, tdir
}

func TestVerifyUpdateTUF(t *testing.T) {
	trusted, meta, tdir := tufRepo(t, time.Now().Add(24*time.Hour))
	code, out, stderr := runVU(t, "--root", trusted, meta, "--targets", tdir, "--format", "json")
	if code != ExitClean {
		t.Fatalf("exit %d, stderr %s, out %s", code, stderr, out)
	}
	var rep finding.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Command != "verify-update" || len(rep.Findings) != 0 || len(rep.Targets) != 2 || rep.Targets[1].Path != "fw.bin" || len(rep.Targets[1].SHA256) != 64 {
		t.Fatalf("report %+v", rep)
	}
	if !strings.Contains(stderr, "timestamp v1") || !strings.Contains(stderr, "1 verified") {
		t.Errorf("summary: %s", stderr)
	}
	// Later than the expiry: findings, exit 1; --fail-on critical lets
	// high (expiry) findings pass.
	at := time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
	if code, _, _ := runVU(t, "--root", trusted, meta, "--at", at, "--quiet"); code != ExitFindings {
		t.Fatalf("expired: exit %d, want 1", code)
	}
	if code, _, _ := runVU(t, "--root", trusted, meta, "--at", at, "--fail-on", "critical", "--quiet"); code != ExitClean {
		t.Fatalf("expired with --fail-on critical: exit %d, want 0", code)
	}
	// Tampered target: critical finding.
	os.WriteFile(filepath.Join(tdir, "fw.bin"), []byte("firmware v3"), 0o644)
	code, out, _ = runVU(t, "--root", trusted, meta, "--targets", tdir, "--quiet")
	if code != ExitFindings || !strings.Contains(out, "DM-UPD-106") {
		t.Fatalf("tampered: exit %d out %s", code, out)
	}
	// Unreadable trusted root: exit 2.
	if code, _, _ := runVU(t, "--root", filepath.Join(meta, "nope.json"), meta); code != ExitError {
		t.Fatalf("missing root: exit %d", code)
	}
}

func TestVerifyUpdateSignature(t *testing.T) {
	d := t.TempDir()
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	art := filepath.Join(d, "app.bin")
	os.WriteFile(art, []byte("app"), 0o644)
	sig := filepath.Join(d, "app.sig")
	os.WriteFile(sig, ed25519.Sign(priv, []byte("app")), 0o644)
	key := filepath.Join(d, "key")
	os.WriteFile(key, pub, 0o644)
	if code, _, stderr := runVU(t, "--sig", sig, "--key", key, art); code != ExitClean || !strings.Contains(stderr, "ed25519 signature verified") {
		t.Fatalf("exit %d stderr %s", code, stderr)
	}
	os.WriteFile(art, []byte("app!"), 0o644)
	code, out, _ := runVU(t, art, "--sig", sig, "--key", key, "--format", "json", "--quiet")
	if code != ExitFindings || !strings.Contains(out, `"update-integrity"`) || !strings.Contains(out, "DM-UPD-301") {
		t.Fatalf("tampered: exit %d out %s", code, out)
	}
	// Unknown signature format: exit 2.
	os.WriteFile(sig, []byte("definitely not a signature"), 0o644)
	if code, _, stderr := runVU(t, "--sig", sig, "--key", key, art); code != ExitError || !strings.Contains(stderr, "unknown signature format") {
		t.Fatalf("unknown format: exit %d stderr %s", code, stderr)
	}
}

func TestVerifyUpdateUsage(t *testing.T) {
	cases := [][]string{
		{},                                      // no mode
		{"--root", "r.json", "--sig", "s", "x"}, // two modes
		{"--root", "r.json"},                    // no METADATA_DIR
		{"--sig", "s", "a"},                     // no --key
		{"--root", "r.json", "d", "--at", "yesterday"},
		{"--root", "r.json", "d", "--format", "yaml"},
		{"--bundle", "b.json", "a"}, // unreadable bundle
	}
	for _, c := range cases {
		if code, _, _ := runVU(t, c...); code != ExitError {
			t.Errorf("%v: exit %d, want 2", c, code)
		}
	}
	code, out, _ := runVU(t, "--help")
	if code != ExitClean || !strings.Contains(out, "--trusted-root") || !strings.Contains(out, "Examples:") {
		t.Fatalf("help: exit %d\n%s", code, out)
	}
}

func TestVerifyUpdateBundle(t *testing.T) {
	d := t.TempDir()
	art := []byte("release")
	kp, err := sign.NewEphemeralKeypair(nil)
	if err != nil {
		t.Fatal(err)
	}
	pb, err := sign.Bundle(&sign.PlainData{Data: art}, kp, sign.BundleOptions{})
	if err != nil {
		t.Fatal(err)
	}
	bj, _ := (&bundle.Bundle{Bundle: pb}).MarshalJSON()
	pemKey, _ := kp.GetPublicKeyPem()
	tr, _ := root.NewTrustedRoot(root.TrustedRootMediaType01, nil, nil, nil, nil)
	trj, _ := tr.MarshalJSON()
	for name, data := range map[string][]byte{"b.json": bj, "key.pem": []byte(pemKey), "tr.json": trj, "art": art} {
		os.WriteFile(filepath.Join(d, name), data, 0o644)
	}
	p := func(n string) string { return filepath.Join(d, n) }
	if code, _, stderr := runVU(t, "--bundle", p("b.json"), "--trusted-root", p("tr.json"), "--key", p("key.pem"), p("art")); code != ExitClean {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	os.WriteFile(p("art"), []byte("releasE"), 0o644)
	if code, out, _ := runVU(t, "--bundle", p("b.json"), "--trusted-root", p("tr.json"), "--key", p("key.pem"), p("art"), "--quiet"); code != ExitFindings || !strings.Contains(out, "DM-UPD-201") {
		t.Fatalf("tampered: exit %d %s", code, out)
	}
	if code, _, _ := runVU(t, "--bundle", p("b.json"), p("art")); code != ExitError {
		t.Fatalf("no --trusted-root: exit %d", code)
	}
}
