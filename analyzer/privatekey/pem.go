package privatekey

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
)

const (
	pemBegin = "-----BEGIN "
	pemDash  = "-----"
	// maxLabel bounds the PEM label ("ENCRYPTED PRIVATE KEY" is 21).
	maxLabel = 40
)

// blockError is a PEM block, PuTTY file or key store that looks like key
// material but does not parse. Material counts the base64 characters of
// key body seen before parsing stopped: a block with almost none is a
// template or a parser's constant (quiet), one with lines of it is a
// truncated or corrupt key (worth a low finding).
type blockError struct {
	reason   string
	material int
	// complete is set when the structure around the key is whole (a PuTTY
	// file with its key lines and MAC): broken then, not a template,
	// however short the key.
	complete bool
}

func (e *blockError) Error() string { return e.reason }

// reportable reports whether the block is a broken key rather than a
// mention of the format.
func (e *blockError) reportable() bool { return e.complete || e.material >= minMaterial }

// pemLabel returns the label of the PEM BEGIN line that starts w, or ""
// when w does not start with one ending in "PRIVATE KEY".
func pemLabel(w []byte) string {
	if !bytes.HasPrefix(w, []byte(pemBegin)) {
		return ""
	}
	rest := w[len(pemBegin):]
	i := bytes.Index(rest[:min(len(rest), maxLabel+len(pemDash))], []byte(pemDash))
	if i < 0 {
		return ""
	}
	label := string(rest[:i])
	for _, c := range label {
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != ' ' {
			return ""
		}
	}
	if !strings.HasSuffix(label, "PRIVATE KEY") {
		return ""
	}
	return label
}

// parsePEM parses the PEM private-key block that starts at the beginning
// of w and returns the key and the number of bytes of w the block
// occupies. When no key comes out, only the BEGIN line is claimed: a
// parser's constant or a truncated block must not hide a real key that
// follows it.
//
// Keys are not only stored as clean PEM files: they are pasted into JSON
// ("\n" escapes), YAML (indented), and source code as string literals,
// one quoted line at a time. parsePEM reads all of these, by taking each
// body line's base64 out of its quoting; whatever is read must then parse
// as a key, so the leniency cannot invent one.
func parsePEM(w []byte, b *budget) (*Key, int, error) {
	label := pemLabel(w)
	if label == "" {
		return nil, 0, &blockError{reason: "not a PEM private key"}
	}
	marker := pemBegin + label + pemDash
	rest := w[len(marker):]
	endMarker := []byte("-----END " + label + pemDash)
	body, consumed := rest, len(marker)
	truncated := false
	if i := bytes.Index(rest, endMarker); i >= 0 {
		body, consumed = rest[:i], len(marker)+i+len(endMarker)
	} else {
		truncated = true
		if j := bytes.IndexByte(rest, 0); j >= 0 {
			body = rest[:j]
		}
	}
	headers, b64, material, clean := pemBody(body)
	switch {
	case truncated:
		return nil, len(marker), &blockError{reason: "no END line (truncated key)", material: material}
	case !clean:
		return nil, len(marker), &blockError{reason: "the block holds something other than base64", material: material}
	case material == 0:
		return nil, len(marker), &blockError{reason: "empty key body"}
	}
	der, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		der, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(b64, "="))
	}
	if err != nil {
		return nil, len(marker), &blockError{reason: "the body is not valid base64", material: material}
	}
	k, err := parsePEMKey(label, headers, der, b)
	if err != nil {
		if errors.Is(err, errSecurityKey) {
			return nil, consumed, err
		}
		return nil, len(marker), &blockError{reason: err.Error(), material: material}
	}
	k.Marker = marker
	return k, consumed, nil
}

// pemBody extracts the headers and the base64 of a PEM body in any of the
// quotings parsePEM accepts. clean is false when a line that is neither a
// header nor base64 was met.
func pemBody(body []byte) (headers map[string]string, b64 string, material int, clean bool) {
	headers = map[string]string{}
	var sb strings.Builder
	inBase64 := false
	for line := range strings.SplitSeq(unescapeNewlines(body), "\n") {
		t := stripLiteral(line)
		if t == "" {
			continue
		}
		if !inBase64 {
			if name, value, ok := strings.Cut(t, ":"); ok && isHeaderName(name) {
				headers[name] = strings.TrimSpace(value)
				continue
			}
		}
		if !isBase64(t) {
			return headers, sb.String(), material, false
		}
		inBase64 = true
		sb.WriteString(t)
		material += len(t)
	}
	return headers, sb.String(), material, true
}

// unescapeNewlines turns the escapes "\n" and "\r" of string literals and
// JSON (also doubly escaped, "\\n") into real line breaks.
func unescapeNewlines(b []byte) string {
	if !bytes.Contains(b, []byte{'\\'}) {
		return string(b)
	}
	var sb strings.Builder
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' {
			sb.WriteByte(b[i])
			continue
		}
		j := i
		for j < len(b) && b[j] == '\\' {
			j++
		}
		if j < len(b) && (b[j] == 'n' || b[j] == 'r') {
			sb.WriteByte('\n')
			i = j
			continue
		}
		sb.Write(b[i:j])
		i = j - 1
	}
	return sb.String()
}

