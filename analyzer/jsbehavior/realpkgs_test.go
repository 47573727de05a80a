package jsbehavior

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/analyzertest"
	"github.com/doorman-sec/doorman/analyzer/pkgmeta"
	"github.com/doorman-sec/doorman/finding"
)

// TestRealPackages scans the npm tarballs fetched by bench/realpkgs.sh
// (when present; DOORMAN_REALPKGS=1 to run) and lists every finding: these
// are popular, clean packages, so anything at medium or above is a false
// alarm to explain.
func TestRealPackages(t *testing.T) {
	if os.Getenv("DOORMAN_REALPKGS") == "" {
		t.Skip("set DOORMAN_REALPKGS=1 to scan bench/out/realpkgs/npm")
	}
	tgz, _ := filepath.Glob("../../bench/out/realpkgs/npm/*.tgz")
	if len(tgz) == 0 {
		t.Skip("no packages fetched")
	}
	highs := 0
	for _, p := range tgz {
		rep := analyzertest.ScanPath(t, []*analyzer.Analyzer{pkgmeta.Analyzer, Analyzer}, p)
		for _, f := range rep.Findings {
			t.Logf("%s %s %s:%d %s | %s", f.Severity, f.Rule, f.Location.Path, f.Location.Line, f.Message, f.Evidence)
			if f.Severity >= finding.High {
				highs++
			}
		}
	}
	t.Logf("%d packages, %d high/critical findings", len(tgz), highs)
}
