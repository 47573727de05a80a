package report

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/doorman-sec/doorman/finding"
)

func TestTextRich(t *testing.T) {
	out := render(t, "text", richReport(), Options{})
	lines := strings.Split(out, "\n")
	if want := "doorman 0.3.0 · scan · router.bin, my firmware/app v2.tar.gz, src, /srv/build/out, a:b · 812 ms"; lines[0] != want {
		t.Errorf("header\n got %q\nwant %q", lines[0], want)
	}
	for _, want := range []string{
		// Every part of a finding.
		"[CRITICAL] Account with a published default password",
		"rule      DM-ACCT-002 · backdoor-account · CWE-798, CWE-1392 · confidence high",
		"where     router.bin!/squashfs@0x1a0000!/etc/shadow:2",
		"message   account 'admin' in /etc/shadow has the password '1***' (vendor default)",
		"evidence  admin:$1$…:0:0:99999:7:::",
		"see       https://nvd.nist.gov/vuln/detail/CVE-2019-0001",
		"see       https://attack.mitre.org/techniques/T1021/ (+1 more)",
		// Column and offset positions.
		"where     my firmware/app v2.tar.gz!/package/install.sh:3:7",
		"where     router.bin!/squashfs@0x1a0000!/usr/sbin/httpd (offset 0x4f2a)",
		// Errors and summary.
		"Not examined (2)",
		"router.bin!/jffs2@0x7e0000!/var/log archive.tar",
		"truncated image: 4096 of 65536 bytes",
		"Summary: 8 findings (2 critical, 2 high, 1 medium, 2 low, 1 info);",
		"scanned 1,532 files, 39.3 MiB; 2 parts not examined",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q", want)
		}
	}
	if strings.Contains(out, "No findings") {
		t.Error(`"No findings" in a report with findings`)
	}
}

func TestTextSeverityOrder(t *testing.T) {
	out := render(t, "text", richReport(), Options{})
	last := -1
	for _, head := range []string{"CRITICAL: 2 findings", "HIGH: 2 findings", "MEDIUM: 1 finding", "LOW: 2 findings", "INFO: 1 finding"} {
		i := strings.Index(out, "\n"+head+"\n")
		if i < 0 {
			t.Fatalf("heading %q missing", head)
		}
		if i < last {
			t.Errorf("heading %q out of order", head)
		}
		last = i
	}
	// Inside a severity, findings follow their paths.
	a := strings.Index(out, "router.bin!/jffs2@0x7e0000!/etc/passwd:1")
	b := strings.Index(out, "router.bin!/squashfs@0x1a0000!/etc/shadow:2")
	if a < 0 || b < 0 || a > b {
		t.Error("critical findings not in path order")
	}
	// The order of sections: findings, errors, summary.
	if !(strings.Index(out, "INFO: 1 finding") < strings.Index(out, "Not examined") &&
		strings.Index(out, "Not examined") < strings.Index(out, "Summary:")) {
		t.Error("sections out of order")
	}
}

func TestTextColor(t *testing.T) {
	plain := render(t, "text", richReport(), Options{})
	if strings.Contains(plain, "\x1b") {
		t.Error("escape character in output without Color")
	}
	colored := render(t, "text", richReport(), Options{Color: true})
	for _, want := range []string{
		severityColors[finding.Critical] + "[CRITICAL]" + ansiReset,
		severityColors[finding.High] + "HIGH: 2 findings" + ansiReset,
		ansiBold + "doorman 0.3.0",
	} {
		if !strings.Contains(colored, want) {
			t.Errorf("coloured output lacks %q", want)
		}
	}
	// Removing the codes gives back the plain text.
	stripped := colored
	for _, code := range []string{ansiReset, ansiBold, ansiDim} {
		stripped = strings.ReplaceAll(stripped, code, "")
	}
	for _, code := range severityColors {
		stripped = strings.ReplaceAll(stripped, code, "")
	}
	if stripped != plain {
		t.Error("coloured output differs from plain output beyond the colour codes")
	}
}

func TestTextUntrustedCharacters(t *testing.T) {
	out := render(t, "text", richReport(), Options{Color: true})
	// The evidence's own escape sequences must not reach the terminal.
	for _, raw := range []string{"\x1b[31m", "\x1b]0;", "\x07", "\u202e", "\u2066"} {
		if strings.Contains(out, raw) {
			t.Errorf("raw %q from evidence reached the output", raw)
		}
	}
	for _, want := range []string{`ybtide\x1b[31m\x1b]0;pwned\x07`, `/* \u202e } \u2066if (isAdmin)\u2069`} {
		if !strings.Contains(out, want) {
			t.Errorf("escaped form %q missing", want)
		}
	}
}

func TestTextWidth(t *testing.T) {
	r := richReport()
	r.Findings[0].Message = strings.Repeat("a long message that goes on and on ", 12)
	r.Findings[1].Evidence = strings.Repeat("Zm9vYmFy", 300) // one long base64 word
	r.Findings[2].Title = strings.Repeat("A very long title ", 10)
	r.Errors[0].Error = strings.Repeat("a long reason ", 20)
	out := render(t, "text", r, Options{})
	for _, l := range strings.Split(out, "\n") {
		// Paths are never broken: people copy them.
		if strings.HasPrefix(l, "    where") {
			continue
		}
		if n := utf8.RuneCountInString(l); n > textWidth {
			t.Errorf("line of %d columns: %q", n, l)
		}
	}
	if !strings.Contains(out, "more characters (see --format json)") {
		t.Error("long evidence not cut with a note")
	}
}

func TestTextEmpty(t *testing.T) {
	out := render(t, "text", emptyReport(), Options{})
	want := "doorman 0.3.0 · scan · 0 ms\n\nNo findings.\n\nSummary: 0 findings (0 critical, 0 high, 0 medium, 0 low, 0 info); scanned 0 files, 0 B\n"
	if out != want {
		t.Errorf("empty report\n got %q\nwant %q", out, want)
	}
}

func TestTextNoFindingsAboveMin(t *testing.T) {
	r := emptyReport()
	r.Findings = []finding.Finding{{Rule: "L", Severity: finding.Low, Title: "low"}}
	r.Errors = []finding.Error{{Path: "x.bin", Error: "truncated"}}
	out := render(t, "text", r, Options{MinSeverity: finding.High})
	if !strings.Contains(out, "No findings at or above high. Some parts could not be examined; see below.") {
		t.Errorf("no plain statement of no findings:\n%s", out)
	}
}

func TestTextRemoved(t *testing.T) {
	out := render(t, "text", diffReport(), Options{})
	if !strings.Contains(out, "No longer present (1 finding)") ||
		!strings.Contains(out, "[HIGH] Old telnet service · DM-SVC-001 · router.bin!/squashfs@0x1a0000!/etc/init.d/rcS:12") {
		t.Errorf("removed findings not listed:\n%s", out)
	}
}

func TestFitList(t *testing.T) {
	names := []string{"alpha.bin", "beta.bin", "gamma.bin", "delta.bin"}
	if got := fitList(names, 100); got != "alpha.bin, beta.bin, gamma.bin, delta.bin" {
		t.Errorf("all fit: %q", got)
	}
	if got := fitList(names, 35); got != "alpha.bin, beta.bin and 2 more" {
		t.Errorf("some fit: %q", got)
	}
	if got := fitList(names, 3); got != "alpha.bin and 3 more" {
		t.Errorf("none fit: %q", got)
	}
}
