package privatekey

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"strings"

	"golang.org/x/crypto/ssh"
)

// puttyMagic starts a PuTTY private key file (.ppk); the version digit
// follows.
const puttyMagic = "PuTTY-User-Key-File-"

// maxPuTTYLines bounds Public-Lines and Private-Lines: a 16384-bit RSA key
// needs about 50 lines of 64 characters.
const maxPuTTYLines = 200

// parsePuTTY reads a .ppk file that starts at the beginning of b:
//
//	PuTTY-User-Key-File-3: ssh-ed25519
//	Encryption: none
//	Comment: ...
//	Public-Lines: 2
//	<base64 SSH public key blob>
//	[Key-Derivation: Argon2id ... for encrypted version 3 files]
//	Private-Lines: 1
//	<base64 private blob, encrypted unless Encryption is none>
//	Private-MAC: <hex>
//
// The public blob gives the fingerprint whether or not the file is
// encrypted. For unencrypted files the MAC, whose key is then known, is
// verified: a file whose MAC fails is one PuTTY itself refuses to load.
// It returns the key and the number of bytes of b the file occupies.
func parsePuTTY(b []byte) (*Key, int, error) {
	lines := newLineReader(b)
	first, ok := lines.next()
	if !ok || !strings.HasPrefix(first, puttyMagic) {
		return nil, 0, errors.New("PuTTY: no header")
	}
	version, alg, ok := strings.Cut(first[len(puttyMagic):], ": ")
	if !ok || (version != "1" && version != "2" && version != "3") {
		return nil, 0, errors.New("PuTTY: unknown version")
	}
	k := &Key{Format: "PuTTY v" + version, Marker: first}
	fields := map[string]string{}
	var pubBlob, privBlob []byte
	var mac string
	for {
		line, ok := lines.next()
		if !ok {
			return nil, 0, errors.New("PuTTY: file ends before Private-MAC")
		}
		name, value, ok := strings.Cut(line, ": ")
		if !ok {
			return nil, 0, fmt.Errorf("PuTTY: unexpected line %.40q", line)
		}
		switch name {
		case "Public-Lines", "Private-Lines":
			blob, err := readPuTTYBlob(lines, value)
			if err != nil {
				return nil, 0, fmt.Errorf("PuTTY %s: %w", name, err)
			}
			if name == "Public-Lines" {
				pubBlob = blob
			} else {
				privBlob = blob
			}
		case "Private-MAC", "Private-Hash":
			mac = value
		default:
			fields[name] = value
		}
		if mac != "" {
			break
		}
	}
	if pubBlob == nil || privBlob == nil {
		return nil, 0, errors.New("PuTTY: public or private lines missing")
	}
	// From here on the file has its key lines: a failure is a broken key,
	// not a mention of the format.
	material := base64.StdEncoding.EncodedLen(len(privBlob))
	pub, err := ssh.ParsePublicKey(pubBlob)
	if err != nil {
		return nil, 0, &blockError{reason: "PuTTY public key: " + err.Error(), material: material, complete: true}
	}
	if pub.Type() != alg {
		return nil, 0, &blockError{reason: "PuTTY: header and public key disagree on the algorithm", material: material, complete: true}
	}
	if strings.HasPrefix(alg, "sk-") {
		return nil, 0, errSecurityKey
	}
	cp, ok := pub.(ssh.CryptoPublicKey)
	if !ok {
		return nil, 0, fmt.Errorf("PuTTY: key type %s", alg)
	}
	if err := k.setPublic(cp.CryptoPublicKey()); err != nil {
		return nil, 0, err
	}
	k.Comment = printable(fields["Comment"])
	switch enc := fields["Encryption"]; enc {
	case "none":
		if version != "1" {
			if err := checkPuTTYMAC(version, alg, enc, fields["Comment"], pubBlob, privBlob, mac); err != nil {
				return nil, 0, &blockError{reason: err.Error(), material: material, complete: true}
			}
		}
	case "aes256-cbc":
		if len(privBlob)%16 != 0 {
			return nil, 0, errors.New("PuTTY: encrypted private lines of impossible length")
		}
		k.Encrypted = true
		k.Cipher = enc
		if kdf := fields["Key-Derivation"]; kdf != "" {
			k.Cipher += "/" + kdf
		}
	default:
		return nil, 0, fmt.Errorf("PuTTY: unknown encryption %q", enc)
	}
	return k, lines.pos, nil
}

// checkPuTTYMAC verifies the MAC of an unencrypted .ppk file. Version 2
// keys HMAC-SHA-1 with SHA-1("putty-private-key-file-mac-key"); version 3
// uses HMAC-SHA-256 with an empty key when there is no passphrase.
func checkPuTTYMAC(version, alg, enc, comment string, pub, priv []byte, mac string) error {
	want, err := hex.DecodeString(mac)
	if err != nil {
		return errors.New("PuTTY: MAC is not hex")
	}
	var m hash.Hash
	if version == "2" {
		key := sha1.Sum([]byte("putty-private-key-file-mac-key"))
		m = hmac.New(sha1.New, key[:])
	} else {
		m = hmac.New(sha256.New, nil)
	}
	for _, f := range [][]byte{[]byte(alg), []byte(enc), []byte(comment), pub, priv} {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(f)))
		m.Write(n[:])
		m.Write(f)
	}
	if !hmac.Equal(m.Sum(nil), want) {
		return errors.New("PuTTY: MAC does not verify (file edited or corrupt)")
	}
	return nil
}

// readPuTTYBlob reads count lines of base64.
func readPuTTYBlob(lines *lineReader, count string) ([]byte, error) {
	n, err := strconv.Atoi(count)
	if err != nil || n < 1 || n > maxPuTTYLines {
		return nil, errors.New("bad line count")
	}
	var b64 strings.Builder
	for range n {
		l, ok := lines.next()
		if !ok {
			return nil, errors.New("file ends inside the key")
		}
		b64.WriteString(l)
	}
	return base64.StdEncoding.DecodeString(b64.String())
}

// lineReader hands out lines without their CR/LF, tracking how far it got.
type lineReader struct {
	b    []byte
	pos  int
	done bool // a NUL ended the text
}

func newLineReader(b []byte) *lineReader { return &lineReader{b: b} }

// next returns the next line. A line also ends at a NUL byte, which is how
// a key stored as a C string inside a binary ends.
func (r *lineReader) next() (string, bool) {
	if r.done || r.pos >= len(r.b) {
		return "", false
	}
	rest := r.b[r.pos:]
	i := bytes.IndexAny(rest, "\n\x00")
	if i < 0 {
		r.pos = len(r.b)
		return strings.TrimRight(string(rest), "\r"), true
	}
	r.pos += i + 1
	if rest[i] == 0 {
		r.done = true // nothing after the terminator belongs to the key
	}
	return strings.TrimRight(string(rest[:i]), "\r"), true
}
