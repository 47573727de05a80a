// Package lockfile is the analyzer for dependency lockfiles: npm's
// package-lock.json and npm-shrinkwrap.json (v1 to v3), yarn.lock (classic
// and berry), pnpm-lock.yaml, pip's requirements files, Cargo.lock and
// go.sum. A lockfile is what makes an install reproducible; it fails at
// that when it lets a dependency come from anywhere (another registry, a
// git branch, plain HTTP), when its hashes are missing or malformed, or
// when a name imitates a popular package (package pkgname). For go.sum, the
// hashes can also be checked against a local module cache (GoModCache).
package lockfile

import (
	"bytes"
	"path"
	"strings"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/finding"
)

// Analyzer is the lockfile analyzer.
var Analyzer = &analyzer.Analyzer{
	Name: "lockfile",
	Doc:  "dependency lockfiles: missing or malformed hashes, dependencies from outside the registry, typosquatted names, go.sum hashes that do not match the module cache",
	Wants: func(e *artifact.Entry) bool {
		return e.IsRegular() && e.Size > 0 && e.Size <= analyzer.MaxData && kindOf(e.Base()) != ""
	},
	Run: run,
}

// Lockfile kinds, by file name.
const (
	kindNPM      = "npm"
	kindYarn     = "yarn"
	kindPnpm     = "pnpm"
	kindPip      = "pip"
	kindCargo    = "cargo"
	kindGoSum    = "gosum"
	maxFindings  = 30 // per rule and file: a thousand unpinned lines are one problem
	maxEvidence  = 200
	ruleNoHash   = "DM-DEP-001"
	ruleBadHash  = "DM-DEP-002"
	ruleOffReg   = "DM-DEP-003"
	ruleVCS      = "DM-DEP-004"
	rulePlain    = "DM-DEP-005"
	rulePipHash  = "DM-DEP-010"
	ruleIndex    = "DM-DEP-011"
	ruleCargoSrc = "DM-DEP-020"
	ruleCargoSum = "DM-DEP-021"
	ruleGoSumBad = "DM-DEP-030"
	ruleGoSumMis = "DM-DEP-031"
	ruleGoSumDB  = "DM-DEP-032"
	ruleName     = "DM-DEP-040"
)

func kindOf(base string) string {
	b := strings.ToLower(base)
	switch {
	case b == "package-lock.json" || b == "npm-shrinkwrap.json":
		return kindNPM
	case b == "yarn.lock":
		return kindYarn
	case b == "pnpm-lock.yaml":
		return kindPnpm
	case b == "cargo.lock":
		return kindCargo
	case b == "go.sum":
		return kindGoSum
	case path.Ext(b) == ".txt" && (strings.HasPrefix(b, "requirements") || strings.HasSuffix(b, "requirements.txt")),
		b == "constraints.txt":
		return kindPip
	}
	return ""
}

func run(p *analyzer.Pass) {
	data := p.Data()
	if data == nil {
		return
	}
	r := &reporter{p: p, test: analyzer.InTestOrDocs(p.Entry), counts: map[string]int{}, names: map[string]bool{}}
	switch kindOf(p.Entry.Base()) {
	case kindNPM:
		checkNPM(r, data)
	case kindYarn:
		checkYarn(r, data)
	case kindPnpm:
		checkPnpm(r, data)
	case kindPip:
		checkPip(r, data)
	case kindCargo:
		checkCargo(r, data)
	case kindGoSum:
		checkGoSum(r, data)
	}
}

// reporter builds findings for one lockfile, bounding them per rule and
// lowering severity in test and documentation folders, where lockfiles
// describe fixtures rather than what ships.
type reporter struct {
	p      *analyzer.Pass
	test   bool
	counts map[string]int
	names  map[string]bool // names already checked for imitation
}

// loc is where a finding is: a known line, or text to look for. Looking
// up text is done only for findings actually reported, so a large
// lockfile costs one pass, not one pass per package.
type loc struct {
	line   int
	needle string
}

func atLine(n int) loc         { return loc{line: n} }
func atText(needle string) loc { return loc{needle: needle} }

func (r *reporter) report(rule string, cat finding.Category, sev finding.Severity, conf finding.Confidence, title, msg string, at loc, evidence string, refs ...string) {
	r.counts[rule]++
	if r.counts[rule] > maxFindings {
		return
	}
	line := at.line
	if line == 0 && at.needle != "" {
		if i := bytes.Index(r.p.Data(), []byte(at.needle)); i >= 0 {
			line, _ = r.p.Line(int64(i))
		}
	}
	if r.test && sev > finding.Low {
		sev--
		if sev > finding.Medium {
			sev = finding.Medium
		}
	}
	if len(evidence) > maxEvidence {
		evidence = evidence[:maxEvidence] + "…"
	}
	cwe := []string{"CWE-829"}
	if rule == ruleName {
		cwe = []string{"CWE-1357", "CWE-829"}
	} else if rule == ruleNoHash || rule == ruleBadHash || rule == rulePipHash || rule == ruleCargoSum || rule == ruleGoSumBad || rule == ruleGoSumMis || rule == ruleGoSumDB {
		cwe = []string{"CWE-494", "CWE-354"}
	}
	r.p.Report(finding.Finding{
		Rule: rule, Category: cat, CWE: cwe, Severity: sev, Confidence: conf,
		Title: title, Message: msg, Location: finding.Location{Line: line},
		Evidence: strings.TrimSpace(evidence), References: refs,
	})
}