// stripLiteral removes from one line the syntax that source code puts
// around a piece of string: indentation, quotes, "+" concatenation,
// trailing commas, semicolons and line continuations. A base64 line keeps
// its own "+" characters: only a "+" next to a quote or standing alone is
// syntax (a real base64 line is never a lone "+": lines are multiples of
// four characters).
func stripLiteral(line string) string {
	const quotes = "\"'`"
	t := line
	for {
		before := t
		t = strings.TrimSpace(t)
		t = strings.TrimRight(t, ",;\\")
		t = strings.TrimSpace(t)
		if strings.HasSuffix(t, "+") {
			if u := strings.TrimSpace(t[:len(t)-1]); u == "" || strings.ContainsAny(u[len(u)-1:], quotes) {
				t = u
			}
		}
		if strings.HasPrefix(t, "+") {
			if u := strings.TrimSpace(t[1:]); u == "" || strings.ContainsAny(u[:1], quotes) {
				t = u
			}
		}
		t = strings.Trim(t, quotes)
		if t == before {
			return t
		}
	}
}

func isHeaderName(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for _, c := range s {
		if (c < 'A' || c > 'Z') && (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

func isBase64(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'A' || c > 'Z') && (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '+' && c != '/' && c != '=' {
			return false
		}
	}
	return true
}

// parsePEMKey parses the decoded body of a PEM block by its label.
func parsePEMKey(label string, headers map[string]string, der []byte, b *budget) (*Key, error) {
	if strings.Contains(headers["Proc-Type"], "ENCRYPTED") {
		return parseLegacyEncrypted(label, headers, der, b)
	}
	var (
		k   *Key
		err error
	)
	switch label {
	case "RSA PRIVATE KEY":
		k, err = parsePKCS1(der)
	case "EC PRIVATE KEY":
		k, err = parseSEC1(der)
	case "DSA PRIVATE KEY":
		k, err = parseDSATraditional(der)
	case "PRIVATE KEY":
		k, err = parsePKCS8(der)
	case "ENCRYPTED PRIVATE KEY":
		k, err = parseEncryptedPKCS8(der, b)
	case "OPENSSH PRIVATE KEY":
		k, err = parseOpenSSH(der)
	default:
		// Non-standard labels ("ANY PRIVATE KEY", "ED25519 PRIVATE KEY")
		// hold one of the standard encodings.
		for _, parse := range []func([]byte) (*Key, error){parsePKCS8, parsePKCS1, parseSEC1} {
			if k, err = parse(der); err == nil {
				break
			}
		}
	}
	if err != nil {
		return nil, err
	}
	if k.Format != "OpenSSH" { // OpenSSH keys only exist in this armour
		k.Format += " PEM"
	}
	return k, nil
}

// legacyCiphers are the DEK-Info ciphers of OpenSSL's traditional
// encrypted PEM, with their block sizes.
var legacyCiphers = map[string]int{"DES-CBC": 8, "DES-EDE3-CBC": 8, "AES-128-CBC": 16, "AES-192-CBC": 16, "AES-256-CBC": 16}

// parseLegacyEncrypted checks a "Proc-Type: 4,ENCRYPTED" block and tries
// the default passphrases on it. Without one, the key's public half is
// unknown: the whole structure is encrypted.
func parseLegacyEncrypted(label string, headers map[string]string, der []byte, b *budget) (*Key, error) {
	cipherName, ivHex, ok := strings.Cut(headers["DEK-Info"], ",")
	bs, known := legacyCiphers[cipherName]
	if !ok || !known {
		return nil, fmt.Errorf("encrypted PEM with unknown DEK-Info %q", headers["DEK-Info"])
	}
	if iv, err := hex.DecodeString(strings.TrimSpace(ivHex)); err != nil || len(iv) != bs {
		return nil, errors.New("encrypted PEM with a bad IV")
	}
	if len(der) == 0 || len(der)%bs != 0 {
		return nil, errors.New("encrypted PEM of impossible length")
	}
	block := &pem.Block{Type: label, Headers: headers, Bytes: der}
	for _, pw := range DefaultPasswords {
		if !b.spend(1) { // one MD5 round per try
			break
		}
		//lint:ignore SA1019 legacy PEM encryption is insecure by design, which is the point: this reads shipped files to find default passphrases, it never protects anything.
		plain, err := x509.DecryptPEMBlock(block, []byte(pw))
		if err != nil {
			continue
		}
		k, err := parsePEMKey(label, nil, plain, nil)
		if err != nil {
			continue // padding alone lets a wrong passphrase through now and then
		}
		pw := pw
		k.Format = "encrypted " + k.Format
		k.Encrypted, k.Cipher, k.DefaultPassword = true, cipherName, &pw
		return k, nil
	}
	alg := map[string]string{"RSA PRIVATE KEY": "RSA", "EC PRIVATE KEY": "ECDSA", "DSA PRIVATE KEY": "DSA"}[label]
	return &Key{Format: "encrypted PEM", Algorithm: alg, Encrypted: true, Cipher: cipherName}, nil
}
