package pkgmeta

import (
	"fmt"
	"path"
	"strings"

	"github.com/doorman-sec/doorman/analyzer"
)

// Phase is when a file's code runs.
type Phase string

// Phases, from the most to the least exposed.
const (
	// Install: run by a package manager or build tool as the package is
	// installed or built, usually with the installing user's rights and
	// secrets (npm lifecycle scripts, setup.py, .pth files, build.rs,
	// maintainer scripts, RPM scriptlets, gem extensions).
	Install Phase = "install"
	// Import: run as soon as the package is loaded (__init__.py).
	Import Phase = "import"
	// Runtime: run only when the program calls it.
	Runtime Phase = "runtime"
	// Test: tests, examples and documentation, not shipped to run.
	Test Phase = "test"
)

// Classifier says when files run, from the manifests of a walk.
type Classifier struct {
	hooks map[string]string // display path of a file → why it runs at install
}

// NewClassifier gathers the install hooks of every manifest the pkgmeta
// analyzer read. Call it in a Finish pass (pkgmeta must be registered).
func NewClassifier(fp *analyzer.FinishPass) *Classifier {
	c := &Classifier{hooks: map[string]string{}}
	for _, f := range fp.Facts(FactManifest) {
		m, ok := f.Value.(Manifest)
		if !ok {
			continue
		}
		c.Add(m)
	}
	return c
}

// Add records a manifest's hooks (NewClassifier calls it; tests may too).
func (c *Classifier) Add(m Manifest) {
	folder := dir(m.Path)
	id := m.Name
	if m.Version != "" {
		id += "@" + m.Version
	}
	for _, h := range m.Hooks {
		for _, f := range h.Files {
			c.hooks[join(folder, f)] = fmt.Sprintf("%s %s of %s %s", m.Ecosystem, h.Name, m.Ecosystem, id)
		}
	}
}

// Phase says when the file at display path p (of target, named name in
// its innermost container) runs, and why.
func (c *Classifier) Phase(target, p, name string) (Phase, string) {
	if why, ok := c.hooks[p]; ok {
		return Install, "run at install time: the " + why
	}
	base := path.Base(name)
	switch {
	case strings.HasPrefix(name, "scriptlet/"):
		return Install, "an RPM scriptlet, run as root when the package is installed or removed"
	case isDebMaintainerScript(p, base):
		return Install, "a Debian maintainer script, run as root when the package is installed or removed"
	case base == "setup.py":
		return Install, "setup.py runs when pip installs a source distribution"
	case strings.HasSuffix(base, ".pth"):
		return Install, "Python runs the import lines of .pth files at every interpreter start"
	case base == "build.rs":
		return Install, "Cargo runs build.rs when the crate is built"
	case base == "extconf.rb" || base == "mkrf_conf.rb":
		return Install, "RubyGems runs extension build scripts when the gem is installed"
	}
	if analyzer.PathInTestOrDocs(strings.TrimPrefix(p, target)) {
		return Test, "in a test, example or documentation folder"
	}
	if base == "__init__.py" {
		return Import, "runs when the Python package is imported"
	}
	return Runtime, ""
}

func isDebMaintainerScript(p, base string) bool {
	for _, s := range debMaintainerScripts {
		if base == s {
			return strings.Contains(p, "control.tar") || strings.HasSuffix(dir(p), "DEBIAN/")
		}
	}
	return false
}
