package privatekey

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
)

// Finding keys in an entry from the engine's keyword hits. Each keyword
// marks where one encoding can start; the code here walks back to the
// encoding's real start where needed, reads a bounded window with ReadAt
// and parses it. Everything works on offsets, so keys inside ELF files,
// raw flash dumps and huge images are found the same way as key files.

// window is how much is read from the start of a candidate key: a
// 16384-bit RSA key in PEM is about 12.5 KiB.
const window = 16 << 10

// maxCandidates bounds the candidates parsed in one entry, so a file made
// of repeated key headers costs bounded time.
const maxCandidates = 512

// reader is the part of analyzer.Pass that locating needs, so the fuzz
// test can run the same code on a byte slice.
type reader interface {
	ReadAt(off int64, n int) []byte
}

// recoverPanics is turned off by the fuzz test, so that a panic in a
// parser shows up there instead of being absorbed.
var recoverPanics = true

// kind says what a keyword marks.
type kind int

const (
	kindPEM kind = iota
	kindPuTTY
	kindPFX
	kindDropbear
	kindPKCS1     // "02 01 00 02 .." : version then modulus
	kindPKCS8RSA  // rsaEncryption OID, NULL, then OCTET STRING (not SPKI's BIT STRING)
	kindPKCS8EC   // id-ecPublicKey OID then a curve OID
	kindPKCS8Edwd // AlgorithmIdentifier of Ed25519/X25519 then OCTET STRING
	kindSEC1      // [0] curve OID of an ECPrivateKey
)

type keyword struct {
	text string
	kind kind
}

// keywords are the literals the engine looks for. The DER ones are chosen
// so that public keys and certificates, which share most of the bytes of
// private keys, do not match.
var keywords = []keyword{
	{"PRIVATE KEY-----", kindPEM},
	{puttyMagic, kindPuTTY},
	{pkcs12DataOID, kindPFX},
	{dropbearPrefixes[0], kindDropbear},
	{dropbearPrefixes[1], kindDropbear},
	{dropbearPrefixes[2], kindDropbear},
	{dropbearPrefixes[3], kindDropbear},
	{"\x02\x01\x00\x02\x82", kindPKCS1}, // modulus of 2048 bits and more
	{"\x02\x01\x00\x02\x81\x81", kindPKCS1},
	{"\x02\x01\x00\x02\x41\x00", kindPKCS1}, // 512 bits: old devices
	{"\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01\x05\x00\x04", kindPKCS8RSA},
	{"\x06\x07\x2a\x86\x48\xce\x3d\x02\x01\x06", kindPKCS8EC},
	{"\x30\x05\x06\x03\x2b\x65\x70\x04", kindPKCS8Edwd},
	{"\x30\x05\x06\x03\x2b\x65\x6e\x04", kindPKCS8Edwd},
	{"\xa0\x0a\x06\x08\x2a\x86\x48\xce\x3d\x03\x01\x07", kindSEC1}, // P-256
	{"\xa0\x07\x06\x05\x2b\x81\x04\x00\x22", kindSEC1},             // P-384
	{"\xa0\x07\x06\x05\x2b\x81\x04\x00\x23", kindSEC1},             // P-521
}

func keywordTexts() []string {
	out := make([]string, len(keywords))
	for i, k := range keywords {
		out[i] = k.text
	}
	return out
}

// hit is a keyword occurrence.
type hit struct {
	kind kind
	off  int64
}

// occurrence is one thing found: a key (Key set), a key store (Store set)
// or a key-like block that does not parse (Err set).
type occurrence struct {
	off   int64 // where it starts
	end   int64
	key   *Key
	store *Store
	err   error
	// marker introduces the occurrence in evidence when key is nil.
	marker string
}

// locate parses every candidate the hits point at. Candidates inside a
// region already claimed by an earlier one (the PKCS#1 key inside a
// PKCS#8 one, the END line of a PEM block) are skipped.
func locate(r reader, hits []hit) []occurrence {
	b := newBudget()
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].off < hits[j].off })
	var out []occurrence
	claimedTo := int64(-1) // candidates start in order, so one bound suffices
	tried := 0
	for _, h := range hits {
		if h.off < claimedTo {
			continue
		}
		if tried >= maxCandidates {
			break
		}
		o, ok := candidate(r, h, b)
		if !ok {
			continue
		}
		tried++
		if o.off < claimedTo {
			continue // walked back into a region already reported
		}
		out = append(out, o)
		claimedTo = max(claimedTo, o.end)
	}
	return out
}

