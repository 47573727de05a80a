// Package privatekey finds private keys shipped in firmware, packages and
// source: PEM keys of every kind (PKCS#1, SEC1, PKCS#8, encrypted PKCS#8,
// OpenSSL DSA, legacy "Proc-Type: 4,ENCRYPTED", OpenSSH), PuTTY .ppk
// files, PKCS#12 key stores, Dropbear host keys and raw DER keys embedded
// in binaries.
//
// Every candidate is parsed for real: a key is reported as a key only when
// its numbers hold together, so templates in documentation ("-----BEGIN
// PRIVATE KEY-----\n...\n"), parsers' string constants, public keys and
// certificates stay quiet. For each key the analyzer works out its
// algorithm and size, whether it is encrypted (and whether a default
// password opens it), the SHA-256 of its SubjectPublicKeyInfo and its
// OpenSSH fingerprint, and looks the key up in a list of keys whose
// private halves vendors made public (SEC Consult's House of Keys,
// Rapid7's ssh-badkeys): such a key is not merely shipped, anyone already
// has it.
//
// Severity follows what an attacker gains: a published key is critical;
// an unencrypted key, or one a default password opens, is high (for a key
// inside an image, every unit of the product has the same one); an
// encrypted key or key store is medium; anything in a test, example or
// documentation folder is low. Evidence never holds key material: only the
// key's marker, algorithm, protection and public fingerprint.
//
// Rules:
//
//	DM-KEY-001  Unencrypted private key shipped (high)
//	DM-KEY-002  Private key whose private half is public (critical)
//	DM-KEY-003  Passphrase-protected private key shipped (medium)
//	DM-KEY-004  Password-protected PKCS#12 key store shipped (medium)
//	DM-KEY-005  Private key protected only by a default password (high)
//	DM-KEY-006  Private key block that does not parse (low)
//	DM-KEY-007  Same private key in several places (medium; final pass)
//
// Each key is also recorded as a "private-key" fact; the final pass lists
// them in the report's inventory under "keys" and reports keys found in
// several places.
package privatekey

import (
	"fmt"
	"path"
	"strings"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/finding"
)

// Rule ids and titles.
const (
	RuleUnencrypted    = "DM-KEY-001"
	RuleCompromised    = "DM-KEY-002"
	RuleEncrypted      = "DM-KEY-003"
	RuleKeyStore       = "DM-KEY-004"
	RuleDefaultPass    = "DM-KEY-005"
	RuleBroken         = "DM-KEY-006"
	RuleSharedAcrossFS = "DM-KEY-007"
)

// Titles maps each rule id to its title.
var Titles = map[string]string{
	RuleUnencrypted:    "Unencrypted private key shipped",
	RuleCompromised:    "Private key whose private half is public",
	RuleEncrypted:      "Passphrase-protected private key shipped",
	RuleKeyStore:       "Password-protected PKCS#12 key store shipped",
	RuleDefaultPass:    "Private key protected only by a default password",
	RuleBroken:         "Private key block that does not parse",
	RuleSharedAcrossFS: "Same private key in several places",
}

// FactKind is the kind of the facts this analyzer records, one per key.
const FactKind = "private-key"

// minMaterial is how many base64 characters of key body a block that
// does not parse needs before it is reported: two PEM lines. Templates
// ("MIIEpAIBAAKCAQEA...") and parsers' constants have less.
const minMaterial = 128

var cwe = []string{"CWE-321", "CWE-798"}

// Analyzer finds shipped private keys, using the embedded compromised-keys
// list.
var Analyzer = New()

// New returns the analyzer with the embedded compromised-keys list.
func New() *analyzer.Analyzer { return NewWithTable(nil) }

// NewWithTable returns the analyzer with its own compromised-keys list
// (nil: the embedded one), so tests can match keys they generate.
func NewWithTable(t *Table) *analyzer.Analyzer {
	table := func() *Table {
		if t != nil {
			return t
		}
		return DefaultTable()
	}
	a := &analyzer.Analyzer{
		Name:     "privatekey",
		Doc:      "finds private keys (PEM, OpenSSH, PuTTY, PKCS#12, Dropbear, DER) shipped in files and binaries, and keys whose private half is public",
		Keywords: keywordTexts(),
		Finish:   finish,
	}
	a.Run = func(p *analyzer.Pass) { run(p, table()) }
	return a
}

