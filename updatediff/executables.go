package updatediff

import (
	"fmt"
	"sort"
	"strings"

	"github.com/doorman-sec/doorman/finding"
)

// executables reports executables added, removed, renamed (same content
// under another path) and changed, with the capabilities each gained or
// lost when the inventory lists capabilities. A gain that makes a
// backdoor's shape (a raw socket next to running commands: a magic-packet
// trigger; a listener that runs commands; capture devices next to the
// network) is a finding, medium, unless an analyzer already reported
// something about that file; so is a new executable born with that shape.
func (d *differ) executables() {
	oldBy := map[string]elfInfo{}
	for _, b := range d.old.binaries {
		oldBy[b.Path] = b
	}
	newBy := map[string]bool{}
	for _, b := range d.new.binaries {
		newBy[b.Path] = true
	}
	oldFiles, newFiles := indexFiles(d.old.files), indexFiles(d.new.files)
	consumed := map[string]bool{} // old paths matched to a renamed new one
	for _, b := range d.new.binaries {
		if o, ok := oldBy[b.Path]; ok {
			if d.binaryChanged(o, b) {
				d.binaryDiff(Changed, o, b)
			}
			continue
		}
		if o, ok := d.renamedFrom(b.Path, oldBy, newBy, oldFiles, newFiles, consumed); ok {
			consumed[o.Path] = true
			d.binaryDiff(Renamed, o, b)
			continue
		}
		d.binaryAdded(b)
	}
	for _, o := range d.old.binaries {
		if !newBy[o.Path] && !consumed[o.Path] {
			d.change(finding.Change{Kind: KindExecutable, Action: Removed, Subject: innerPath(o.Path), Path: d.old.displayPath(o.Path),
				Detail: "executable removed"}, nil)
		}
	}
}

// renamedFrom finds the old binary with the same content as NEW's file at
// path, among the old binaries whose path NEW no longer has.
func (d *differ) renamedFrom(path string, oldBy map[string]elfInfo, newBy map[string]bool, oldFiles, newFiles fileIndex, consumed map[string]bool) (elfInfo, bool) {
	nf, ok := newFiles.byPath[path]
	if !ok || nf.SHA256 == "" {
		return elfInfo{}, false
	}
	for _, of := range oldFiles.byHash[nf.SHA256] {
		if o, ok := oldBy[of.Path]; ok && !newBy[of.Path] && !consumed[of.Path] {
			return o, true
		}
	}
	return elfInfo{}, false
}

// binaryChanged compares content hashes when both scans recorded them,
// else what the inventory says (size, architecture, format, packer).
func (d *differ) binaryChanged(o, n elfInfo) bool {
	if d.old.hasFiles && d.new.hasFiles {
		of, ok1 := indexOne(d.old.files, o.Path)
		nf, ok2 := indexOne(d.new.files, n.Path)
		if ok1 && ok2 && of.SHA256 != "" && nf.SHA256 != "" {
			return of.SHA256 != nf.SHA256
		}
	}
	return o.Size != n.Size || o.Arch != n.Arch || o.Format != n.Format || o.Packer != n.Packer
}

// indexOne finds a file by normalised path in a sorted list.
func indexOne(fs []File, path string) (File, bool) {
	i := sort.Search(len(fs), func(i int) bool { return fs[i].Path >= path })
	if i < len(fs) && fs[i].Path == path {
		return fs[i], true
	}
	return File{}, false
}

// capDiff returns the capabilities gained and lost, sorted.
func capDiff(o, n []string) (gained, lost []string) {
	in := func(list []string, s string) bool { return hasAny(list, s) }
	for _, c := range n {
		if !in(o, c) && !in(gained, c) {
			gained = append(gained, c)
		}
	}
	for _, c := range o {
		if !in(n, c) && !in(lost, c) {
			lost = append(lost, c)
		}
	}
	sort.Strings(gained)
	sort.Strings(lost)
	return gained, lost
}

