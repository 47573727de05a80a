package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/finding"
)

// These tests run the built binary, as users and CI pipelines do, and
// check the contract's exit codes and report shapes end to end.

var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "doorman-bin-")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "doorman")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		os.Stderr.Write(out)
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func run(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return o.String(), e.String(), ee.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return o.String(), e.String(), 0
}

const demo = "../../testdata/demo/router.bin"

func cleanDir(t *testing.T) string {
	d := t.TempDir()
	os.WriteFile(filepath.Join(d, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644)
	os.WriteFile(filepath.Join(d, "README.md"), []byte("# hello\nSet password = \"\" in config.\n"), 0o644)
	return d
}

func TestExitCodes(t *testing.T) {
	if _, _, code := run(t, "scan", cleanDir(t)); code != 0 {
		t.Errorf("clean folder: exit %d, want 0", code)
	}
	if _, _, code := run(t, "scan", demo); code != 1 {
		t.Errorf("demo firmware: exit %d, want 1", code)
	}
	if _, _, code := run(t, "scan", demo, "--fail-on", "none"); code != 0 {
		t.Errorf("--fail-on none: exit %d, want 0", code)
	}
	if _, errOut, code := run(t, "scan", "/nonexistent/target"); code != 2 || !strings.Contains(errOut, "/nonexistent/target") {
		t.Errorf("missing target: exit %d (%q), want 2 naming the target", code, errOut)
	}
	if _, _, code := run(t, "scan", "--no-such-flag", demo); code != 2 {
		t.Errorf("bad flag: exit %d, want 2", code)
	}
	if _, _, code := run(t, "scan"); code != 2 {
		t.Errorf("no target: exit %d, want 2", code)
	}
	if _, errOut, code := run(t, "scan", demo, "-o", "/nonexistent/dir/report.json"); code != 2 || !strings.Contains(errOut, "cannot write") {
		t.Errorf("unwritable output: exit %d (%q), want 2", code, errOut)
	}
	if _, _, code := run(t, "scan", demo, "--format", "xml"); code != 2 {
		t.Errorf("bad format: exit %d, want 2", code)
	}
	if out, _, code := run(t, "scan", "--help"); code != 0 || !strings.Contains(out, "Examples:") {
		t.Errorf("scan --help: exit %d, want 0 with examples", code)
	}
}

func scanJSON(t *testing.T, args ...string) *finding.Report {
	t.Helper()
	out, errOut, code := run(t, append([]string{"scan", "--format", "json"}, args...)...)
	if code == 2 {
		t.Fatalf("exit 2: %s", errOut)
	}
	var r finding.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	return &r
}

func TestJSONReportAndFlagsAfterTarget(t *testing.T) {
	// Flags after the target work, as the contract says.
	r := scanJSON(t, demo, "--min-severity", "high")
	if r.SchemaVersion != 1 || r.Command != "scan" || len(r.Targets) != 1 || r.Targets[0].SHA256 == "" {
		t.Fatalf("envelope wrong: %+v", r)
	}
	if len(r.Findings) == 0 {
		t.Fatal("no findings on the demo firmware")
	}
	for _, f := range r.Findings {
		if f.Severity < finding.High {
			t.Errorf("--min-severity high kept %s finding %s", f.Severity, f.Rule)
		}
		if !strings.HasPrefix(f.Location.Path, demo+"!/") || f.ID == "" {
			t.Errorf("finding location/id wrong: %+v", f)
		}
		if strings.Contains(f.Evidence, "7Fq9mXb2Lk0pQz3VtR8sYw1NcJd4HgE6uA5oTiKe") || strings.Contains(f.Evidence, "BEGIN PRIVATE KEY-----\nMC") {
			t.Errorf("evidence carries a secret in full: %q", f.Evidence)
		}
	}
	// Ids are stable across runs: a baseline of this report hides them all.
	base := filepath.Join(t.TempDir(), "base.json")
	if _, _, code := run(t, "scan", demo, "--format", "json", "-o", base, "--fail-on", "none"); code != 0 {
		t.Fatalf("writing baseline: exit %d", code)
	}
	if _, _, code := run(t, "scan", demo, "--baseline", base); code != 0 {
		t.Errorf("with its own baseline the demo should exit 0, got %d", code)
	}
	r2 := scanJSON(t, demo, "--baseline", base)
	if len(r2.Findings) != 0 {
		t.Errorf("baseline did not suppress %d findings", len(r2.Findings))
	}
}

func TestReportFormats(t *testing.T) {
	dir := t.TempDir()
	for _, format := range []string{"text", "json", "sarif", "html"} {
		p := filepath.Join(dir, "report."+format)
		if _, errOut, code := run(t, "scan", demo, "--format", format, "-o", p); code != 1 {
			t.Fatalf("%s: exit %d: %s", format, code, errOut)
		}
		b, err := os.ReadFile(p)
		if err != nil || len(b) == 0 {
			t.Fatalf("%s: no report written: %v", format, err)
		}
		if _, err := os.Stat(p + ".doorman-tmp"); err == nil {
			t.Errorf("%s: temporary report file left behind", format)
		}
	}
}

func TestDeterministicAcrossWorkers(t *testing.T) {
	a, _, _ := run(t, "scan", demo, "--format", "json", "--workers", "1")
	b, _, _ := run(t, "scan", demo, "--format", "json", "--workers", "8")
	strip := func(s string) string {
		var r finding.Report
		json.Unmarshal([]byte(s), &r)
		r.Stats.DurationMS = 0
		out, _ := json.Marshal(r)
		return string(out)
	}
	if strip(a) != strip(b) {
		t.Error("report differs between 1 and 8 workers")
	}
}

func TestRulesAndVersion(t *testing.T) {
	out, _, code := run(t, "rules")
	if code != 0 || !strings.Contains(out, "DM-") {
		t.Errorf("rules: exit %d, output %q", code, out)
	}
	out, _, code = run(t, "version")
	if code != 0 || !strings.HasPrefix(out, "doorman ") {
		t.Errorf("version: exit %d, output %q", code, out)
	}
	bad := t.TempDir()
	os.WriteFile(filepath.Join(bad, "broken.yaml"), []byte("- id: X-1\n  title: [unclosed\n"), 0o644)
	_, errOut, code := run(t, "scan", demo, "--rules", bad)
	if code != 2 || !strings.Contains(errOut, "broken.yaml") {
		t.Errorf("malformed rule file: exit %d, stderr %q; want 2 naming the file", code, errOut)
	}
}

// -o /dev/null must write to the device, never rename a file over it.
func TestOutputToDevice(t *testing.T) {
	before, err := os.Stat(os.DevNull)
	if err != nil {
		t.Skip(err)
	}
	if _, errOut, code := run(t, "scan", demo, "-o", os.DevNull, "--format", "json"); code != 1 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	after, err := os.Stat(os.DevNull)
	if err != nil || after.Mode() != before.Mode() || after.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("%s changed: %v -> %v (%v)", os.DevNull, before.Mode(), after.Mode(), err)
	}
	if _, _, code := run(t, "scan", demo, "-o", t.TempDir()); code != 2 {
		t.Errorf("-o FOLDER: exit %d, want 2", code)
	}
}
