package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/internal/fixture"
)

// rootfs is a small clean root file system; extra files replace or add.
func rootfs(extra ...fixture.File) []byte {
	files := map[string]fixture.File{}
	order := []string{}
	put := func(f fixture.File) {
		if _, ok := files[f.Path]; !ok {
			order = append(order, f.Path)
		}
		files[f.Path] = f
	}
	put(fixture.File{Path: "etc/passwd", Data: []byte("root:x:0:0:root:/root:/bin/ash\nnobody:*:65534:65534:nobody:/var:/bin/false\n")})
	put(fixture.File{Path: "etc/shadow", Mode: 0o600, Data: []byte("root:$1$Vh3kQz9L$8mXc2pTqW0rLs5nBvY7kd/:19000:0:99999:7:::\nnobody:*:0:0:99999:7:::\n")})
	put(fixture.File{Path: "etc/inittab", Data: []byte("::sysinit:/etc/init.d/rcS\n")})
	put(fixture.File{Path: "etc/init.d/rcS", Mode: 0o755, Data: []byte("#!/bin/sh\n/usr/sbin/httpd -h /www -p 80\n")})
	put(fixture.File{Path: "etc/version", Data: []byte("2.0.1\n")})
	put(fixture.File{Path: "www/index.html", Data: []byte("<html><body>Camera</body></html>\n")})
	for _, f := range extra {
		put(f)
	}
	var list []fixture.File
	for _, p := range order {
		list = append(list, files[p])
	}
	return fixture.Gzip(fixture.Tar(list))
}

// diffPair writes OLD (clean) and NEW next to each other and returns
// their paths.
func diffPair(t *testing.T, newer []byte) (string, string) {
	t.Helper()
	dir := t.TempDir()
	o, n := filepath.Join(dir, "cam-2.0.1.tgz"), filepath.Join(dir, "cam-2.0.2.tgz")
	if err := os.WriteFile(o, rootfs(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(n, newer, 0o644); err != nil {
		t.Fatal(err)
	}
	return o, n
}

// backdoored adds telnetd at boot and a second superuser.
func backdoored() []byte {
	return rootfs(
		fixture.File{Path: "etc/version", Data: []byte("2.0.2\n")},
		fixture.File{Path: "etc/inittab", Data: []byte("::sysinit:/etc/init.d/rcS\n::respawn:/usr/sbin/telnetd -F -p 2323\n")},
		fixture.File{Path: "etc/passwd", Data: []byte("root:x:0:0:root:/root:/bin/ash\nnobody:*:65534:65534:nobody:/var:/bin/false\nmaint:x:0:0::/root:/bin/ash\n")},
	)
}

// routine bumps the version and adds a page.
func routine() []byte {
	return rootfs(
		fixture.File{Path: "etc/version", Data: []byte("2.0.2\n")},
		fixture.File{Path: "www/status.html", Data: []byte("<html><body>Status: ok</body></html>\n")},
	)
}

func runDiffArgs(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := runDiff(&env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}, append([]string{"--quiet"}, args...))
	return code, out.String(), errb.String()
}

func TestDiffJSON(t *testing.T) {
	o, n := diffPair(t, backdoored())
	code, out, stderr := runDiffArgs(t, o, n, "--format", "json")
	if code != ExitFindings {
		t.Fatalf("exit %d, want 1; stderr %s", code, stderr)
	}
	var r finding.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.Command != "diff" || len(r.Targets) != 2 || r.Targets[0].Path != o || r.Targets[1].Path != n {
		t.Fatalf("command %q, targets %+v", r.Command, r.Targets)
	}
	cats := map[finding.Category]bool{}
	for _, f := range r.Findings {
		cats[f.Category] = true
		if !strings.HasPrefix(f.Location.Path, n) {
			t.Errorf("introduced finding not located in NEW: %s", f.Location.Path)
		}
	}
	if !cats[finding.BackdoorAccount] || !cats[finding.RemoteAccessService] {
		t.Errorf("want the new account and telnetd introduced, got %+v", r.Findings)
	}
	kinds := map[string]bool{}
	for _, c := range r.Changes {
		kinds[c.Kind+" "+c.Action] = true
	}
	for _, k := range []string{"account added", "service added", "os changed"} {
		if !kinds[k] {
			t.Errorf("no %q change in %+v", k, r.Changes)
		}
	}
	if !strings.Contains(out, `"changes": [`) {
		t.Error("JSON has no top-level changes")
	}
}

func TestDiffFailOnCountsOnlyIntroduced(t *testing.T) {
	o, n := diffPair(t, backdoored())
	if code, _, _ := runDiffArgs(t, o, n, "--fail-on", "none", "-o", filepath.Join(t.TempDir(), "r.txt")); code != ExitClean {
		t.Errorf("--fail-on none: exit %d", code)
	}
	// Reversed, the update removes the backdoors and introduces nothing:
	// removed findings do not fail the run.
	code, out, _ := runDiffArgs(t, n, o, "--format", "json")
	if code != ExitClean {
		t.Errorf("reverse update: exit %d", code)
	}
	var r finding.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Findings) != 0 || len(r.Removed) == 0 {
		t.Errorf("reverse: %d introduced, %d removed", len(r.Findings), len(r.Removed))
	}
}

