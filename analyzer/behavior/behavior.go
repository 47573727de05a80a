// Package behavior is what the behavioural source analyzers (JavaScript,
// Python, PHP, shell, C, Go) share: a finding found while reading one file
// is held back as a fact, and the analyzer's final pass sets its severity
// from when the file runs (pkgmeta.Classifier): install-time code that
// downloads and runs, or sends the environment away, is worse than the same
// code in a library function, and code in tests or docs is only noted.
//
// Usage, in an analyzer:
//
//	Run:    func(p *analyzer.Pass) { ... behavior.Defer(p, f) ... },
//	Finish: behavior.Finish,
//
// and pkgmeta.Analyzer must be registered (it is, in analyzers.New).
package behavior

import (
	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/pkgmeta"
	"github.com/doorman-sec/doorman/finding"
)

// factKind is the fact a deferred finding travels in. Each analyzer only
// sees its own (Finish filters by analyzer name).
const factKind = "behavior-finding"

// Defer records f (with the entry's location filled in) for the final
// pass instead of reporting it now.
func Defer(p *analyzer.Pass, f finding.Finding) {
	if f.Location.Target == "" {
		f.Location.Target = p.Entry.Target
	}
	if f.Location.Path == "" {
		f.Location.Path = p.Entry.Path
	}
	p.AddFact(factKind, f)
}

// Finish reports the analyzer's deferred findings with severities set by
// phase; use it as the analyzer's Finish (or call it from one).
func Finish(fp *analyzer.FinishPass) {
	c := pkgmeta.NewClassifier(fp)
	for _, fact := range fp.Facts(factKind) {
		if fact.Analyzer != fp.Analyzer.Name {
			continue
		}
		f, ok := fact.Value.(finding.Finding)
		if !ok {
			continue
		}
		ph, why := c.Phase(fact.Target, fact.Path, fact.Name)
		Adjust(&f, ph, why)
		fp.Report(f)
	}
}

// Adjust applies the phase policy to a finding written for run-time code:
// install-time code is one level more severe (at most critical) and says
// why; test, example and documentation code is at most low; import-time
// and run-time code keep the analyzer's severity.
func Adjust(f *finding.Finding, ph pkgmeta.Phase, why string) {
	switch ph {
	case pkgmeta.Install:
		if f.Severity < finding.Critical && f.Severity >= finding.Medium {
			f.Severity++
		}
		f.Message += "; " + why
	case pkgmeta.Import:
		f.Message += "; " + why
	case pkgmeta.Test:
		if f.Severity > finding.Low {
			f.Severity = finding.Low
		}
		f.Message += " (" + why + ")"
	}
}
