package shbehavior

import (
	"fmt"

	"github.com/doorman-sec/doorman/analyzer/shellscan"
	"github.com/doorman-sec/doorman/finding"
)

var cweObfuscated = []string{"CWE-506"}

const titleObfuscated = "Shell script decodes hidden text and runs it as code"

// obfuscated reports DM-SH-005: decoded text piped into an interpreter,
// given to eval or sh -c, or written to a file that is then run.
func (c *checker) obfuscated() {
	s := c.s
	decodedFiles := map[string]string{}
	for i := range s.Cmds {
		cmd := &s.Cmds[i]
		if dec := decoderOf(cmd); dec != "" {
			for _, r := range cmd.Redirs {
				if (r.Op == ">" || r.Op == ">>") && r.Target != "" {
					decodedFiles[r.Target] = dec
				}
			}
		}
		if c.claimed[i] {
			continue
		}
		if stdinCode(cmd) && cmd.Pipe != 0 {
			for _, j := range s.PipeStages(cmd.Pipe) {
				if s.Cmds[j].Stage < cmd.Stage {
					if dec := decoderOf(&s.Cmds[j]); dec != "" {
						c.report(i, "DM-SH-005", finding.ObfuscatedPayload, finding.High, finding.ConfidenceHigh, cweObfuscated, titleObfuscated,
							fmt.Sprintf("text decoded by %s (%s) is piped into %s", s.Cmds[j].Name(), dec, cmd.Name()))
						break
					}
				}
			}
			if c.claimed[i] {
				continue
			}
		}
		if code := codeArg(cmd); code != "" {
			if cmd.Escapes >= 4 {
				c.report(i, "DM-SH-005", finding.ObfuscatedPayload, finding.High, finding.ConfidenceHigh, cweObfuscated, titleObfuscated,
					fmt.Sprintf("%s runs a command spelled in %d $'\\x..' escapes", cmd.Name(), cmd.Escapes))
				continue
			}
			for _, id := range shellscan.Tokens(code) {
				for _, j := range s.SubstCmds(id) {
					if dec := decoderOf(&s.Cmds[j]); dec != "" && !c.claimed[i] {
						c.report(i, "DM-SH-005", finding.ObfuscatedPayload, finding.High, finding.ConfidenceHigh, cweObfuscated, titleObfuscated,
							fmt.Sprintf("%s runs text decoded by %s (%s)", cmd.Name(), s.Cmds[j].Name(), dec))
					}
				}
			}
			continue
		}
		if run := runsFile(cmd); run != "" {
			for f, dec := range decodedFiles {
				if sameFile(run, f) {
					c.report(i, "DM-SH-005", finding.ObfuscatedPayload, finding.High, finding.ConfidenceHigh, cweObfuscated, titleObfuscated,
						fmt.Sprintf("%s was written by a %s decoder and is then run", f, dec))
					break
				}
			}
		}
	}
}
