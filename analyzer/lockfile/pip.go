package lockfile

import (
	"bufio"
	"bytes"
	"fmt"
	"net/url"
	"strings"

	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/pkgname"
)

// pypiHosts are the index hosts pip uses by default.
var pypiHosts = map[string]bool{"pypi.org": true, "pypi.python.org": true, "files.pythonhosted.org": true}

// checkPip reads a requirements file. Without --hash on every requirement
// pip installs whatever the index serves (one finding per file, not per
// line); --extra-index-url makes pip pick the highest version from either
// index, which is how Alex Birsan's 2021 dependency-confusion attack
// installed his packages inside companies; an index over plain HTTP can be
// swapped on the path.
func checkPip(r *reporter, data []byte) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	reqs, hashed, firstUnhashed := 0, 0, 0
	var logical strings.Builder
	start := 0
	for ln := 1; sc.Scan(); ln++ {
		line := sc.Text()
		if i := strings.Index(line, " #"); i >= 0 {
			line = line[:i]
		}
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			line = ""
		}
		if logical.Len() == 0 {
			start = ln
		}
		if strings.HasSuffix(line, "\\") {
			logical.WriteString(strings.TrimSuffix(line, "\\") + " ")
			continue
		}
		logical.WriteString(line)
		l := strings.TrimSpace(logical.String())
		logical.Reset()
		if l == "" {
			continue
		}
		if strings.HasPrefix(l, "-") {
			checkPipOption(r, l, start)
			continue
		}
		reqs++
		if strings.Contains(l, "--hash=") || strings.Contains(l, "--hash ") {
			hashed++
		} else if firstUnhashed == 0 {
			firstUnhashed = start
		}
		if name := pipName(l); name != "" {
			r.checkName(pkgname.PyPI, name, atLine(start))
		}
		if u := pipURL(l); u != "" && strings.HasPrefix(strings.ToLower(u), "http://") {
			r.report(rulePlain, finding.DependencyRisk, finding.High, finding.ConfidenceHigh,
				"Dependency downloaded over plain HTTP",
				fmt.Sprintf("a requirement is fetched from %s over plain HTTP", redactURL(u)), atLine(start), redactURL(u))
		} else if strings.HasPrefix(strings.ToLower(u), "git+") {
			r.report(ruleVCS, finding.DependencyRisk, finding.Low, finding.ConfidenceHigh,
				"Dependency installed from a git repository",
				fmt.Sprintf("a requirement comes from %s, not from the index", redactURL(u)), atLine(start), redactURL(u))
		}
	}
	if reqs > 0 && hashed < reqs {
		r.report(rulePipHash, finding.DependencyRisk, finding.Info, finding.ConfidenceHigh,
			"Requirements not pinned by hash",
			fmt.Sprintf("%d of %d requirements have no --hash: pip installs whatever the index serves for them", reqs-hashed, reqs),
			atLine(firstUnhashed), fmt.Sprintf("%d/%d unhashed", reqs-hashed, reqs),
			"https://pip.pypa.io/en/stable/topics/secure-installs/")
	}
}

// checkPipOption judges the index options.
func checkPipOption(r *reporter, l string, line int) {
	fields := strings.Fields(strings.ReplaceAll(l, "=", " "))
	if len(fields) < 2 {
		return
	}
	opt, val := fields[0], fields[1]
	switch opt {
	case "--extra-index-url":
		r.report(ruleIndex, finding.DependencyRisk, finding.High, finding.ConfidenceMedium,
			"Extra package index: dependency confusion",
			fmt.Sprintf("--extra-index-url %s: pip takes the highest version from either index, so anyone who publishes an internal package's name on PyPI wins", redactURL(val)),
			atLine(line), opt+" "+redactURL(val),
			"https://medium.com/@alex.birsan/dependency-confusion-4a5d60fec610")
	case "-i", "--index-url", "-f", "--find-links":
		u, err := url.Parse(val)
		if err != nil || u.Host == "" {
			return
		}
		if u.Scheme == "http" {
			r.report(rulePlain, finding.DependencyRisk, finding.High, finding.ConfidenceHigh,
				"Package index over plain HTTP",
				fmt.Sprintf("%s %s: packages are fetched over plain HTTP", opt, redactURL(val)), atLine(line), opt+" "+redactURL(val))
			return
		}
		if !pypiHosts[strings.ToLower(u.Hostname())] {
			r.report(ruleIndex, finding.DependencyRisk, finding.Low, finding.ConfidenceLow,
				"Package index other than PyPI",
				fmt.Sprintf("%s %s: packages come from %s", opt, redactURL(val), u.Hostname()), atLine(line), opt+" "+redactURL(val))
		}
	case "--trusted-host":
		r.report(rulePlain, finding.DependencyRisk, finding.Medium, finding.ConfidenceHigh,
			"TLS checks disabled for a package host",
			fmt.Sprintf("--trusted-host %s lets pip accept that host without a valid certificate", val), atLine(line), opt+" "+val)
	}
}

// pipName returns the project name of a requirement line, "" for URLs,
// paths and editable installs.
func pipName(l string) string {
	if strings.Contains(l, "://") && !strings.Contains(l, "@ ") {
		return ""
	}
	end := strings.IndexFunc(l, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.')
	})
	if end < 0 {
		end = len(l)
	}
	return l[:end]
}

// pipURL returns the URL of a direct-reference requirement
// ("name @ https://…", "git+https://…").
func pipURL(l string) string {
	for _, f := range strings.Fields(l) {
		if strings.Contains(f, "://") {
			return f
		}
	}
	return ""
}
