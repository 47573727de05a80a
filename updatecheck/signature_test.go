package updatecheck

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"golang.org/x/crypto/blake2b"
	"golang.org/x/crypto/ssh"
)

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// sigCase writes artifact, signature and key and verifies them.
func sigCase(t *testing.T, artifact, sig, key []byte, opts SigOptions) (*SigResult, error) {
	t.Helper()
	d := t.TempDir()
	return VerifySignature(writeFile(t, d, "sig", sig), writeFile(t, d, "key", key), writeFile(t, d, "artifact", artifact), opts)
}

func wantClean(t *testing.T, res *SigResult, err error, format string) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != format || len(res.Findings) != 0 {
		t.Fatalf("format %s, findings %+v; want %s verified", res.Format, res.Findings, format)
	}
}

func wantFinding(t *testing.T, res *SigResult, err error, rule, substr string) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		if f.Rule == rule && strings.Contains(f.Message, substr) {
			return
		}
	}
	t.Fatalf("want %s %q, got %+v", rule, substr, res.Findings)
}

// minisignSign signs following https://jedisct1.github.io/minisign/.
func minisignSign(priv ed25519.PrivateKey, id [8]byte, msg []byte, prehash bool, trusted string) []byte {
	alg := "Ed"
	if prehash {
		alg = "ED"
		h := blake2b.Sum512(msg)
		msg = h[:]
	}
	sig := ed25519.Sign(priv, msg)
	line := append(append([]byte(alg), id[:]...), sig...)
	global := ed25519.Sign(priv, append(bytes.Clone(sig), trusted...))
	return []byte("untrusted comment: signature from minisign secret key\n" + base64.StdEncoding.EncodeToString(line) +
		"\ntrusted comment: " + trusted + "\n" + base64.StdEncoding.EncodeToString(global) + "\n")
}

func minisignPub(pub ed25519.PublicKey, id [8]byte) []byte {
	raw := append(append([]byte("Ed"), id[:]...), pub...)
	return []byte("untrusted comment: minisign public key\n" + base64.StdEncoding.EncodeToString(raw) + "\n")
}

func TestMinisignGenerated(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	id := [8]byte{1, 2, 3, 4, 5, 6, 7, 8}
	art := []byte("update payload")
	for _, prehash := range []bool{true, false} {
		sig := minisignSign(priv, id, art, prehash, "timestamp:1700000000\tfile:update.bin")
		res, err := sigCase(t, art, sig, minisignPub(pub, id), SigOptions{})
		wantClean(t, res, err, "minisign")
		if res.KeyID != "0807060504030201" || res.Signer != "timestamp:1700000000\tfile:update.bin" {
			t.Errorf("key id %s signer %q", res.KeyID, res.Signer)
		}
		res, err = sigCase(t, append(bytes.Clone(art), '!'), sig, minisignPub(pub, id), SigOptions{})
		wantFinding(t, res, err, RuleSigInvalid, "does not verify")
	}
	sig := minisignSign(priv, id, art, true, "file:update.bin")
	// Trusted comment swapped: the global signature catches it.
	forged := bytes.Replace(sig, []byte("file:update.bin"), []byte("file:other.bin"), 1)
	res, err := sigCase(t, art, forged, minisignPub(pub, id), SigOptions{})
	wantFinding(t, res, err, RuleSigInvalid, "trusted comment")
	// Another key (different id).
	pub2, _, _ := ed25519.GenerateKey(rand.Reader)
	res, err = sigCase(t, art, sig, minisignPub(pub2, [8]byte{9}), SigOptions{})
	wantFinding(t, res, err, RuleSigInvalid, "made by key 0807060504030201, but the trusted key is 0000000000000009")
	// Same id, other key material.
	res, err = sigCase(t, art, sig, minisignPub(pub2, id), SigOptions{})
	wantFinding(t, res, err, RuleSigInvalid, "does not verify")
	// Malformed: truncated.
	res, err = sigCase(t, art, sig[:60], minisignPub(pub, id), SigOptions{})
	wantFinding(t, res, err, RuleSigMalformed, "malformed minisign")
	// A key of the wrong kind is a usage error.
	if _, err := sigCase(t, art, sig, []byte("not a key"), SigOptions{}); !errors.Is(err, ErrUnknownFormat) {
		t.Fatalf("err = %v, want ErrUnknownFormat", err)
	}
}