func run(p *analyzer.Pass, t *Table) {
	hits := make([]hit, 0, len(p.Hits()))
	for _, h := range p.Hits() {
		hits = append(hits, hit{kind: keywords[h.Keyword].kind, off: h.Offset})
	}
	pl := newPlace(p.Entry)
	found := locate(p, hits)
	if pl.compiled {
		n := 0
		for _, o := range found {
			if o.key != nil {
				n++
			}
		}
		// openssl's speed command carries RSA keys from 512 to 15360 bits,
		// GnuTLS's self-tests one key of every type: a program or library
		// holding this many keys holds test vectors, not its identity.
		pl.testVectors = n >= 4
	}
	for _, o := range found {
		switch {
		case o.key != nil:
			reportKey(p, pl, t, o.key, o.off)
		case o.store != nil:
			reportStore(p, pl, t, o.store, o.off)
		case o.err != nil:
			reportBroken(p, pl, o)
		}
	}
}

// place is what the entry's location says about a key found in it.
type place struct {
	testOrDocs  bool   // a fixture or an example, not a key a device uses
	container   bool   // inside an image or package: every copy has it
	role        string // "SSH host key", "TLS key", ... or ""
	library     bool   // compiled into a shared library (lib*.so*)
	compiled    bool   // inside an executable, library or object file
	testVectors bool   // one of many keys compiled into one program
}

func newPlace(e *artifact.Entry) place {
	return place{
		testOrDocs: analyzer.InTestOrDocs(e) || isDocFile(e.Base()),
		container:  e.Depth > 0 || strings.Contains(e.Path, "!/"),
		role:       keyRole(e.Name),
		library:    e.Kind == "elf" && isSharedLibrary(e.Base()),
		compiled:   e.Kind == "elf" || e.Kind == "pe" || e.Kind == "macho",
	}
}

// isSharedLibrary reports a shared object's file name: libgnutls.so.30,
// libcrypto.so.3, and Node.js native modules (next-swc.linux-x64-gnu.node,
// which compiles rustls' test keys in).
func isSharedLibrary(base string) bool {
	return strings.HasSuffix(base, ".so") || strings.Contains(base, ".so.") || strings.HasSuffix(base, ".node")
}

// isDocFile reports whether a file is documentation by its name: a README
// or manual that shows an example key teaches, it does not deploy.
func isDocFile(base string) bool {
	b := strings.ToLower(base)
	switch path.Ext(b) {
	case ".md", ".markdown", ".rst", ".adoc", ".asciidoc":
		return true
	}
	return strings.HasPrefix(b, "readme")
}

// keyRole guesses from the path what the key is for, to say in the
// message what an attacker gets.
func keyRole(name string) string {
	n := strings.ToLower(name)
	base := path.Base(n)
	switch {
	case strings.Contains(n, "dropbear") || strings.HasPrefix(base, "ssh_host_") || strings.Contains(base, "host_key") || strings.Contains(base, "hostkey"):
		return "SSH host key"
	case strings.Contains(n, ".ssh/") || strings.HasPrefix(base, "id_rsa") || strings.HasPrefix(base, "id_dsa") || strings.HasPrefix(base, "id_ecdsa") || strings.HasPrefix(base, "id_ed25519"):
		return "SSH login key"
	}
	for _, w := range []string{"ssl", "tls", "https", "lighttpd", "nginx", "apache", "httpd", "stunnel", "uhttpd", "webserver", "www"} {
		if strings.Contains(n, w) {
			return "TLS key"
		}
	}
	return ""
}

// KeyFact is the fact recorded for each key, for the final pass and for
// other analyzers (an authorized_keys check can match its entries against
// these).
type KeyFact struct {
	Format         string
	Algorithm      string
	Bits           int
	SPKISHA256     string
	SSHFingerprint string
	Encrypted      bool
	// DefaultPassword is true when a default password opened the key.
	DefaultPassword bool
	Compromised     bool
	TestOrDocs      bool
	Line            int
	Offset          int64
}

// location places a finding: by line in text, by byte offset elsewhere
// (binaries, and text too large for line numbers).
func location(p *analyzer.Pass, off int64) finding.Location {
	var loc finding.Location
	if p.Entry.Kind == artifact.KindText {
		if line, col := p.Line(off); line > 0 {
			loc.Line, loc.Column = line, col
			return loc
		}
	}
	o := off
	loc.Offset = &o
	return loc
}

