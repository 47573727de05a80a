package privatekey

import (
	"crypto"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math/big"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

// want is what a parse must find. pub, when set, fixes the expected
// fingerprints; password is "-" for "no default password opened it".
type want struct {
	format    string
	alg       string
	bits      int
	encrypted bool
	password  string
	pub       crypto.PublicKey
	noSSH     bool // key type without an SSH form
}

func checkKey(t *testing.T, k *Key, w want) {
	t.Helper()
	if k.Format != w.format || k.Algorithm != w.alg || k.Bits != w.bits || k.Encrypted != w.encrypted {
		t.Errorf("got format %q alg %q bits %d encrypted %v, want %q %q %d %v", k.Format, k.Algorithm, k.Bits, k.Encrypted, w.format, w.alg, w.bits, w.encrypted)
	}
	got := "-"
	if k.DefaultPassword != nil {
		got = *k.DefaultPassword
	}
	if got != w.password {
		t.Errorf("default password %q, want %q", got, w.password)
	}
	if w.pub == nil {
		if k.SPKISHA256 != "" || k.Public != nil {
			t.Errorf("public key %s known for a key whose public half is hidden", k.SPKISHA256)
		}
		return
	}
	if want := spkiHex(t, w.pub); k.SPKISHA256 != want {
		t.Errorf("SPKI SHA-256 %s, want %s", k.SPKISHA256, want)
	}
	switch {
	case w.noSSH && k.SSHFingerprint != "":
		t.Errorf("SSH fingerprint %s for a key type SSH does not have", k.SSHFingerprint)
	case !w.noSSH && k.SSHFingerprint != sshFP(t, w.pub):
		t.Errorf("SSH fingerprint %s, want %s", k.SSHFingerprint, sshFP(t, w.pub))
	}
}

func TestParseFormats(t *testing.T) {
	k := keys(t)
	pkcs1 := pemText("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k.rsa))
	pkcs8 := pkcs8PEM(t, k.rsa)
	cases := []struct {
		name string
		in   string
		want want
	}{
		{"PKCS#1", pkcs1, want{"PKCS#1 PEM", "RSA", 2048, false, "-", &k.rsa.PublicKey, false}},
		{"PKCS#8 RSA", pkcs8, want{"PKCS#8 PEM", "RSA", 2048, false, "-", &k.rsa.PublicKey, false}},
		{"SEC1", sec1PEM(t, k.ec), want{"SEC1 PEM", "ECDSA P-256", 256, false, "-", &k.ec.PublicKey, false}},
		{"PKCS#8 EC", pkcs8PEM(t, k.ec), want{"PKCS#8 PEM", "ECDSA P-256", 256, false, "-", &k.ec.PublicKey, false}},
		{"PKCS#8 Ed25519", pkcs8PEM(t, k.ed), want{"PKCS#8 PEM", "Ed25519", 256, false, "-", k.ed.Public(), false}},
		{"PKCS#8 X25519", pkcs8PEM(t, k.x25519), want{"PKCS#8 PEM", "X25519", 256, false, "-", k.x25519.PublicKey(), true}},
		{"DSA traditional", dsaTraditionalPEM(t, k.dsa), want{"OpenSSL DSA PEM", "DSA", 1024, false, "-", &k.dsa.PublicKey, false}},
		{"DSA PKCS#8", dsaPKCS8PEM(t, k.dsa), want{"PKCS#8 PEM", "DSA", 1024, false, "-", &k.dsa.PublicKey, false}},
		{"OpenSSH Ed25519", opensshPEM(t, k.ed, "root@build"), want{"OpenSSH", "Ed25519", 256, false, "-", k.ed.Public(), false}},
		{"OpenSSH RSA", opensshPEM(t, k.rsa, ""), want{"OpenSSH", "RSA", 2048, false, "-", &k.rsa.PublicKey, false}},
		{"OpenSSH ECDSA", opensshPEM(t, k.ec, ""), want{"OpenSSH", "ECDSA P-256", 256, false, "-", &k.ec.PublicKey, false}},
		// The envelope of an encrypted OpenSSH key shows its public key.
		{"OpenSSH encrypted", opensshEncryptedPEM(t, k.ed, "correct horse battery"), want{"OpenSSH", "Ed25519", 256, true, "-", k.ed.Public(), false}},
		{"legacy encrypted", legacyEncryptedPEM(t, k.rsa, "correct horse battery"), want{"encrypted PEM", "RSA", 0, true, "-", nil, false}},
		{"legacy encrypted, default passphrase", legacyEncryptedPEM(t, k.rsa, "changeme"), want{"encrypted PKCS#1 PEM", "RSA", 2048, true, "changeme", &k.rsa.PublicKey, false}},
		{"encrypted PKCS#8", encryptedPKCS8PEM(t, k.ec, "correct horse battery", 2048), want{"encrypted PKCS#8 PEM", "", 0, true, "-", nil, false}},
		{"encrypted PKCS#8, empty passphrase", encryptedPKCS8PEM(t, k.ec, "", 2048), want{"encrypted PKCS#8 PEM", "ECDSA P-256", 256, true, "", &k.ec.PublicKey, false}},
		// Too many iterations to guess affordably: reported as protected.
		{"encrypted PKCS#8, costly KDF", encryptedPKCS8PEM(t, k.ec, "", maxIterations+1), want{"encrypted PKCS#8 PEM", "", 0, true, "-", nil, false}},
		{"PuTTY v2", puttyFile(t, 2, k.rsa, "rsa-key"), want{"PuTTY v2", "RSA", 2048, false, "-", &k.rsa.PublicKey, false}},
		{"PuTTY v3", puttyFile(t, 3, k.ed, "eddsa-key"), want{"PuTTY v3", "Ed25519", 256, false, "-", k.ed.Public(), false}},
		{"Dropbear RSA", string(dropbearRSA(t, k.rsa)), want{"Dropbear", "RSA", 2048, false, "-", &k.rsa.PublicKey, false}},
		{"Dropbear Ed25519", string(dropbearEd25519(k.ed)), want{"Dropbear", "Ed25519", 256, false, "-", k.ed.Public(), false}},
		{"Dropbear ECDSA", string(dropbearECDSA(t, k.ec)), want{"Dropbear", "ECDSA P-256", 256, false, "-", &k.ec.PublicKey, false}},
		{"Dropbear DSS", string(dropbearDSS(k.dsa)), want{"Dropbear", "DSA", 1024, false, "-", &k.dsa.PublicKey, false}},
		{"DER PKCS#1", string(x509.MarshalPKCS1PrivateKey(k.rsa)), want{"PKCS#1 DER", "RSA", 2048, false, "-", &k.rsa.PublicKey, false}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseKey([]byte(c.in))
			if err != nil {
				t.Fatalf("ParseKey: %v", err)
			}
			if len(got) != 1 {
				t.Fatalf("%d keys, want 1", len(got))
			}
			checkKey(t, got[0], c.want)
		})
	}
}

// TestParseQuotings covers keys pasted into JSON, YAML, source code and
// Windows files: the same key must come out of each.
func TestParseQuotings(t *testing.T) {
	k := keys(t)
	key := pkcs8PEM(t, k.rsa)
	lines := strings.Split(strings.TrimSpace(key), "\n")
	jsonText, _ := json.Marshal(map[string]string{"type": "service_account", "private_key": key})
	var goLit, cLit, yaml strings.Builder
	goLit.WriteString("const key = ")
	yaml.WriteString("tls:\n  key: |\n")
	for i, l := range lines {
		sep := " +\n"
		if i == len(lines)-1 {
			sep = "\n"
		}
		goLit.WriteString(`"` + l + `\n"` + sep)
		cLit.WriteString("\t\"" + l + "\\n\"\n")
		yaml.WriteString("    " + l + "\n")
	}
	cases := map[string]string{
		"JSON":          string(jsonText),
		"Go literal":    goLit.String(),
		"C literal":     "static const char key[] =\n" + cLit.String() + ";\n",
		"YAML":          yaml.String(),
		"CRLF":          strings.ReplaceAll(key, "\n", "\r\n"),
		"double escape": strings.ReplaceAll(key, "\n", `\\n`),
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := ParseKey([]byte(in))
			if err != nil {
				t.Fatalf("ParseKey: %v\n%s", err, in)
			}
			checkKey(t, got[0], want{"PKCS#8 PEM", "RSA", 2048, false, "-", &k.rsa.PublicKey, false})
		})
	}
}

