package pybehavior_test

import (
	"testing"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/analyzertest"
	"github.com/doorman-sec/doorman/analyzer/pkgmeta"
	"github.com/doorman-sec/doorman/analyzer/pybehavior"
	"github.com/doorman-sec/doorman/finding"
)

func scan(t *testing.T, files map[string]string) *finding.Report {
	t.Helper()
	return analyzertest.Scan(t, []*analyzer.Analyzer{pkgmeta.Analyzer, pybehavior.Analyzer}, files)
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	s := ""
	for ; i > 0; i /= 10 {
		s = string(rune('0'+i%10)) + s
	}
	return s
}

// one runs a single file and returns its findings.
func one(t *testing.T, name, src string) []finding.Finding {
	t.Helper()
	return scan(t, map[string]string{name: src}).Findings
}

func has(fs []finding.Finding, rule string) *finding.Finding {
	for i := range fs {
		if fs[i].Rule == rule {
			return &fs[i]
		}
	}
	return nil
}