func reportKey(p *analyzer.Pass, pl place, t *Table, k *Key, off int64) {
	comp, compromised := t.Lookup(k)
	f := finding.Finding{
		Category:   finding.HardcodedCredential,
		CWE:        cwe,
		Confidence: finding.ConfidenceHigh,
		Location:   location(p, off),
		Evidence:   fmt.Sprintf("%s (%s)", k.Marker, k.describe()),
	}
	what := keyNoun(k, pl)
	switch {
	case compromised:
		f.Rule, f.Severity = RuleCompromised, finding.Critical
		f.Message = fmt.Sprintf("%s is one of the published keys shipped in %s: its private half is public, so %s; replace it with a key generated on each device",
			what, productSummary(comp.Products, 6), consequence(comp))
		f.References = comp.References
	case k.DefaultPassword != nil:
		f.Rule, f.Severity = RuleDefaultPass, finding.High
		f.Message = fmt.Sprintf("%s is encrypted with %s, which anyone can try: it is as exposed as an unencrypted key. %s",
			what, describePassword(*k.DefaultPassword), exposure(pl))
	case !k.Encrypted:
		f.Rule, f.Severity = RuleUnencrypted, finding.High
		f.Message = fmt.Sprintf("unencrypted %s. %s", what, exposure(pl))
	case strings.HasPrefix(k.Format, "PKCS#12"):
		f.Rule, f.Severity = RuleKeyStore, finding.Medium
		f.Message = fmt.Sprintf("%s in a password-protected PKCS#12 key store; none of the default passwords opens it, but whoever has the file can guess offline", what)
	default:
		f.Rule, f.Severity = RuleEncrypted, finding.Medium
		f.Message = fmt.Sprintf("passphrase-protected %s: none of the default passphrases opens it, but the key is only as safe as its passphrase, which whoever has the file can guess offline", what)
	}
	f.Message += fingerprints(k)
	if k.Comment != "" {
		f.Message += fmt.Sprintf("; key comment %q", k.Comment)
	}
	demote(&f, pl)
	f.Title = Titles[f.Rule]
	p.Report(f)
	p.AddFact(FactKind, KeyFact{
		Format: k.Format, Algorithm: k.Algorithm, Bits: k.Bits,
		SPKISHA256: k.SPKISHA256, SSHFingerprint: k.SSHFingerprint,
		Encrypted: k.Encrypted, DefaultPassword: k.DefaultPassword != nil,
		Compromised: compromised, TestOrDocs: pl.testOrDocs,
		Line: f.Location.Line, Offset: off,
	})
}

// keyNoun names the key for a message: "RSA 2048 SSH host key (OpenSSH)".
func keyNoun(k *Key, pl place) string {
	role := pl.role
	if role == "" {
		role = "private key"
	}
	return strings.TrimSpace(algorithmText(k.Algorithm, k.Bits)+" "+role) + " (" + k.Format + ")"
}

// consequence says what a published key gives away, by how the list knows
// it: a login key lets anyone in, a host or TLS key lets anyone pose as
// the device.
func consequence(c *Compromised) string {
	for _, k := range c.Kinds {
		if k == "ssh-authorized-key" {
			return "anyone can log in wherever its public half is authorized (an authorized_keys entry for it is a backdoor)"
		}
	}
	return "anyone can impersonate the device or decrypt its traffic"
}

// exposure says what shipping a usable key means, by where it is.
func exposure(pl place) string {
	switch {
	case pl.container && pl.role == "SSH host key":
		return "Every unit of this product ships the same key: anyone who extracts it from one image can impersonate every device to SSH clients; generate host keys on first boot instead"
	case pl.container && pl.role == "SSH login key":
		return "Every unit of this product ships the same key: anyone who extracts it can log in wherever its public half is authorized"
	case pl.container:
		return "Every unit of this product ships the same key: anyone who extracts it from one image can impersonate every device or decrypt its traffic; generate keys on each device instead"
	default:
		return "Anyone with a copy of this file can use the key: impersonate the service that holds it, decrypt its traffic or sign as its owner"
	}
}

