package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"github.com/doorman-sec/doorman/internal/units"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/doorman-sec/doorman/analyzer/lockfile"
	"github.com/doorman-sec/doorman/analyzers"
	"github.com/doorman-sec/doorman/artifact"
	_ "github.com/doorman-sec/doorman/artifact/formats" // every format doorman opens
	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/gosumdb"
	"github.com/doorman-sec/doorman/report"
	"github.com/doorman-sec/doorman/rules"
	"github.com/doorman-sec/doorman/scan"
	"golang.org/x/term"
)

// reportFlags are the flags of every command that reports findings.
type reportFlags struct {
	format, output, failOn, minSeverity, baseline string
	rules                                         listFlag
	quiet, progress                               bool
}

func (r *reportFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&r.format, "format", "text", "report format: "+strings.Join(report.Formats(), ", "))
	fs.StringVar(&r.output, "output", "", "write the report to `FILE` instead of standard output")
	fs.StringVar(&r.output, "o", "", "shorthand for --output")
	fs.StringVar(&r.failOn, "fail-on", "high", "lowest severity that makes the exit code 1: critical, high, medium, low, info or none")
	fs.StringVar(&r.minSeverity, "min-severity", "info", "do not report findings below this severity")
	fs.StringVar(&r.baseline, "baseline", "", "a previous JSON report (`FILE`): findings already in it are not reported again")
	fs.Var(&r.rules, "rules", "load extra rule files from `DIR` (repeatable)")
	fs.BoolVar(&r.quiet, "quiet", false, "no progress output")
	fs.BoolVar(&r.progress, "progress", false, "force progress output on standard error")
}

type limitFlags struct{ l artifact.Limits }

func (lf *limitFlags) register(fs *flag.FlagSet) {
	lf.l = artifact.DefaultLimits()
	fs.IntVar(&lf.l.MaxDepth, "max-depth", lf.l.MaxDepth, "containers nested inside each other that are opened")
	fs.Var(sizeFlag{&lf.l.MaxFileSize}, "max-file-size", "bytes examined per file or member (e.g. 512M)")
	fs.Var(sizeFlag{&lf.l.MaxTotalSize}, "max-total-size", "bytes unpacked in all, over every archive and stream")
	fs.Int64Var(&lf.l.MaxRatio, "max-ratio", lf.l.MaxRatio, "largest compression ratio accepted beyond the first 4 MiB of a stream (stops bombs)")
	fs.Int64Var(&lf.l.MaxEntries, "max-entries", lf.l.MaxEntries, "files and members examined in all")
	fs.DurationVar(&lf.l.Timeout, "timeout", lf.l.Timeout, "stop examining after this long (the report is still written)")
}

