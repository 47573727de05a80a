// Package cli is doorman's command line: it parses flags, wires the
// packages together and turns outcomes into the contract's exit codes
// (0 clean, 1 findings at or above --fail-on, 2 could not do the job).
package cli

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
)

// Version is the program version, set at build time with
// -ldflags "-X github.com/doorman-sec/doorman/cli.Version=…".
var Version = "0.1.0-dev"

// Exit codes of the contract.
const (
	ExitClean    = 0
	ExitFindings = 1
	ExitError    = 2
)

type command struct {
	name    string
	summary string
	run     func(env *env, args []string) int
}

// env is what a command may use: its output streams and environment.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
}

func (e *env) errorf(format string, a ...any) int {
	fmt.Fprintf(e.stderr, "doorman: "+format+"\n", a...)
	return ExitError
}

func commands() []command {
	return []command{
		{"scan", "audit files, folders, archives, firmware images, packages, binaries", runScan},
		{"diff", "what an update adds: new findings, accounts, services, capabilities, endpoints", runDiff},
		{"verify-source", "compare a release archive with the tagged source in a git repository", runVerifySource},
		{"verify-update", "verify an update channel (TUF metadata) or an artifact's signature offline", runVerifyUpdate},
		{"traffic", "analyse captures of a device under test: beacons, triggers, exfiltration, covert channels", runTraffic},
		{"rules", "list the built-in and loaded rules and analyzers", runRules},
		{"version", "print the version", runVersion},
	}
}

// planned lists the contract's commands that this build does not have yet;
// they exit 2 with a clear message instead of pretending to work.
var planned = map[string]string{
	"serve": "HTTP API and dashboard",
}

// Main runs doorman with the arguments after the program name and returns
// the exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr, getenv: os.Getenv}
	if len(args) == 0 {
		usage(stderr)
		return ExitError
	}
	switch args[0] {
	case "-h", "--help", "-help", "help":
		if len(args) > 1 {
			return Main([]string{args[1], "--help"}, stdout, stderr)
		}
		usage(stdout)
		return ExitClean
	case "--version", "-version":
		return runVersion(e, nil)
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(e, args[1:])
		}
	}
	if what, ok := planned[args[0]]; ok {
		return e.errorf("%s (%s) is part of the interface but not in this build yet", args[0], what)
	}
	fmt.Fprintf(stderr, "doorman: unknown command %q\n\n", args[0])
	usage(stderr)
	return ExitError
}

func usage(w io.Writer) {
	fmt.Fprint(w, `doorman finds backdoors and supply-chain tampering before they bite.

Usage:
  doorman <command> [flags] [arguments]

Commands:
`)
	cs := commands()
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].name == "scan" })
	for _, c := range cs {
		fmt.Fprintf(w, "  %-14s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Examples:
  doorman scan firmware.bin                 audit a firmware image
  doorman scan ./src --format sarif -o doorman.sarif
  doorman scan pkg.tgz --format html -o report.html
  doorman diff fw-1.0.bin fw-1.1.bin        what an update adds
  doorman verify-source --repo ./xz --ref v5.6.1 xz-5.6.1.tar.gz
  doorman verify-update --sig fw.bin.minisig --key vendor.pub fw.bin
  doorman traffic camera.pcapng --device 192.168.1.20
  doorman rules                             what doorman looks for

Run "doorman <command> --help" for the flags of a command.
Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 could not do the job.
`)
}

func runVersion(e *env, args []string) int {
	fmt.Fprintf(e.stdout, "doorman %s (%s, %s/%s)\n", Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return ExitClean
}

// stripHelp reports whether args ask for help.
func wantsHelp(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		if a == "-h" || a == "--help" || a == "-help" {
			return true
		}
	}
	return false
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