// Fixtures written by the real tools (OpenSSL 3.0, PuTTY 0.8x's puttygen,
// Dropbear's dropbearkey), each for a throwaway key, so the parsers are
// checked against other implementations and not only against the test
// helpers that share their author's reading of the formats.
const (
	// openssl pkcs8 -topk8 -v1 PBE-SHA1-3DES -passout pass:changeit (P-384):
	// exercises the PKCS#12 key derivation.
	fixtureOpenSSL3DES = `-----BEGIN ENCRYPTED PRIVATE KEY-----
MIHhMBwGCiqGSIb3DQEMAQMwDgQIcvfFV19tvI8CAggABIHAT6gZtgw3vLTE3bOq
5aPJI4wq2eAO6rhlzfdohI3AlzuG+Qgc+rFpwUpu47Hd6awuXUia/M/xvhDkyZJi
dXE89DYnzlLtu7SXf4E+OIR5SrVNwFS3qy+5W+SKpFw32SZBG8jHhPWWtdDj8IQW
VPk5QxEWDbhS9BiSShCEdV3lbz7fFChwQxMMlT6W43yA2e4TiUT8nWxjqp7Q9+BQ
o3K6fEccfLXoYfrsCGchxW+XPH3ZlcV05cVwfHhlb0C9ihdh
-----END ENCRYPTED PRIVATE KEY-----
`
	fixtureOpenSSL3DESSPKI = "5ab881d2db6a3576e9e4e4313e5a6f09ac1342c15145bf7dc2097a33609469f7"

	// puttygen -t ed25519 (format version 3, no passphrase).
	fixturePuTTY3 = `PuTTY-User-Key-File-3: ssh-ed25519
Encryption: none
Comment: test-key
Public-Lines: 2
AAAAC3NzaC1lZDI1NTE5AAAAIMO9aoGw/6Y/WzKrRyxIKdjR1I5xXLTD5pnW7XbO
YiIJ
Private-Lines: 1
AAAAIE0qMgfWjcnfbOK2kU0YADGGZBJ9pnSfBXmi2CgjLVd7
Private-MAC: 04f45993ca335cf94c0ac3795977a7756ca5ae9bebbbd1b336e43ec0fd46344f
`
	fixturePuTTY3FP = "SHA256:gmg3S3ItkxZ6tkR93VV1c9BJ0ZufU8wCFWfbp+J92+g"

	// puttygen -t ed25519 with a passphrase (Argon2id, aes256-cbc).
	fixturePuTTY3Encrypted = `PuTTY-User-Key-File-3: ssh-ed25519
Encryption: aes256-cbc
Comment: enc-key
Public-Lines: 2
AAAAC3NzaC1lZDI1NTE5AAAAIPn2VEdBmgyYbGRpQbl2FD4TnIivtU2jdSV7y4XK
M2QS
Key-Derivation: Argon2id
Argon2-Memory: 8192
Argon2-Passes: 1
Argon2-Parallelism: 1
Argon2-Salt: e4e964d0eddea29b136cf7ce15778b13
Private-Lines: 1
4G7Q8U8AoV3Mt8vkRe/3YTy7jXiTHLvyXaGinU3Pku7+Ww4N2fFSeCk2igkhjndc
Private-MAC: 9787ff5c2a758363bb952e0a8acb8143a70f002913f3c441ee1abead108471fd
`
	fixturePuTTY3EncryptedFP = "SHA256:PjsgyJ/+Ma3DD2gGOPiEPrLTpSjATuRZGl1mZkhBtzg"

	// dropbearkey -t ed25519.
	fixtureDropbearHex = "0000000b7373682d6564323535313900000040470915d668f1278142a3ab1ae2f4c29aebecf62f3825f698faa72bd84138db841f3f5c14b0f33953cfb0f9bda36960c565368b3a7b0f325ea5d45e358ff83a58"
	fixtureDropbearFP  = "SHA256:iyu1spl1SkjS077dj59ljZbnUwc/6+qzkMzBK395D3Q"
)