func runScan(e *env, args []string) int {
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var rf reportFlags
	var lf limitFlags
	rf.register(fs)
	lf.register(fs)
	workers := fs.Int("workers", 0, "entries examined at once (0: four per core, at most 16 unless there are more cores)")
	online := fs.Bool("online", false, "ask the Go checksum database (through GOPROXY, or proxy.golang.org) for every go.sum line's hash; GONOSUMDB/GOPRIVATE modules are skipped")
	goModCache := fs.String("go-mod-cache", "", "a Go module cache (`DIR`, what `go env GOMODCACHE` prints): go.sum lines are checked against its module zips")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: doorman scan [flags] TARGET...

Audit files, folders, archives (tar, zip, cpio, ar/deb, rpm, gzip, xz,
lzma, bzip2, zstd, lz4), file-system images (squashfs 3/4, JFFS2, UBI/UBIFS,
cramfs, ext2/3/4, romfs), boot images (uImage, FIT, TRX, Android) and raw
firmware dumps, which are carved for embedded images at any offset.

It reports shipped private keys and credentials, backdoor accounts (empty,
default or cracked passwords), remote shells started at boot, documented
vendor backdoors, camera/microphone capture sent out on a trigger, and
firmware updates installed without a signature check; plus an inventory of
accounts, services, keys, binaries and endpoints. Every finding says where it
is (nested containers joined with "!/"), why it matters and its evidence, with
secrets masked. "doorman rules" lists what is looked for.

Examples:
  doorman scan firmware.bin
  doorman scan ./rootfs --min-severity medium
  doorman scan release.tar.gz --format sarif -o doorman.sarif
  doorman scan fw.bin --format json --baseline last.json --fail-on critical
  doorman scan ./service --go-mod-cache "$(go env GOMODCACHE)"
  doorman scan ./service --online          # go.sum against sum.golang.org

Flags:
`)
		fs.PrintDefaults()
		fmt.Fprint(fs.Output(), `
Limits protect against hostile targets (zip bombs, deep nesting, lying size
fields); reaching one skips that part and names it under "errors" in the
report. Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 could
not do the job.
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
	if len(targets) == 0 {
		return e.errorf("scan needs at least one TARGET (a file or folder); see doorman scan --help")
	}
	opts, code := rf.resolve(e)
	if code != 0 {
		return code
	}
	set, err := rules.Load(rf.rules...)
	if err != nil {
		return e.errorf("%v", err)
	}
	if *goModCache != "" {
		if fi, err := os.Stat(filepath.Join(*goModCache, "cache", "download")); err != nil || !fi.IsDir() {
			return e.errorf("--go-mod-cache %s: not a Go module cache (no cache/download folder)", *goModCache)
		}
		lockfile.GoModCache = *goModCache
	}
	if *online {
		db, err := gosumdb.New(goProxy(e.getenv("GOPROXY")), gosumdb.SumGolangOrg, nil)
		if err != nil {
			return e.errorf("--online: %v", err)
		}
		if skip := strings.Trim(e.getenv("GONOSUMDB")+","+e.getenv("GOPRIVATE"), ","); skip != "" {
			db.Skip(skip)
		}
		lockfile.SumDB = db
		defer func() { lockfile.SumDB = nil }()
	}

	out, closeOut, err := openOutput(e, rf.output)
	if err != nil {
		return e.errorf("cannot write the report: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	prog := newProgress(e, rf)
	so := scanOptions(lf, *workers, set, prog)
	rep, err := scan.Run(ctx, targets, so)
	prog.done()
	if err != nil {
		closeOut(false)
		return e.errorf("%v", err)
	}
	return finishReport(e, rep, opts, out, closeOut)
}

// goProxy picks the first HTTP(S) module proxy of a GOPROXY list, the one
// the go command would ask first; "direct" and "off" have no checksum
// database behind them.
func goProxy(list string) string {
	for _, p := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == '|' }) {
		if strings.HasPrefix(p, "https://") || strings.HasPrefix(p, "http://") {
			return p
		}
	}
	return gosumdb.DefaultProxy
}

// scanOptions are the engine options scan and diff share: the limits and
// workers from the flags, every analyzer with the loaded rules, progress.
func scanOptions(lf limitFlags, workers int, set *rules.Set, prog *progress) scan.Options {
	return scan.Options{Limits: lf.l, Workers: workers, Analyzers: analyzers.New(set),
		Tool: finding.Tool{Name: "doorman", Version: Version}, Progress: prog.update}
}

// reportOptions are the report flags after validation.
type reportOptions struct {
	format      string
	failOn, min finding.Severity
	baseline    map[string]bool
	color       bool
}

