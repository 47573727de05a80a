package lockfile

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"

	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/pkgname"
)

// checkYarn reads yarn.lock line by line. Classic (v1) entries carry
// `resolved "URL#sha1"` and `integrity sha512-…`; berry entries carry
// `resolution: "name@npm:1.2.3"` and `checksum: <hex>`. Both start with an
// unindented header naming the package ("lodash@^4.17.21:").
func checkYarn(r *reporter, data []byte) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var name string
	var nameLine int
	var resolved string
	hasHash := false
	for ln := 1; sc.Scan(); ln++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if line[0] != ' ' {
			if name != "" && !hasHash && resolved != "" && isRegistryTarball(resolved) {
				r.report(ruleNoHash, finding.DependencyRisk, finding.Low, finding.ConfidenceMedium,
					"Registry dependency without an integrity hash",
					fmt.Sprintf("%s has no integrity or checksum in yarn.lock", name), atLine(nameLine), name)
			}
			resolved, hasHash = "", false
			name, nameLine = yarnName(line), ln
			if name == "__metadata" {
				name = ""
			}
			if name != "" {
				r.checkName(pkgname.NPM, name, atLine(ln))
			}
			continue
		}
		key, val := yarnField(line)
		switch key {
		case "resolved":
			resolved = val
			if u, frag, ok := strings.Cut(val, "#"); ok && isRegistryTarball(u) {
				resolved = u
				if validHex(frag, 20) {
					hasHash = true
				}
			}
			r.checkJSSource(name, resolved, atLine(ln))
		case "resolution":
			// berry: "lodash@npm:4.17.21", "x@https://…", "x@github:…"
			if i := strings.LastIndex(val, "@"); i > 0 {
				src := val[i+1:]
				if !strings.HasPrefix(src, "npm:") && !strings.HasPrefix(src, "workspace:") && !strings.HasPrefix(src, "patch:") {
					r.checkJSSource(name, src, atLine(ln))
				}
			}
		case "integrity":
			hasHash = true
			if !validSRI(val) {
				r.report(ruleBadHash, finding.DependencyRisk, finding.High, finding.ConfidenceHigh,
					"Malformed integrity hash in lockfile",
					fmt.Sprintf("%s has integrity %q, which is not a well-formed digest", name, val), atLine(ln), val)
			}
		case "checksum":
			hasHash = true
			c := val
			if i := strings.IndexByte(c, '/'); i >= 0 { // "10c0/<hex>" cache key prefix
				c = c[i+1:]
			}
			if !validHex(c, 64) {
				r.report(ruleBadHash, finding.DependencyRisk, finding.High, finding.ConfidenceHigh,
					"Malformed checksum in lockfile",
					fmt.Sprintf("%s has checksum %q, which is not a sha512 hex digest", name, val), atLine(ln), val)
			}
		}
	}
	if name != "" && !hasHash && resolved != "" && isRegistryTarball(resolved) {
		r.report(ruleNoHash, finding.DependencyRisk, finding.Low, finding.ConfidenceMedium,
			"Registry dependency without an integrity hash",
			fmt.Sprintf("%s has no integrity or checksum in yarn.lock", name), atLine(nameLine), name)
	}
}

// yarnName returns the package name of an entry header such as
// `"@babel/core@^7.0.0", "@babel/core@^7.1.0":` or `lodash@^4.17.21:`.
func yarnName(header string) string {
	h := strings.TrimSuffix(strings.TrimSpace(header), ":")
	first, _, _ := strings.Cut(h, ",")
	first = strings.Trim(strings.TrimSpace(first), `"`)
	if i := strings.Index(first[min(1, len(first)):], "@"); i >= 0 {
		return first[:i+min(1, len(first))]
	}
	return first
}

// yarnField splits an indented `key value` (classic) or `key: value`
// (berry) line and unquotes the value.
func yarnField(line string) (string, string) {
	t := strings.TrimSpace(line)
	k, v, ok := strings.Cut(t, " ")
	if !ok {
		return strings.TrimSuffix(t, ":"), ""
	}
	return strings.TrimSuffix(k, ":"), strings.Trim(strings.TrimSpace(v), `"`)
}
