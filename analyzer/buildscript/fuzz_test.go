package buildscript

import (
	"testing"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/finding"
)

// FuzzBuildFiles runs every file kind's checks on arbitrary bytes: no
// panic, findings bounded.
func FuzzBuildFiles(f *testing.F) {
	f.Add([]byte(xzM4))
	f.Add([]byte(xzStage2))
	f.Add([]byte("on: pull_request_target\njobs:\n  a:\n    steps:\n      - uses: actions/checkout@v4\n        with: {ref: refs/pull/1/head}\n      - run: make\n"))
	f.Add([]byte("ExternalProject_Add(x URL http://x (((\n"))
	f.Add([]byte("a \\\n\\\n\\"))
	names := []string{"m4/x.m4", "CMakeLists.txt", "build.rs", "setup.py", ".github/workflows/ci.yml"}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, n := range names {
			e := &artifact.Entry{Target: "t", Path: "t/" + n, Name: n, Kind: artifact.KindText, Size: int64(len(data))}
			count := 0
			p := analyzer.NewPass(Analyzer, analyzer.NewShared(e, nil, data), nil, func(finding.Finding) { count++ }, func(analyzer.Fact) {})
			Analyzer.Run(p)
			if count > 10*maxPerRule {
				t.Fatalf("%s: %d findings", n, count)
			}
		}
	})
}
