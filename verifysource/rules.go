package verifysource

import (
	"fmt"

	"github.com/doorman-sec/doorman/finding"
)

// Rule ids of verify-source findings.
const (
	ruleM4Tampered   = "DM-VSRC-001" // a known m4 macro file matching no pristine version
	rulePayload      = "DM-VSRC-002" // payload-extraction shell code added to a build file
	ruleBuildFile    = "DM-VSRC-003" // a build-time file only in the release, or changed
	ruleBinaryAdded  = "DM-VSRC-004" // a binary file only in the release
	ruleChanged      = "DM-VSRC-005" // a file's content differs from the tag
	ruleAdded        = "DM-VSRC-006" // a text file only in the release, not explained
	ruleDropped      = "DM-VSRC-007" // source files of the tag missing from the release
	ruleAuxUnknown   = "DM-VSRC-008" // a build-aux helper that matches no pristine version
	ruleDuplicate    = "DM-VSRC-009" // a name present twice with different content
	ruleLineEndings  = "DM-VSRC-010" // only line endings differ
	ruleSymlinkAdded = "DM-VSRC-011" // a symlink only in the release, or retargeted
)

// Rules lists the rule ids with their titles, for `doorman rules`.
var rules = map[string]string{
	ruleM4Tampered:   "m4 macro file in the release matches no pristine upstream version",
	rulePayload:      "Build file in the release extracts or runs hidden data",
	ruleBuildFile:    "Build-time file in the release is not in the tagged source",
	ruleBinaryAdded:  "Binary file in the release is not in the tagged source",
	ruleChanged:      "File in the release differs from the tagged source",
	ruleAdded:        "File in the release is not in the tagged source",
	ruleDropped:      "Release lacks source files of the tag",
	ruleAuxUnknown:   "Build helper in the release matches no known upstream version",
	ruleDuplicate:    "Release archive holds one name twice with different content",
	ruleLineEndings:  "File in the release differs from the tag in line endings only",
	ruleSymlinkAdded: "Symlink in the release is not in the tagged source",
}

// Rules returns the rule ids and titles of verify-source.
func Rules() map[string]string {
	out := make(map[string]string, len(rules))
	for k, v := range rules {
		out[k] = v
	}
	return out
}

var (
	cweTamper   = []string{"CWE-506"}
	cweMismatch = []string{"CWE-506", "CWE-345"}
	xzRefs      = []string{"https://research.swtch.com/xz-script", "https://www.openwall.com/lists/oss-security/2024/03/29/4"}
)

// report adds a finding located at a release member.
func (c *comparer) report(rule string, m *member, sev finding.Severity, conf finding.Confidence, msg, evidence string) {
	cat, cwe := finding.ReleaseSourceMismatch, cweMismatch
	var refs []string
	switch rule {
	case ruleM4Tampered, rulePayload, ruleBuildFile, ruleAuxUnknown:
		cat, cwe, refs = finding.BuildTampering, cweTamper, xzRefs
	}
	c.res.Findings = append(c.res.Findings, finding.Finding{
		Rule: rule, Category: cat, CWE: cwe, Severity: sev, Confidence: conf,
		Title: rules[rule], Message: msg, Location: finding.Location{Path: m.path},
		Evidence: clip(evidence, 600), References: refs,
	})
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
