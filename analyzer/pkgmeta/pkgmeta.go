// Package pkgmeta reads package manifests (npm package.json, Python
// PKG-INFO/METADATA, pyproject.toml and setup.py, Cargo.toml, go.mod, Debian
// control, RubyGems metadata, Maven pom.properties) and says when each file
// of a package runs: at install or build time, at import, at run time, or
// only in tests and documentation. Behavioural analyzers use that phase in
// their final pass to set severity: the same download-and-run is critical
// in an npm postinstall script and low in an example.
//
// Its final pass lists the packages met in the report's inventory
// ("packages": ecosystem, name, version, path, install hooks) and reports a
// package whose own name imitates a popular one (DM-PKG-001, medium; high
// for look-alike characters).
package pkgmeta

import (
	"path"
	"sort"
	"strings"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/artifact"
)

// FactManifest is the fact kind of a parsed manifest (value Manifest).
const FactManifest = "pkgmeta-manifest"

// maxManifest bounds the manifests read.
const maxManifest = 4 << 20

// Manifest is one package's metadata.
type Manifest struct {
	Ecosystem string `json:"ecosystem"` // npm, pypi, cargo, go, deb, gem, maven
	Name      string `json:"name"`
	Version   string `json:"version,omitempty"`
	Path      string `json:"path"` // the manifest's display path
	// Hooks are the commands the package manager runs at install or build
	// time, with the package's files they name.
	Hooks []Hook `json:"install_hooks,omitempty"`
	// target is the scan target the manifest was found in.
	target string
}

// Hook is one install-time command.
type Hook struct {
	Name    string   `json:"name"` // "postinstall", "build.rs", "setup.py"
	Command string   `json:"command,omitempty"`
	Files   []string `json:"files,omitempty"` // package files it runs, relative to the manifest's folder
}

// manifestNames maps manifest base names to their parsers.
var manifestNames = map[string]func(data []byte) (Manifest, bool){
	"package.json":   parsePackageJSON,
	"PKG-INFO":       parsePythonMetadata,
	"METADATA":       parsePythonMetadata,
	"pyproject.toml": parsePyproject,
	"setup.py":       parseSetupPy,
	"Cargo.toml":     parseCargo,
	"go.mod":         parseGoMod,
	"control":        parseDebControl,
	"metadata":       parseGemMetadata, // a gem's metadata.gz, unpacked
	"pom.properties": parsePomProperties,
}

// Analyzer is the package-metadata analyzer.
var Analyzer = &analyzer.Analyzer{
	Name: "pkgmeta",
	Doc:  "reads package manifests (npm, PyPI, Cargo, Go, Debian, RubyGems, Maven) and lists packages with their install-time hooks; tells other analyzers when each file runs",
	Wants: func(e *artifact.Entry) bool {
		_, ok := manifestNames[e.Base()]
		return ok && e.IsRegular() && e.Size > 0 && e.Size <= maxManifest
	},
	Run:    run,
	Finish: finish,
}

func run(p *analyzer.Pass) {
	parse := manifestNames[p.Entry.Base()]
	data := p.Data()
	if data == nil {
		return
	}
	m, ok := parse(data)
	if !ok {
		return
	}
	if p.Entry.Base() == "control" && !inDebControl(p.Entry) {
		return
	}
	m.Path = p.Entry.Path
	p.AddFact(FactManifest, m)
}

// inDebControl reports whether a file named "control" is a Debian
// package's control file (inside control.tar, or DEBIAN/control in a
// package build tree), not any file of that name.
func inDebControl(e *artifact.Entry) bool {
	if strings.HasSuffix(e.Name, "DEBIAN/control") {
		return true
	}
	return e.Parent != nil && strings.HasPrefix(e.Parent.Base(), "control.tar")
}

func finish(fp *analyzer.FinishPass) {
	list := []Manifest{}
	for _, f := range fp.Facts(FactManifest) {
		if m, ok := f.Value.(Manifest); ok {
			m.target = f.Target
			list = append(list, m)
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Path < list[j].Path })
	if len(list) > 0 {
		fp.Inventory("packages", list)
	}
	checkNames(fp, list)
}

// dir returns the display path of the folder holding a display path, with
// its trailing separator ("a.tgz!/a.tar!/package/").
func dir(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i+1]
	}
	return ""
}

// join resolves a package-relative file name against a manifest's folder.
func join(folder, rel string) string {
	rel = strings.TrimPrefix(path.Clean("/"+rel), "/")
	return folder + rel
}
