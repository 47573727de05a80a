package updatediff

import (
	"fmt"
	"strings"

	"github.com/doorman-sec/doorman/finding"
)

// updateChecks reports update paths whose verification the update took
// away or put back. The update-path analyzer judges each version; an
// update-integrity finding that only NEW has, on a file OLD also had, is
// a signature check removed (the finding is already introduced, so the
// change only links it); on a new file it is a new unverified update
// path. A finding only OLD had is verification added.
func (d *differ) updateChecks() {
	oldPaths := map[string]bool{}
	for _, f := range d.old.files {
		oldPaths[f.Path] = true
	}
	for _, f := range d.removed {
		oldPaths[KeyOf(&f, d.old.target).Path] = true
	}
	for i := range d.introduced {
		f := &d.introduced[i]
		if !isUpdateRule(f) {
			continue
		}
		p := KeyOf(f, d.new.target).Path
		c := finding.Change{Kind: KindUpdateCheck, Subject: innerPath(p), Path: f.Location.Path}
		if oldPaths[p] || d.seenInOld(p) {
			c.Action = Removed
			c.Detail = fmt.Sprintf("%s no longer verifies what it installs: %s", innerPath(p), f.Title)
		} else {
			c.Action = Added
			c.Detail = fmt.Sprintf("new update path %s installs without verification: %s", innerPath(p), f.Title)
		}
		link(&c, f)
		d.change(c, nil)
	}
	for i := range d.removed {
		f := &d.removed[i]
		if !isUpdateRule(f) {
			continue
		}
		p := KeyOf(f, d.old.target).Path
		c := finding.Change{Kind: KindUpdateCheck, Action: Added, Subject: innerPath(p), Path: f.Location.Path,
			Detail: fmt.Sprintf("%s now verifies what it installs (no longer: %s)", innerPath(p), f.Title)}
		if _, still := indexOne(d.new.files, p); d.new.hasFiles && !still {
			// The file is gone, not fixed: say so rather than claim a check.
			c.Action = Removed
			c.Detail = fmt.Sprintf("unverified update path %s removed (%s)", innerPath(p), f.Title)
		}
		d.change(c, nil)
	}
}

// isUpdateRule says whether a finding is about an update channel's
// authenticity: the update-path analyzer's rules, or any update-integrity
// finding.
func isUpdateRule(f *finding.Finding) bool {
	return strings.HasPrefix(f.Rule, "DM-UPD-") || f.Category == finding.UpdateIntegrity
}

// seenInOld says whether OLD's inventory named a path: it proves the
// file existed when the probe did not run.
func (d *differ) seenInOld(p string) bool {
	_, ok := d.old.display[p]
	return ok
}