func TestParseToolFixtures(t *testing.T) {
	db, _ := hex.DecodeString(fixtureDropbearHex)
	cases := []struct {
		name, in            string
		format, spki, sshFP string
		encrypted           bool
		password            string
	}{
		{"OpenSSL PBE-SHA1-3DES", fixtureOpenSSL3DES, "encrypted PKCS#8 PEM", fixtureOpenSSL3DESSPKI, "", true, "changeit"},
		{"puttygen v3", fixturePuTTY3, "PuTTY v3", "", fixturePuTTY3FP, false, "-"},
		{"puttygen v3 encrypted", fixturePuTTY3Encrypted, "PuTTY v3", "", fixturePuTTY3EncryptedFP, true, "-"},
		{"dropbearkey", string(db), "Dropbear", "", fixtureDropbearFP, false, "-"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseKey([]byte(c.in))
			if err != nil {
				t.Fatal(err)
			}
			k := got[0]
			if k.Format != c.format || k.Encrypted != c.encrypted {
				t.Errorf("format %q encrypted %v, want %q %v", k.Format, k.Encrypted, c.format, c.encrypted)
			}
			if c.spki != "" && k.SPKISHA256 != c.spki {
				t.Errorf("SPKI %s, want %s", k.SPKISHA256, c.spki)
			}
			if c.sshFP != "" && k.SSHFingerprint != c.sshFP {
				t.Errorf("SSH fingerprint %s, want %s", k.SSHFingerprint, c.sshFP)
			}
			got2 := "-"
			if k.DefaultPassword != nil {
				got2 = *k.DefaultPassword
			}
			if got2 != c.password {
				t.Errorf("default password %q, want %q", got2, c.password)
			}
		})
	}
}