// binaryDiff records a changed or renamed executable.
func (d *differ) binaryDiff(action string, o, b elfInfo) {
	c := finding.Change{Kind: KindExecutable, Action: action, Subject: innerPath(b.Path), Path: d.new.displayPath(b.Path)}
	var parts []string
	if action == Renamed {
		c.OldPath = d.old.displayPath(o.Path)
		parts = append(parts, "moved from "+innerPath(o.Path)+" with the same content")
	} else {
		parts = append(parts, "content changed")
	}
	if o.Arch != b.Arch && o.Arch != "" && b.Arch != "" {
		parts = append(parts, fmt.Sprintf("architecture %s → %s", o.Arch, b.Arch))
	}
	if o.Packer != b.Packer {
		parts = append(parts, fmt.Sprintf("packer %s → %s", orNone(o.Packer), orNone(b.Packer)))
	}
	var f *finding.Finding
	if d.old.hasCaps && d.new.hasCaps {
		c.Added, c.Removed = capDiff(o.Capabilities, b.Capabilities)
		if len(c.Added) > 0 {
			parts = append(parts, "gained "+strings.Join(c.Added, ", "))
			c.Severity = finding.Low
		}
		if len(c.Removed) > 0 {
			parts = append(parts, "lost "+strings.Join(c.Removed, ", "))
		}
		if cat, why := riskyGain(c.Added, b.Capabilities); cat != "" {
			if covered := d.reported(b.Path, nil, nil); covered != nil {
				link(&c, covered)
			} else {
				f = d.newFinding(RuleCapabilityAdded, b.Path)
				f.Category = cat
				f.Severity = finding.Medium
				f.Message = fmt.Sprintf("%s gained %s in the update: %s", innerPath(b.Path), strings.Join(c.Added, ", "), why)
				f.Evidence = capEvidence(o.Capabilities, b.Capabilities)
			}
		}
	}
	c.Detail = strings.Join(parts, "; ")
	d.change(c, f)
}

// binaryAdded records a new executable.
func (d *differ) binaryAdded(b elfInfo) {
	c := finding.Change{Kind: KindExecutable, Action: Added, Subject: innerPath(b.Path), Path: d.new.displayPath(b.Path),
		Added: append([]string(nil), b.Capabilities...)}
	sort.Strings(c.Added)
	c.Detail = "new executable"
	if b.Arch != "" {
		c.Detail += " (" + b.Arch + ")"
	}
	if len(c.Added) > 0 {
		c.Detail += " able to: " + strings.Join(c.Added, ", ")
	}
	var f *finding.Finding
	if cat, why := riskyGain(b.Capabilities, b.Capabilities); cat != "" && backdoorShape(b.Capabilities) {
		if covered := d.reported(b.Path, nil, nil); covered != nil {
			link(&c, covered)
		} else {
			f = d.newFinding(RuleCapabilityAdded, b.Path)
			f.Title = "New executable with a backdoor's capabilities"
			f.Category = cat
			f.Severity = finding.Medium
			f.Confidence = finding.ConfidenceLow
			f.Message = fmt.Sprintf("the update adds %s, which %s", innerPath(b.Path), why)
			f.Evidence = capEvidence(nil, b.Capabilities)
		}
	}
	d.change(c, f)
}

// riskyGain judges capabilities gained (gained) given all the binary has
// now (all): the category of the backdoor shape the gain completes and
// why, or "" when the gain is ordinary (an HTTP client for an update
// check, a new listener that runs nothing).
func riskyGain(gained, all []string) (finding.Category, string) {
	runs := hasAny(all, "exec", "shell")
	network := hasAny(all, "net-connect", "net-listen")
	switch {
	case hasAny(gained, "raw-socket", "packet-filter") && runs:
		return finding.HiddenTrigger, "it reads raw packets and can run commands, the shape of a magic-packet trigger"
	case hasAny(gained, "net-listen", "exec", "shell") && hasAny(all, "net-listen") && runs:
		return finding.RemoteAccessService, "it listens on the network and can run commands"
	case hasAny(gained, "dup-fd") && hasAny(all, "shell") && network:
		return finding.RemoteAccessService, "it redirects descriptors to a shell over the network, the shape of a bind or reverse shell"
	case hasAny(gained, "camera", "microphone", "screen-capture", "input-capture") && network:
		return finding.SurveillanceCapability, "it captures camera, sound, screen or input and can reach the network"
	case hasAny(gained, "credential-read") && hasAny(all, "net-connect"):
		return finding.DataExfiltration, "it reads credentials and can send data out"
	}
	return "", ""
}

// backdoorShape is the stricter test for a binary that is new as a whole:
// a new web server that runs CGI scripts listens and execs, and that is
// not news. Raw packets with command execution, or descriptors redirected
// to a shell over the network, are.
func backdoorShape(all []string) bool {
	runs := hasAny(all, "exec", "shell")
	return (hasAny(all, "raw-socket", "packet-filter") && runs) ||
		(hasAny(all, "dup-fd") && hasAny(all, "shell") && hasAny(all, "net-connect", "net-listen"))
}

// capEvidence writes capabilities with + for gained ones.
func capEvidence(old, now []string) string {
	list := append([]string(nil), now...)
	sort.Strings(list)
	for i, c := range list {
		if !hasAny(old, c) {
			list[i] = "+" + c
		}
	}
	return "capabilities: " + strings.Join(list, " ")
}
