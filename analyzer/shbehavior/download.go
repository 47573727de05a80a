package shbehavior

import (
	"fmt"
	"net/netip"
	neturl "net/url"

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
					sev, why := downloadSeverity(f.url)
					c.report(i, "DM-SH-001", finding.DownloadExecute, sev, finding.ConfidenceHigh, cweDownload, titleDownload,
						fmt.Sprintf("the script pipes %s into %s: whatever the server sends is run, unchecked%s", f.url, cmd.Name(), why))
					break
				}
			}
		}
		if c.claimed[i] {
			continue
		}
		// bash <(curl …), sh -c "$(curl …)", eval "$(wget -O- …)", $(curl …)
		if u, how := c.fetchedCode(i); u != "" {
			sev, why := downloadSeverity(u)
			c.report(i, "DM-SH-001", finding.DownloadExecute, sev, finding.ConfidenceHigh, cweDownload, titleDownload,
				fmt.Sprintf("the script runs the output of a download of %s %s: whatever the server sends is run, unchecked%s", u, how, why))
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
					sev, why := downloadSeverity(f.url)
					c.report(j, "DM-SH-001", finding.DownloadExecute, sev, finding.ConfidenceHigh, cweDownload, titleDownload,
						fmt.Sprintf("the script downloads %s to %s and runs it with no checksum or signature check in between%s", f.url, f.file, why))
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

// downloadSeverity grades a download that is run unchecked by where it
// comes from. Over HTTPS from a named host, the risk is the host's owner
// (the pattern of every "curl https://get.example.com | sh" installer in
// developer scripts): medium, one level more at install time. Over plain
// HTTP anyone on the path decides what runs, and a bare IP address names
// no one accountable: high.
func downloadSeverity(url string) (finding.Severity, string) {
	u, err := neturl.Parse(url)
	if err != nil || u.Scheme != "https" || u.Hostname() == "" {
		return finding.High, ""
	}
	if _, err := netip.ParseAddr(u.Hostname()); err == nil {
		return finding.High, ""
	}
	return finding.Medium, " (over HTTPS: whoever controls " + u.Hostname() + " decides what runs)"
}
