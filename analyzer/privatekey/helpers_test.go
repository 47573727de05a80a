package privatekey

import (
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/dsa" //lint:ignore SA1019 the tests generate DSA keys because firmware still ships them.
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/pem"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// testKeys are generated once per test binary: RSA generation dominates
// the tests' run time otherwise.
type testKeys struct {
	rsa, rsa2 *rsa.PrivateKey
	ec        *ecdsa.PrivateKey
	ed        ed25519.PrivateKey
	x25519    *ecdh.PrivateKey
	dsa       *dsa.PrivateKey
	cert      *x509.Certificate // self-signed, for rsa
}

var keysOnce = sync.OnceValues(func() (*testKeys, error) {
	k := &testKeys{}
	var err error
	if k.rsa, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		return nil, err
	}
	if k.rsa2, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		return nil, err
	}
	if k.ec, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		return nil, err
	}
	if _, k.ed, err = ed25519.GenerateKey(rand.Reader); err != nil {
		return nil, err
	}
	if k.x25519, err = ecdh.X25519().GenerateKey(rand.Reader); err != nil {
		return nil, err
	}
	k.dsa = &dsa.PrivateKey{}
	if err = dsa.GenerateParameters(&k.dsa.Parameters, rand.Reader, dsa.L1024N160); err != nil {
		return nil, err
	}
	if err = dsa.GenerateKey(k.dsa, rand.Reader); err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "device"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.rsa.PublicKey, k.rsa)
	if err != nil {
		return nil, err
	}
	k.cert, err = x509.ParseCertificate(der)
	return k, err
})

func keys(t testing.TB) *testKeys {
	t.Helper()
	k, err := keysOnce()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// spkiHex computes the expected SPKI SHA-256 the straightforward way.
func spkiHex(t testing.TB, pub crypto.PublicKey) string {
	t.Helper()
	der, err := marshalSPKI(pub)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

func sshFP(t testing.TB, pub crypto.PublicKey) string {
	t.Helper()
	sp, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return ssh.FingerprintSHA256(sp)
}

func pemText(typ string, der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
}

func pkcs8PEM(t testing.TB, key any) string {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pemText("PRIVATE KEY", der)
}

func sec1PEM(t testing.TB, key *ecdsa.PrivateKey) string {
	t.Helper()
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pemText("EC PRIVATE KEY", der)
}

func opensshPEM(t testing.TB, key any, comment string) string {
	t.Helper()
	b, err := ssh.MarshalPrivateKey(key, comment)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(b))
}

func opensshEncryptedPEM(t testing.TB, key any, pass string) string {
	t.Helper()
	b, err := ssh.MarshalPrivateKeyWithPassphrase(key, "", []byte(pass))
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(b))
}

// legacyEncryptedPEM writes an OpenSSL "Proc-Type: 4,ENCRYPTED" key.
func legacyEncryptedPEM(t testing.TB, key *rsa.PrivateKey, pass string) string {
	t.Helper()
	//lint:ignore SA1019 the tests must write the legacy format that devices ship, insecure as it is.
	b, err := x509.EncryptPEMBlock(rand.Reader, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(key), []byte(pass), x509.PEMCipherAES256)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(b))
}

// dsaTraditionalPEM writes OpenSSL's "DSA PRIVATE KEY".
func dsaTraditionalPEM(t testing.TB, k *dsa.PrivateKey) string {
	t.Helper()
	der, err := asn1.Marshal(struct {
		Version       int
		P, Q, G, Y, X *big.Int
	}{0, k.P, k.Q, k.G, k.Y, k.X})
	if err != nil {
		t.Fatal(err)
	}
	return pemText("DSA PRIVATE KEY", der)
}

// dsaPKCS8PEM writes a DSA key as PKCS#8, which the standard library
// does not write.
func dsaPKCS8PEM(t testing.TB, k *dsa.PrivateKey) string {
	t.Helper()
	params, err := asn1.Marshal(struct{ P, Q, G *big.Int }{k.P, k.Q, k.G})
	if err != nil {
		t.Fatal(err)
	}
	x, err := asn1.Marshal(k.X)
	if err != nil {
		t.Fatal(err)
	}
	der, err := asn1.Marshal(pkcs8{Algo: pkix.AlgorithmIdentifier{Algorithm: oidDSA, Parameters: asn1.RawValue{FullBytes: params}}, PrivateKey: x})
	if err != nil {
		t.Fatal(err)
	}
	return pemText("PRIVATE KEY", der)
}

