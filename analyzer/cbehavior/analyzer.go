package cbehavior

import (
	"fmt"
	"path"
	"strings"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/behavior"
	"github.com/doorman-sec/doorman/analyzer/pkgmeta"
	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/finding"
)

// maxFile bounds the sources read; larger ones (amalgamations, generated
// tables) are left to the literal rules.
const maxFile = 8 << 20

// Fact kinds carrying what the final pass resolves across files.
const (
	factCandidate = "cbehavior-candidate"
	factExported  = "cbehavior-exported"
)

var sourceExts = map[string]bool{
	".c": true, ".h": true, ".cc": true, ".cpp": true, ".cxx": true, ".c++": true,
	".hh": true, ".hpp": true, ".hxx": true, ".inc": true, ".ino": true,
}

// Analyzer is the C/C++ behaviour analyzer.
var Analyzer = &analyzer.Analyzer{
	Name: "cbehavior",
	Doc:  "finds magic-value triggers, assignment-in-condition privilege tricks and socket-to-command flows in C and C++ source",
	Wants: func(e *artifact.Entry) bool {
		return e.IsRegular() && e.Size > 0 && e.Size <= maxFile && sourceExts[strings.ToLower(path.Ext(e.Name))]
	},
	Run:    run,
	Finish: finish,
}

func run(p *analyzer.Pass) {
	data := p.Data()
	if data == nil {
		return
	}
	f := parseFile(data)
	fns := f.functions()
	macros := f.macros()

	sums := map[string]summary{}
	for _, m := range macros {
		all := span{0, len(m.body.toks)}
		s := m.body.summarize(all, m.params)
		sums[m.name] = normalize(s)
	}
	for _, fn := range fns {
		s := f.summarize(fn.body, fn.params)
		if old, ok := sums[fn.name]; ok { // #ifdef variants: union
			s.Acts |= old.Acts
			s.ArgCmd = s.ArgCmd || old.ArgCmd
			s.Calls = append(s.Calls, old.Calls...)
		}
		sums[fn.name] = normalize(s)
	}
	r := newResolver(sums)
	for name := range sums {
		if e, _ := r.resolve(name, 0); e.Acts != 0 || e.ArgCmd {
			p.AddFact(factExported, e)
		}
	}

	var cands []candidate
	for _, fn := range fns {
		cands = f.triggers(fn, cands)
		for _, a := range f.assignInConditions(fn) {
			report(p, a.off, finding.Finding{
				Rule: "DM-C-002", Category: finding.HiddenTrigger, CWE: []string{"CWE-912", "CWE-481"},
				Severity: finding.High, Confidence: finding.ConfidenceHigh,
				Title:      "Assignment in a condition grants root",
				Message:    fmt.Sprintf("the condition of a branch in %s() %s: whoever meets the rest of the condition becomes root, and it reads like a comparison", fn.name, a.what),
				References: []string{"https://lwn.net/Articles/57135/"},
			})
		}
		for _, fl := range f.remoteCommands(fn) {
			report(p, fl.off, finding.Finding{
				Rule: "DM-C-003", Category: finding.RemoteCommandExecution, CWE: []string{"CWE-78", "CWE-912"},
				Severity: finding.High, Confidence: finding.ConfidenceMedium,
				Title:   "Data received from a socket is run as a command",
				Message: fmt.Sprintf("in %s(), data read by %s reaches %s", fn.name, fl.source, fl.sink),
			})
		}
	}
	for _, c := range cands {
		// Resolve what this file knows now; names it does not define wait
		// for the final pass.
		var ext []callRef
		for _, ref := range c.External {
			if e, known := r.resolve(ref.Name, 0); known {
				applyToCandidate(&c, ref, e)
			} else {
				ext = append(ext, ref)
			}
		}
		c.External = ext
		if c.Acts == 0 && len(ext) == 0 {
			continue
		}
		c.Line, _ = p.Line(c.Off)
		c.Compare = strings.ReplaceAll(c.Compare, c.Magic, maskMagic(c.Magic))
		c.Magic = maskMagic(c.Magic)
		p.AddFact(factCandidate, c)
	}
}

