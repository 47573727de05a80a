// Package analyzertest runs analyzers through the real scan pipeline in
// tests: files are written to a temporary folder (or a target is given) and
// scanned with the chosen analyzers only, so a test sees exactly what a user
// would: paths, lines, ids and severities.
package analyzertest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/artifact"
	_ "github.com/doorman-sec/doorman/artifact/formats" // every format, as in the real binary
	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/scan"
)

// Scan writes files (name → content, names may contain slashes) into a
// temporary folder and scans it with the analyzers.
func Scan(t testing.TB, as []*analyzer.Analyzer, files map[string]string) *finding.Report {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return ScanPath(t, as, dir)
}

// ScanPath scans one target (file or folder) with the analyzers.
func ScanPath(t testing.TB, as []*analyzer.Analyzer, target string) *finding.Report {
	t.Helper()
	lim := artifact.DefaultLimits()
	rep, err := scan.Run(context.Background(), []string{target}, scan.Options{Limits: lim, Analyzers: as, Tool: finding.Tool{Name: "doorman", Version: "test"}})
	if err != nil {
		t.Fatalf("scan %s: %v", target, err)
	}
	return rep
}

// Rules returns the rule ids of the findings, in report order.
func Rules(r *finding.Report) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Rule)
	}
	return out
}

// Find returns the findings whose rule has the given prefix and whose path
// ends with suffix.
func Find(r *finding.Report, rulePrefix, pathSuffix string) []finding.Finding {
	var out []finding.Finding
	for _, f := range r.Findings {
		if strings.HasPrefix(f.Rule, rulePrefix) && strings.HasSuffix(f.Location.Path, pathSuffix) {
			out = append(out, f)
		}
	}
	return out
}

// AtLeast returns the findings at or above a severity.
func AtLeast(r *finding.Report, s finding.Severity) []finding.Finding {
	var out []finding.Finding
	for _, f := range r.Findings {
		if f.Severity >= s {
			out = append(out, f)
		}
	}
	return out
}