// TestMinisignPublishedVectors uses the test vectors of minisign's author
// in the minisign-verify crate's documentation
// (https://github.com/jedisct1/rust-minisign-verify, README and
// src/lib.rs): key RWQf6LRC…, message "test", one legacy ("Ed") and one
// prehashed ("ED") signature.
func TestMinisignPublishedVectors(t *testing.T) {
	key := []byte("untrusted comment: minisign public key E7620F1842B4E81F\nRWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3\n")
	legacy := []byte("untrusted comment: signature from minisign secret key\n" +
		"RWQf6LRCGA9i59SLOFxz6NxvASXDJeRtuZykwQepbDEGt87ig1BNpWaVWuNrm73YiIiJbq71Wi+dP9eKL8OC351vwIasSSbXxwA=\n" +
		"trusted comment: timestamp:1555779966\tfile:test\n" +
		"QtKMXWyYcwdpZAlPF7tE2ENJkRd1ujvKjlj1m9RtHTBnZPa5WKU5uWRs5GoP5M/VqE81QFuMKI5k/SfNQUaOAA==\n")
	prehashed := []byte("untrusted comment: signature from minisign secret key\n" +
		"RUQf6LRCGA9i559r3g7V1qNyJDApGip8MfqcadIgT9CuhV3EMhHoN1mGTkUidF/z7SrlQgXdy8ofjb7bNJJylDOocrCo8KLzZwo=\n" +
		"trusted comment: timestamp:1633700835\tfile:test\tprehashed\n" +
		"wLMDjy9FLAuxZ3q4NlEvkgtyhrr0gtTu6KC4KBJdITbbOeAi1zBIYo0v4iTgt8jJpIidRJnp94ABQkJAgAooBQ==\n")
	for name, sig := range map[string][]byte{"legacy": legacy, "prehashed": prehashed} {
		t.Run(name, func(t *testing.T) {
			res, err := sigCase(t, []byte("test"), sig, key, SigOptions{})
			wantClean(t, res, err, "minisign")
			if res.KeyID != "E7620F1842B4E81F" {
				t.Errorf("key id %s", res.KeyID)
			}
			res, err = sigCase(t, []byte("tampered"), sig, key, SigOptions{})
			wantFinding(t, res, err, RuleSigInvalid, "does not verify")
		})
	}
}

func TestEd25519RawForms(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	art := []byte("firmware")
	sig := ed25519.Sign(priv, art)
	der, _ := x509.MarshalPKIXPublicKey(pub)
	pemKey := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	keys := map[string][]byte{"raw": pub, "hex": []byte(hex.EncodeToString(pub) + "\n"), "base64": []byte(base64.StdEncoding.EncodeToString(pub)), "pem": pemKey}
	sigs := map[string][]byte{"raw": sig, "hex": []byte(hex.EncodeToString(sig)), "base64": []byte(base64.StdEncoding.EncodeToString(sig) + "\n")}
	for kn, k := range keys {
		for sn, s := range sigs {
			t.Run(kn+"-key/"+sn+"-sig", func(t *testing.T) {
				res, err := sigCase(t, art, s, k, SigOptions{})
				wantClean(t, res, err, "ed25519")
				res, err = sigCase(t, []byte("firmwarE"), s, k, SigOptions{})
				wantFinding(t, res, err, RuleSigInvalid, "does not verify")
			})
		}
	}
	other, _, _ := ed25519.GenerateKey(rand.Reader)
	res, err := sigCase(t, art, sig, other, SigOptions{})
	wantFinding(t, res, err, RuleSigInvalid, "another key")
	// A 31-byte key must not reach ed25519.Verify (it would panic).
	if _, err := sigCase(t, art, sig, []byte(hex.EncodeToString(pub[:31])), SigOptions{}); !errors.Is(err, ErrUnknownFormat) {
		t.Fatalf("short key: err = %v", err)
	}
}

