package report

import (
	"fmt"
	"strings"

	"github.com/doorman-sec/doorman/finding"
)

// htmlDiff is what the page shows only for a diff report: the two
// versions and the changes, after the introduced and removed findings.
type htmlDiff struct {
	Old, New string
	Verdict  string
	Changes  []htmlChange
}

// htmlChange is one change, ready to show.
type htmlChange struct {
	Sev      string
	SevLabel string
	Kind     string
	Action   string
	Text     string
	Path     string
	OldPath  string
	Finding  string // id of the finding on the page, for the link
}

// htmlDiffOf prepares a diff report's own parts. Every string from the
// report goes through visible(); html/template escapes it.
func htmlDiffOf(r *finding.Report, present []string) *htmlDiff {
	d := &htmlDiff{}
	if len(r.Targets) == 2 {
		d.Old, d.New = visible(r.Targets[0].Path, false), visible(r.Targets[1].Path, false)
	}
	onPage := map[string]bool{}
	for _, f := range r.Findings {
		onPage[f.ID] = true
	}
	for _, c := range r.Changes {
		sev := c.Severity
		if !validSeverity(sev) {
			sev = finding.Info
		}
		h := htmlChange{
			Sev: sev.String(), SevLabel: sevLabel(sev),
			Kind: visible(c.Kind, false), Action: visible(c.Action, false),
			Text: visible(changeText(c), false),
			Path: visible(c.Path, false), OldPath: visible(c.OldPath, false),
		}
		// Link only to a finding that is on the page (--min-severity may
		// have left it out).
		if onPage[c.Finding] {
			h.Finding = visible(c.Finding, false)
		}
		d.Changes = append(d.Changes, h)
	}
	d.Verdict = diffVerdict(r, present)
	return d
}

// diffVerdict answers "is this update safe to ship?" as far as the
// checks can tell, in one paragraph.
func diffVerdict(r *finding.Report, present []string) string {
	var s string
	if len(r.Findings) == 0 {
		s = "This update introduces nothing that matches doorman's checks for backdoors. That is not proof that it adds none, only that no rule fired on what changed."
	} else {
		s = fmt.Sprintf("This update introduces %s worth a look (%s), listed most urgent first.",
			plural(len(r.Findings), "thing", "things"), strings.Join(present, ", "))
	}
	if n := len(r.Changes); n > 0 {
		s += fmt.Sprintf(" %s in accounts, services, executables and the like are listed under “Changes”.", plural(n, "change", "changes"))
	}
	if n := len(r.Errors); n > 0 {
		s += fmt.Sprintf(" %s could not be examined; see “Not examined” at the end.", plural(n, "part", "parts"))
	}
	return s
}