// candidate examines one hit. ok is false when the hit is not the start
// of anything (the END line of a PEM block, a certificate's public key).
func candidate(r reader, h hit, b *budget) (o occurrence, ok bool) {
	if recoverPanics {
		defer func() {
			// The parsers come from several libraries and read hostile
			// bytes: a panic in one must cost this candidate, not the
			// whole entry.
			if p := recover(); p != nil {
				o, ok = occurrence{}, false
			}
		}()
	}
	switch h.kind {
	case kindPEM:
		return pemCandidate(r, h.off, b)
	case kindPuTTY:
		if h.off > 0 {
			if prev := r.ReadAt(h.off-1, 1); len(prev) == 1 && prev[0] != '\n' && prev[0] != 0 {
				return o, false // not at the start of a line
			}
		}
		k, n, err := parsePuTTY(r.ReadAt(h.off, window))
		return occurrence{off: h.off, end: h.off + int64(max(n, 1)), key: k, err: err, marker: puttyMagic}, true
	case kindPFX:
		return pfxCandidate(r, h.off, b)
	case kindDropbear:
		k, n, err := parseDropbear(r.ReadAt(h.off, window))
		if err != nil {
			return o, false // a public-key blob or protocol bytes
		}
		return occurrence{off: h.off, end: h.off + int64(n), key: k}, true
	default:
		return derCandidate(r, h)
	}
}

func pemCandidate(r reader, hitOff int64, b *budget) (occurrence, bool) {
	back := int64(len(pemBegin) + maxLabel)
	start := max(0, hitOff-back)
	pre := r.ReadAt(start, int(hitOff-start))
	i := bytes.LastIndex(pre, []byte(pemBegin))
	if i < 0 || bytes.Contains(pre[i:], []byte(pemDash+"END")) {
		return occurrence{}, false
	}
	begin := start + int64(i)
	w := r.ReadAt(begin, window)
	label := pemLabel(w)
	if label == "" {
		return occurrence{}, false
	}
	k, n, err := parsePEM(w, b)
	if k != nil {
		k.Marker = pemBegin + label + pemDash
	}
	return occurrence{off: begin, end: begin + int64(max(n, 1)), key: k, err: err, marker: pemBegin + label + pemDash}, true
}

func pfxCandidate(r reader, hitOff int64, b *budget) (occurrence, bool) {
	start := max(0, hitOff-16)
	back, ok := pfxStart(r.ReadAt(start, int(hitOff-start)))
	if !ok {
		return occurrence{}, false
	}
	begin := hitOff - int64(back)
	total, ok := pfxHeader(r.ReadAt(begin, 32))
	if !ok {
		return occurrence{}, false
	}
	o := occurrence{off: begin, end: begin + int64(total), marker: "PKCS#12 key store"}
	if total > maxPFXSize {
		o.err = fmt.Errorf("PKCS#12 key store of %d bytes, larger than the %d examined", total, maxPFXSize)
		return o, true
	}
	data := r.ReadAt(begin, total)
	if len(data) < total {
		o.err = errors.New("truncated PKCS#12 key store")
		return o, true
	}
	o.store, o.err = parsePKCS12(data, b)
	return o, true
}

