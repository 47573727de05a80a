package verifysource

import (
	_ "embed" // the pristine table
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Pristine is one upstream version of a build file as shipped by autoconf,
// automake, gettext, libtool, gnulib or autoconf-archive.
type Pristine struct {
	Kind    string // "m4" (a macro file) or "aux" (a build-aux helper script)
	Name    string // base name: "build-to-host.m4", "config.guess"
	Version string // the serial or scriptversion it claims, "" if none
	SHA256  string // of the content with normalised line endings
	Origin  string // where it comes from: "gettext 0.21 m4/po.m4"
	// Lines holds the distinct line hashes of the content (see LineHash),
	// so a modified copy can be measured against it without shipping the
	// text itself.
	Lines map[uint32]bool
}

// Table is the set of pristine build files doorman recognises.
type Table struct {
	// Header holds the table's comment lines: when it was generated and
	// from which package versions.
	Header []string
	byHash map[string][]*Pristine
	byName map[string][]*Pristine
}

// Lookup returns the pristine versions with exactly this content hash.
func (t *Table) Lookup(sha string) []*Pristine { return t.byHash[sha] }

// Versions returns the pristine versions of a file name.
func (t *Table) Versions(name string) []*Pristine { return t.byName[name] }

// Len is the number of versions in the table.
func (t *Table) Len() int {
	n := 0
	for _, v := range t.byName {
		n += len(v)
	}
	return n
}

// MaxVersion is the highest version claimed by a pristine copy of name.
func (t *Table) MaxVersion(name string) string {
	m := ""
	for _, p := range t.byName[name] {
		if p.Version != "" && (m == "" || CompareVersions(p.Version, m) > 0) {
			m = p.Version
		}
	}
	return m
}

//go:embed pristine.tsv
var pristineTSV string

var (
	tableOnce sync.Once
	table     *Table
	tableErr  error
)

// DefaultTable returns the embedded table, parsed on first use (a broken
// table must not stop the generator that rewrites it).
func DefaultTable() (*Table, error) {
	tableOnce.Do(func() { table, tableErr = ParseTable(pristineTSV) })
	return table, tableErr
}

// Table format: "#" comment lines, then one tab-separated row per version:
//
//	kind  name  version  sha256  origin  lines
//
// where lines is the base64 of the sorted distinct line hashes, 4 bytes
// big-endian each.
const tableColumns = 6

// maxTableRows bounds what ParseTable accepts; the generated table has a
// few thousand rows.
const maxTableRows = 100_000

// ParseTable reads a pristine table.
func ParseTable(s string) (*Table, error) {
	t := &Table{byHash: map[string][]*Pristine{}, byName: map[string][]*Pristine{}}
	rows := 0
	for n, line := range strings.Split(s, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "#") {
			t.Header = append(t.Header, strings.TrimSpace(strings.TrimPrefix(line, "#")))
			continue
		}
		if rows++; rows > maxTableRows {
			return nil, fmt.Errorf("pristine table: more than %d rows", maxTableRows)
		}
		f := strings.Split(line, "\t")
		if len(f) != tableColumns {
			return nil, fmt.Errorf("pristine table line %d: %d columns, want %d", n+1, len(f), tableColumns)
		}
		if f[0] != "m4" && f[0] != "aux" {
			return nil, fmt.Errorf("pristine table line %d: unknown kind %q", n+1, f[0])
		}
		if len(f[3]) != 64 || strings.Trim(f[3], "0123456789abcdef") != "" {
			return nil, fmt.Errorf("pristine table line %d: bad sha256", n+1)
		}
		if f[1] == "" || strings.Contains(f[1], "/") {
			return nil, fmt.Errorf("pristine table line %d: bad name %q", n+1, f[1])
		}
		raw, err := base64.StdEncoding.DecodeString(f[5])
		if err != nil || len(raw)%4 != 0 {
			return nil, fmt.Errorf("pristine table line %d: bad line hashes", n+1)
		}
		p := &Pristine{Kind: f[0], Name: f[1], Version: f[2], SHA256: f[3], Origin: f[4], Lines: make(map[uint32]bool, len(raw)/4)}
		for i := 0; i+4 <= len(raw); i += 4 {
			p.Lines[binary.BigEndian.Uint32(raw[i:])] = true
		}
		t.byHash[p.SHA256] = append(t.byHash[p.SHA256], p)
		t.byName[p.Name] = append(t.byName[p.Name], p)
	}
	if rows == 0 {
		return nil, errors.New("pristine table: no rows")
	}
	return t, nil
}

// FormatRow writes one table row (the generator's half of ParseTable).
func FormatRow(p *Pristine) string {
	hs := make([]uint32, 0, len(p.Lines))
	for h := range p.Lines {
		hs = append(hs, h)
	}
	slices.Sort(hs)
	raw := make([]byte, 4*len(hs))
	for i, h := range hs {
		binary.BigEndian.PutUint32(raw[4*i:], h)
	}
	clean := func(s string) string { return strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(s) }
	return strings.Join([]string{p.Kind, clean(p.Name), clean(p.Version), p.SHA256, clean(p.Origin), base64.StdEncoding.EncodeToString(raw)}, "\t")
}