// normalize turns a summary's "runs the input" into "runs its argument",
// which is what it means for a function or macro.
func normalize(s summary) summary {
	if s.Acts&actInputCmd != 0 {
		s.Acts &^= actInputCmd
		s.ArgCmd = true
	}
	s.Acts &^= actAuthSkip
	return s
}

func report(p *analyzer.Pass, off int32, f finding.Finding) {
	line, col := p.Line(int64(off))
	f.Location.Line, f.Location.Column = line, col
	o := int64(off)
	f.Location.Offset = &o
	f.Evidence = strings.TrimSpace(p.LineText(int64(off)))
	behavior.Defer(p, f)
}

// finish resolves the trigger candidates across the files of each target,
// reports them with the phase policy, then the deferred findings.
func finish(fp *analyzer.FinishPass) {
	known := map[[2]string]exported{}
	for _, fact := range fp.Facts(factExported) {
		if e, ok := fact.Value.(exported); ok && fact.Analyzer == fp.Analyzer.Name {
			k := [2]string{fact.Target, e.Name}
			old := known[k]
			old.Name, old.Acts, old.ArgCmd = e.Name, old.Acts|e.Acts, old.ArgCmd || e.ArgCmd
			known[k] = old
		}
	}
	cls := pkgmeta.NewClassifier(fp)
	for _, fact := range fp.Facts(factCandidate) {
		c, ok := fact.Value.(candidate)
		if !ok || fact.Analyzer != fp.Analyzer.Name {
			continue
		}
		for _, ref := range c.External {
			if e, ok := known[[2]string{fact.Target, ref.Name}]; ok {
				applyToCandidate(&c, ref, e)
			}
		}
		f, ok := triggerFinding(c)
		if !ok {
			continue
		}
		f.Location.Target, f.Location.Path = fact.Target, fact.Path
		ph, why := cls.Phase(fact.Target, fact.Path, fact.Name)
		behavior.Adjust(&f, ph, why)
		fp.Report(f)
	}
	behavior.Finish(fp)
}

// triggerFinding decides whether a resolved candidate is a finding and how
// severe it is.
func triggerFinding(c candidate) (finding.Finding, bool) {
	if !c.AuthCtx {
		c.Acts &^= actAuthSkip
	}
	if c.Acts == 0 {
		return finding.Finding{}, false
	}
	sev, conf := finding.Medium, finding.ConfidenceMedium
	switch {
	case c.Acts&(actShell|actInputCmd) != 0:
		sev, conf = finding.Critical, finding.ConfidenceHigh
	case c.Acts&(actSetuid0|actListen|actAuthSkip) != 0:
		sev = finding.High
	}
	msg := fmt.Sprintf("in %s(), when %s equals the literal %s the code %s", c.Func, c.Subject, c.Magic, c.Acts.describe())
	if c.Local {
		sev, conf = finding.Low, finding.ConfidenceLow
		msg += " (the compared value is a command-line option or environment variable: local tooling)"
	}
	off := c.Off
	return finding.Finding{
		Rule: "DM-C-001", Category: finding.HiddenTrigger, CWE: []string{"CWE-912", "CWE-506"},
		Severity: sev, Confidence: conf,
		Title:    "Magic value in input unlocks a privileged action",
		Message:  msg,
		Evidence: c.Compare,
		Location: finding.Location{Offset: &off, Line: c.Line},
		References: []string{
			"https://scarybeastsecurity.blogspot.com/2011/07/alert-vsftpd-download-backdoored.html",
			"https://www.unrealircd.org/txt/unrealsecadvisory.20100612.txt",
		},
	}, true
}

// maskMagic keeps enough of a magic literal to recognise it: a magic
// password is a secret (spec: evidence never carries one in full). Short
// values (":)", "AB") and macro names are shown as they are.
func maskMagic(m string) string {
	if !strings.HasPrefix(m, "\"") || len(m) <= 8 {
		return m
	}
	return m[:4] + "***\""
}
