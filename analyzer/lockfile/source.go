package lockfile

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/doorman-sec/doorman/finding"
)

// npmRegistries are the hosts npm, yarn and pnpm resolve to by default.
var npmRegistries = map[string]bool{
	"registry.npmjs.org": true, "registry.npmjs.com": true, "registry.yarnpkg.com": true, "registry.npmmirror.com": false,
}

// checkJSSource judges where an npm-family lockfile says a package comes
// from: the public registry is quiet; plain HTTP lets anyone on the path
// swap the code; git and bare tarball URLs bypass the registry's
// immutability (a branch or tag can be moved); another host is a registry
// the reader did not choose, or a dependency-confusion setup.
func (r *reporter) checkJSSource(name, resolved string, at loc) {
	if resolved == "" {
		return
	}
	low := strings.ToLower(resolved)
	switch {
	case strings.HasPrefix(low, "file:") || strings.HasPrefix(low, "link:") || strings.HasPrefix(low, "workspace:") || strings.HasPrefix(low, "portal:"):
		return // the project's own folders
	case strings.HasPrefix(low, "git+") || strings.HasPrefix(low, "git:") || strings.HasPrefix(low, "github:") || strings.HasPrefix(low, "gitlab:") || strings.HasPrefix(low, "bitbucket:") || strings.HasPrefix(low, "ssh:") || strings.Contains(low, ".git#"):
		sev := finding.Low
		if strings.HasPrefix(low, "git://") {
			sev = finding.High // unauthenticated git protocol
		}
		r.report(ruleVCS, finding.DependencyRisk, sev, finding.ConfidenceHigh,
			"Dependency installed from a git repository",
			fmt.Sprintf("%s comes from %s, not from the registry: what it installs is whatever that repository serves", name, redactURL(resolved)),
			at, redactURL(resolved))
		return
	}
	u, err := url.Parse(resolved)
	if err != nil || u.Host == "" {
		return
	}
	host := strings.ToLower(u.Hostname())
	if u.Scheme == "http" {
		r.report(rulePlain, finding.DependencyRisk, finding.High, finding.ConfidenceHigh,
			"Dependency downloaded over plain HTTP",
			fmt.Sprintf("%s is fetched from %s over plain HTTP: anyone on the path can replace it", name, redactURL(resolved)),
			at, redactURL(resolved))
		return
	}
	if npmRegistries[host] {
		return
	}
	sev := finding.Medium
	what := "another registry or server"
	if host == "github.com" || host == "codeload.github.com" || host == "gitlab.com" || host == "bitbucket.org" {
		sev, what = finding.Low, "a code host tarball"
	}
	r.report(ruleOffReg, finding.DependencyRisk, sev, finding.ConfidenceMedium,
		"Dependency resolved outside the public registry",
		fmt.Sprintf("%s is resolved from %s (%s), not registry.npmjs.org", name, host, what),
		at, redactURL(resolved),
		"https://medium.com/@alex.birsan/dependency-confusion-4a5d60fec610")
}

// redactURL removes credentials from a URL before it becomes evidence:
// private registry URLs in lockfiles often carry a token.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	u.User = url.User("***")
	return u.String()
}
