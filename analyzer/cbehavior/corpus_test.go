package cbehavior

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

// TestCorpus runs the analyzer over the C and C++ sources of real trees
// named in DOORMAN_C_CORPUS (colon separated: /usr/include, gnulib, the C
// files of the Go tree) and fails on any high or critical finding. It
// drives Run and Finish directly over plain files (the scan pipeline
// would also open every archive in those trees, which is not the point).
func TestCorpus(t *testing.T) {
	dirs := os.Getenv("DOORMAN_C_CORPUS")
	if dirs == "" {
		t.Skip("DOORMAN_C_CORPUS not set")
	}
	for _, d := range strings.Split(dirs, ":") {
		fs := scanTree(t, Analyzer, d)
		bySev := map[finding.Severity]int{}
		for _, f := range fs {
			bySev[f.Severity]++
			if f.Severity >= finding.Medium {
				t.Logf("%s %s %s:%d %s [%s]", f.Rule, f.Severity, f.Location.Path, f.Location.Line, f.Message, f.Evidence)
			}
			if f.Severity >= finding.High {
				t.Fail()
			}
		}
		t.Logf("%s: findings by severity %v", d, bySev)
	}
}

// scanTree runs a on every regular file under root that it wants.
func scanTree(t *testing.T, a *analyzer.Analyzer, root string) []finding.Finding {
	var facts []analyzer.Fact
	var out []finding.Finding
	files := 0
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		e := &artifact.Entry{Target: root, Path: root + "/" + rel, Name: rel, Kind: artifact.KindText, Size: info.Size(), Mode: info.Mode()}
		if !a.Wants(e) {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		files++
		sh := analyzer.NewShared(e, nil, data)
		pass := analyzer.NewPass(a, sh, nil, func(f finding.Finding) { out = append(out, f) }, func(f analyzer.Fact) { facts = append(facts, f) })
		a.Run(pass)
		return nil
	})
	fp := analyzer.NewFinishPass(a, facts, func(f finding.Finding) { out = append(out, f) }, func(string, any) {})
	a.Finish(fp)
	t.Logf("%s: %d source files", root, files)
	return out
}
