package updatediff

import (
	"fmt"
	"net/netip"

	"github.com/doorman-sec/doorman/finding"
)

// endpoints reports hard-coded endpoints the update adds. A new public IP
// address written into the firmware is a low finding (unexpected-endpoint):
// devices reach their vendor by name, and bare addresses are how implants
// find their controller. New URLs are changes for the reviewer to account
// for. Endpoints are matched by value wherever they appear.
func (d *differ) endpoints() {
	old := map[string]bool{}
	for _, e := range d.old.endpoints {
		old[e.Value] = true
	}
	for _, e := range d.new.endpoints {
		if old[e.Value] {
			continue
		}
		c := finding.Change{Kind: KindEndpoint, Action: Added, Subject: e.Value, Path: d.new.displayPath(e.Path),
			Detail: fmt.Sprintf("new hard-coded %s %s", e.Kind, e.Value)}
		if e.Private {
			c.Detail += " (private address)"
			d.change(c, nil)
			continue
		}
		c.Severity = finding.Low
		var f *finding.Finding
		if a, err := netip.ParseAddr(e.Value); err == nil && e.Kind == "ip" && a.IsGlobalUnicast() {
			if covered := d.reported(e.Path, []finding.Category{finding.UnexpectedEndpoint, finding.NetworkBeacon, finding.DataExfiltration}, nil); covered != nil {
				link(&c, covered)
			} else {
				f = d.newFinding(RuleEndpointAdded, e.Path)
				f.Severity = finding.Low
				f.Confidence = finding.ConfidenceLow
				f.Message = fmt.Sprintf("the update writes the address %s into %s; check who it belongs to and why the device needs it", e.Value, innerPath(e.Path))
				f.Evidence = e.Value
			}
		}
		d.change(c, f)
	}
}

// keys reports private keys the update adds (by fingerprint, so a key
// moved to another file is not new). The private-key analyzer judges the
// key itself; the change says it came with this update.
func (d *differ) keys() {
	old := map[string]bool{}
	for _, k := range d.old.keys {
		old[keyID(k)] = true
	}
	seen := map[string]bool{}
	for _, k := range d.new.keys {
		id := keyID(k)
		if old[id] || seen[id] {
			continue
		}
		seen[id] = true
		c := finding.Change{Kind: KindKey, Action: Added, Subject: innerPath(k.Path), Path: d.new.displayPath(k.Path), Severity: finding.Low,
			Detail: fmt.Sprintf("new %s key", k.Format)}
		if k.Algorithm != "" {
			c.Detail = fmt.Sprintf("new %s %s key", k.Format, k.Algorithm)
			if k.Bits > 0 {
				c.Detail += fmt.Sprintf(" (%d bits)", k.Bits)
			}
		}
		if k.Compromised {
			c.Detail += ", publicly known (compromised)"
		}
		link(&c, d.reported(k.Path, []finding.Category{finding.HardcodedCredential}, nil))
		d.change(c, nil)
	}
}

// keyID identifies a key by fingerprint, or by where it is when it has
// none (an encrypted key whose public half could not be read).
func keyID(k key) string {
	switch {
	case k.Fingerprint != "":
		return k.Fingerprint
	case k.SSHFingerprint != "":
		return k.SSHFingerprint
	}
	return k.Path + "\x00" + k.Format + "\x00" + k.Algorithm
}

// oses reports version changes of the OS and its components: what the
// update says it is, for the reviewer to compare with the release notes.
func (d *differ) oses() {
	old := map[string]osInfo{}
	for _, o := range d.old.oses {
		old[o.Source+"\x00"+o.Name] = o
	}
	seen := map[string]bool{}
	for _, n := range d.new.oses {
		k := n.Source + "\x00" + n.Name
		if seen[k] {
			continue
		}
		seen[k] = true
		o, ok := old[k]
		name := n.Name
		if name == "" {
			name = n.Source
		}
		switch {
		case !ok:
			d.change(finding.Change{Kind: KindOS, Action: Added, Subject: name, Path: d.new.displayPath(n.Path),
				Detail: fmt.Sprintf("%s %s (from %s)", name, n.Version, n.Source)}, nil)
		case o.Version != n.Version:
			d.change(finding.Change{Kind: KindOS, Action: Changed, Subject: name, Path: d.new.displayPath(n.Path),
				Detail: fmt.Sprintf("%s %s → %s (from %s)", name, orNone(o.Version), orNone(n.Version), n.Source)}, nil)
		}
	}
}
