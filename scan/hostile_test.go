package scan_test

// End-to-end hostile targets through scan.Run: what a user's scan does with
// a target made to attack the scanner.

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/artifact/artifacttest"
	_ "github.com/doorman-sec/doorman/artifact/formats" // every format, as in the real binary
	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/scan"
)

// seen is what the probe analyzer saw of one entry.
type seen struct {
	Kind       artifact.Kind
	LinkTarget string
	Data       []byte
}

// probe is an analyzer that wants every entry and records it, and calls
// during(entry) while the scan is running.
func probe(during func(e *artifact.Entry)) (*analyzer.Analyzer, map[string]seen, *sync.Mutex) {
	got := map[string]seen{}
	var mu sync.Mutex
	a := &analyzer.Analyzer{
		Name:  "probe",
		Doc:   "records every entry (test only)",
		Wants: func(*artifact.Entry) bool { return true },
		Run: func(p *analyzer.Pass) {
			if during != nil {
				during(p.Entry)
			}
			s := seen{Kind: p.Entry.Kind, LinkTarget: p.Entry.LinkTarget, Data: bytes.Clone(p.Data())}
			mu.Lock()
			got[p.Entry.Path] = s
			mu.Unlock()
		},
	}
	return a, got, &mu
}

func run(tb testing.TB, target string, lim artifact.Limits, as ...*analyzer.Analyzer) *finding.Report {
	tb.Helper()
	rep, err := scan.Run(context.Background(), []string{target}, scan.Options{Limits: lim, Analyzers: as, Tool: finding.Tool{Name: "doorman", Version: "test"}})
	if err != nil {
		tb.Fatalf("scan %s: %v", target, err)
	}
	return rep
}

// A target made to attack an extractor (climbing names, links to the
// scanning machine's files, a link loop, device nodes, a fifo), as a tar,
// as a tar.gz that is spooled to disk, and as a folder. The scan writes
// nothing outside its private temporary directory (TMPDIR and the working
// directory are fresh and must be empty afterwards, the target unchanged),
// never reads the scanning machine's /etc/passwd, and lists links as
// symlinks with their targets.
func TestScanHostileTargetWritesNothing(t *testing.T) {
	target, tmpRoot, work := t.TempDir(), t.TempDir(), t.TempDir()
	tarball := artifacttest.HostileTar(t)
	artifacttest.Write(t, target, "evil.tar", tarball)
	// Padded with text so that its tar (over MemoryBuffer) is spooled.
	spooled := append(artifacttest.HostileTar(t), artifacttest.Words(64<<10, 1)...)
	artifacttest.Write(t, target, "evil.tar.gz", artifacttest.Gzip(t, spooled, ""))
	artifacttest.Write(t, target, "clean.txt", []byte("a clean file\n"))
	links := map[string]string{"passwd": "/etc/passwd", "etc": "/etc", "loop-a": "loop-b", "loop-b": "loop-a"}
	for name, to := range links {
		if err := os.Symlink(to, filepath.Join(target, name)); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(target, "fifo"), 0o600); err != nil {
		t.Fatal(err)
	}
	before := artifacttest.Files(t, target)

	t.Setenv("TMPDIR", tmpRoot)
	t.Chdir(work)
	var mu sync.Mutex
	var outside []string
	spoolSeen := false
	a, got, _ := probe(func(*artifact.Entry) {
		// While the scan runs, TMPDIR may hold its private directory and
		// what is in it, nothing else.
		for _, f := range artifacttest.Files(t, tmpRoot) {
			mu.Lock()
			if !strings.HasPrefix(f, "doorman-") {
				outside = append(outside, f)
			}
			if strings.Contains(f, "/spool-") {
				spoolSeen = true
			}
			mu.Unlock()
		}
	})
	lim := artifact.DefaultLimits()
	lim.MemoryBuffer = 4 << 10
	rep := run(t, target, lim, a)

	if len(rep.Errors) > 0 {
		t.Errorf("errors: %v", rep.Errors)
	}
	if len(outside) > 0 {
		t.Errorf("written in TMPDIR outside the private directory: %v", outside)
	}
	if !spoolSeen {
		t.Errorf("nothing was spooled: the test does not cover spool files")
	}
	if left := artifacttest.Files(t, tmpRoot); len(left) > 0 {
		t.Errorf("left in TMPDIR: %v", left)
	}
	if left := artifacttest.Files(t, work); len(left) > 0 {
		t.Errorf("written in the working directory: %v", left)
	}
	if after := artifacttest.Files(t, target); !slices.Equal(before, after) {
		t.Errorf("target changed: %v, then %v", before, after)
	}

	host, _ := os.ReadFile("/etc/passwd")
	for p, s := range got {
		if len(host) > 0 && bytes.Equal(s.Data, host) {
			t.Errorf("%s has the content of the scanning machine's /etc/passwd", p)
		}
		if strings.HasPrefix(p, target+"/etc/") {
			t.Errorf("descended through the etc link: %s", p)
		}
	}
	for _, container := range []string{target + "/evil.tar!/", target + "/evil.tar.gz!/evil.tar!/", target + "/"} {
		for name, to := range links {
			s, ok := got[container+name]
			if !ok || s.Kind != artifact.KindSymlink || s.LinkTarget != to || s.Data != nil {
				t.Errorf("%s%s: %+v (seen %v), want a symlink to %q", container, name, s, ok, to)
			}
		}
	}
	for _, p := range []string{"evil.tar!/x", "evil.tar!/etc/x", "evil.tar!/b", "evil.tar.gz!/evil.tar!/x", "clean.txt"} {
		if _, ok := got[target+"/"+p]; !ok {
			t.Errorf("%s not scanned", p)
		}
	}
	if s := got[target+"/fifo"]; s.Kind != artifact.KindSpecial {
		t.Errorf("fifo: %+v", s)
	}
}

// A 1 ms timeout over a folder of 3000 files: the scan stops at once and
// says so in one error.
func TestScanTimeout(t *testing.T) {
	dir := t.TempDir()
	for i := range 3000 {
		artifacttest.Write(t, dir, fmt.Sprintf("d%02d/f%04d.txt", i%30, i), artifacttest.Words(2<<10, uint64(i)))
	}
	a, got, mu := probe(nil)
	lim := artifact.DefaultLimits()
	lim.Timeout = time.Millisecond
	start := time.Now()
	rep := run(t, dir, lim, a)
	elapsed := time.Since(start)
	mu.Lock()
	n := len(got)
	mu.Unlock()
	t.Logf("%v, %d of 3000 files scanned, errors %v", elapsed, n, rep.Errors)
	if elapsed > 2*time.Second {
		t.Errorf("scan took %v after a 1ms timeout", elapsed)
	}
	if len(rep.Errors) != 1 || !strings.Contains(rep.Errors[0].Error, "--timeout") {
		t.Fatalf("want one timeout error, got %v", rep.Errors)
	}
	if n >= 3000 {
		t.Errorf("every file was scanned despite the timeout")
	}
}
