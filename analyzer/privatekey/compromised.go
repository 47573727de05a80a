package privatekey

import (
	"bufio"
	_ "embed" // the compromised-keys list
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
)

// compromisedTSV lists public keys whose private halves are public because
// vendors shipped them (SEC Consult's House of Keys, Rapid7's ssh-badkeys);
// its header comment names the sources and the date it was built. It is a
// copy of shared/data/compromised-keys.tsv.
//
//go:embed compromised-keys.tsv
var compromisedTSV string

// Compromised is one key of the list: its private half is known to anyone.
type Compromised struct {
	SPKISHA256     string
	SSHFingerprint string
	// Kinds are the list's kinds for the key ("ssh-host-key",
	// "embedded-tls-or-host-key", ...): a key can be listed several times.
	Kinds []string
	// Products are the products (or key names, for ssh-badkeys) that
	// shipped the key, in list order without repeats.
	Products   []string
	References []string
}

// Table is a compromised-keys list indexed by SPKI SHA-256 and by OpenSSH
// fingerprint. Rows for the same key are merged.
type Table struct {
	// Header holds the list's comment lines (sources, date).
	Header  []string
	bySPKI  map[string]*Compromised
	bySSH   map[string]*Compromised
	entries []*Compromised
}

var (
	hexSHA256 = regexp.MustCompile(`^[0-9a-f]{64}$`)
	sshSHA256 = regexp.MustCompile(`^SHA256:[A-Za-z0-9+/]{43}$`)
)

// ParseTable reads a list in the format of compromised-keys.tsv: comment
// lines starting with "#", a header row, then tab-separated rows of
// spki_sha256, ssh_fingerprint, kind, products ("; "-separated) and
// reference. Each row needs at least one of the two fingerprints.
func ParseTable(r io.Reader) (*Table, error) {
	t := &Table{bySPKI: map[string]*Compromised{}, bySSH: map[string]*Compromised{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	line, sawHeader := 0, false
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		switch {
		case strings.HasPrefix(text, "#"):
			t.Header = append(t.Header, strings.TrimSpace(strings.TrimPrefix(text, "#")))
			continue
		case strings.TrimSpace(text) == "":
			continue
		case !sawHeader:
			if !strings.HasPrefix(text, "spki_sha256\t") {
				return nil, fmt.Errorf("line %d: expected the header row, got %.60q", line, text)
			}
			sawHeader = true
			continue
		}
		f := strings.Split(text, "\t")
		if len(f) != 5 {
			return nil, fmt.Errorf("line %d: %d fields, want 5", line, len(f))
		}
		spki, fp := strings.ToLower(strings.TrimSpace(f[0])), strings.TrimSpace(f[1])
		if spki == "" && fp == "" {
			return nil, fmt.Errorf("line %d: no fingerprint", line)
		}
		if spki != "" && !hexSHA256.MatchString(spki) {
			return nil, fmt.Errorf("line %d: bad spki_sha256 %q", line, spki)
		}
		if fp != "" && !sshSHA256.MatchString(fp) {
			return nil, fmt.Errorf("line %d: bad ssh_fingerprint %q", line, fp)
		}
		t.add(spki, fp, strings.TrimSpace(f[2]), strings.TrimSpace(f[3]), strings.TrimSpace(f[4]))
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if !sawHeader {
		return nil, fmt.Errorf("no header row")
	}
	return t, nil
}

// add merges one row into the entry of its key, creating it if needed.
func (t *Table) add(spki, fp, kind, products, ref string) {
	var c *Compromised
	if spki != "" {
		c = t.bySPKI[spki]
	}
	if c == nil && fp != "" {
		c = t.bySSH[fp]
	}
	if c == nil {
		c = &Compromised{}
		t.entries = append(t.entries, c)
	}
	if c.SPKISHA256 == "" && spki != "" {
		c.SPKISHA256 = spki
		t.bySPKI[spki] = c
	}
	if c.SSHFingerprint == "" && fp != "" {
		c.SSHFingerprint = fp
		t.bySSH[fp] = c
	}
	c.Kinds = appendNew(c.Kinds, kind)
	for p := range strings.SplitSeq(products, ";") {
		c.Products = appendNew(c.Products, strings.TrimSpace(p))
	}
	c.References = appendNew(c.References, ref)
}

func appendNew(list []string, s string) []string {
	if s == "" {
		return list
	}
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// Len returns the number of distinct keys in the table.
func (t *Table) Len() int { return len(t.entries) }

// Lookup returns the list entry of a key, matched by SPKI SHA-256 or, for
// keys whose SPKI is unknown to the list, by OpenSSH fingerprint.
func (t *Table) Lookup(k *Key) (*Compromised, bool) {
	if t == nil || k == nil {
		return nil, false
	}
	if c, ok := t.bySPKI[k.SPKISHA256]; ok && k.SPKISHA256 != "" {
		return c, true
	}
	if c, ok := t.bySSH[k.SSHFingerprint]; ok && k.SSHFingerprint != "" {
		return c, true
	}
	return nil, false
}

// DefaultTable returns the embedded list, parsed once.
var DefaultTable = sync.OnceValue(func() *Table {
	t, err := ParseTable(strings.NewReader(compromisedTSV))
	if err != nil {
		// The list is part of the binary and checked by the tests: a parse
		// error is a build defect, not something a scan can recover from.
		panic("privatekey: embedded compromised-keys.tsv: " + err.Error())
	}
	return t
})

// productSummary names up to max products, saying how many more there are.
func productSummary(products []string, max int) string {
	if len(products) <= max {
		return strings.Join(products, "; ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(products[:max], "; "), len(products)-max)
}
