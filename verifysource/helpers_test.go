package verifysource

import (
	"archive/tar"
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/doorman-sec/doorman/artifact/artifacttest"
	"github.com/doorman-sec/doorman/finding"
	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// project is a small autotools project as a maintainer commits it: no
// generated files, no build-aux helpers, no m4 copies from gettext.
func project() map[string]string {
	return map[string]string{
		"configure.ac":           "AC_INIT([proj], [1.0])\nAC_CONFIG_AUX_DIR([build-aux])\nAC_CONFIG_MACRO_DIR([m4])\nAM_INIT_AUTOMAKE([foreign])\nAC_PROG_CC\nAC_CONFIG_FILES([Makefile])\nAC_OUTPUT\n",
		"Makefile.am":            "bin_PROGRAMS = hello\nhello_SOURCES = src/hello.c\nEXTRA_DIST = tests/files/good-1.bin\n",
		"src/hello.c":            "#include <stdio.h>\n\nint main(void)\n{\n\tputs(\"hello\");\n\treturn 0;\n}\n",
		"README":                 "proj: says hello\n",
		"tests/files/good-1.bin": "\x00\x01\x02binary test data\xff\xfe",
		".gitignore":             "configure\nMakefile.in\n",
	}
}

var sig = &object.Signature{Name: "Maintainer", Email: "m@example.org", When: time.Unix(1700000000, 0)}

// gitRepo commits files into a new repository and tags the commit with an
// annotated tag v1.0; it returns the repository's folder.
func gitRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := wt.Add(name); err != nil {
			t.Fatal(err)
		}
	}
	h, err := wt.Commit("release 1.0", &git.CommitOptions{Author: sig, Committer: sig})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := repo.CreateTag("v1.0", h, &git.CreateTagOptions{Tagger: sig, Message: "proj 1.0"}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// tarball writes files as proj-1.0.tar.gz under proj-1.0/, like make dist.
func tarball(t *testing.T, files map[string]string) string {
	t.Helper()
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	ms := []artifacttest.TarMember{{Header: tar.Header{Name: "proj-1.0/", Typeflag: tar.TypeDir, Mode: 0o755}}}
	for _, n := range names {
		ms = append(ms, artifacttest.File("proj-1.0/"+n, []byte(files[n])))
	}
	p := filepath.Join(t.TempDir(), "proj-1.0.tar.gz")
	if err := os.WriteFile(p, artifacttest.Gzip(t, artifacttest.Tar(t, ms...), "proj-1.0.tar"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func with(base map[string]string, extra map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

func compare(t *testing.T, repo, ref, rel string) *Result {
	t.Helper()
	res, err := Compare(context.Background(), repo, ref, rel, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func maxSeverity(fs []finding.Finding) finding.Severity {
	var m finding.Severity
	for _, f := range fs {
		m = max(m, f.Severity)
	}
	return m
}

func byRule(fs []finding.Finding, rule string) []finding.Finding {
	var out []finding.Finding
	for _, f := range fs {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

func logFindings(t *testing.T, fs []finding.Finding) {
	t.Helper()
	for _, f := range fs {
		t.Logf("%s %s %s %s: %s [%s]", f.Severity, f.Rule, f.Category, f.Location.Path, f.Message, f.Evidence)
	}
}

// pristineFile reads a macro file Debian ships, skipping (or failing in
// CI) when the package is not installed.
func pristineFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		skipOrFail(t, p+" missing: apt-get install autoconf automake gettext autopoint libtool gnulib autoconf-archive")
	}
	return string(b)
}
