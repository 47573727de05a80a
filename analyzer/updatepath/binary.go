package updatepath

import (
	"fmt"
	"strings"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/inventory"
	"github.com/doorman-sec/doorman/finding"
)

// maxURLHits bounds the http:// strings examined in one binary.
const maxURLHits = 2000

// runBinary is the string-level heuristic for compiled update daemons: a
// plain-http firmware URL, a flashing command, and no string that speaks
// of signatures or verification. Strings cannot show the code's flow, so
// the finding is medium with low confidence.
func runBinary(p *analyzer.Pass) {
	var flash, url string
	var urlOff int64 = -1
	seen := 0
	for _, h := range p.Hits() {
		switch {
		case h.Keyword >= 9 && h.Keyword <= 13:
			return // usign, verify, signature: some check exists
		case h.Keyword >= 5 && h.Keyword <= 7:
			if flash == "" {
				flash = p.Keyword(h)
			}
		case h.Keyword == 8 && urlOff < 0 && seen < maxURLHits:
			seen++
			if s := cString(p.ReadAt(h.Offset, 256)); firmwareURL(s) {
				url, urlOff = s, h.Offset
			}
		}
	}
	if flash == "" || urlOff < 0 {
		return
	}
	sev := finding.Medium
	if analyzer.InTestOrDocs(p.Entry) {
		sev = finding.Low
	}
	off := urlOff
	masked := clip(inventory.MaskURL(url))
	p.Report(finding.Finding{
		Rule: RuleDaemon, Category: finding.UpdateIntegrity, CWE: []string{"CWE-494", "CWE-345"},
		Severity: sev, Confidence: finding.ConfidenceLow, Title: Titles[RuleDaemon],
		Message: fmt.Sprintf("the program holds the firmware URL %s (plain http) and the flashing command %q, and no string naming usign, a signature or verification: it likely flashes what it downloads without checking who built it",
			masked, flash),
		Location:   finding.Location{Offset: &off},
		Evidence:   masked + " … " + flash,
		References: []string{refCWE494},
	})
}

// cString returns the printable text at the start of b, up to a NUL or a
// control byte.
func cString(b []byte) string {
	for i, c := range b {
		if c < 0x20 || c >= 0x7f {
			return string(b[:i])
		}
	}
	return string(b)
}

// firmwareURL reports whether a string looks like where firmware images
// are fetched from: ".../firmware/model_%s.bin", "http://%s/fw/latest.img".
func firmwareURL(s string) bool {
	l := strings.ToLower(s)
	if !strings.HasPrefix(l, "http://") {
		return false
	}
	named := false
	for _, w := range []string{"firmware", "upgrade", "/fw", "_fw", "fw_", "fw.", "/update"} {
		if strings.Contains(l, w) {
			named = true
		}
	}
	image := false
	for _, w := range []string{".bin", ".img", ".trx", ".chk", ".tar", ".ubi", "%s"} {
		if strings.Contains(l, w) {
			image = true
		}
	}
	return named && image
}
