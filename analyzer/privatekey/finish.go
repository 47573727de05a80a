package privatekey

import (
	"fmt"
	"strings"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/finding"
)

// InventoryKey is one entry of the report's inventory "keys" list.
type InventoryKey struct {
	Path      string `json:"path"`
	Format    string `json:"format"`
	Algorithm string `json:"algorithm,omitempty"`
	Bits      int    `json:"bits,omitempty"`
	// Fingerprint is the hex SHA-256 of the key's SubjectPublicKeyInfo,
	// empty when encryption hides the public key.
	Fingerprint     string `json:"fingerprint,omitempty"`
	SSHFingerprint  string `json:"ssh_fingerprint,omitempty"`
	Encrypted       bool   `json:"encrypted"`
	DefaultPassword bool   `json:"default_password,omitempty"`
	Compromised     bool   `json:"compromised"`
	Line            int    `json:"line,omitempty"`
	Offset          int64  `json:"offset"`
}

// maxPathsInMessage bounds the places a shared-key message lists.
const maxPathsInMessage = 8

// finish lists every key in the inventory and reports keys that occur in
// more than one file: the same key as SSH host key and TLS key, or copied
// into several images, means one leak opens all of them.
func finish(fp *analyzer.FinishPass) {
	var inv []InventoryKey
	type group struct {
		facts []analyzer.Fact
		kf    KeyFact
		paths []string
	}
	groups := map[string]*group{}
	var order []string
	for _, f := range fp.Facts(FactKind) {
		kf, ok := f.Value.(KeyFact)
		if !ok {
			continue // another analyzer's fact of the same kind
		}
		inv = append(inv, InventoryKey{
			Path: f.Path, Format: kf.Format, Algorithm: kf.Algorithm, Bits: kf.Bits,
			Fingerprint: kf.SPKISHA256, SSHFingerprint: kf.SSHFingerprint,
			Encrypted: kf.Encrypted, DefaultPassword: kf.DefaultPassword,
			Compromised: kf.Compromised, Line: kf.Line, Offset: kf.Offset,
		})
		if kf.SPKISHA256 == "" {
			continue
		}
		g := groups[kf.SPKISHA256]
		if g == nil {
			g = &group{kf: kf}
			groups[kf.SPKISHA256] = g
			order = append(order, kf.SPKISHA256)
		}
		g.facts = append(g.facts, f)
		g.paths = appendNew(g.paths, f.Path)
	}
	if len(inv) > 0 {
		fp.Inventory("keys", inv)
	}
	for _, spki := range order {
		g := groups[spki]
		if len(g.paths) < 2 {
			continue
		}
		sev, conf := finding.Info, finding.ConfidenceLow
		for _, f := range g.facts {
			if !f.Value.(KeyFact).TestOrDocs {
				sev, conf = finding.Medium, finding.ConfidenceHigh
			}
		}
		listed := g.paths
		more := ""
		if len(listed) > maxPathsInMessage {
			more = fmt.Sprintf(" and %d more", len(listed)-maxPathsInMessage)
			listed = listed[:maxPathsInMessage]
		}
		first := g.facts[0]
		alg := algorithmText(g.kf.Algorithm, g.kf.Bits)
		f := finding.Finding{
			Rule: RuleSharedAcrossFS, Title: Titles[RuleSharedAcrossFS],
			Category: finding.HardcodedCredential, CWE: cwe,
			Severity: sev, Confidence: conf,
			Location: finding.Location{Target: first.Target, Path: first.Path, Line: g.kf.Line},
			Evidence: fmt.Sprintf("%s key, SPKI SHA-256 %s…", alg, spki[:16]),
			Message: fmt.Sprintf("the same %s private key (SPKI SHA-256 %s) is in %d places: %s%s; whoever obtains one copy holds them all",
				alg, spki, len(g.paths), strings.Join(listed, ", "), more),
		}
		if g.kf.Line == 0 {
			o := g.kf.Offset
			f.Location.Offset = &o
		}
		fp.Report(f)
	}
}
