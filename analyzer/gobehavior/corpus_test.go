package gobehavior

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/finding"
)

// TestCorpus runs the analyzer over the Go files of real trees named in
// DOORMAN_GO_CORPUS (colon separated: /usr/local/go/src, the module cache
// of bench/realpkgs.sh) and fails on any high or critical finding outside
// tests. Run and Finish are driven directly over plain files.
func TestCorpus(t *testing.T) {
	dirs := os.Getenv("DOORMAN_GO_CORPUS")
	if dirs == "" {
		t.Skip("DOORMAN_GO_CORPUS not set")
	}
	for _, d := range strings.Split(dirs, ":") {
		var facts []analyzer.Fact
		var out []finding.Finding
		files := 0
		_ = filepath.WalkDir(d, func(p string, de fs.DirEntry, err error) error {
			if err != nil || !de.Type().IsRegular() || !strings.HasSuffix(p, ".go") {
				return nil
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return nil
			}
			rel, _ := filepath.Rel(d, p)
			e := &artifact.Entry{Target: d, Path: d + "/" + rel, Name: rel, Kind: artifact.KindText, Size: int64(len(data))}
			files++
			pass := analyzer.NewPass(Analyzer, analyzer.NewShared(e, nil, data), nil, func(f finding.Finding) { out = append(out, f) }, func(f analyzer.Fact) { facts = append(facts, f) })
			Analyzer.Run(pass)
			return nil
		})
		Analyzer.Finish(analyzer.NewFinishPass(Analyzer, facts, func(f finding.Finding) { out = append(out, f) }, func(string, any) {}))
		bySev := map[finding.Severity]int{}
		for _, f := range out {
			bySev[f.Severity]++
			if f.Severity >= finding.Medium {
				t.Logf("%s %s %s:%d %s [%s]", f.Rule, f.Severity, f.Location.Path, f.Location.Line, f.Message, f.Evidence)
			}
			if f.Severity >= finding.High {
				t.Fail()
			}
		}
		t.Logf("%s: %d Go files, findings by severity %v", d, files, bySev)
	}
}