func TestDiffRoutineUpdateIsClean(t *testing.T) {
	o, n := diffPair(t, routine())
	code, out, stderr := runDiffArgs(t, o, n, "--format", "json", "--fail-on", "low")
	if code != ExitClean {
		t.Fatalf("routine update: exit %d; %s\n%s", code, stderr, out)
	}
	var r finding.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	for _, c := range r.Changes {
		if c.Severity >= finding.High {
			t.Errorf("routine change at %s: %+v", c.Severity, c)
		}
	}
}

func TestDiffTextAndHTMLLeadWithIntroduced(t *testing.T) {
	o, n := diffPair(t, backdoored())
	_, text, _ := runDiffArgs(t, o, n)
	intro, changes := strings.Index(text, "Introduced by this update"), strings.Index(text, "Changes (")
	if intro < 0 || changes < intro {
		t.Errorf("text: introduced at %d, changes at %d:\n%s", intro, changes, text)
	}
	if strings.Contains(text, "$1$") {
		t.Error("text shows a password hash")
	}
	_, page, _ := runDiffArgs(t, o, n, "--format", "html")
	hi, hc := strings.Index(page, "Introduced by this update"), strings.Index(page, `id="changes"`)
	if hi < 0 || hc < hi {
		t.Errorf("html: introduced at %d, changes at %d", hi, hc)
	}
}

func TestDiffSARIFHasOnlyIntroduced(t *testing.T) {
	o, n := diffPair(t, backdoored())
	_, js, _ := runDiffArgs(t, o, n, "--format", "json")
	var r finding.Report
	if err := json.Unmarshal([]byte(js), &r); err != nil {
		t.Fatal(err)
	}
	_, sarif, _ := runDiffArgs(t, n, o, "--format", "sarif") // reversed: only removed findings
	var log struct {
		Runs []struct {
			Results []json.RawMessage `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(sarif), &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 || len(log.Runs[0].Results) != 0 {
		t.Errorf("SARIF of a reverse update has results: %s", sarif)
	}
	_, sarif, _ = runDiffArgs(t, o, n, "--format", "sarif")
	log.Runs = nil
	if err := json.Unmarshal([]byte(sarif), &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 || len(log.Runs[0].Results) != len(r.Findings) {
		t.Errorf("SARIF results %d, introduced findings %d", len(log.Runs[0].Results), len(r.Findings))
	}
}

func TestDiffIsDeterministic(t *testing.T) {
	o, n := diffPair(t, backdoored())
	dur := regexp.MustCompile(`"duration_ms": \d+`)
	_, a, _ := runDiffArgs(t, o, n, "--format", "json")
	_, b, _ := runDiffArgs(t, o, n, "--format", "json", "--workers", "1")
	if dur.ReplaceAllString(a, "") != dur.ReplaceAllString(b, "") {
		t.Errorf("two runs differ:\n%s\n---\n%s", a, b)
	}
}

func TestDiffUsage(t *testing.T) {
	code, out, _ := runDiffArgs(t, "--help")
	if code != ExitClean || !strings.Contains(out, "doorman diff fw-1.0.3.bin fw-1.0.4.bin") {
		t.Errorf("--help: exit %d\n%s", code, out)
	}
	if code, _, stderr := runDiffArgs(t, "only-one.bin"); code != ExitError || !strings.Contains(stderr, "exactly two") {
		t.Errorf("one target: exit %d, %s", code, stderr)
	}
	dir := t.TempDir()
	if code, _, _ := runDiffArgs(t, filepath.Join(dir, "missing-old.bin"), filepath.Join(dir, "missing-new.bin")); code != ExitError {
		t.Errorf("missing targets: exit %d", code)
	}
	o, n := diffPair(t, routine())
	if code, _, _ := runDiffArgs(t, o, n, "--format", "pdf"); code != ExitError {
		t.Errorf("bad format: exit %d", code)
	}
}