// TestParseRejects covers what must not pass for a key: public keys,
// certificates, templates, parsers' constants and keys whose numbers do
// not hold together.
func TestParseRejects(t *testing.T) {
	k := keys(t)
	pubDER, _ := x509.MarshalPKIXPublicKey(&k.rsa.PublicKey)
	sshPub, _ := ssh.NewPublicKey(&k.rsa.PublicKey)

	// A PKCS#1 key with a wrong prime: valid DER, not a key.
	bad := *k.rsa
	bad.Primes = append([]*big.Int{new(big.Int).Add(k.rsa.Primes[0], big.NewInt(2))}, k.rsa.Primes[1:]...)
	badDER, _ := asn1.Marshal(pkcs1{N: bad.N, E: big.NewInt(int64(bad.E)), D: bad.D, P: bad.Primes[0], Q: bad.Primes[1], Dp: big.NewInt(1), Dq: big.NewInt(1), Qinv: big.NewInt(1)})

	// A Dropbear Ed25519 key whose public half was changed.
	edBad := append([]byte{}, k.ed...)
	edBad[40] ^= 1

	// A PuTTY file edited after it was written: the MAC fails.
	puttyEdited := strings.Replace(puttyFile(t, 3, k.ed, "eddsa-key"), "Comment: eddsa-key", "Comment: edited", 1)

	pkcs1 := pemText("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k.rsa))
	lines := strings.Split(pkcs1, "\n")
	truncated := strings.Join(lines[:10], "\n") + "\n"

	cases := []struct {
		name   string
		in     string
		broken bool // a blockError with enough material to report
	}{
		{"public key PEM", pemText("PUBLIC KEY", pubDER), false},
		{"certificate", pemText("CERTIFICATE", k.cert.Raw), false},
		{"ssh public key line", string(ssh.MarshalAuthorizedKey(sshPub)), false},
		{"template", "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n", false},
		{"template with a start", "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA...\n-----END RSA PRIVATE KEY-----\n", false},
		{"parser constant", "const (\n\trsaHeader = \"-----BEGIN RSA PRIVATE KEY-----\"\n\trsaFooter = \"-----END RSA PRIVATE KEY-----\"\n)\n", false},
		{"python constant", "if line.startswith('-----BEGIN RSA PRIVATE KEY-----'):\n    in_key = True\nelif line == '-----END RSA PRIVATE KEY-----':\n", false},
		{"truncated key", truncated, true},
		{"wrong prime", pemText("RSA PRIVATE KEY", badDER), true},
		{"Dropbear with mismatched halves", string(dropbearEd25519(edBad)), false},
		{"PuTTY edited", puttyEdited, true},
		{"DSA parameters only", "-----BEGIN DSA PARAMETERS-----\nMIIBHgKBgQ==\n-----END DSA PARAMETERS-----\n", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseKey([]byte(c.in))
			if err == nil {
				t.Fatalf("ParseKey found %d key(s) (%s), want none", len(got), got[0].describe())
			}
			var be *blockError
			isBroken := errors.As(err, &be) && be.reportable()
			if isBroken != c.broken {
				t.Errorf("error %v: reported as a broken key %v, want %v", err, isBroken, c.broken)
			}
		})
	}
}