func fingerprints(k *Key) string {
	var parts []string
	if k.SPKISHA256 != "" {
		parts = append(parts, "SPKI SHA-256 "+k.SPKISHA256)
	}
	if k.SSHFingerprint != "" {
		parts = append(parts, "SSH fingerprint "+k.SSHFingerprint)
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// demote lowers findings in test and documentation folders: such keys are
// fixtures and examples, not keys a device uses.
func demote(f *finding.Finding, pl place) {
	if pl.testVectors && !pl.testOrDocs {
		// Even a published (compromised) key is a test vector here: the
		// vendors on the published lists copied these very keys out of
		// OpenSSL's test code into their firmware.
		f.Severity = min(f.Severity, finding.Low)
		f.Confidence = finding.ConfidenceMedium
		f.Message += " (one of many keys compiled into this program: test vectors such as openssl speed's or a crypto library's self-tests)"
		return
	}
	if pl.library && !pl.testOrDocs && f.Rule != RuleCompromised && f.Severity > finding.Medium {
		// GnuTLS and OpenSSL-based FIPS modules compile known-answer
		// self-test keys into the library (Debian's libgnutls30 has a
		// dozen): a key a program would use to identify itself lives in a
		// file or in the program, not in a general-purpose library.
		f.Severity = finding.Medium
		f.Confidence = finding.ConfidenceMedium
		f.Message += " (compiled into a shared library: crypto libraries carry self-test keys; it matters if the library identifies itself with it)"
		return
	}
	if !pl.testOrDocs {
		return
	}
	f.Severity = min(f.Severity, finding.Low)
	f.Confidence = finding.ConfidenceLow
	f.Message += " (in a test, example or documentation location: probably a fixture, not a key in use)"
}

func reportStore(p *analyzer.Pass, pl place, t *Table, st *Store, off int64) {
	for _, k := range st.Keys {
		reportKey(p, pl, t, k, off)
	}
	if st.LockedKeys == 0 && (st.HiddenParts == 0 || len(st.Keys) > 0) {
		return // nothing left unread, or its keys are already reported
	}
	k := &Key{Format: "PKCS#12", Marker: "PKCS#12 key store", Encrypted: true, Cipher: st.Cipher}
	f := finding.Finding{
		Rule: RuleKeyStore, Category: finding.HardcodedCredential, CWE: cwe,
		Severity: finding.Medium, Confidence: finding.ConfidenceHigh,
		Location: location(p, off),
	}
	switch {
	case st.LockedKeys > 0:
		f.Evidence = fmt.Sprintf("%s (%d password-protected private key(s), %s)", k.Marker, st.LockedKeys, orUnknown(st.Cipher))
		f.Message = fmt.Sprintf("PKCS#12 key store with %d private key(s) protected by a password that is none of the defaults; whoever has the file can guess it offline", st.LockedKeys)
	default:
		// Only encrypted parts: the store may hold only certificates (a
		// trust store), so say so rather than claim a key.
		f.Confidence = finding.ConfidenceLow
		f.Evidence = fmt.Sprintf("%s (%d encrypted part(s), %s)", k.Marker, st.HiddenParts, orUnknown(st.Cipher))
		f.Message = "PKCS#12 key store whose contents are encrypted with a password that is none of the defaults (or a scheme doorman does not decrypt); such stores usually hold a private key with its certificate"
	}
	if st.Password != nil {
		f.Message += fmt.Sprintf("; its integrity password is %s", describePassword(*st.Password))
	}
	demote(&f, pl)
	f.Title = Titles[f.Rule]
	p.Report(f)
	p.AddFact(FactKind, KeyFact{Format: "PKCS#12", Encrypted: true, TestOrDocs: pl.testOrDocs, Line: f.Location.Line, Offset: off})
}

func orUnknown(s string) string {
	if s == "" {
		return "scheme unknown"
	}
	return s
}

// reportBroken reports a block that looks like a key but does not parse.
// Without enough key material it is a template or a constant: quiet.
func reportBroken(p *analyzer.Pass, pl place, o occurrence) {
	f := finding.Finding{
		Category: finding.HardcodedCredential, CWE: cwe,
		Location: location(p, o.off),
	}
	if o.marker == "PKCS#12 key store" {
		// The PFX header is specific enough that an unreadable store (BER
		// encoded, truncated, too large) is still a key store.
		f.Rule, f.Severity, f.Confidence = RuleKeyStore, finding.Medium, finding.ConfidenceLow
		f.Evidence = fmt.Sprintf("%s (not readable: %v)", o.marker, o.err)
		f.Message = fmt.Sprintf("PKCS#12 key store that doorman could not read (%v); such stores usually hold a private key", o.err)
	} else {
		be, ok := o.err.(*blockError)
		if !ok || !be.reportable() {
			return
		}
		f.Rule, f.Severity, f.Confidence = RuleBroken, finding.Low, finding.ConfidenceMedium
		f.Evidence = fmt.Sprintf("%s (does not parse: %s)", o.marker, be.reason)
		f.Message = fmt.Sprintf("a private key block with %d characters of key material that does not parse (%s): a truncated or damaged key, or a real key that was edited; check where it comes from", be.material, be.reason)
	}
	if pl.testOrDocs {
		f.Severity = min(f.Severity, finding.Info)
		f.Confidence = finding.ConfidenceLow
		f.Message += " (in a test, example or documentation location)"
	}
	f.Title = Titles[f.Rule]
	p.Report(f)
}
