package privatekey

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/analyzertest"
	"github.com/doorman-sec/doorman/finding"
	"golang.org/x/crypto/ssh"
	gopkcs12 "software.sslmate.com/src/go-pkcs12"
)

// base64Run finds key material in report text: no evidence or message may
// carry 40 characters of base64 in a row, apart from SPKI hashes (hex) and
// OpenSSH fingerprints (which sshFingerprint removes first).
var (
	base64Run      = regexp.MustCompile(`[A-Za-z0-9+/]{40,}`)
	sshFingerprint = regexp.MustCompile(`SHA256:[A-Za-z0-9+/]{43}`)
	absolutePath   = regexp.MustCompile(`(^|\s)/[^\s,;]+`) // the tests' temporary folders
)

// leaksKeyMaterial reports whether s carries base64 that is not a
// fingerprint or a path.
func leaksKeyMaterial(s string) bool {
	s = absolutePath.ReplaceAllString(sshFingerprint.ReplaceAllString(s, ""), "")
	for _, m := range base64Run.FindAllString(s, -1) {
		if !isHex(m) {
			return true
		}
	}
	return false
}

func TestLeaksKeyMaterial(t *testing.T) {
	k := keys(t)
	body := strings.Split(pkcs8PEM(t, k.ed), "\n")[1]
	if !leaksKeyMaterial("evidence " + spkiHex(t, k.ed.Public()) + " " + body) {
		t.Error("a PEM body line was not flagged")
	}
	if leaksKeyMaterial("SPKI SHA-256 " + spkiHex(t, k.ed.Public()) + ", SSH fingerprint " + sshFP(t, k.ed.Public()) + " in /tmp/TestKeyStores1911290133/001/etc/ssl/device.p12") {
		t.Error("fingerprints or paths were flagged")
	}
}

func scan(t *testing.T, a *analyzer.Analyzer, files map[string]string) *finding.Report {
	t.Helper()
	rep := analyzertest.Scan(t, []*analyzer.Analyzer{a}, files)
	checkNoSecrets(t, rep)
	return rep
}

// checkNoSecrets fails when a finding leaks key material and checks the
// contract fields every finding must have.
func checkNoSecrets(t *testing.T, rep *finding.Report) {
	t.Helper()
	for _, f := range rep.Findings {
		for _, s := range []string{f.Evidence, f.Message} {
			if leaksKeyMaterial(s) {
				t.Errorf("%s at %s carries key material: %s", f.Rule, f.Location.Path, s)
			}
		}
		if f.Category != finding.HardcodedCredential || f.Title == "" || f.ID == "" || len(f.CWE) == 0 {
			t.Errorf("incomplete finding %+v", f)
		}
	}
}

func isHex(s string) bool {
	for _, c := range s {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return false
		}
	}
	return true
}

// one returns the single per-occurrence finding (not the cross-file one)
// for a path suffix, failing otherwise.
func one(t *testing.T, rep *finding.Report, suffix string) finding.Finding {
	t.Helper()
	var fs []finding.Finding
	for _, f := range analyzertest.Find(rep, "DM-KEY-", suffix) {
		if f.Rule != RuleSharedAcrossFS {
			fs = append(fs, f)
		}
	}
	if len(fs) != 1 {
		t.Fatalf("%d findings for %s, want 1: %+v", len(fs), suffix, fs)
	}
	return fs[0]
}