// derCandidate finds the SEQUENCE that starts a DER key around a hit and
// parses exactly that many bytes.
func derCandidate(r reader, h hit) (occurrence, bool) {
	const before = 96
	start := max(0, h.off-before)
	pre := r.ReadAt(start, int(h.off-start))
	head := r.ReadAt(h.off, 16)
	b := append(append([]byte{}, pre...), head...)
	at := len(pre) // the hit's index in b
	// version is where the key's "INTEGER version" lies in b.
	version := -1
	switch h.kind {
	case kindPKCS1:
		version = at
	case kindPKCS8RSA, kindPKCS8EC:
		if at >= 5 && b[at-2] == 0x30 && isVersion(b[at-5:at-2]) {
			version = at - 5
		}
	case kindPKCS8Edwd:
		if at >= 3 && isVersion(b[at-3:at]) {
			version = at - 3
		}
	case kindSEC1:
		// ECPrivateKey: SEQUENCE { INTEGER 1, OCTET STRING scalar, [0] curve }
		for l := 1; l <= 80 && at-l-5 >= 0; l++ {
			p := at - l
			if b[p-2] == 0x04 && int(b[p-1]) == l && string(b[p-5:p-2]) == "\x02\x01\x01" {
				version = p - 5
				break
			}
		}
	}
	if version < 0 {
		return occurrence{}, false
	}
	seq, total, ok := sequenceBefore(b, version)
	if !ok {
		return occurrence{}, false
	}
	off := start + int64(seq)
	der := r.ReadAt(off, total)
	if len(der) < total {
		return occurrence{}, false
	}
	var (
		k      *Key
		err    error
		marker string
	)
	switch h.kind {
	case kindPKCS1:
		marker = "DER RSA private key (PKCS#1)"
		k, err = parsePKCS1(der)
	case kindSEC1:
		marker = "DER EC private key (SEC1)"
		k, err = parseSEC1(der)
	default:
		marker = "DER private key (PKCS#8)"
		k, err = parsePKCS8(der)
	}
	if err != nil {
		// Raw DER has no marker a reader would recognise: a structure that
		// does not parse is just bytes, not a broken key worth reporting.
		return occurrence{}, false
	}
	k.Format += " DER"
	k.Marker = marker
	return occurrence{off: off, end: off + int64(total), key: k}, true
}

// isVersion reports whether b is "INTEGER 0" or "INTEGER 1".
func isVersion(b []byte) bool {
	return len(b) == 3 && b[0] == 0x02 && b[1] == 0x01 && b[2] <= 1
}

// sequenceBefore finds the SEQUENCE header that ends right before b[v]
// and returns where it starts and the total length of the SEQUENCE.
func sequenceBefore(b []byte, v int) (start, total int, ok bool) {
	for hdr := 2; hdr <= 4; hdr++ {
		s := v - hdr
		if s < 0 || b[s] != 0x30 {
			continue
		}
		n, l, ok := derLength(b[s+1:])
		if !ok || 1+l != hdr || n > window {
			continue
		}
		return s, hdr + n, true
	}
	return 0, 0, false
}

// ParseKey finds and parses the private keys in b, which may be a key
// file (PEM, PuTTY, PKCS#12, Dropbear, DER) or any blob with keys inside.
// It returns every key read; a key store may hold several, or none that
// doorman can open. The error is set when nothing was read and something
// that looked like a key did not parse. It runs the analyzer's own code
// and never panics on malformed input.
func ParseKey(b []byte) ([]*Key, error) {
	var keys []*Key
	var firstErr error
	for _, o := range locate(bytesReader(b), findHits(b)) {
		switch {
		case o.key != nil:
			keys = append(keys, o.key)
		case o.store != nil:
			keys = append(keys, o.store.Keys...)
		case o.err != nil && firstErr == nil:
			firstErr = o.err
		}
	}
	if len(keys) == 0 {
		if firstErr == nil {
			firstErr = errors.New("no private key found")
		}
		return nil, firstErr
	}
	return keys, nil
}

// findHits finds the keywords in b the way the engine does, for ParseKey
// and the tests.
func findHits(b []byte) []hit {
	var hits []hit
	for _, kw := range keywords {
		for off := 0; len(hits) < 100_000; {
			i := bytes.Index(b[off:], []byte(kw.text))
			if i < 0 {
				break
			}
			hits = append(hits, hit{kind: kw.kind, off: int64(off + i)})
			off += i + 1
		}
	}
	return hits
}

// bytesReader adapts a byte slice to reader.
type bytesReader []byte

func (b bytesReader) ReadAt(off int64, n int) []byte {
	if off < 0 || off >= int64(len(b)) || n <= 0 {
		return nil
	}
	return b[off:min(int64(len(b)), off+int64(n))]
}