// encryptedPKCS8PEM writes a PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC)
// encrypted PKCS#8 key, the way OpenSSL 3 does by default.
func encryptedPKCS8PEM(t testing.TB, key any, pass string, iterations int) string {
	t.Helper()
	plain, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	salt, iv := make([]byte, 16), make([]byte, 16)
	rand.Read(salt)
	rand.Read(iv)
	dk, err := pbkdf2.Key(sha256.New, pass, salt, iterations, 32)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := aes.NewCipher(dk)
	n := 16 - len(plain)%16
	padded := append(append([]byte{}, plain...), []byte(strings.Repeat(string(rune(n)), n))...)
	ct := make([]byte, len(padded))
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(ct, padded)
	kdfParams, _ := asn1.Marshal(struct {
		Salt       []byte
		Iterations int
		PRF        pkix.AlgorithmIdentifier
	}{salt, iterations, pkix.AlgorithmIdentifier{Algorithm: oidHMACWithSHA256, Parameters: asn1.NullRawValue}})
	ivDER, _ := asn1.Marshal(iv)
	params, _ := asn1.Marshal(pbes2Params{
		KDF: pkix.AlgorithmIdentifier{Algorithm: oidPBKDF2, Parameters: asn1.RawValue{FullBytes: kdfParams}},
		Enc: pkix.AlgorithmIdentifier{Algorithm: oidAES256CBC, Parameters: asn1.RawValue{FullBytes: ivDER}},
	})
	der, err := asn1.Marshal(encryptedPKCS8{Algo: pkix.AlgorithmIdentifier{Algorithm: oidPBES2, Parameters: asn1.RawValue{FullBytes: params}}, Data: ct})
	if err != nil {
		t.Fatal(err)
	}
	return pemText("ENCRYPTED PRIVATE KEY", der)
}

// sshString appends an SSH wire-format string.
func sshString(b []byte, s []byte) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}

// puttyFile writes an unencrypted .ppk of the given version for an SSH
// key, computing its MAC as PuTTY does, so only the parts the analyzer
// reads need to be right: the public blob and the MAC over both blobs.
func puttyFile(t testing.TB, version int, key crypto.Signer, comment string) string {
	t.Helper()
	pub, err := ssh.NewPublicKey(key.Public())
	if err != nil {
		t.Fatal(err)
	}
	pubBlob := pub.Marshal()
	privBlob := []byte("private part: not read by the analyzer, only MAC-ed") // 52 bytes
	alg := pub.Type()
	var macData []byte
	for _, f := range [][]byte{[]byte(alg), []byte("none"), []byte(comment), pubBlob, privBlob} {
		macData = sshString(macData, f)
	}
	var mac []byte
	if version == 2 {
		k := sha1.Sum([]byte("putty-private-key-file-mac-key"))
		m := hmac.New(sha1.New, k[:])
		m.Write(macData)
		mac = m.Sum(nil)
	} else {
		m := hmac.New(sha256.New, nil)
		m.Write(macData)
		mac = m.Sum(nil)
	}
	var sb strings.Builder
	writeLines := func(name string, blob []byte) {
		s := base64.StdEncoding.EncodeToString(blob)
		var lines []string
		for len(s) > 64 {
			lines = append(lines, s[:64])
			s = s[64:]
		}
		lines = append(lines, s)
		sb.WriteString(name + ": " + itoa(len(lines)) + "\n" + strings.Join(lines, "\n") + "\n")
	}
	sb.WriteString("PuTTY-User-Key-File-" + itoa(version) + ": " + alg + "\nEncryption: none\nComment: " + comment + "\n")
	writeLines("Public-Lines", pubBlob)
	writeLines("Private-Lines", privBlob)
	sb.WriteString("Private-MAC: " + hex.EncodeToString(mac) + "\n")
	return sb.String()
}

func itoa(n int) string { return big.NewInt(int64(n)).String() }

// dropbearRSA writes a Dropbear RSA host key: string type, mpint e, n, d,
// p, q.
func dropbearRSA(t testing.TB, k *rsa.PrivateKey) []byte {
	t.Helper()
	return ssh.Marshal(struct {
		Type          string
		E, N, D, P, Q *big.Int
	}{"ssh-rsa", big.NewInt(int64(k.E)), k.N, k.D, k.Primes[0], k.Primes[1]})
}

// dropbearEd25519 writes a Dropbear Ed25519 key: string type, string of
// seed and public key.
func dropbearEd25519(k ed25519.PrivateKey) []byte {
	return ssh.Marshal(struct {
		Type string
		Key  []byte
	}{"ssh-ed25519", k})
}

func dropbearECDSA(t testing.TB, k *ecdsa.PrivateKey) []byte {
	t.Helper()
	e, err := k.ECDH()
	if err != nil {
		t.Fatal(err)
	}
	return ssh.Marshal(struct {
		Type, Curve string
		Q           []byte
		D           *big.Int
	}{"ecdsa-sha2-nistp256", "nistp256", e.PublicKey().Bytes(), new(big.Int).SetBytes(e.Bytes())})
}

func dropbearDSS(k *dsa.PrivateKey) []byte {
	return ssh.Marshal(struct {
		Type          string
		P, Q, G, Y, X *big.Int
	}{"ssh-dss", k.P, k.Q, k.G, k.Y, k.X})
}

// randomBytes returns n bytes of noise for blobs.
func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}
