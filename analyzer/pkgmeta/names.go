package pkgmeta

import (
	"fmt"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/pkgname"
)

// RuleName is the finding for a package whose own name imitates a popular
// package of its ecosystem: the package under review may be the typosquat
// (crossenv for cross-env, jeIlyfish for jellyfish). Lockfile dependencies
// are checked by analyzer/lockfile (DM-DEP-040); this is the package itself.
const RuleName = "DM-PKG-001"

// checkNames reports manifests whose package name imitates a popular one.
func checkNames(fp *analyzer.FinishPass, list []Manifest) {
	seen := map[string]bool{}
	for _, m := range list {
		key := m.Ecosystem + "\x00" + m.Name
		if seen[key] {
			continue
		}
		seen[key] = true
		match, kind, ok := pkgname.Check(m.Ecosystem, m.Name)
		if !ok {
			continue
		}
		sev, conf := finding.Medium, finding.ConfidenceMedium
		if kind == pkgname.KindConfusable {
			// Look-alike characters have no innocent use in a package name.
			sev, conf = finding.High, finding.ConfidenceHigh
		}
		fp.Report(finding.Finding{
			Rule: RuleName, Category: finding.DependencyRisk, CWE: []string{"CWE-1357"},
			Severity: sev, Confidence: conf,
			Title:    "Package name imitates a popular package",
			Message:  fmt.Sprintf("%s package %q looks like the popular package %q (%s): check that this is the package you meant to trust", m.Ecosystem, m.Name, match, kind),
			Location: finding.Location{Target: m.target, Path: m.Path},
			Evidence: m.Name,
			References: []string{
				"https://blog.npmjs.org/post/163723642530/crossenv-malware-on-the-npm-registry",
				"https://github.com/dateutil/dateutil/issues/984",
			},
		})
	}
}
