package shbehavior

import (
	"fmt"

	"github.com/doorman-sec/doorman/analyzer/shellscan"
	"github.com/doorman-sec/doorman/finding"
)

var cweDownload = []string{"CWE-494"}

const titleDownload = "Shell script downloads code and runs it without an integrity check"

// downloads reports DM-SH-001: fetched code run straight from the
// network (pipe, process or command substitution), or saved and run with
// no verification in between.
func (c *checker) downloads() {
	s := c.s
	for i := range s.Cmds {
		cmd := &s.Cmds[i]
		// curl … | [filters |] sh
		if stdinCode(cmd) && cmd.Pipe != 0 {
			for _, j := range s.PipeStages(cmd.Pipe) {
				if s.Cmds[j].Stage >= cmd.Stage {
					continue
				}
				if f, ok := fetchOf(&s.Cmds[j]); ok && f.file == "" {
					c.report(i, "DM-SH-001", finding.DownloadExecute, finding.High, finding.ConfidenceHigh, cweDownload, titleDownload,
						fmt.Sprintf("the script pipes %s into %s: whatever the server sends is run, unchecked", f.url, cmd.Name()))
					break
				}
			}
		}
		if c.claimed[i] {
			continue
		}
		// bash <(curl …), sh -c "$(curl …)", eval "$(wget -O- …)", $(curl …)
		if u, how := c.fetchedCode(i); u != "" {
			c.report(i, "DM-SH-001", finding.DownloadExecute, finding.High, finding.ConfidenceHigh, cweDownload, titleDownload,
				fmt.Sprintf("the script runs the output of a download of %s %s: whatever the server sends is run, unchecked", u, how))
		}
	}
	c.savedThenRun()
}

// fetchedCode reports whether command i runs, as code, the output of a
// substitution that downloads: the URL and how.
func (c *checker) fetchedCode(i int) (string, string) {
	s := c.s
	cmd := &s.Cmds[i]
	argv := cmd.Argv()
	if len(argv) == 0 {
		return "", ""
	}
	var words []string
	how := ""
	switch name := shellscan.Base(argv[0]); {
	case len(shellscan.Tokens(argv[0])) > 0:
		words, how = argv[:1], "as a command"
	case codeArg(cmd) != "":
		words, how = []string{codeArg(cmd)}, "through "+name
	case name == "source" || name == "." || isInterpreter(name):
		words, how = argv[1:], "as a script file given to "+name
		for _, r := range cmd.Redirs {
			if r.Op == "<" {
				words = append(words, r.Target)
			}
		}
	}
	for _, w := range words {
		for _, id := range shellscan.Tokens(w) {
			for _, j := range s.SubstCmds(id) {
				if f, ok := fetchOf(&s.Cmds[j]); ok && f.file == "" {
					return f.url, how
				}
			}
		}
	}
	return "", ""
}

// savedThenRun reports downloads written to a file that the script then
// executes, unless something verifies a digest or signature in between.
func (c *checker) savedThenRun() {
	s := c.s
	for i := range s.Cmds {
		f, ok := fetchOf(&s.Cmds[i])
		if !ok || f.file == "" {
			continue
		}
		for j := i + 1; j < len(s.Cmds); j++ {
			if c.verified(i, j, f.file) {
				break
			}
			if run := runsFile(&s.Cmds[j]); sameFile(run, f.file) {
				if !c.claimed[j] {
					c.report(j, "DM-SH-001", finding.DownloadExecute, finding.High, finding.ConfidenceHigh, cweDownload, titleDownload,
						fmt.Sprintf("the script downloads %s to %s and runs it with no checksum or signature check in between", f.url, f.file))
				}
				break
			}
		}
	}
}

// verified reports whether command j checks integrity: a verifying
// command, or a digest tool whose output a test compares (the digest is
// compared with a pinned value).
func (c *checker) verified(i, j int, _ string) bool {
	s := c.s
	cmd := &s.Cmds[j]
	if verifies(cmd) {
		return true
	}
	if cmd.Test != nil {
		for _, id := range append(shellscan.Tokens(cmd.Test.X), shellscan.Tokens(cmd.Test.Y)...) {
			for _, k := range s.SubstCmds(id) {
				if isHashTool(s.Cmds[k].Name()) || s.Cmds[k].Name() == "openssl" {
					return true
				}
			}
		}
	}
	// sha256sum f | grep -q PINNED, or … | cmp
	if isHashTool(cmd.Name()) && cmd.Pipe != 0 {
		for _, k := range s.PipeStages(cmd.Pipe) {
			if n := s.Cmds[k].Name(); n == "grep" || n == "cmp" || n == "diff" {
				return true
			}
		}
	}
	return false
}
