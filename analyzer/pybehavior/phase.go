package pybehavior

import (
	"strings"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/behavior"
	"github.com/doorman-sec/doorman/analyzer/pkgmeta"
	"github.com/doorman-sec/doorman/finding"
)

// Findings travel to the final pass as facts, as behavior.Defer does, so
// that severities follow when the file runs (behavior.Adjust). This
// analyzer keeps its own fact kind because it adds one source of install
// hooks the shared classifier does not know: setuptools cmdclass entries
// in setup.cfg, whose modules pip runs while it builds the package.
const (
	factFinding  = "pybehavior-finding"
	factCmdclass = "pybehavior-cmdclass"
)

func deferFinding(p *analyzer.Pass, f finding.Finding) {
	if f.Location.Target == "" {
		f.Location.Target = p.Entry.Target
	}
	if f.Location.Path == "" {
		f.Location.Path = p.Entry.Path
	}
	p.AddFact(factFinding, f)
}

// readSetupCfg records the modules named by [options] cmdclass as a
// manifest with install hooks (setup.cfg itself is data, never run).
func readSetupCfg(p *analyzer.Pass, data []byte) {
	var files []string
	section, inCmdclass := "", false
	for _, raw := range strings.Split(string(data), "\n") {
		line := strings.TrimRight(raw, "\r")
		trim := strings.TrimSpace(line)
		if trim == "" || trim[0] == '#' || trim[0] == ';' {
			continue
		}
		if trim[0] == '[' {
			section, inCmdclass = strings.ToLower(strings.Trim(trim, "[] ")), false
			continue
		}
		indented := line[0] == ' ' || line[0] == '\t'
		if !indented {
			inCmdclass = false
			k, v, ok := strings.Cut(trim, "=")
			if !ok || section != "options" || strings.TrimSpace(k) != "cmdclass" {
				continue
			}
			inCmdclass = true
			trim = strings.TrimSpace(v)
			if trim == "" {
				continue
			}
		}
		if !inCmdclass {
			continue
		}
		_, target, ok := strings.Cut(trim, "=")
		if !ok {
			continue
		}
		files = append(files, moduleFiles(strings.TrimSpace(target))...)
		if len(files) > 64 {
			break
		}
	}
	if len(files) > 0 {
		p.AddFact(factCmdclass, files)
	}
}

// moduleFiles: "pkg.sub:Class" or "pkg.sub.Class" → the files that may
// hold the module, relative to setup.cfg (flat and src layouts).
func moduleFiles(target string) []string {
	mod := target
	if i := strings.IndexByte(target, ':'); i >= 0 {
		mod = target[:i]
	} else if i := strings.LastIndexByte(target, '.'); i >= 0 {
		mod = target[:i]
	}
	if mod == "" || strings.ContainsAny(mod, "/\\ ") {
		return nil
	}
	rel := strings.ReplaceAll(mod, ".", "/")
	return []string{rel + ".py", rel + "/__init__.py", "src/" + rel + ".py", "src/" + rel + "/__init__.py"}
}

// finish reports the deferred findings with severities set by phase.
func finish(fp *analyzer.FinishPass) {
	c := pkgmeta.NewClassifier(fp)
	for _, f := range fp.Facts(factCmdclass) {
		files, ok := f.Value.([]string)
		if !ok {
			continue
		}
		c.Add(pkgmeta.Manifest{Ecosystem: "pypi", Name: "setup.cfg", Path: f.Path,
			Hooks: []pkgmeta.Hook{{Name: "cmdclass hook", Files: files}}})
	}
	for _, fact := range fp.Facts(factFinding) {
		if fact.Analyzer != fp.Analyzer.Name {
			continue
		}
		f, ok := fact.Value.(finding.Finding)
		if !ok {
			continue
		}
		ph, why := c.Phase(fact.Target, fact.Path, fact.Name)
		behavior.Adjust(&f, ph, why)
		fp.Report(f)
	}
}