func (rf *reportFlags) resolve(e *env) (reportOptions, int) {
	var o reportOptions
	known := false
	for _, f := range report.Formats() {
		known = known || f == rf.format
	}
	if !known {
		return o, e.errorf("unknown --format %q: want one of %s", rf.format, strings.Join(report.Formats(), ", "))
	}
	o.format = rf.format
	var ok bool
	if o.failOn, ok = finding.ParseSeverity(rf.failOn); !ok {
		return o, e.errorf("unknown --fail-on %q: want critical, high, medium, low, info or none", rf.failOn)
	}
	if o.min, ok = finding.ParseSeverity(rf.minSeverity); !ok || o.min == 0 {
		return o, e.errorf("unknown --min-severity %q: want critical, high, medium, low or info", rf.minSeverity)
	}
	if rf.baseline != "" {
		ids, err := readBaseline(rf.baseline)
		if err != nil {
			return o, e.errorf("--baseline %s: %v (it must be a JSON report written by doorman --format json)", rf.baseline, err)
		}
		o.baseline = ids
	}
	o.color = rf.output == "" && rf.format == "text" && e.getenv("NO_COLOR") == "" && isTerminal(os.Stdout)
	return o, 0
}

func readBaseline(p string) (map[string]bool, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	var r finding.Report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	for _, f := range r.Findings {
		ids[f.ID] = true
	}
	return ids, nil
}

// finishReport filters the findings (baseline, minimum severity), writes
// the report and computes the exit code.
func finishReport(e *env, rep *finding.Report, o reportOptions, out io.Writer, closeOut func(ok bool) error) int {
	kept := rep.Findings[:0]
	for _, f := range rep.Findings {
		if o.baseline[f.ID] || f.Severity < o.min {
			continue
		}
		kept = append(kept, f)
	}
	rep.Findings = kept
	if err := report.Write(out, o.format, rep, report.Options{Color: o.color}); err != nil {
		closeOut(false)
		return e.errorf("writing the report: %v", err)
	}
	if err := closeOut(true); err != nil {
		return e.errorf("writing the report: %v", err)
	}
	if o.failOn > 0 && rep.MaxSeverity() >= o.failOn {
		return ExitFindings
	}
	return ExitClean
}

// openOutput opens the report destination before the work starts, so an
// unwritable path fails in a second, not after an hour of scanning. The
// file is written beside its final name and renamed on success, so a
// failed run never leaves half a report.
func openOutput(e *env, p string) (io.Writer, func(ok bool) error, error) {
	if p == "" || p == "-" {
		return e.stdout, func(bool) error { return nil }, nil
	}
	if fi, err := os.Stat(p); err == nil && !fi.Mode().IsRegular() {
		// /dev/null, a fifo, /dev/stdout: write straight to it. Renaming a
		// temporary file over a device would replace the device (as root).
		if fi.IsDir() {
			return nil, nil, fmt.Errorf("%s is a folder", p)
		}
		f, err := os.OpenFile(p, os.O_WRONLY, 0)
		if err != nil {
			return nil, nil, err
		}
		return f, func(bool) error { return f.Close() }, nil
	}
	tmp := p + ".doorman-tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, nil, err
	}
	return f, func(ok bool) error {
		cerr := f.Close()
		if !ok || cerr != nil {
			os.Remove(tmp)
			return cerr
		}
		return os.Rename(tmp, p)
	}, nil
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// progress prints one refreshed status line on standard error.
type progress struct {
	e       *env
	on      bool
	started time.Time
	shown   bool
}

func newProgress(e *env, rf reportFlags) *progress {
	on := !rf.quiet && (rf.progress || isTerminal(os.Stderr))
	return &progress{e: e, on: on, started: time.Now()}
}

func (p *progress) update(s scan.Progress) {
	if !p.on {
		return
	}
	cur := s.Current
	if len(cur) > 50 {
		cur = "…" + cur[len(cur)-49:]
	}
	fmt.Fprintf(p.e.stderr, "\r\033[Kscanning %s: %d files, %s read, %s unpacked  %s", time.Since(p.started).Round(time.Second), s.Files, units.Bytes(s.Bytes), units.Bytes(s.Unpacked), cur)
	p.shown = true
}

func (p *progress) done() {
	if p.shown {
		fmt.Fprint(p.e.stderr, "\r\033[K")
	}
}
