// Package shbehavior finds what attackers put into shell scripts of
// packages and source trees: install scripts that download and run code,
// steal the environment and credentials, open reverse shells, decode and
// run hidden commands or wait for a date to destroy data. Scripts are
// parsed (analyzer/shellscan), so a rule sees commands, their arguments,
// pipelines, substitutions and the conditions guarding them, not lines of
// text. Rules, with their severity for ordinary run-time code (the final
// pass raises install-time scripts — npm hooks, Debian maintainer scripts,
// RPM scriptlets — one level and lowers tests and docs to low):
//
//	DM-SH-001  download-execute, high (medium over HTTPS from a named
//	           host): code fetched by curl/wget/fetch is run without a digest or signature check: piped into a shell
//	           or interpreter (curl … | sh), run through bash <(curl …) or
//	           sh -c "$(curl …)", or saved, then executed with no sha256sum
//	           -c, gpg --verify or digest comparison in between.
//	DM-SH-002  data-exfiltration, high (medium for host identity only):
//	           the environment (env, printenv), git remotes and
//	           credentials, ~/.ssh, ~/.aws, ~/.npmrc and similar files or
//	           /etc/passwd flow into curl -d/-F/-T, wget --post-*, nc,
//	           /dev/tcp or a DNS lookup's name. Codecov's 2021 tampered
//	           uploader is the model.
//	DM-SH-003  remote-command-execution, critical: a reverse shell: a
//	           shell wired to /dev/tcp, nc -e, socat exec:, a shell piped
//	           to and from nc/telnet (the mkfifo pattern), or a one-line
//	           python/perl/php socket shell.
//	DM-SH-004  remote-access-service, high: a bind shell (nc -l -e
//	           /bin/sh, socat tcp-listen … exec:).
//	DM-SH-005  obfuscated-payload, high: decoded text run as code: base64
//	           -d, xxd -r, rev, rot13 or \x escapes piped into a shell or
//	           fed to eval / sh -c.
//	DM-SH-006  time-bomb, high: destructive commands (rm -rf of /, ~ or
//	           system folders, dd to a disk, mkfs, shred) guarded by a
//	           comparison of the date, host name or locale with a literal.
//
// Only shell scripts are read: .sh/.bash/.ksh/.zsh files, files with a
// shell shebang, Debian maintainer scripts and RPM scriptlets. A README's
// "curl … | sh" install instructions are documentation, not a script.
package shbehavior

import (
	"bytes"
	"path"
	"strings"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/behavior"
	"github.com/doorman-sec/doorman/analyzer/shellscan"
	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/finding"
)

// maxFile bounds the scripts read: larger files are not hand-written
// scripts, and shellscan parses only its first MaxScript bytes anyway.
const maxFile = 8 << 20

// maxPerRule bounds the findings of one rule in one file.
const maxPerRule = 5

// Analyzer is the shell-behaviour analyzer.
var Analyzer = &analyzer.Analyzer{
	Name: "shbehavior",
	Doc:  "finds download-and-run, credential theft, reverse shells, decoded payloads and time bombs in shell scripts",
	Wants: func(e *artifact.Entry) bool {
		return e.IsRegular() && e.Size > 0 && e.Size <= maxFile && candidate(e.Name)
	},
	Run:    run,
	Finish: behavior.Finish,
}

// candidate says from the name alone whether a file may be a shell
// script; extensionless files are confirmed by their shebang in run.
func candidate(name string) bool {
	base := path.Base(name)
	switch strings.ToLower(path.Ext(base)) {
	case ".sh", ".bash", ".ksh", ".zsh", ".command":
		return true
	case "":
		return true
	}
	return strings.HasPrefix(name, "scriptlet/")
}

// maintainer are the Debian maintainer scripts, shell without a shebang
// now and then.
var maintainer = map[string]bool{"preinst": true, "postinst": true, "prerm": true, "postrm": true, "config": true}

// isShell confirms a candidate from its content.
func isShell(name string, data []byte) bool {
	if bytes.HasPrefix(data, []byte("#!")) {
		first, _, _ := bytes.Cut(data[:min(len(data), 256)], []byte("\n"))
		first = bytes.TrimSpace(first)
		for _, sh := range []string{"sh", "bash", "dash", "ksh", "zsh", "ash", "busybox"} {
			if bytes.HasSuffix(first, []byte("/"+sh)) || bytes.Contains(first, []byte("/"+sh+" ")) || bytes.Contains(first, []byte("env "+sh)) {
				return true
			}
		}
		return false
	}
	if bytes.IndexByte(data[:min(len(data), 8192)], 0) >= 0 {
		return false
	}
	base := path.Base(name)
	switch strings.ToLower(path.Ext(base)) {
	case ".sh", ".bash", ".ksh", ".zsh", ".command":
		return true
	}
	return maintainer[base] || strings.HasPrefix(name, "scriptlet/")
}

// checker holds one file's parse and what the rules report.
type checker struct {
	p      *analyzer.Pass
	s      *shellscan.Script
	counts map[string]int
	// claimed marks commands already reported, so one line is explained
	// by its most specific rule only.
	claimed map[int]bool
}

func run(p *analyzer.Pass) {
	data := p.Data()
	if data == nil || !isShell(p.Entry.Name, data) {
		return
	}
	c := &checker{p: p, s: shellscan.Parse(data), counts: map[string]int{}, claimed: map[int]bool{}}
	c.reverseShells()
	c.downloads()
	c.obfuscated()
	c.exfiltration()
	c.timeBombs()
}

// report defers a finding at command i.
func (c *checker) report(i int, rule string, cat finding.Category, sev finding.Severity, conf finding.Confidence, cwe []string, title, msg string) {
	if c.counts[rule] >= maxPerRule {
		return
	}
	c.counts[rule]++
	c.claimed[i] = true
	cmd := &c.s.Cmds[i]
	off := int64(cmd.Offset)
	line, col := c.p.Line(off)
	ev := strings.TrimSpace(c.p.LineText(off))
	if len(ev) > 200 {
		ev = ev[:200] + "…"
	}
	f := finding.Finding{
		Rule: rule, Category: cat, CWE: cwe, Severity: sev, Confidence: conf,
		Title: title, Message: msg, Evidence: ev,
		Location: finding.Location{Line: line, Column: col, Offset: &off},
	}
	behavior.Defer(c.p, f)
}
