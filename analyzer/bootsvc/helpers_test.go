package bootsvc

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/analyzertest"
	"github.com/doorman-sec/doorman/finding"
)

// tree is a file system for a test: files by path, symlinks by path.
type tree struct {
	files map[string]string
	links map[string]string
}

// scanTree writes the tree to a temporary folder (symlinks included, which
// analyzertest.Scan cannot make) and scans it with this analyzer.
func scanTree(t *testing.T, tr tree) *finding.Report {
	t.Helper()
	dir := t.TempDir()
	for name, content := range tr.files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, to := range tr.links {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(to, p); err != nil {
			t.Fatal(err)
		}
	}
	return analyzertest.ScanPath(t, []*analyzer.Analyzer{Analyzer}, dir)
}

// want finds exactly one finding of a rule in a file at a line (any line
// when 0) and checks its severity.
func want(t *testing.T, rep *finding.Report, rule, suffix string, sev finding.Severity, line int) finding.Finding {
	t.Helper()
	var fs []finding.Finding
	for _, f := range analyzertest.Find(rep, rule, suffix) {
		if line == 0 || f.Location.Line == line {
			fs = append(fs, f)
		}
	}
	if len(fs) != 1 {
		t.Fatalf("%s in %s: %d findings, want 1; all: %s", rule, suffix, len(fs), dump(rep))
	}
	f := fs[0]
	if f.Severity != sev {
		t.Errorf("%s in %s: severity %v line %d, want %v line %d: %s", rule, suffix, f.Severity, f.Location.Line, sev, line, f.Message)
	}
	if f.Category != finding.RemoteAccessService || f.Title == "" || f.Message == "" || f.ID == "" {
		t.Errorf("%s: incomplete finding %+v", rule, f)
	}
	return f
}

// quietAbove fails when any finding at or above sev exists.
func quietAbove(t *testing.T, rep *finding.Report, sev finding.Severity) {
	t.Helper()
	if fs := analyzertest.AtLeast(rep, sev); len(fs) != 0 {
		t.Errorf("unexpected findings at or above %v: %s", sev, dump(rep))
	}
}

func dump(rep *finding.Report) string {
	var b strings.Builder
	for _, f := range rep.Findings {
		b.WriteString("\n  " + f.Rule + " " + f.Severity.String() + " " + f.Location.Path + ":" + itoa(f.Location.Line) + " " + f.Message)
	}
	for _, e := range rep.Errors {
		b.WriteString("\n  error " + e.Path + ": " + e.Error)
	}
	return b.String()
}

// services returns the inventory's services.
func services(t *testing.T, rep *finding.Report) []Service {
	t.Helper()
	v, ok := rep.Inventory["services"]
	if !ok {
		return nil
	}
	s, ok := v.([]Service)
	if !ok {
		t.Fatalf("inventory services is %T", v)
	}
	return s
}
