package report

import (
	"fmt"
	"strings"

	"github.com/doorman-sec/doorman/finding"
)

// isDiff reports whether r compares two versions (doorman diff): its
// findings are then what the update introduced, and it may have removed
// findings and changes.
func isDiff(r *finding.Report) bool { return r.Command == "diff" }

// diffTargets names the two versions of a diff report, "OLD → NEW".
func diffTargets(r *finding.Report) string {
	if len(r.Targets) != 2 {
		return strings.Join(targetNames(r), ", ")
	}
	return visible(r.Targets[0].Path, false) + " → " + visible(r.Targets[1].Path, false)
}

// noneIntroduced is the line a diff without findings shows.
func noneIntroduced(min finding.Severity) string {
	if min > finding.Info {
		return fmt.Sprintf("Nothing introduced by this update at or above %s.", min)
	}
	return "Nothing introduced by this update."
}

// introducedHeading leads a diff report: the findings that follow are
// what the update brought, so that is said before them.
func (t *textWriter) introducedHeading(r *finding.Report) {
	t.line(t.paint(ansiBold, fmt.Sprintf("Introduced by this update (%s): %s",
		plural(len(r.Findings), "finding", "findings"), diffTargets(r))))
	t.line("")
}

// changes lists a diff's changes, one block per kind, each change on one
// line (wrapped under itself) with its severity and the id of the finding
// that judges it, if any:
//
//	Changes (4)
//	  account
//	    [HIGH] added support: new account 'support': uid 0, … (finding b829…)
func (t *textWriter) changes(cs []finding.Change) {
	t.line(t.paint(ansiBold, fmt.Sprintf("Changes (%d)", len(cs))))
	pad := strings.Repeat(" ", textIndent)
	kind := ""
	for _, c := range cs {
		if c.Kind != kind {
			kind = c.Kind
			t.line("  " + visible(kind, false))
		}
		tag := "[" + sevName(c.Severity) + "]"
		s := fmt.Sprintf("%s %s", visible(c.Action, false), visible(changeText(c), false))
		if c.Finding != "" {
			s += " (finding " + shortID(c.Finding) + ")"
		}
		lines := wrap(s, textWidth-textIndent-len(tag)-1)
		t.line(pad + t.paint(severityColors[c.Severity], tag) + " " + lines[0])
		for _, l := range lines[1:] {
			t.line(pad + strings.Repeat(" ", len(tag)+1) + l)
		}
	}
	t.line("")
}

// changeText is a change's subject and detail, without repeating the
// subject when the detail already names it.
func changeText(c finding.Change) string {
	if c.Subject == "" || strings.Contains(c.Detail, c.Subject) {
		return c.Detail
	}
	if c.Detail == "" {
		return c.Subject
	}
	return c.Subject + ": " + c.Detail
}

// shortID shortens a finding id for people; the JSON report has it whole.
func shortID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}
