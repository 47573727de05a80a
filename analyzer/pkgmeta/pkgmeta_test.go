package pkgmeta

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/analyzertest"
	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/internal/fixture"
)

// probe records the phase of every regular file through a Classifier, as a
// behavioural analyzer's final pass would.
func probe(phases map[string]Phase, mu *sync.Mutex) *analyzer.Analyzer {
	return &analyzer.Analyzer{
		Name:  "probe",
		Wants: func(e *artifact.Entry) bool { return e.IsRegular() },
		Run:   func(p *analyzer.Pass) { p.AddFact("probe", nil) },
		Finish: func(fp *analyzer.FinishPass) {
			c := NewClassifier(fp)
			mu.Lock()
			defer mu.Unlock()
			for _, f := range fp.Facts("probe") {
				ph, _ := c.Phase(f.Target, f.Path, f.Name)
				phases[strings.TrimPrefix(f.Path, f.Target)] = ph
			}
		},
	}
}

func TestPhasesInAnNpmTarball(t *testing.T) {
	dir := t.TempDir()
	tgz := fixture.Gzip(fixture.Tar([]fixture.File{
		{Path: "package/package.json", Data: []byte(`{"name":"left-padz","version":"1.0.1","main":"index.js","scripts":{"postinstall":"node ./scripts/setup.js && echo done","test":"node test/run.js"}}`)},
		{Path: "package/index.js", Data: []byte("module.exports = s => s;\n")},
		{Path: "package/scripts/setup.js", Data: []byte("require('https').get('https://example.com/x');\n")},
		{Path: "package/test/run.js", Data: []byte("require('../index.js');\n")},
	}))
	p := filepath.Join(dir, "left-padz-1.0.1.tgz")
	if err := os.WriteFile(p, tgz, 0o644); err != nil {
		t.Fatal(err)
	}
	phases := map[string]Phase{}
	var mu sync.Mutex
	rep := analyzertest.ScanPath(t, []*analyzer.Analyzer{Analyzer, probe(phases, &mu)}, p)
	want := map[string]Phase{
		"package/scripts/setup.js": Install,
		"package/index.js":         Runtime,
		"package/test/run.js":      Test,
		"package/package.json":     Runtime,
	}
	for suffix, ph := range want {
		found := false
		for k, v := range phases {
			if strings.HasSuffix(k, "/"+suffix) {
				found = true
				if v != ph {
					t.Errorf("%s: phase %s, want %s", suffix, v, ph)
				}
			}
		}
		if !found {
			t.Errorf("%s not seen; phases: %v", suffix, phases)
		}
	}
	pk, ok := rep.Inventory["packages"].([]Manifest)
	if !ok || len(pk) != 1 || pk[0].Name != "left-padz" || pk[0].Hooks[0].Files[0] != "scripts/setup.js" {
		t.Fatalf("inventory packages: %#v", rep.Inventory["packages"])
	}
}

func TestPhasesByName(t *testing.T) {
	c := &Classifier{hooks: map[string]string{}}
	cases := []struct {
		path, name string
		want       Phase
	}{
		{"t/pkg.tar.gz!/pkg.tar!/pkg-1.0/setup.py", "pkg-1.0/setup.py", Install},
		{"t/x.whl!/evil.pth", "evil.pth", Install},
		{"t/crate/build.rs", "crate/build.rs", Install},
		{"t/a.deb!/control.tar.xz!/control.tar!/postinst", "postinst", Install},
		{"t/bin/postinst", "bin/postinst", Runtime}, // not a maintainer script outside a package
		{"t/a.rpm!/scriptlet/postin", "scriptlet/postin", Install},
		{"t/g.gem!/data.tar.gz!/data.tar!/ext/x/extconf.rb", "ext/x/extconf.rb", Install},
		{"t/lib/pkg/__init__.py", "lib/pkg/__init__.py", Import},
		{"t/docs/example.py", "docs/example.py", Test},
		{"t/src/main.go", "src/main.go", Runtime},
	}
	for _, k := range cases {
		if got, _ := c.Phase("t", k.path, k.name); got != k.want {
			t.Errorf("%s: %s, want %s", k.path, got, k.want)
		}
	}
	// A folder named "tests" above the target does not make it a test.
	if got, _ := c.Phase("/home/u/tests/proj", "/home/u/tests/proj/src/a.js", "src/a.js"); got != Runtime {
		t.Errorf("the target's own path counted: %s", got)
	}
}

