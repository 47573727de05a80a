// Package analyzer defines what an analyzer is and what it may use: a Pass
// over one entry (its content, the shared per-entry work such as keyword
// hits and lines, a way to report findings and record facts) and a final
// pass over the facts of the whole walk. Analyzers are plain values, each in
// its own package, listed in the analyzers package.
package analyzer

import (
	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/finding"
)

// Analyzer is one detector.
type Analyzer struct {
	// Name is short and unique ("secrets").
	Name string
	// Doc says in one sentence what it finds.
	Doc string
	// Keywords are literals the analyzer looks for. Every entry's content is
	// scanned once for the keywords of all analyzers together; each
	// analyzer then receives only its own hits (Pass.Hits).
	Keywords []string
	// Wants says cheaply, from the entry's name, kind and size, whether Run
	// must see the entry whatever its keyword hits. When Wants is nil, Run
	// sees only entries where at least one of Keywords occurs.
	Wants func(e *artifact.Entry) bool
	// Run examines one entry. It is called from many goroutines at once,
	// each with its own Pass.
	Run func(p *Pass)
	// Finish, when set, runs once after the walk with every fact recorded,
	// for conclusions that span files.
	Finish func(p *FinishPass)
}

// Fact is something an analyzer learned about an entry, for Finish.
type Fact struct {
	Analyzer string
	Kind     string // analyzer-defined ("account", "boot-command")
	Target   string
	Path     string // the entry's display path
	Name     string // the entry's name inside its container
	Value    any
}

// FinishPass is what Finish may use.
type FinishPass struct {
	Analyzer  *Analyzer
	facts     []Fact
	report    func(finding.Finding)
	inventory func(key string, value any)
}

// NewFinishPass is used by the scan engine.
func NewFinishPass(a *Analyzer, facts []Fact, report func(finding.Finding), inventory func(string, any)) *FinishPass {
	return &FinishPass{Analyzer: a, facts: facts, report: report, inventory: inventory}
}

// Facts returns the facts of the given kind recorded by any analyzer,
// sorted by path, so conclusions do not depend on the walk's order.
func (p *FinishPass) Facts(kind string) []Fact {
	var out []Fact
	for _, f := range p.facts {
		if f.Kind == kind {
			out = append(out, f)
		}
	}
	return out
}

// Report emits a finding from the final pass.
func (p *FinishPass) Report(f finding.Finding) {
	f.SetID()
	p.report(f)
}

// Inventory adds a value to the report's inventory under key.
func (p *FinishPass) Inventory(key string, value any) { p.inventory(key, value) }
