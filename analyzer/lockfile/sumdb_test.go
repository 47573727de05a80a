package lockfile

import (
	"errors"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/analyzertest"
	"github.com/doorman-sec/doorman/finding"
)

// fakeDB answers like the checksum database (gosumdb.Checker, whose own
// tests run against x/mod's test server): one line per known version.
type fakeDB map[string]string

func (d fakeDB) Lookup(path, version string) ([]string, error) {
	if h, ok := d[path+" "+version]; ok {
		return []string{path + " " + version + " " + h}, nil
	}
	return nil, errors.New("not in the checksum database")
}

const (
	goodH1 = "h1:Gm5hT3VZnm0iQ2mFnbaUFQxO2BoIuOTH8C7vPiDdWck="
	evilH1 = "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
)

func TestGoSumAgainstTheChecksumDatabase(t *testing.T) {
	SumDB = fakeDB{"example.com/lib v1.2.0": goodH1, "example.com/lib v1.2.0/go.mod": goodH1}
	t.Cleanup(func() { SumDB = nil })
	r := analyzertest.Scan(t, []*analyzer.Analyzer{Analyzer}, map[string]string{
		"svc/go.sum": "example.com/lib v1.2.0 " + evilH1 + "\n" +
			"example.com/lib v1.2.0/go.mod " + goodH1 + "\n" +
			"corp.example.com/private v0.1.0 " + evilH1 + "\n", // unknown to the database: says nothing
	})
	var got []finding.Finding
	for _, f := range r.Findings {
		if f.Rule == ruleGoSumDB {
			got = append(got, f)
		}
	}
	if len(got) != 1 || got[0].Severity != finding.Critical || got[0].Location.Line != 1 || !strings.Contains(got[0].Message, goodH1) {
		t.Fatalf("want one critical DM-DEP-032 on line 1, got %+v", r.Findings)
	}
}