func TestManifests(t *testing.T) {
	cases := []struct {
		base, body, eco, name, version string
	}{
		{"PKG-INFO", "Metadata-Version: 2.1\nName: requests\nVersion: 2.32.3\n\nlong", "pypi", "requests", "2.32.3"},
		{"pyproject.toml", "[build-system]\nrequires = [\"x\"]\n[project]\nname = \"fastapi\"\nversion = \"0.1\"\n", "pypi", "fastapi", "0.1"},
		{"setup.py", "from setuptools import setup\nsetup(name='evil-pkg', version='0.0.1')\n", "pypi", "evil-pkg", "0.0.1"},
		{"Cargo.toml", "[package]\nname = \"serde\"\nversion = \"1.0.0\"\n[dependencies]\nname = \"x\"\n", "cargo", "serde", "1.0.0"},
		{"go.mod", "module github.com/example/mod\n\ngo 1.22\n", "go", "github.com/example/mod", ""},
		{"pom.properties", "groupId=org.example\nartifactId=lib\nversion=1.2\n", "maven", "org.example:lib", "1.2"},
		{"metadata", "--- !ruby/object:Gem::Specification\nname: rest-client\nversion: !ruby/object:Gem::Version\n  version: 1.6.13\n", "gem", "rest-client", "1.6.13"},
	}
	for _, k := range cases {
		m, ok := manifestNames[k.base]([]byte(k.body))
		if !ok || m.Ecosystem != k.eco || m.Name != k.name || m.Version != k.version {
			t.Errorf("%s: %+v ok=%v", k.base, m, ok)
		}
	}
	for base, body := range map[string]string{"package.json": `{"private": true}`, "PKG-INFO": "Name: x\n", "setup.py": "print(1)\n", "metadata": "not yaml"} {
		if _, ok := manifestNames[base]([]byte(body)); ok {
			t.Errorf("%s %q parsed as a manifest", base, body)
		}
	}
}

func FuzzManifests(f *testing.F) {
	f.Add("package.json", []byte(`{"name":"a","scripts":{"install":"node x.js"}}`))
	f.Add("Cargo.toml", []byte("[package]\nname = 'a'\n"))
	f.Fuzz(func(t *testing.T, base string, data []byte) {
		if parse, ok := manifestNames[base]; ok {
			parse(data)
		}
		commandFiles(string(data))
	})
}

// The package under review may itself be the typosquat (crossenv, 2017);
// a popular package's own manifest is not flagged.
func TestPackageNameImitation(t *testing.T) {
	r := analyzertest.Scan(t, []*analyzer.Analyzer{Analyzer}, map[string]string{
		"crossenv/package/package.json": `{"name":"crossenv","version":"6.1.1","scripts":{"postinstall":"node package-setup.js"}}`,
		"real/package/package.json":     `{"name":"cross-env","version":"7.0.3"}`,
		"py/PKG-INFO":                   "Metadata-Version: 2.1\nName: jeIlyfish\nVersion: 0.7.1\n",
	})
	got := map[string]finding.Severity{}
	for _, f := range r.Findings {
		if f.Rule == RuleName {
			got[f.Evidence] = f.Severity
		}
	}
	if got["crossenv"] != finding.Medium || got["jeIlyfish"] != finding.High || len(got) != 2 {
		t.Fatalf("want crossenv (medium) and jeIlyfish (high), got %v", got)
	}
}
