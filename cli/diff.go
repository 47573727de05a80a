package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/rules"
	"github.com/doorman-sec/doorman/updatediff"
)

// runDiff is `doorman diff [flags] OLD NEW`: both versions are scanned with
// the same analyzers and limits, and the report holds what the update
// introduced (findings, which alone decide the exit code), what it
// removed, and every change of accounts, boot services, executables,
// setuid files, endpoints, keys and update checks.
func runDiff(e *env, args []string) int {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var rf reportFlags
	var lf limitFlags
	rf.register(fs)
	lf.register(fs)
	workers := fs.Int("workers", 0, "entries examined at once (0: four per core, at most 16 unless there are more cores)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: doorman diff [flags] OLD NEW

Show what an update adds. OLD and NEW (firmware images, packages, archives,
binaries or folders) are scanned one after the other with the same rules and
limits, and compared:

  findings  what NEW has and OLD did not (introduced by the update); only
            these count for --fail-on and the exit code
  removed   findings of OLD that NEW no longer has
  changes   accounts added or whose password changed, services newly started
            at boot, executables new, moved or changed (and the capabilities
            they gained), new setuid/setgid files, new hard-coded endpoints,
            keys added, update scripts that lost their signature check, and
            OS version changes

Findings are matched by rule, path and evidence, ignoring line numbers, the
targets' names and the offsets at which file systems were carved, so a rebuilt
image does not look new. Files that moved are matched by content. A change
that matters and that no analyzer reported becomes a finding of its own
(DM-DIFF-*): a new UID-0 account, a remote shell at boot, a binary that gained
a raw socket and command execution, a setuid file outside the usual folders.

Examples:
  doorman diff fw-1.0.3.bin fw-1.0.4.bin
  doorman diff old.bin new.bin --format json -o diff.json
  doorman diff old.bin new.bin --format html -o update-review.html
  doorman diff app-2.3.tgz app-2.4.tgz --fail-on medium --format sarif -o diff.sarif

Flags:
`)
		fs.PrintDefaults()
		fmt.Fprint(fs.Output(), `
The limits apply to each version, and --timeout to each scan. Reaching a limit
skips that part and names it under "errors". Exit codes: 0 nothing introduced
at or above --fail-on, 1 introduced findings, 2 could not do the job.
`)
	}
	if wantsHelp(args) {
		fs.SetOutput(e.stdout)
		fs.Usage()
		return ExitClean
	}
	targets, err := parseArgs(fs, args)
	if err != nil {
		return ExitError
	}
	if len(targets) != 2 {
		return e.errorf("diff needs exactly two targets, OLD and NEW (got %d); see doorman diff --help", len(targets))
	}
	for _, t := range targets {
		if _, err := os.Stat(t); err != nil {
			return e.errorf("cannot read target %s: %v", t, err)
		}
	}
	opts, code := rf.resolve(e)
	if code != 0 {
		return code
	}
	set, err := rules.Load(rf.rules...)
	if err != nil {
		return e.errorf("%v", err)
	}
	out, closeOut, err := openOutput(e, rf.output)
	if err != nil {
		return e.errorf("cannot write the report: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	prog := newProgress(e, rf)
	so := scanOptions(lf, *workers, set, prog)
	res, err := updatediff.Run(ctx, targets[0], targets[1], so, func(string, string) { prog.done() })
	prog.done()
	if err != nil {
		closeOut(false)
		return e.errorf("%v", err)
	}
	rep := res.Report()
	rep.Removed = keepSeverity(rep.Removed, opts.min)
	changes := rep.Changes[:0]
	for _, c := range rep.Changes {
		if c.Severity >= opts.min {
			changes = append(changes, c)
		}
	}
	rep.Changes = changes
	return finishReport(e, rep, opts, out, closeOut)
}

// keepSeverity returns the findings at or above min.
func keepSeverity(fs []finding.Finding, min finding.Severity) []finding.Finding {
	out := fs[:0]
	for _, f := range fs {
		if f.Severity >= min {
			out = append(out, f)
		}
	}
	return out
}
