package shbehavior

import (
	"fmt"
	"strings"

	"github.com/doorman-sec/doorman/analyzer/shellscan"
	"github.com/doorman-sec/doorman/finding"
)

var cweTimeBomb = []string{"CWE-511"}

const titleTimeBomb = "Destructive command gated on the date, host name or locale"

// timeBombs reports DM-SH-006: a destructive command whose guard compares
// the date, host name or locale with a literal.
func (c *checker) timeBombs() {
	s := c.s
	for i := range s.Cmds {
		cmd := &s.Cmds[i]
		if len(cmd.Guards) == 0 || c.claimed[i] {
			continue
		}
		what := destructive(cmd)
		if what == "" {
			continue
		}
		for _, g := range cmd.Guards {
			if trig := c.trigger(g); trig != "" {
				c.report(i, "DM-SH-006", finding.TimeBomb, finding.High, finding.ConfidenceHigh, cweTimeBomb, titleTimeBomb,
					fmt.Sprintf("%s runs only when %s", what, trig))
				break
			}
		}
	}
}

// trigger describes a condition that compares the date, host name or
// locale with a literal; "" when condition g is not one.
func (c *checker) trigger(g int) string {
	s := c.s
	if g <= 0 || g > len(s.Conds) {
		return ""
	}
	for _, k := range s.Conds[g-1] {
		t := s.Cmds[k].Test
		if t == nil || t.X == "" {
			continue
		}
		for _, pair := range [][2]string{{t.X, t.Y}, {t.Y, t.X}} {
			kind := c.environmental(pair[0])
			if kind != "" && literal(pair[1]) {
				return fmt.Sprintf("the %s %s %s", kind, t.Op, pair[1])
			}
		}
	}
	return ""
}

// environmental says whether a word holds the date, host name or locale.
func (c *checker) environmental(w string) string {
	switch {
	case strings.Contains(w, "$HOSTNAME"):
		return "host name"
	case strings.Contains(w, "$LANG") || strings.Contains(w, "$LC_ALL") || strings.Contains(w, "$TZ"):
		return "locale"
	case strings.Contains(w, "$EPOCHSECONDS"):
		return "date"
	}
	for _, id := range shellscan.Tokens(w) {
		for _, j := range c.s.SubstCmds(id) {
			switch n := c.s.Cmds[j].Name(); n {
			case "date":
				return "date"
			case "hostname", "uname":
				return "host name"
			case "locale", "timedatectl":
				return "locale"
			}
		}
	}
	return ""
}

// literal reports whether a word is a fixed value: a number, a date or a
// name, with no variable or substitution in it.
func literal(w string) bool {
	return w != "" && !strings.ContainsAny(w, "$\x01") && len(w) >= 2
}

// destructive says what a command destroys, or "".
func destructive(cmd *shellscan.Cmd) string {
	argv := cmd.Argv()
	if len(argv) == 0 {
		return ""
	}
	switch name := shellscan.Base(argv[0]); {
	case name == "rm":
		recursive := false
		for _, a := range argv[1:] {
			if strings.HasPrefix(a, "-") && (strings.ContainsAny(a, "rR") || a == "--recursive") {
				recursive = true
			}
		}
		if !recursive {
			return ""
		}
		for _, a := range argv[1:] {
			if a == "--no-preserve-root" || precious(a) {
				return "rm -r " + a
			}
		}
	case name == "dd":
		for _, a := range argv[1:] {
			if strings.HasPrefix(a, "of=/dev/") {
				return "dd " + a
			}
		}
	case strings.HasPrefix(name, "mkfs") || name == "wipefs" || name == "shred":
		return name
	}
	return ""
}

// precious reports whether rm -r of a path destroys a system or a home.
func precious(p string) bool {
	p = strings.TrimSuffix(strings.TrimSuffix(p, "*"), "/")
	switch p {
	case "", "~", "$HOME", "${HOME}", ".", "..", "/home", "/etc", "/usr", "/var", "/boot", "/bin", "/lib", "/opt", "/root", "/srv", "/mnt", "/*":
		return true
	}
	return false
}
