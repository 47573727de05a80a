package behavior

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/analyzertest"
	"github.com/doorman-sec/doorman/analyzer/pkgmeta"
	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/internal/fixture"
)

// probe defers one high finding for every file holding "FETCHRUN".
var probe = &analyzer.Analyzer{
	Name:     "probe",
	Keywords: []string{"FETCHRUN"},
	Run: func(p *analyzer.Pass) {
		Defer(p, finding.Finding{Rule: "T-1", Category: finding.DownloadExecute, Severity: finding.High, Confidence: finding.ConfidenceHigh, Title: "t", Message: "downloads and runs"})
	},
	Finish: Finish,
}

func TestSeverityFollowsPhase(t *testing.T) {
	dir := t.TempDir()
	tgz := fixture.Gzip(fixture.Tar([]fixture.File{
		{Path: "package/package.json", Data: []byte(`{"name":"x","version":"1.0.0","scripts":{"postinstall":"node install.js"}}`)},
		{Path: "package/install.js", Data: []byte("FETCHRUN\n")},
		{Path: "package/lib/index.js", Data: []byte("FETCHRUN\n")},
		{Path: "package/test/a.js", Data: []byte("FETCHRUN\n")},
	}))
	if err := os.WriteFile(filepath.Join(dir, "x-1.0.0.tgz"), tgz, 0o644); err != nil {
		t.Fatal(err)
	}
	rep := analyzertest.ScanPath(t, []*analyzer.Analyzer{pkgmeta.Analyzer, probe}, dir)
	want := map[string]finding.Severity{"install.js": finding.Critical, "lib/index.js": finding.High, "test/a.js": finding.Low}
	if len(rep.Findings) != len(want) {
		t.Fatalf("findings: %+v", rep.Findings)
	}
	for _, f := range rep.Findings {
		for suffix, sev := range want {
			if strings.HasSuffix(f.Location.Path, "package/"+suffix) && f.Severity != sev {
				t.Errorf("%s: %s, want %s (%s)", suffix, f.Severity, sev, f.Message)
			}
		}
		if strings.HasSuffix(f.Location.Path, "install.js") && !strings.Contains(f.Message, "npm postinstall") {
			t.Errorf("install-time finding does not say why: %s", f.Message)
		}
		if f.ID == "" {
			t.Errorf("no id: %+v", f)
		}
	}
}
