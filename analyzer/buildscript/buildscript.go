// Package buildscript is the analyzer for build and CI files that extract,
// decode or download code and run it: the xz-utils 5.6 pattern (an m4
// macro that pulls a script out of a "corrupt" test file with sed, tr,
// head and xz and evals it), obfuscated shell fed to eval, downloads run at
// build time without a checksum, and GitHub Actions workflows that run a
// pull request's code with the repository's secrets or interpolate
// attacker-controlled text into a shell.
//
// It reads m4 files, configure scripts and their sources, Makefiles,
// CMake files, build.rs, setup.py, meson.build, the scripts in build-aux
// and .github/workflows. Generated autotools output is full of eval and
// sed; what it never has is decompression or byte slicing of data files
// on the same command as eval, which is what the rules look for.
package buildscript

import (
	"path"
	"strings"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/finding"
)

// Analyzer is the build-script analyzer.
var Analyzer = &analyzer.Analyzer{
	Name: "buildscript",
	Doc:  "build and CI files that extract, decode or download code and run it (xz-utils style), unpinned build downloads, GitHub Actions pwn requests and script injection",
	Wants: func(e *artifact.Entry) bool {
		return e.IsRegular() && e.Size > 0 && e.Size <= analyzer.MaxData && kindOf(e.Name) != ""
	},
	Run: run,
}

// File kinds by name.
const (
	kindShell    = "shell" // m4, configure, Makefiles, build-aux scripts, meson
	kindCMake    = "cmake"
	kindBuildRS  = "build.rs"
	kindSetupPy  = "setup.py"
	kindWorkflow = "workflow"
)

// Rule ids.
const (
	ruleExtract   = "DM-BLD-001"
	ruleObfus     = "DM-BLD-002"
	ruleCurlSh    = "DM-BLD-003"
	ruleCMakeDL   = "DM-BLD-004"
	ruleBuildRS   = "DM-BLD-005"
	ruleSetupPy   = "DM-BLD-006"
	rulePwnReq    = "DM-BLD-010"
	ruleInjection = "DM-BLD-011"
	ruleTagPin    = "DM-BLD-012"
	maxPerRule    = 10
	maxEvidence   = 200
)

const (
	refXZ     = "https://research.swtch.com/xz-script"
	refXZGist = "https://gist.github.com/thesamesam/223949d5a074ebc3dce9ee78baad9e27"
	refPwn    = "https://securitylab.github.com/resources/github-actions-preventing-pwn-requests/"
	refInject = "https://securitylab.github.com/resources/github-actions-untrusted-input/"
	refPin    = "https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-third-party-actions"
)

func kindOf(name string) string {
	low := strings.ToLower(name)
	base := path.Base(low)
	dir := path.Dir(low)
	switch {
	case strings.Contains("/"+dir+"/", "/.github/workflows/") && (strings.HasSuffix(base, ".yml") || strings.HasSuffix(base, ".yaml")):
		return kindWorkflow
	case base == "cmakelists.txt" || strings.HasSuffix(base, ".cmake"):
		return kindCMake
	case base == "build.rs":
		return kindBuildRS
	case base == "setup.py":
		return kindSetupPy
	case strings.HasSuffix(base, ".m4"), base == "configure", base == "configure.ac", base == "configure.in",
		base == "makefile", base == "gnumakefile", strings.HasPrefix(base, "makefile."), strings.HasSuffix(base, ".mk"),
		base == "meson.build", base == "autogen.sh", base == "bootstrap", base == "bootstrap.sh",
		strings.Contains("/"+dir+"/", "/build-aux/"):
		return kindShell
	}
	return ""
}

func run(p *analyzer.Pass) {
	data := p.Data()
	if data == nil {
		return
	}
	r := &reporter{p: p, test: analyzer.InTestOrDocs(p.Entry), counts: map[string]int{}}
	switch kindOf(p.Entry.Name) {
	case kindShell:
		checkShell(r, data)
	case kindCMake:
		checkShell(r, data)
		checkCMake(r, data)
	case kindBuildRS:
		checkBuildRS(r, data)
	case kindSetupPy:
		checkSetupPy(r, data)
	case kindWorkflow:
		checkWorkflow(r, data)
	}
}

// reporter bounds findings per rule and lowers severity for build files
// that themselves live in test or documentation folders. (xz's payload
// hid in tests/, but its extractor was in m4/: the build file is what is
// judged, by its own location.)
type reporter struct {
	p      *analyzer.Pass
	test   bool
	counts map[string]int
}

func (r *reporter) report(rule string, cat finding.Category, sev finding.Severity, conf finding.Confidence, title, msg string, line int, evidence string, refs ...string) {
	r.counts[rule]++
	if r.counts[rule] > maxPerRule {
		return
	}
	if r.test && sev > finding.Low {
		sev--
	}
	evidence = strings.TrimSpace(evidence)
	if len(evidence) > maxEvidence {
		evidence = evidence[:maxEvidence] + "…"
	}
	cwe := []string{"CWE-506"}
	if cat == finding.DownloadExecute {
		cwe = []string{"CWE-494"}
	} else if rule == ruleInjection {
		cwe = []string{"CWE-78", "CWE-94"}
	} else if rule == rulePwnReq || rule == ruleTagPin {
		cwe = []string{"CWE-829"}
	}
	r.p.Report(finding.Finding{
		Rule: rule, Category: cat, CWE: cwe, Severity: sev, Confidence: conf,
		Title: title, Message: msg, Location: finding.Location{Line: line},
		Evidence: evidence, References: refs,
	})
}
