package lockfile

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"

	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/pkgname"
)

// cratesIO is the source Cargo writes for crates.io packages (and the
// sparse protocol's spelling).
var cratesIO = map[string]bool{
	"registry+https://github.com/rust-lang/crates.io-index": true,
	"sparse+https://index.crates.io/":                       true,
}

// checkCargo reads Cargo.lock's [[package]] tables line by line (the file
// is TOML written by Cargo in one fixed layout). Packages without a source
// are the workspace's own; crates.io packages must carry a checksum; git
// sources and other registries are reported.
func checkCargo(r *reporter, data []byte) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	type pkg struct {
		name, source, checksum string
		line, sourceLine       int
	}
	var cur *pkg
	flush := func() {
		if cur == nil || cur.name == "" {
			return
		}
		r.checkName(pkgname.Crates, cur.name, atLine(cur.line))
		switch {
		case cur.source == "":
		case cratesIO[cur.source]:
			if cur.checksum == "" {
				r.report(ruleCargoSum, finding.DependencyRisk, finding.Medium, finding.ConfidenceMedium,
					"crates.io package without a checksum",
					fmt.Sprintf("crate %s from crates.io has no checksum in Cargo.lock: Cargo writes one for every registry crate, so it was removed", cur.name),
					atLine(cur.line), cur.name)
			} else if !validHex(cur.checksum, 32) {
				r.report(ruleBadHash, finding.DependencyRisk, finding.High, finding.ConfidenceHigh,
					"Malformed checksum in lockfile",
					fmt.Sprintf("crate %s has checksum %q, which is not a sha256 hex digest", cur.name, cur.checksum), atLine(cur.line), cur.checksum)
			}
		case strings.HasPrefix(cur.source, "git+"):
			sev := finding.Low
			if strings.HasPrefix(cur.source, "git+http://") || strings.HasPrefix(cur.source, "git+git://") {
				sev = finding.High
			}
			r.report(ruleCargoSrc, finding.DependencyRisk, sev, finding.ConfidenceHigh,
				"Crate from a git repository",
				fmt.Sprintf("crate %s comes from %s, not crates.io", cur.name, redactURL(cur.source)), atLine(cur.sourceLine), redactURL(cur.source))
		default:
			r.report(ruleCargoSrc, finding.DependencyRisk, finding.Medium, finding.ConfidenceMedium,
				"Crate from a registry other than crates.io",
				fmt.Sprintf("crate %s comes from %s", cur.name, redactURL(cur.source)), atLine(cur.sourceLine), redactURL(cur.source),
				"https://medium.com/@alex.birsan/dependency-confusion-4a5d60fec610")
		}
	}
	for ln := 1; sc.Scan(); ln++ {
		line := strings.TrimSpace(sc.Text())
		if line == "[[package]]" {
			flush()
			cur = &pkg{line: ln}
			continue
		}
		if strings.HasPrefix(line, "[") {
			flush()
			cur = nil
			continue
		}
		if cur == nil {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		v = strings.Trim(strings.TrimSpace(v), `"`)
		switch strings.TrimSpace(k) {
		case "name":
			cur.name, cur.line = v, ln
		case "source":
			cur.source, cur.sourceLine = v, ln
		case "checksum":
			cur.checksum = v
		}
	}
	flush()
}