func TestUnknownSignatureFormat(t *testing.T) {
	for _, sig := range [][]byte{[]byte("hello world, not a signature"), {}, bytes.Repeat([]byte{0x01}, 63)} {
		if _, err := sigCase(t, []byte("a"), sig, []byte("k"), SigOptions{}); !errors.Is(err, ErrUnknownFormat) {
			t.Fatalf("sig %q: err = %v, want ErrUnknownFormat", sig, err)
		}
	}
	d := t.TempDir()
	if _, err := VerifySignature(filepath.Join(d, "missing"), filepath.Join(d, "k"), filepath.Join(d, "a"), SigOptions{}); err == nil {
		t.Fatal("missing files must be an error")
	}
}

// pgpEntity makes an OpenPGP key created at `created`, valid for
// lifetime seconds (0: no expiry).
func pgpEntity(t *testing.T, created time.Time, lifetime uint32) *openpgp.Entity {
	t.Helper()
	cfg := &packet.Config{Time: func() time.Time { return created }, KeyLifetimeSecs: lifetime, Algorithm: packet.PubKeyAlgoEdDSA}
	e, err := openpgp.NewEntity("Release Signing", "", "release@example.test", cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func pgpPublic(t *testing.T, e *openpgp.Entity, armored bool) []byte {
	t.Helper()
	var b bytes.Buffer
	if armored {
		w, err := armorEncode(&b, "PGP PUBLIC KEY BLOCK")
		if err != nil {
			t.Fatal(err)
		}
		if err := e.Serialize(w); err != nil {
			t.Fatal(err)
		}
		w.Close()
	} else if err := e.Serialize(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func pgpSign(t *testing.T, e *openpgp.Entity, art []byte, at time.Time, armored bool) []byte {
	t.Helper()
	var b bytes.Buffer
	cfg := &packet.Config{Time: func() time.Time { return at }}
	var err error
	if armored {
		err = openpgp.ArmoredDetachSign(&b, e, bytes.NewReader(art), cfg)
	} else {
		err = openpgp.DetachSign(&b, e, bytes.NewReader(art), cfg)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestOpenPGP(t *testing.T) {
	now := time.Now()
	e := pgpEntity(t, now.Add(-time.Hour), 0)
	art := []byte("package contents")
	for _, armored := range []bool{true, false} {
		sig := pgpSign(t, e, art, now.Add(-time.Minute), armored)
		for _, keyArmored := range []bool{true, false} {
			res, err := sigCase(t, art, sig, pgpPublic(t, e, keyArmored), SigOptions{Now: now})
			wantClean(t, res, err, "openpgp")
			if !strings.Contains(res.Signer, "release@example.test") {
				t.Errorf("signer %q", res.Signer)
			}
		}
		res, err := sigCase(t, []byte("package contentz"), sig, pgpPublic(t, e, true), SigOptions{Now: now})
		wantFinding(t, res, err, RuleSigInvalid, "does not verify")
		other := pgpEntity(t, now.Add(-time.Hour), 0)
		res, err = sigCase(t, art, sig, pgpPublic(t, other, true), SigOptions{Now: now})
		wantFinding(t, res, err, RuleSigInvalid, "not in the trusted key file")
	}
	// A key valid for one hour, created two hours ago, signed while valid:
	// checked now, the key has expired.
	exp := pgpEntity(t, now.Add(-2*time.Hour), 3600)
	sig := pgpSign(t, exp, art, now.Add(-90*time.Minute), true)
	res, err := sigCase(t, art, sig, pgpPublic(t, exp, true), SigOptions{Now: now})
	wantFinding(t, res, err, RuleSigKeyExpired, "expired")
	// Checked at a time when the key was valid: fine.
	res, err = sigCase(t, art, sig, pgpPublic(t, exp, true), SigOptions{Now: now.Add(-80 * time.Minute)})
	wantClean(t, res, err, "openpgp")
	// Malformed: an armored block with garbage inside.
	bad := []byte("-----BEGIN PGP SIGNATURE-----\n\nAAAA\n=AAAA\n-----END PGP SIGNATURE-----\n")
	res, err = sigCase(t, art, bad, pgpPublic(t, e, true), SigOptions{Now: now})
	wantFinding(t, res, err, RuleSigMalformed, "malformed OpenPGP")
}

func sshSign(t *testing.T, signer ssh.Signer, ns string, msg []byte) []byte {
	t.Helper()
	h := sha512Sum(msg)
	signed := append([]byte(sshsigMagic), ssh.Marshal(struct {
		Namespace string
		Reserved  []byte
		HashAlg   string
		Hash      []byte
	}{ns, nil, "sha512", h})...)
	sig, err := signer.Sign(rand.Reader, signed)
	if err != nil {
		t.Fatal(err)
	}
	blob := append([]byte(sshsigMagic), ssh.Marshal(struct {
		Version   uint32
		PublicKey []byte
		Namespace string
		Reserved  []byte
		HashAlg   string
		Signature []byte
	}{1, signer.PublicKey().Marshal(), ns, nil, "sha512", ssh.Marshal(sig)})...)
	return pem.EncodeToMemory(&pem.Block{Type: "SSH SIGNATURE", Bytes: blob})
}

func TestSSHSignature(t *testing.T) {
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	signer, _ := ssh.NewSignerFromKey(priv)
	pub := ssh.MarshalAuthorizedKey(signer.PublicKey())
	art := []byte("release.tar.gz bytes")
	sig := sshSign(t, signer, "file", art)
	res, err := sigCase(t, art, sig, pub, SigOptions{})
	wantClean(t, res, err, "ssh")
	res, err = sigCase(t, art, sig, append([]byte("release@example.test "), pub...), SigOptions{}) // allowed_signers
	wantClean(t, res, err, "ssh")
	res, err = sigCase(t, []byte("tampered"), sig, pub, SigOptions{})
	wantFinding(t, res, err, RuleSigInvalid, "does not verify")
	res, err = sigCase(t, art, sshSign(t, signer, "git", art), pub, SigOptions{})
	wantFinding(t, res, err, RuleSigInvalid, `namespace "git"`)
	_, priv2, _ := ed25519.GenerateKey(rand.Reader)
	other, _ := ssh.NewSignerFromKey(priv2)
	res, err = sigCase(t, art, sig, ssh.MarshalAuthorizedKey(other.PublicKey()), SigOptions{})
	wantFinding(t, res, err, RuleSigInvalid, "but the trusted key is")
	res, err = sigCase(t, art, []byte("-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\n"), pub, SigOptions{})
	wantFinding(t, res, err, RuleSigMalformed, "malformed SSH")
}

// TestSSHSignatureFromSSHKeygen checks interoperability with OpenSSH's own
// signer when ssh-keygen is installed.
func TestSSHSignatureFromSSHKeygen(t *testing.T) {
	if _, err := exec.LookPath("ssh-keygen"); err != nil {
		t.Skip("ssh-keygen not installed")
	}
	d := t.TempDir()
	key := filepath.Join(d, "id")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v %s", err, out)
	}
	art := writeFile(t, d, "artifact", []byte("signed by OpenSSH"))
	if out, err := exec.Command("ssh-keygen", "-Y", "sign", "-f", key, "-n", "file", art).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen -Y sign: %v %s", err, out)
	}
	res, err := VerifySignature(art+".sig", key+".pub", art, SigOptions{})
	wantClean(t, res, err, "ssh")
	os.WriteFile(art, []byte("signed by OpenSSH!"), 0o644)
	res, err = VerifySignature(art+".sig", key+".pub", art, SigOptions{})
	wantFinding(t, res, err, RuleSigInvalid, "does not verify")
}
