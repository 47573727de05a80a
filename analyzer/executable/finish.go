package executable

import (
	"path"
	"strings"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/bootsvc"
	"github.com/doorman-sec/doorman/finding"
)

// binDirs are the folders a program named without a path is found in.
var binDirs = []string{"bin", "sbin", "usr/bin", "usr/sbin", "usr/local/bin", "usr/local/sbin"}

// bootIndex maps display paths of programs to the chain that starts them.
type bootIndex map[string]string

// newBootIndex reads what the boot starts (bootsvc's chains) and keys it
// by the display path the program has in the same file system: an
// absolute program path directly, a bare name in every usual bin folder.
func newBootIndex(p *analyzer.FinishPass) bootIndex {
	idx := bootIndex{}
	for _, b := range bootsvc.Started(p) {
		add := func(name string) {
			key := b.Prefix + name
			if _, ok := idx[key]; !ok {
				idx[key] = b.StartedBy
			}
		}
		prog := b.Program
		if strings.HasPrefix(prog, "/") {
			add(strings.TrimPrefix(path.Clean(prog), "/"))
			continue
		}
		if strings.Contains(prog, "/") {
			continue // relative to a folder the boot cd'ed into: unknown
		}
		for _, d := range binDirs {
			add(d + "/" + prog)
		}
	}
	return idx
}

func finish(fp *analyzer.FinishPass) {
	boot := newBootIndex(fp)
	bins := []Binary{}
	for _, f := range fp.Facts(factExecutable) {
		v, ok := f.Value.(Fact)
		if !ok || v.Info == nil || f.Analyzer != name {
			continue
		}
		startedBy := boot[f.Path]
		if len(bins) < maxInvBinaries {
			bins = append(bins, inventoryEntry(f.Path, v, startedBy))
		}
		ctx := Context{Name: f.Name, InContainer: strings.Contains(f.Path, "!/"), MultiCall: v.MultiCall, StartedBy: startedBy, Credentials: v.Credentials}
		for _, vd := range Judge(v.Info, ctx) {
			fp.Report(newFinding(f, vd))
		}
	}
	fp.Inventory("binaries", bins)
}

func newFinding(f analyzer.Fact, v Verdict) finding.Finding {
	cwe := cweBackdoor
	switch categoryOfRule[v.Rule] {
	case finding.HardcodedCredential:
		cwe = cweCredential
	case finding.ObfuscatedPayload:
		cwe = cweObfuscated
	case finding.SurveillanceCapability:
		cwe = cweSurveil
	}
	return finding.Finding{
		Rule: v.Rule, Category: categoryOfRule[v.Rule], CWE: cwe,
		Severity: v.Severity, Confidence: v.Confidence,
		Title:      Titles[v.Rule],
		Message:    v.Message,
		Location:   finding.Location{Target: f.Target, Path: f.Path},
		Evidence:   v.Evidence,
		References: v.References,
	}
}
