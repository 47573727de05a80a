package privatekey

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
)

// PKCS#12 (.p12, .pfx) key stores. They are recognised by their ASN.1
// structure, never by name: a PFX is SEQUENCE { INTEGER 3, ContentInfo {
// OID data, [0] ... }, MacData }. doorman reads the structure itself rather
// than through a PKCS#12 library so that it controls the work done on a
// hostile file: every iteration count is checked before a password is
// tried, and only the parts needed to find keys are decrypted.

// pkcs12DataOID is the DER of the PKCS#7 "data" content type OID (with its
// tag and length), which follows the version in every PFX header; it is
// the keyword that brings a PFX to the analyzer.
const pkcs12DataOID = "\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x01"

// maxPFXSize bounds the key stores doorman examines; real ones with a
// certificate chain are a few KiB.
const maxPFXSize = 1 << 20

var (
	oidDataContentType          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidEncryptedDataContentType = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 6}
	oidKeyBag                   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 1}
	oidShroudedKeyBag           = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 2}
	oidCertBag                  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 3}
)

type pfxPDU struct {
	Version  int
	AuthSafe contentInfo
	MacData  macData `asn1:"optional"`
}

type contentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"tag:0,explicit,optional"`
}

type macData struct {
	Mac        digestInfo
	MacSalt    []byte
	Iterations int `asn1:"optional,default:1"`
}

type digestInfo struct {
	Algorithm pkix.AlgorithmIdentifier
	Digest    []byte
}

type encryptedData struct {
	Version int
	Info    struct {
		ContentType asn1.ObjectIdentifier
		Algorithm   pkix.AlgorithmIdentifier
		Content     []byte `asn1:"tag:0,optional"`
	}
}

type safeBag struct {
	ID         asn1.ObjectIdentifier
	Value      asn1.RawValue `asn1:"tag:0,explicit"`
	Attributes asn1.RawValue `asn1:"optional"`
}

// Store is what doorman learned about one PKCS#12 key store.
type Store struct {
	// Keys are the private keys read from the store: those stored without
	// encryption and those a default password opened.
	Keys []*Key
	// LockedKeys counts key bags whose encryption no default password
	// opened.
	LockedKeys int
	// HiddenParts counts encrypted parts of the store not read (no default
	// password, or a scheme doorman does not decrypt, such as RC2): they
	// may hold keys.
	HiddenParts int
	// Certificates counts the certificate bags seen.
	Certificates int
	// Password is the default password that opened the store's MAC, nil
	// when none did or the store has no MAC.
	Password *string
	// Cipher names the encryption of the first locked part.
	Cipher string
}

// pfxHeader reports whether b, at its start, is the header of a PFX:
// SEQUENCE, INTEGER 3, SEQUENCE, OID data. It returns the PFX's total
// length.
func pfxHeader(b []byte) (total int, ok bool) {
	if len(b) < 4 || b[0] != 0x30 {
		return 0, false
	}
	n, l, ok := derLength(b[1:])
	if !ok {
		return 0, false
	}
	p := 1 + l
	if len(b) < p+4 || string(b[p:p+3]) != "\x02\x01\x03" || b[p+3] != 0x30 {
		return 0, false
	}
	_, l2, ok := derLength(b[p+4:])
	if !ok {
		return 0, false
	}
	q := p + 4 + l2
	if len(b) < q+len(pkcs12DataOID) || string(b[q:q+len(pkcs12DataOID)]) != pkcs12DataOID {
		return 0, false
	}
	return 1 + l + n, true
}

// pfxStart finds, from the offset of a data-OID keyword hit, where the PFX
// that contains it would start: the OID follows "30 L 02 01 03 30 L"
// where each L takes one to four bytes. before holds the bytes that
// precede the hit (at most 16).
func pfxStart(before []byte) (back int, ok bool) {
	for l2 := 1; l2 <= 4; l2++ {
		for l1 := 1; l1 <= 4; l1++ {
			back = 1 + l1 + 3 + 1 + l2
			if back > len(before) {
				continue
			}
			if _, ok := pfxHeader(append(before[len(before)-back:len(before):len(before)], []byte(pkcs12DataOID)...)); ok {
				return back, true
			}
		}
	}
	return 0, false
}

// parsePKCS12 reads a PFX and tries the default passwords on it.
func parsePKCS12(der []byte, b *budget) (*Store, error) {
	var pfx pfxPDU
	if err := unmarshalAll(der, &pfx); err != nil {
		return nil, fmt.Errorf("PKCS#12: %w", err)
	}
	if pfx.Version != 3 || !pfx.AuthSafe.ContentType.Equal(oidDataContentType) {
		return nil, errors.New("PKCS#12: not a password-integrity PFX version 3")
	}
	var content []byte
	if err := unmarshalAll(pfx.AuthSafe.Content.Bytes, &content); err != nil {
		return nil, fmt.Errorf("PKCS#12 auth safe: %w", err)
	}
	var safe []contentInfo
	if err := unmarshalAll(content, &safe); err != nil {
		return nil, fmt.Errorf("PKCS#12 auth safe: %w", err)
	}
	st := &Store{}
	// Passwords to decrypt with: the one that opens the MAC, or when the
	// store has no MAC (or one doorman cannot check), every default.
	passwords := DefaultPasswords
	if len(pfx.MacData.Mac.Algorithm.Algorithm) > 0 {
		pw, err := macPassword(&pfx.MacData, content, b)
		switch {
		case err != nil:
			// Unknown MAC scheme or too many iterations: fall back to
			// trying the defaults on each encrypted part, whose own
			// iteration counts are checked.
		case pw == nil:
			passwords = nil
		default:
			st.Password = pw
			passwords = []string{*pw}
		}
	}
	for _, ci := range safe {
		switch {
		case ci.ContentType.Equal(oidDataContentType):
			var bags []byte
			if err := unmarshalAll(ci.Content.Bytes, &bags); err != nil {
				return nil, fmt.Errorf("PKCS#12 safe contents: %w", err)
			}
			if err := st.readBags(bags, passwords, b); err != nil {
				return nil, err
			}
		case ci.ContentType.Equal(oidEncryptedDataContentType):
			var ed encryptedData
			if err := unmarshalAll(ci.Content.Bytes, &ed); err != nil {
				return nil, fmt.Errorf("PKCS#12 encrypted data: %w", err)
			}
			p, err := parsePBE(ed.Info.Algorithm)
			if err != nil {
				return nil, fmt.Errorf("PKCS#12 encrypted data: %w", err)
			}
			plain, _ := tryDecrypt(p, ed.Info.Content, passwords, b, func(plain []byte) bool {
				var bags []safeBag
				return unmarshalAll(plain, &bags) == nil
			})
			if plain == nil {
				st.HiddenParts++
				if st.Cipher == "" {
					st.Cipher = p.name
				}
				continue
			}
			if err := st.readBags(plain, passwords, b); err != nil {
				return nil, err
			}
		default:
			st.HiddenParts++ // enveloped data: public-key encrypted, not guessable
		}
	}
	return st, nil
}

// macPassword returns the default password that opens the PFX's MAC, nil
// when none does. Empty passwords are written two ways in the wild (a
// two-byte terminator or nothing at all): both are tried.
func macPassword(m *macData, content []byte, b *budget) (*string, error) {
	for _, pw := range DefaultPasswords {
		if !b.spend(m.Iterations) {
			return nil, errUnsupportedScheme // out of budget: treat as unknown
		}
		encodings := [][]byte{bmpPassword(pw)}
		if pw == "" {
			encodings = append(encodings, nil)
		}
		for _, enc := range encodings {
			ok, err := pkcs12MAC(m.Mac.Algorithm.Algorithm, m.MacSalt, m.Iterations, enc, content, m.Mac.Digest)
			if err != nil {
				return nil, err
			}
			if ok {
				pw := pw
				return &pw, nil
			}
		}
	}
	return nil, nil
}

// readBags reads one SafeContents: plain key bags are keys, shrouded key
// bags are tried with the passwords.
func (st *Store) readBags(der []byte, passwords []string, b *budget) error {
	var bags []safeBag
	if err := unmarshalAll(der, &bags); err != nil {
		return fmt.Errorf("PKCS#12 bags: %w", err)
	}
	for _, bag := range bags {
		switch {
		case bag.ID.Equal(oidCertBag):
			st.Certificates++
		case bag.ID.Equal(oidKeyBag):
			k, err := parsePKCS8(bag.Value.Bytes)
			if err != nil {
				return fmt.Errorf("PKCS#12 key bag: %w", err)
			}
			k.Format, k.Marker = "PKCS#12", "PKCS#12 key store"
			// A plain key bag in a store whose MAC opened with a default
			// password, or that has none, is as good as unencrypted.
			st.Keys = append(st.Keys, k)
		case bag.ID.Equal(oidShroudedKeyBag):
			var e encryptedPKCS8
			if err := unmarshalAll(bag.Value.Bytes, &e); err != nil {
				return fmt.Errorf("PKCS#12 shrouded key bag: %w", err)
			}
			p, err := parsePBE(e.Algo)
			if err != nil {
				return fmt.Errorf("PKCS#12 shrouded key bag: %w", err)
			}
			var key *Key
			plain, pw := tryDecrypt(p, e.Data, passwords, b, func(plain []byte) bool {
				k, err := parsePKCS8(plain)
				key = k
				return err == nil
			})
			if plain == nil {
				st.LockedKeys++
				if st.Cipher == "" {
					st.Cipher = p.name
				}
				continue
			}
			key.Format, key.Marker, key.Encrypted, key.Cipher, key.DefaultPassword = "PKCS#12", "PKCS#12 key store", true, p.name, pw
			st.Keys = append(st.Keys, key)
		}
	}
	return nil
}

// tryDecrypt decrypts data with each password in turn and returns the
// first plaintext that valid accepts, with its password.
func tryDecrypt(p *pbe, data []byte, passwords []string, b *budget, valid func([]byte) bool) ([]byte, *string) {
	if !p.tryable() {
		return nil, nil
	}
	for _, pw := range passwords {
		if !b.spend(p.iterations) {
			return nil, nil
		}
		plain, err := p.decrypt(pw, data)
		if err == nil && valid(plain) {
			pw := pw
			return plain, &pw
		}
	}
	return nil, nil
}
