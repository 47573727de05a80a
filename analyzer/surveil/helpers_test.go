package surveil

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

// scan runs the analyzer over a file tree through the real pipeline.
func scan(t *testing.T, files map[string]string) *finding.Report {
	t.Helper()
	return analyzertest.Scan(t, []*analyzer.Analyzer{Analyzer}, files)
}

// one returns the single finding of a rule at a path suffix.
func one(t *testing.T, r *finding.Report, rule, suffix string) finding.Finding {
	t.Helper()
	got := analyzertest.Find(r, rule, suffix)
	if len(got) != 1 {
		t.Fatalf("want one %s finding at *%s, got %d: %+v", rule, suffix, len(got), r.Findings)
	}
	return got[0]
}

// quiet fails when the scan reported anything.
func quiet(t *testing.T, r *finding.Report) {
	t.Helper()
	if len(r.Findings) != 0 {
		t.Fatalf("want no findings, got %+v", r.Findings)
	}
}

func mustContain(t *testing.T, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%q does not contain %q", s, sub)
		}
	}
}

// stubLibs are stand-ins for libasound and libv4l2 with the functions the
// test programs import, so the programs link against a real shared
// library and their .dynsym holds the names exactly as a camera or
// recorder binary's does. Nothing is ever run.
const stubLibs = `
int snd_pcm_open(void **h, const char *n, int s, int m) { return 0; }
int snd_pcm_readi(void *h, void *b, unsigned long n) { return 0; }
int snd_pcm_writei(void *h, const void *b, unsigned long n) { return 0; }
int v4l2_open(const char *f, int fl, ...) { return 0; }
int v4l2_ioctl(int fd, unsigned long r, ...) { return 0; }
`

// buildC compiles a C program linked against the stub libraries and
// returns the executable's bytes. Without gcc the test is skipped, except
// in CI, where gcc must be present.
func buildC(t *testing.T, src string) string {
	t.Helper()
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("gcc is required in CI to build the test binaries")
		}
		t.Skip("gcc not found: cannot build test binaries")
	}
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	lib := filepath.Join(dir, "libstub.so")
	if out, err := exec.Command(gcc, "-shared", "-fPIC", "-o", lib, write("stub.c", stubLibs)).CombinedOutput(); err != nil {
		t.Fatalf("build stub: %v\n%s", err, out)
	}
	bin := filepath.Join(dir, "prog")
	if out, err := exec.Command(gcc, "-O0", "-w", "-o", bin, write("prog.c", src), "-L"+dir, "-lstub").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	b, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

const shebang = "#!/bin/sh\n"