// TestParseSizeBounds: a key claiming a modulus beyond real sizes is not
// computed on.
func TestParseSizeBounds(t *testing.T) {
	n := new(big.Int).Lsh(big.NewInt(1), maxRSABits+8)
	n.Add(n, big.NewInt(1))
	der, err := asn1.Marshal(pkcs1{N: n, E: big.NewInt(65537), D: n, P: n, Q: big.NewInt(1), Dp: n, Dq: n, Qinv: n})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parsePKCS1(der); !errors.Is(err, errTooLarge) {
		t.Errorf("parsePKCS1 of a %d-bit modulus: %v, want errTooLarge", n.BitLen(), err)
	}
}

// TestDescribeHasNoSecret: evidence text carries the marker and public
// facts only.
func TestDescribeHasNoSecret(t *testing.T) {
	k := keys(t)
	got, err := ParseKey([]byte(pkcs8PEM(t, k.rsa)))
	if err != nil {
		t.Fatal(err)
	}
	d := got[0].describe()
	if want := "RSA 2048, unencrypted, SPKI SHA-256 " + spkiHex(t, &k.rsa.PublicKey)[:16] + "…"; d != want {
		t.Errorf("describe() = %q, want %q", d, want)
	}
	opened, _ := ParseKey([]byte(legacyEncryptedPEM(t, k.rsa, "changeme")))
	if d := opened[0].describe(); strings.Contains(d, "changeme") || !strings.Contains(d, "ch******") {
		t.Errorf("describe() = %q: the default passphrase must be masked", d)
	}
}

// TestConstantDoesNotHideKey: a marker that starts no key (a parser's
// constant, a truncated block) must not hide a real key after it.
func TestConstantDoesNotHideKey(t *testing.T) {
	k := keys(t)
	src := "const header = \"-----BEGIN PRIVATE KEY-----\"\n\n// testKey is used by the self-test.\nvar testKey = `" + pkcs8PEM(t, k.ec) + "`\n"
	got, err := ParseKey([]byte(src))
	if err != nil || len(got) != 1 {
		t.Fatalf("ParseKey: %d keys, %v", len(got), err)
	}
	checkKey(t, got[0], want{"PKCS#8 PEM", "ECDSA P-256", 256, false, "-", &k.ec.PublicKey, false})
}
