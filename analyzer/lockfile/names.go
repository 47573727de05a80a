package lockfile

import (
	"fmt"

	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/pkgname"
)

// checkName reports a dependency name that imitates a popular package of
// the ecosystem. Each name is judged once per lockfile.
func (r *reporter) checkName(eco, name string, at loc) {
	if name == "" || r.names[eco+"\x00"+name] {
		return
	}
	r.names[eco+"\x00"+name] = true
	match, kind, ok := pkgname.Check(eco, name)
	if !ok {
		return
	}
	sev, conf := finding.Medium, finding.ConfidenceMedium
	if kind == pkgname.KindConfusable {
		// Look-alike characters have no innocent use in a package name.
		sev, conf = finding.High, finding.ConfidenceHigh
	}
	r.report(ruleName, finding.DependencyRisk, sev, conf,
		"Dependency name imitates a popular package",
		fmt.Sprintf("%s dependency %q looks like the popular package %q (%s)", eco, name, match, kind),
		at, name,
		"https://blog.npmjs.org/post/163723642530/crossenv-malware-on-the-npm-registry",
		"https://github.com/dateutil/dateutil/issues/984")
}
