package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/scan"
	"github.com/doorman-sec/doorman/verifysource"
)

// runVerifySource is `doorman verify-source`: compare a release archive
// with the tagged source in a git repository.
func runVerifySource(e *env, args []string) int {
	fs := flag.NewFlagSet("verify-source", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var rf reportFlags
	var lf limitFlags
	rf.register(fs)
	lf.register(fs)
	repo := fs.String("repo", "", "the git repository (`DIR`, a work tree or bare) holding the tagged source")
	ref := fs.String("ref", "", "tag, branch or commit the release claims to be built from (default HEAD; annotated tags are peeled)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: doorman verify-source [flags] --repo DIR [--ref REF] RELEASE

Compare a release archive (tar, tar.gz, tar.xz, tar.bz2, tar.zst, zip) or an
unpacked release folder with the source tree of a git tag, and explain every
difference. Outputs of make dist (configure, Makefile.in, aclocal.m4,
build-aux helpers, .gmo catalogs, ChangeLog) are expected; m4 macro files and
build helpers are recognised by content against pristine upstream versions.
What stays unexplained is reported: a doctored m4 macro (build-tampering,
critical), build scripts only in the release (high), binary files only in the
release (high), source that differs from the tag (high).

This is how the xz-utils 5.6.0/5.6.1 backdoor would have been caught: the tag
was clean, the tarball's m4/build-to-host.m4 was not.

Examples:
  doorman verify-source --repo ./xz --ref v5.6.1 xz-5.6.1.tar.gz
  doorman verify-source --repo ./proj --ref v1.0 proj-1.0.tar.xz --format json -o verify.json
  doorman verify-source --repo ./proj.git proj-1.0.zip --fail-on critical

Flags:
`)
		fs.PrintDefaults()
		fmt.Fprint(fs.Output(), `
Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 could not do
the job (bad usage, repository unreadable, ref not found, release unreadable).
`)
	}
	if wantsHelp(args) {
		fs.SetOutput(e.stdout)
		fs.Usage()
		return ExitClean
	}
	pos, err := parseArgs(fs, args)
	if err != nil {
		return ExitError
	}
	if len(pos) != 1 || *repo == "" {
		return e.errorf("verify-source needs --repo DIR and exactly one RELEASE; see doorman verify-source --help")
	}
	opts, code := rf.resolve(e)
	if code != 0 {
		return code
	}
	out, closeOut, err := openOutput(e, rf.output)
	if err != nil {
		return e.errorf("cannot write the report: %v", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	res, err := verifysource.Compare(ctx, *repo, *ref, pos[0], verifysource.Options{Limits: lf.l})
	if err != nil {
		closeOut(false)
		return e.errorf("%v", err)
	}
	target := finding.Target{Path: pos[0]}
	if fi, err := os.Stat(pos[0]); err == nil && fi.Mode().IsRegular() {
		target.Size = fi.Size()
		target.SHA256 = scan.FileSHA256(pos[0])
	}
	rep := &finding.Report{
		SchemaVersion: finding.SchemaVersion, Tool: finding.Tool{Name: "doorman", Version: Version},
		Command: "verify-source", Targets: []finding.Target{target},
		Findings: res.Findings, Errors: res.Errors,
		Stats:     finding.Stats{Files: res.Files, Bytes: res.Bytes, DurationMS: time.Since(start).Milliseconds()},
		Inventory: map[string]any{"verify_source": res},
	}
	if rep.Errors == nil {
		rep.Errors = []finding.Error{}
	}
	return finishReport(e, rep, opts, out, closeOut)
}