func TestFolderTree(t *testing.T) {
	k := keys(t)
	sshPub, _ := ssh.NewPublicKey(&k.rsa.PublicKey)
	pubDER, _ := x509.MarshalPKIXPublicKey(&k.ec.PublicKey)
	serverKey := pemText("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k.rsa))
	rep := scan(t, New(), map[string]string{
		"etc/ssl/private/server.key":      "# generated at build time\n" + serverKey,
		"etc/ssh/ssh_host_ed25519_key":    opensshPEM(t, k.ed, "root@buildhost"),
		"home/admin/.ssh/id_rsa":          opensshEncryptedPEM(t, k.rsa2, "correct horse battery"),
		"www/cgi-bin/app.pem":             legacyEncryptedPEM(t, k.rsa2, "password"),
		"docs/README.md":                  "Put your key in server.key:\n\n```\n-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n```\n",
		"docs/example-tls.key":            pkcs8PEM(t, k.ec),
		"testdata/fixture.pem":            pkcs8PEM(t, k.ed),
		"src/keyparse.go":                 "package keyparse\n\nconst begin = \"-----BEGIN RSA PRIVATE KEY-----\"\nconst end = \"-----END RSA PRIVATE KEY-----\"\n",
		"tools/convert.py":                "HEADER = '-----BEGIN OPENSSH PRIVATE KEY-----'\nFOOTER = '-----END OPENSSH PRIVATE KEY-----'\n",
		"etc/ssl/certs/server.crt":        pemText("CERTIFICATE", k.cert.Raw),
		"etc/ssl/public.pem":              pemText("PUBLIC KEY", pubDER),
		"root/.ssh/authorized_keys":       string(ssh.MarshalAuthorizedKey(sshPub)),
		"etc/ssh/ssh_host_rsa_key.pub":    string(ssh.MarshalAuthorizedKey(sshPub)),
		"etc/ssl/private/truncated.key":   strings.Join(strings.Split(serverKey, "\n")[:8], "\n") + "\n",
		"usr/share/app/service-acct.json": mustJSON(t, map[string]string{"private_key": pkcs8PEM(t, k.rsa2)}),
	})

	f := one(t, rep, "etc/ssl/private/server.key")
	if f.Rule != RuleUnencrypted || f.Severity != finding.High || f.Confidence != finding.ConfidenceHigh || f.Location.Line != 2 || f.Location.Offset != nil {
		t.Errorf("server.key: %s %v %s line %d offset %v", f.Rule, f.Severity, f.Confidence, f.Location.Line, f.Location.Offset)
	}
	wantEv := "-----BEGIN RSA PRIVATE KEY----- (RSA 2048, unencrypted, SPKI SHA-256 " + spkiHex(t, &k.rsa.PublicKey)[:16] + "…)"
	if f.Evidence != wantEv {
		t.Errorf("evidence %q, want %q", f.Evidence, wantEv)
	}
	if !strings.Contains(f.Message, "TLS key") || !strings.Contains(f.Message, spkiHex(t, &k.rsa.PublicKey)) || !strings.Contains(f.Message, sshFP(t, &k.rsa.PublicKey)) {
		t.Errorf("server.key message: %s", f.Message)
	}

	f = one(t, rep, "etc/ssh/ssh_host_ed25519_key")
	if f.Rule != RuleUnencrypted || f.Severity != finding.High || !strings.Contains(f.Message, "SSH host key") || !strings.Contains(f.Message, "root@buildhost") {
		t.Errorf("host key: %s %v %s", f.Rule, f.Severity, f.Message)
	}

	f = one(t, rep, "home/admin/.ssh/id_rsa")
	if f.Rule != RuleEncrypted || f.Severity != finding.Medium || !strings.Contains(f.Evidence, "aes256-ctr/bcrypt") {
		t.Errorf("encrypted OpenSSH key: %s %v %s", f.Rule, f.Severity, f.Evidence)
	}

	f = one(t, rep, "www/cgi-bin/app.pem")
	if f.Rule != RuleDefaultPass || f.Severity != finding.High || strings.Contains(f.Message+f.Evidence, "password\"") {
		t.Errorf("default passphrase: %s %v %s / %s", f.Rule, f.Severity, f.Evidence, f.Message)
	}

	f = one(t, rep, "usr/share/app/service-acct.json")
	if f.Rule != RuleUnencrypted || f.Location.Line != 2 { // line 1 is "{"
		t.Errorf("JSON key: %s line %d", f.Rule, f.Location.Line)
	}

	for _, p := range []string{"docs/example-tls.key", "testdata/fixture.pem"} {
		f = one(t, rep, p)
		if f.Severity != finding.Low || f.Confidence != finding.ConfidenceLow {
			t.Errorf("%s: %v %s, want low/low", p, f.Severity, f.Confidence)
		}
	}

	f = one(t, rep, "etc/ssl/private/truncated.key")
	if f.Rule != RuleBroken || f.Severity != finding.Low {
		t.Errorf("truncated key: %s %v", f.Rule, f.Severity)
	}

	// Near-misses: nothing at all.
	for _, p := range []string{"docs/README.md", "src/keyparse.go", "tools/convert.py", "server.crt", "public.pem", "authorized_keys", "ssh_host_rsa_key.pub"} {
		if fs := analyzertest.Find(rep, "", p); len(fs) != 0 {
			t.Errorf("%s: unexpected findings %+v", p, fs)
		}
	}

	// The inventory lists every key with its public facts.
	inv, ok := rep.Inventory["keys"].([]InventoryKey)
	if !ok {
		t.Fatalf("inventory keys: %T", rep.Inventory["keys"])
	}
	byPath := func(suffix string) InventoryKey {
		for _, e := range inv {
			if strings.HasSuffix(e.Path, suffix) {
				return e
			}
		}
		t.Errorf("no inventory entry for %s", suffix)
		return InventoryKey{}
	}
	if len(inv) != 7 { // every parsed key; not the truncated one
		t.Errorf("%d inventory keys, want 7: %+v", len(inv), inv)
	}
	e := byPath("etc/ssh/ssh_host_ed25519_key")
	if e.Algorithm != "Ed25519" || e.Fingerprint != spkiHex(t, k.ed.Public()) || e.SSHFingerprint != sshFP(t, k.ed.Public()) || e.Encrypted || e.Compromised {
		t.Errorf("inventory entry %+v", e)
	}
	if e := byPath("home/admin/.ssh/id_rsa"); !e.Encrypted || e.Bits != 2048 {
		t.Errorf("inventory entry %+v", e)
	}
	if _, err := json.Marshal(rep); err != nil {
		t.Errorf("report does not marshal: %v", err)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestFirmwareArchive: keys baked into an image are the same on every
// unit, whatever their format.
func TestFirmwareArchive(t *testing.T) {
	k := keys(t)
	var tarBuf bytes.Buffer
	tw := tar.NewWriter(&tarBuf)
	for name, content := range map[string][]byte{
		"etc/dropbear/dropbear_rsa_host_key":     []byte(pemText("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k.rsa))),
		"etc/dropbear/dropbear_ed25519_host_key": dropbearEd25519(k.ed),
		"etc/dropbear/dropbear_ecdsa_host_key":   dropbearECDSA(t, k.ec),
		"etc/ssl/uhttpd.key":                     []byte(pkcs8PEM(t, k.rsa2)),
	} {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: int64(len(content)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write(content)
	}
	tw.Close()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(tarBuf.Bytes())
	zw.Close()
	target := filepath.Join(t.TempDir(), "rootfs.tar.gz")
	if err := os.WriteFile(target, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := analyzertest.ScanPath(t, []*analyzer.Analyzer{New()}, target)
	checkNoSecrets(t, rep)
	for _, p := range []string{"etc/dropbear/dropbear_rsa_host_key", "etc/dropbear/dropbear_ed25519_host_key", "etc/dropbear/dropbear_ecdsa_host_key", "etc/ssl/uhttpd.key"} {
		f := one(t, rep, p)
		if f.Rule != RuleUnencrypted || f.Severity != finding.High || !strings.Contains(f.Location.Path, "!/") {
			t.Errorf("%s: %s %v at %s", p, f.Rule, f.Severity, f.Location.Path)
		}
		if !strings.Contains(f.Message, "every unit of this product ships the same key") && !strings.Contains(f.Message, "Every unit of this product ships the same key") {
			t.Errorf("%s: message does not say every unit shares the key: %s", p, f.Message)
		}
	}
	f := one(t, rep, "dropbear_ed25519_host_key")
	if !strings.HasPrefix(f.Evidence, "Dropbear ssh-ed25519 private key (Ed25519, unencrypted") || f.Location.Offset == nil || *f.Location.Offset != 0 {
		t.Errorf("Dropbear key: %q offset %v", f.Evidence, f.Location.Offset)
	}
	// Each key is in one place only: no cross-file finding.
	if fs := analyzertest.Find(rep, RuleSharedAcrossFS, ""); len(fs) != 0 {
		t.Errorf("unexpected shared-key findings: %+v", fs)
	}
}

// TestBinaryBlob: keys inside a raw blob are found at their offsets.
func TestBinaryBlob(t *testing.T) {
	k := keys(t)
	pemKey := []byte(pemText("EC PRIVATE KEY", must(x509.MarshalECPrivateKey(k.ec))))
	derKey := must(x509.MarshalPKCS8PrivateKey(k.rsa))
	blob := randomBytes(4097)
	pemAt := int64(len(blob))
	blob = append(append(blob, pemKey...), 0)
	blob = append(blob, randomBytes(3001)...)
	derAt := int64(len(blob))
	blob = append(blob, derKey...)
	blob = append(blob, randomBytes(555)...)
	target := filepath.Join(t.TempDir(), "flash.bin")
	if err := os.WriteFile(target, blob, 0o644); err != nil {
		t.Fatal(err)
	}
	rep := analyzertest.ScanPath(t, []*analyzer.Analyzer{New()}, target)
	checkNoSecrets(t, rep)
	fs := analyzertest.Find(rep, "DM-KEY-", "flash.bin")
	if len(fs) != 2 {
		t.Fatalf("%d findings, want 2: %+v", len(fs), fs)
	}
	for i, want := range []struct {
		off int64
		ev  string
	}{{pemAt, "-----BEGIN EC PRIVATE KEY----- (ECDSA P-256, unencrypted"}, {derAt, "DER private key (PKCS#8) (RSA 2048, unencrypted"}} {
		f := fs[i]
		if f.Location.Offset == nil || *f.Location.Offset != want.off || f.Location.Line != 0 || !strings.HasPrefix(f.Evidence, want.ev) || f.Severity != finding.High {
			t.Errorf("finding %d: offset %v line %d evidence %q severity %v; want offset %d, %q", i, f.Location.Offset, f.Location.Line, f.Evidence, f.Severity, want.off, want.ev)
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestCompromised: a key on the list is critical and the message says
// that its private half is public, naming products and references. The
// test key is put on a test copy of the list: no listed private key is
// available to a test (that is the point of the list).
func TestCompromised(t *testing.T) {
	k := keys(t)
	table := "# test copy\nspki_sha256\tssh_fingerprint\tkind\tproducts\treference\n" +
		spkiHex(t, &k.rsa.PublicKey) + "\t\tembedded-tls-or-host-key\tACME R1; ACME R2\thttps://example.org/houseofkeys\n" +
		"\t" + sshFP(t, k.ed.Public()) + "\tssh-host-key\tacme_ed25519\thttps://example.org/badkeys\n"
	tab, err := ParseTable(strings.NewReader(table))
	if err != nil {
		t.Fatal(err)
	}
	rep := scan(t, NewWithTable(tab), map[string]string{
		"etc/ssl/private/server.key":   pkcs8PEM(t, k.rsa),
		"etc/ssh/ssh_host_ed25519_key": opensshEncryptedPEM(t, k.ed, "correct horse battery"),
		"etc/ssl/other.key":            pkcs8PEM(t, k.rsa2),
		"test/fixtures/listed.pem":     pkcs8PEM(t, k.rsa),
	})
	f := one(t, rep, "etc/ssl/private/server.key")
	if f.Rule != RuleCompromised || f.Severity != finding.Critical || !strings.Contains(f.Message, "private half is public") ||
		!strings.Contains(f.Message, "ACME R1; ACME R2") || len(f.References) != 1 || f.References[0] != "https://example.org/houseofkeys" {
		t.Errorf("listed key: %s %v %s %v", f.Rule, f.Severity, f.Message, f.References)
	}
	// Matched through the public key an encrypted OpenSSH file shows, by
	// SSH fingerprint alone.
	f = one(t, rep, "etc/ssh/ssh_host_ed25519_key")
	if f.Rule != RuleCompromised || f.Severity != finding.Critical || !strings.Contains(f.Message, "acme_ed25519") {
		t.Errorf("listed encrypted key: %s %v %s", f.Rule, f.Severity, f.Message)
	}
	if f := one(t, rep, "etc/ssl/other.key"); f.Rule != RuleUnencrypted {
		t.Errorf("unlisted key: %s", f.Rule)
	}
	if f := one(t, rep, "test/fixtures/listed.pem"); f.Severity != finding.Low || !strings.Contains(f.Message, "private half is public") {
		t.Errorf("listed key in tests: %v %s", f.Severity, f.Message)
	}
	inv := rep.Inventory["keys"].([]InventoryKey)
	compromised := 0
	for _, e := range inv {
		if e.Compromised {
			compromised++
		}
	}
	if compromised != 3 {
		t.Errorf("%d inventory keys marked compromised, want 3", compromised)
	}
	// The same key in two places: one finding each, plus the cross-file one.
	shared := analyzertest.Find(rep, RuleSharedAcrossFS, "")
	if len(shared) != 1 || shared[0].Severity != finding.Medium || !strings.Contains(shared[0].Message, "server.key") || !strings.Contains(shared[0].Message, "listed.pem") {
		t.Errorf("shared-key findings: %+v", shared)
	}
}

// TestKeyStores: PKCS#12 is found by structure, whatever the file name.
func TestKeyStores(t *testing.T) {
	k := keys(t)
	store := func(enc *gopkcs12.Encoder, pw string) string {
		return string(must(enc.WithRand(rand.Reader).Encode(k.rsa, k.cert, nil, pw)))
	}
	trust := string(must(gopkcs12.Modern2023.WithRand(rand.Reader).EncodeTrustStore([]*x509.Certificate{k.cert}, "changeit")))
	rep := scan(t, New(), map[string]string{
		"etc/ssl/device.p12":       store(gopkcs12.Modern2023, ""),
		"opt/app/keystore.bin":     store(gopkcs12.Modern2023, "correct horse battery"),
		"opt/app/legacy.pfx":       store(gopkcs12.LegacyDES, "changeit"),
		"usr/lib/jvm/cacerts":      trust,
		"opt/app/plain-store.data": store(gopkcs12.Passwordless, ""),
	})
	for _, c := range []struct {
		path string
		rule string
		sev  finding.Severity
	}{
		{"etc/ssl/device.p12", RuleDefaultPass, finding.High},
		{"opt/app/keystore.bin", RuleKeyStore, finding.Medium},
		{"opt/app/legacy.pfx", RuleDefaultPass, finding.High},
		{"opt/app/plain-store.data", RuleUnencrypted, finding.High},
	} {
		f := one(t, rep, c.path)
		if f.Rule != c.rule || f.Severity != c.sev || !strings.HasPrefix(f.Evidence, "PKCS#12 key store (") {
			t.Errorf("%s: %s %v %q, want %s %v", c.path, f.Rule, f.Severity, f.Evidence, c.rule, c.sev)
		}
	}
	if fs := analyzertest.Find(rep, "", "cacerts"); len(fs) != 0 {
		t.Errorf("a trust store that opens and holds no key was reported: %+v", fs)
	}
	// The same key in three stores: the cross-file finding lists them.
	shared := analyzertest.Find(rep, RuleSharedAcrossFS, "")
	if len(shared) != 1 || !strings.Contains(shared[0].Message, "in 3 places") {
		t.Errorf("shared-key findings: %+v", shared)
	}
}

// TestSameKeyOnlyInTests: the cross-file finding follows the occurrences'
// context.
func TestSameKeyOnlyInTests(t *testing.T) {
	k := keys(t)
	rep := scan(t, New(), map[string]string{
		"test/a.pem": pkcs8PEM(t, k.ec),
		"test/b.pem": sec1PEM(t, k.ec),
	})
	shared := analyzertest.Find(rep, RuleSharedAcrossFS, "")
	if len(shared) != 1 || shared[0].Severity != finding.Info {
		t.Errorf("shared-key findings: %+v", shared)
	}
	if got := analyzertest.AtLeast(rep, finding.Medium); len(got) != 0 {
		t.Errorf("findings at medium or above for test keys: %+v", got)
	}
}
