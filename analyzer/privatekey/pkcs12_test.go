package privatekey

import (
	"crypto/rand"
	"crypto/sha1"
	"crypto/x509"
	"testing"
	"time"

	gopkcs12 "software.sslmate.com/src/go-pkcs12"
)

// The stores are written by go-pkcs12, an implementation independent of
// the reader under test, with each of its encoders: OpenSSL 3 style
// (PBES2/AES-256, SHA-256 MAC), legacy (3DES keys, SHA-1 MAC, RC2 or 3DES
// certificates) and password-less.

func encodeStore(t *testing.T, enc *gopkcs12.Encoder, password string) []byte {
	t.Helper()
	k := keys(t)
	der, err := enc.WithRand(rand.Reader).Encode(k.rsa, k.cert, nil, password)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func TestPKCS12(t *testing.T) {
	k := keys(t)
	spki := spkiHex(t, &k.rsa.PublicKey)
	trust, err := gopkcs12.Modern2023.WithRand(rand.Reader).EncodeTrustStore([]*x509.Certificate{k.cert}, "changeit")
	if err != nil {
		t.Fatal(err)
	}
	lockedTrust, err := gopkcs12.Modern2023.WithRand(rand.Reader).EncodeTrustStore([]*x509.Certificate{k.cert}, "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name        string
		der         []byte
		password    string // of the opened key, "-" when none opened
		encrypted   bool
		locked      int
		hidden      int
		macPassword string // "-" when no default password opened the MAC
		nkeys       int
	}{
		{"modern, empty password", encodeStore(t, gopkcs12.Modern2023, ""), "", true, 0, 0, "", 1},
		{"modern, changeit", encodeStore(t, gopkcs12.Modern2023, "changeit"), "changeit", true, 0, 0, "changeit", 1},
		{"legacy 3DES, password", encodeStore(t, gopkcs12.LegacyDES, "password"), "password", true, 0, 0, "password", 1},
		// RC2-encrypted certificates are not decrypted; the 3DES key is.
		{"legacy RC2, secret", encodeStore(t, gopkcs12.LegacyRC2, "secret"), "secret", true, 0, 1, "secret", 1},
		{"password-less", encodeStore(t, gopkcs12.Passwordless, ""), "-", false, 0, 0, "-", 1},
		{"modern, strong password", encodeStore(t, gopkcs12.Modern2023, "correct horse battery"), "-", false, 1, 1, "-", 0},
		// Too costly to guess: the MAC is not even tried.
		{"modern, costly KDF", encodeStore(t, gopkcs12.Modern2023.WithIterations(maxIterations+1), ""), "-", false, 1, 1, "-", 0},
		{"trust store, changeit", trust, "-", false, 0, 0, "changeit", 0},
		{"trust store, strong password", lockedTrust, "-", false, 0, 1, "-", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if total, ok := pfxHeader(c.der); !ok || total != len(c.der) {
				t.Fatalf("pfxHeader = %d, %v; want %d, true", total, ok, len(c.der))
			}
			start := time.Now()
			st, err := parsePKCS12(c.der, newBudget())
			if err != nil {
				t.Fatal(err)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v", d)
			}
			if st.LockedKeys != c.locked || st.HiddenParts != c.hidden {
				t.Errorf("locked %d hidden %d, want %d %d", st.LockedKeys, st.HiddenParts, c.locked, c.hidden)
			}
			mac := "-"
			if st.Password != nil {
				mac = *st.Password
			}
			if mac != c.macPassword {
				t.Errorf("MAC password %q, want %q", mac, c.macPassword)
			}
			if len(st.Keys) != c.nkeys {
				t.Fatalf("%d keys, want %d", len(st.Keys), c.nkeys)
			}
			if c.nkeys == 0 {
				return
			}
			key := st.Keys[0]
			if key.SPKISHA256 != spki || key.Encrypted != c.encrypted {
				t.Errorf("key %s encrypted %v, want %s %v", key.SPKISHA256, key.Encrypted, spki, c.encrypted)
			}
			got := "-"
			if key.DefaultPassword != nil {
				got = *key.DefaultPassword
			}
			if got != c.password {
				t.Errorf("key opened with %q, want %q", got, c.password)
			}
		})
	}
}

// TestPFXStart: a store inside a blob is found from its data-OID keyword.
func TestPFXStart(t *testing.T) {
	der := encodeStore(t, gopkcs12.Modern2023, "")
	blob := append(append(randomBytes(1001), der...), randomBytes(77)...)
	keys, err := ParseKey(blob)
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 1 || keys[0].Format != "PKCS#12" {
		t.Fatalf("got %d keys", len(keys))
	}
	// Truncated: the header still says PKCS#12, the parse must fail
	// cleanly.
	if _, err := ParseKey(der[:len(der)/2]); err == nil {
		t.Error("half a store parsed")
	}
}

// TestPKCS12KDF checks the RFC 7292 key derivation against the vector of
// the Go project's pkcs12 package (x/crypto/pkcs12/pbkdf_test.go), which
// comes from the RFC's reference implementation.
func TestPKCS12KDF(t *testing.T) {
	got := pkcs12KDF(sha1.New, 64, []byte("\xff\xff\xff\xff\xff\xff\xff\xff"), bmpPassword("sesame"), 2048, 1, 24)
	want := []byte("\x7c\xd9\xfd\x3e\x2b\x3b\xe7\x69\x1a\x44\xe3\xbe\xf0\xf9\xea\x0f\xb9\xb8\x97\xd4\xe3\x25\xd9\xd1")
	if string(got) != string(want) {
		t.Errorf("pkcs12KDF = %x, want %x", got, want)
	}
}

// TestGuessBudget: once an entry's guessing budget is spent, stores are
// reported as locked rather than guessed at.
func TestGuessBudget(t *testing.T) {
	der := encodeStore(t, gopkcs12.Modern2023, "") // 2048 iterations per try
	st, err := parsePKCS12(der, &budget{left: 2047})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Keys) != 0 || st.LockedKeys != 1 || st.Password != nil {
		t.Errorf("without budget: %d keys, %d locked, password %v", len(st.Keys), st.LockedKeys, st.Password)
	}
	b := &budget{left: 4 * 2048}
	if st, err = parsePKCS12(der, b); err != nil || len(st.Keys) != 1 {
		t.Fatalf("with budget: %v, %+v", err, st)
	}
	if b.left != 2048 {
		t.Errorf("budget left %d, want 2048 (one MAC try, the key bag and the certificates' part spent)", b.left)
	}
}
