package verifysource

import (
	"archive/tar"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/artifact/artifacttest"
	"github.com/doorman-sec/doorman/finding"
)

// TestHostileRelease is case (d): traversal names, a symlink loop, a
// symlink out of the tree and a zip bomb member. The comparison ends,
// nothing is written outside the temporary folder, and the escaping
// symlink is reported.
func TestHostileRelease(t *testing.T) {
	repo := gitRepo(t, project())
	bomb := artifacttest.NestedZipBomb(t, 3, 8, 64<<20)
	ms := []artifacttest.TarMember{
		artifacttest.File("proj-1.0/src/hello.c", []byte(project()["src/hello.c"])),
		artifacttest.File("proj-1.0/../../../../tmp/doorman-escape-test", []byte("escape")),
		{Header: tar.Header{Name: "proj-1.0/loop-a", Typeflag: tar.TypeSymlink, Linkname: "loop-b"}},
		{Header: tar.Header{Name: "proj-1.0/loop-b", Typeflag: tar.TypeSymlink, Linkname: "loop-a"}},
		{Header: tar.Header{Name: "proj-1.0/etc-passwd", Typeflag: tar.TypeSymlink, Linkname: "../../../../etc/passwd"}},
		artifacttest.File("proj-1.0/tests/files/bomb.zip", bomb),
	}
	rel := filepath.Join(t.TempDir(), "proj-1.0.tar")
	if err := os.WriteFile(rel, artifacttest.Tar(t, ms...), 0o644); err != nil {
		t.Fatal(err)
	}
	before, _ := filepath.Glob(filepath.Join(os.TempDir(), "doorman-verify-*"))
	lim := artifact.DefaultLimits()
	lim.MaxTotalSize = 32 << 20
	res, err := Compare(t.Context(), repo, "v1.0", rel, Options{Limits: lim})
	if err != nil {
		t.Fatal(err)
	}
	logFindings(t, res.Findings)
	if _, err := os.Stat("/tmp/doorman-escape-test"); err == nil {
		t.Fatal("a member was written outside the temporary folder")
	}
	after, _ := filepath.Glob(filepath.Join(os.TempDir(), "doorman-verify-*"))
	if len(after) > len(before) {
		t.Errorf("temporary folders left behind: %v", after)
	}
	var escaping, bombFound bool
	for _, f := range res.Findings {
		if f.Rule == ruleSymlinkAdded && f.Severity == finding.High && strings.Contains(f.Message, "etc/passwd") {
			escaping = true
		}
		if f.Rule == ruleBinaryAdded && strings.Contains(f.Location.Path, "bomb.zip") {
			bombFound = true
		}
	}
	if res.Prefix != "proj-1.0" || res.Unchanged != 1 {
		t.Errorf("one member outside proj-1.0/ switched the prefix off: prefix %q, unchanged %d", res.Prefix, res.Unchanged)
	}
	if !escaping || !bombFound {
		t.Errorf("escaping symlink reported %v, bomb member reported %v", escaping, bombFound)
	}
}

// TestAutoreconfRelease is case (a) for real: autoreconf -fi on the
// committed project produces configure, Makefile.in, aclocal.m4 and the
// build-aux helpers, and none of it is reported above low.
func TestAutoreconfRelease(t *testing.T) {
	if _, err := exec.LookPath("autoreconf"); err != nil {
		skipOrFail(t, "autoreconf not installed (apt-get install autoconf automake)")
	}
	if _, err := exec.LookPath("automake"); err != nil {
		skipOrFail(t, "automake not installed")
	}
	files := project()
	repo := gitRepo(t, files)
	work := t.TempDir()
	for n, d := range files {
		p := filepath.Join(work, filepath.FromSlash(n))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(d), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.MkdirAll(filepath.Join(work, "m4"), 0o755)
	cmd := exec.Command("autoreconf", "-fi")
	cmd.Dir = work
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("autoreconf: %v\n%s", err, out)
	}
	os.RemoveAll(filepath.Join(work, "autom4te.cache"))
	res := compare(t, repo, "v1.0", work) // an unpacked release folder
	logFindings(t, res.Findings)
	if m := maxSeverity(res.Findings); m > finding.Low {
		t.Fatalf("autoreconf outputs reported at %s", m)
	}
	if len(res.Explained) < 5 {
		t.Errorf("explained only %d: %+v", len(res.Explained), res.Explained)
	}
	for _, fc := range res.Explained {
		t.Logf("explained %s: %s", fc.Path, fc.Note)
	}
}
