package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/finding"
)

// diffWithChanges is a diff report with one introduced finding, one
// removed and two changes, one of them judged by the finding.
func diffWithChanges() *finding.Report {
	r := diffReport()
	r.Command = "diff"
	r.Targets = []finding.Target{{Path: "fw-1.0.bin"}, {Path: "fw-1.1.bin"}}
	r.Findings = r.Findings[:1]
	r.Changes = []finding.Change{
		{Kind: "account", Action: "added", Subject: "support", Severity: finding.High,
			Detail: "new account 'support': uid 0", Finding: r.Findings[0].ID, Path: "fw-1.1.bin!/squashfs@0x40!/etc/passwd"},
		{Kind: "os", Action: "changed", Subject: "etc/version", Severity: finding.Info,
			Detail: "etc/version 1.0 → 1.1 <b>\x1b[31m", Path: "fw-1.1.bin!/squashfs@0x40!/etc/version"},
	}
	return r
}

func TestTextDiffOrder(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, "text", diffWithChanges(), Options{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	intro := strings.Index(out, "Introduced by this update (1 finding): fw-1.0.bin → fw-1.1.bin")
	removed := strings.Index(out, "No longer present")
	changes := strings.Index(out, "Changes (2)")
	if intro < 0 || removed < intro || changes < removed {
		t.Fatalf("order introduced %d, removed %d, changes %d:\n%s", intro, removed, changes, out)
	}
	if strings.Contains(out, "\x1b[31m") || !strings.Contains(out, `\x1b[31m`) {
		t.Error("escape sequence in a change not made visible")
	}
	if !strings.Contains(out, "[HIGH] added new account 'support': uid 0 (finding ") {
		t.Errorf("change line:\n%s", out)
	}
}

func TestTextDiffNothingIntroduced(t *testing.T) {
	r := diffWithChanges()
	r.Findings = nil
	var b bytes.Buffer
	if err := Write(&b, "text", r, Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "Nothing introduced by this update.") {
		t.Errorf("no findings line:\n%s", b.String())
	}
}

func TestHTMLDiff(t *testing.T) {
	var b bytes.Buffer
	r := diffWithChanges()
	if err := Write(&b, "html", r, Options{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	intro, removed, changes := strings.Index(out, "Introduced by this update"), strings.Index(out, `id="removed"`), strings.Index(out, `id="changes"`)
	if intro < 0 || removed < intro || changes < removed {
		t.Fatalf("order introduced %d, removed %d, changes %d", intro, removed, changes)
	}
	if strings.Contains(out, "<b>") {
		t.Error("change text not escaped")
	}
	if !strings.Contains(out, `href="#f-`+r.Findings[0].ID+`"`) {
		t.Error("change not linked to its finding")
	}
	if !strings.Contains(out, "This update introduces 1 thing") {
		t.Error("diff verdict missing")
	}
}

func TestSARIFDiffHasOnlyIntroduced(t *testing.T) {
	var b bytes.Buffer
	r := diffWithChanges()
	if err := Write(&b, "sarif", r, Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), r.Removed[0].Title) {
		t.Error("SARIF lists a removed finding")
	}
}
