package privatekey

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"regexp"
	"strings"
	"testing"

	gopkcs12 "software.sslmate.com/src/go-pkcs12"
)

var hex64 = regexp.MustCompile(`^[0-9a-f]{64}$`)

// FuzzParseKey feeds hostile bytes to every parser through the analyzer's
// own locating code: valid keys of each format, and the same keys
// truncated and embedded in noise, as seeds. It must never panic (panics
// are not absorbed here: recoverPanics is off), and every key it returns
// must be consistent.
//
// Run it with a short -fuzzminimizetime (go test -fuzz FuzzParseKey
// -fuzztime 45s -fuzzminimizetime 5s): inputs that reach key derivation
// cost milliseconds, and minimising one for the default 60 s stalls the
// run.
func FuzzParseKey(f *testing.F) {
	k := keys(f)
	db, _ := hex.DecodeString(fixtureDropbearHex)
	// Key stores with one KDF iteration: mutants of a costly store would
	// each spend milliseconds in key derivation, and fuzzing would crawl.
	p12, err := gopkcs12.Modern2023.WithIterations(1).WithRand(rand.Reader).Encode(k.rsa, k.cert, nil, "")
	if err != nil {
		f.Fatal(err)
	}
	legacyP12, err := gopkcs12.LegacyRC2.WithIterations(1).WithRand(rand.Reader).Encode(k.ec, k.cert, nil, "changeit")
	if err != nil {
		f.Fatal(err)
	}
	seeds := [][]byte{
		[]byte(pemText("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k.rsa))),
		[]byte(pkcs8PEM(f, k.ec)),
		[]byte(pkcs8PEM(f, k.ed)),
		[]byte(pkcs8PEM(f, k.x25519)),
		[]byte(sec1PEM(f, k.ec)),
		[]byte(dsaTraditionalPEM(f, k.dsa)),
		[]byte(dsaPKCS8PEM(f, k.dsa)),
		[]byte(opensshPEM(f, k.ed, "c")),
		[]byte(opensshEncryptedPEM(f, k.ec, "x")),
		[]byte(legacyEncryptedPEM(f, k.rsa, "password")),
		[]byte(encryptedPKCS8PEM(f, k.ec, "", 16)),
		[]byte(fixtureOpenSSL3DES),
		[]byte(puttyFile(f, 2, k.ec, "c")),
		[]byte(fixturePuTTY3),
		[]byte(fixturePuTTY3Encrypted),
		db,
		dropbearRSA(f, k.rsa),
		dropbearECDSA(f, k.ec),
		dropbearDSS(k.dsa),
		x509.MarshalPKCS1PrivateKey(k.rsa),
		must(x509.MarshalPKCS8PrivateKey(k.ed)),
		must(x509.MarshalECPrivateKey(k.ec)),
		p12,
		legacyP12,
		[]byte(`{"private_key": "` + strings.ReplaceAll(pkcs8PEM(f, k.ec), "\n", `\n`) + `"}`),
		[]byte("-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n"),
	}
	for _, s := range seeds {
		f.Add(s)
		f.Add(s[:len(s)*2/3])                                   // truncated
		f.Add(append(append([]byte("\x00junk\n"), s...), 0xff)) // embedded at an odd offset
	}
	recoverPanics = false
	f.Cleanup(func() { recoverPanics = true })
	f.Fuzz(func(t *testing.T, data []byte) {
		keys, err := ParseKey(data)
		if err == nil && len(keys) == 0 {
			t.Fatal("no key and no error")
		}
		for _, key := range keys {
			if key.Public != nil && !hex64.MatchString(key.SPKISHA256) {
				t.Fatalf("public key without a valid SPKI hash: %q", key.SPKISHA256)
			}
			if key.Encrypted && key.DefaultPassword == nil && key.Cipher == "" && key.Format != "PKCS#12" {
				t.Fatalf("encrypted %s key without its cipher", key.Format)
			}
			if key.Marker == "" || key.Format == "" {
				t.Fatalf("key without marker or format: %+v", key)
			}
			_ = key.describe()
		}
	})
}
