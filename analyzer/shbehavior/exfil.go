package shbehavior

import (
	"fmt"
	"strings"

	"github.com/doorman-sec/doorman/analyzer/shellscan"
	"github.com/doorman-sec/doorman/finding"
)

var cweExfil = []string{"CWE-200", "CWE-359", "CWE-506"}

const titleExfil = "Shell script sends secrets or the environment to a remote host"

// source is what a piece of data is, when it is worth stealing.
type source struct {
	what   string
	secret bool // credentials or the environment, not just host identity
}

// sensitivePaths are files whose contents are credentials.
var sensitivePaths = []string{
	"/.ssh/", "/.ssh", ".aws/credentials", ".aws/config", ".npmrc", ".pypirc", ".netrc",
	".git-credentials", ".docker/config.json", ".kube/config", ".gnupg", "/etc/shadow",
	"/etc/passwd", ".bash_history", ".zsh_history", "gh/hosts.yml", ".config/gcloud",
	"id_rsa", "id_ed25519", "id_ecdsa", ".gitconfig", ".vault-token", ".cargo/credentials",
}

// sensitiveFile reports whether a path names a credential file.
func sensitiveFile(p string) bool {
	if p == "" || strings.Contains(p, "://") {
		return false
	}
	home := strings.HasPrefix(p, "~") || strings.HasPrefix(p, "$HOME") || strings.HasPrefix(p, "/root") || strings.HasPrefix(p, "/home/") || strings.HasPrefix(p, "${HOME}")
	for _, s := range sensitivePaths {
		if strings.Contains(p, s) {
			if strings.HasPrefix(s, "/etc/") || home || strings.HasPrefix(s, "id_") {
				return true
			}
		}
	}
	return shellscan.Base(p) == ".env" && home
}

// sourceOf says whether a command reads something worth stealing.
func sourceOf(cmd *shellscan.Cmd) (source, bool) {
	argv := cmd.Argv()
	if len(argv) == 0 {
		return source{}, false
	}
	name := shellscan.Base(argv[0])
	rest := strings.Join(argv[1:], " ")
	switch name {
	case "env", "printenv":
		if len(cmd.Args) == 1 || name == "env" && len(argv) == 1 || name == "printenv" && len(argv) == 1 {
			return source{"the whole environment (" + name + ")", true}, true
		}
	case "set":
		if len(argv) == 1 {
			return source{"all shell variables (set)", true}, true
		}
	case "export", "declare", "typeset":
		if rest == "-p" || rest == "-x" || rest == "-px" {
			return source{"the exported environment", true}, true
		}
	case "git":
		switch {
		case strings.HasPrefix(rest, "remote -v") || strings.HasPrefix(rest, "remote get-url") || strings.Contains(rest, "remote.origin.url"):
			return source{"the git remotes (git " + rest + ")", true}, true
		case strings.HasPrefix(rest, "config -l") || strings.HasPrefix(rest, "config --list"):
			return source{"the git configuration", true}, true
		case strings.HasPrefix(rest, "credential"):
			return source{"git credentials", true}, true
		}
	case "gh":
		if strings.HasPrefix(rest, "auth token") {
			return source{"the GitHub CLI token", true}, true
		}
	case "hostname", "whoami", "id", "uname", "ifconfig", "ip":
		return source{"host identity (" + name + ")", false}, true
	}
	for _, a := range argv[1:] {
		if sensitiveFile(a) {
			return source{a, true}, true
		}
	}
	for _, r := range cmd.Redirs {
		if r.Op == "<" && sensitiveFile(r.Target) {
			return source{r.Target, true}, true
		}
	}
	return source{}, false
}

// dataFlag returns the option of curl or wget (tool) that sends data, and
// its value when attached (--data=x, -dx); "" when a is no such option.
func dataFlag(tool, a string) (string, string) {
	if tool == "curl" {
		for _, f := range []string{"--data-binary", "--data-raw", "--data-urlencode", "--data-ascii", "--data", "--form-string", "--form", "--upload-file", "--json"} {
			if a == f {
				return f, ""
			}
			if strings.HasPrefix(a, f+"=") {
				return f, a[len(f)+1:]
			}
		}
		if len(a) >= 2 && a[0] == '-' && a[1] != '-' {
			for _, f := range []byte{'d', 'F', 'T'} {
				if a[1] == f {
					return a[:2], a[2:]
				}
			}
		}
		return "", ""
	}
	for _, f := range []string{"--post-data", "--post-file", "--body-data", "--body-file"} {
		if a == f {
			return f, ""
		}
		if strings.HasPrefix(a, f+"=") {
			return f, a[len(f)+1:]
		}
	}
	return "", ""
}

// sink is a command that sends data out and the words it sends.
type sink struct {
	how   string
	data  []string // values sent (may hold substitution tokens, @files)
	files []string // files whose content is sent
	stdin bool     // sends its standard input
}

// sinkOf says whether a command sends data to the network, and what.
func sinkOf(cmd *shellscan.Cmd) (sink, bool) {
	argv := cmd.Argv()
	if len(argv) == 0 {
		return sink{}, false
	}
	name := shellscan.Base(argv[0])
	var k sink
	switch name {
	case "curl", "wget":
		k.how = name
		for i := 1; i < len(argv); i++ {
			f, v := dataFlag(name, argv[i])
			if f == "" {
				if name == "curl" && (argv[i] == "-H" || argv[i] == "--header" || argv[i] == "-A" || argv[i] == "-b" || argv[i] == "--cookie") && i+1 < len(argv) {
					k.data = append(k.data, argv[i+1]) // headers carry data too
				} else if strings.Contains(argv[i], "://") {
					k.data = append(k.data, argv[i]) // and so does the URL
				}
				continue
			}
			if v == "" && i+1 < len(argv) {
				i++
				v = argv[i]
			}
			switch {
			case f == "-T" || f == "--upload-file" || f == "--post-file" || f == "--body-file":
				if v == "-" || v == "." {
					k.stdin = true
				} else {
					k.files = append(k.files, v)
				}
			default:
				if j := strings.Index(v, "@"); j >= 0 && (j == 0 || f == "-F" || f == "--form") {
					if file := v[j+1:]; file == "-" {
						k.stdin = true
					} else {
						k.files = append(k.files, strings.SplitN(file, ";", 2)[0])
					}
					if j == 0 {
						continue
					}
				}
				k.data = append(k.data, v)
			}
		}
		if len(k.data) == 0 && len(k.files) == 0 && !k.stdin {
			return k, false
		}
		return k, true
	case "nc", "ncat", "netcat", "telnet", "socat":
		if listens(argv) {
			return k, false
		}
		return sink{how: name, stdin: true}, true
	case "dig", "nslookup", "host", "drill":
		return sink{how: "a DNS lookup (" + name + ")", data: argv[1:]}, true
	case "scp", "rsync":
		for _, a := range argv[1:] {
			if strings.Contains(a, ":") && !strings.HasPrefix(a, "-") {
				return sink{how: name, files: argv[1:]}, true
			}
		}
	}
	for _, r := range cmd.Redirs {
		if isDevTCP(r.Target) && (r.Op == ">" || r.Op == ">>" || r.Op == ">&" || r.Op == "&>") {
			k = sink{how: r.Target, stdin: true, data: argv[1:]}
			if s, ok := sourceOf(cmd); ok { // env > /dev/tcp/…
				k.data = append(k.data, "\x00"+s.what)
			}
			return k, true
		}
	}
	return k, false
}

// exfiltration reports DM-SH-002.
func (c *checker) exfiltration() {
	s := c.s
	written := map[string]source{} // files a source was redirected into
	for i := range s.Cmds {
		if src, ok := sourceOf(&s.Cmds[i]); ok {
			for _, r := range s.Cmds[i].Redirs {
				if (r.Op == ">" || r.Op == ">>") && !isDevTCP(r.Target) {
					written[r.Target] = src
				}
			}
		}
	}
	for i := range s.Cmds {
		cmd := &s.Cmds[i]
		if c.claimed[i] {
			continue
		}
		k, ok := sinkOf(cmd)
		if !ok {
			continue
		}
		var found []source
		add := func(src source) {
			for _, f := range found {
				if f.what == src.what {
					return
				}
			}
			found = append(found, src)
		}
		for _, d := range k.data {
			if strings.HasPrefix(d, "\x00") {
				if src, ok := sourceOf(cmd); ok {
					add(src)
				}
			}
			for _, id := range shellscan.Tokens(d) {
				for _, j := range s.SubstCmds(id) {
					if src, ok := sourceOf(&s.Cmds[j]); ok {
						add(src)
					}
				}
			}
		}
		for _, f := range k.files {
			if sensitiveFile(f) {
				add(source{f, true})
			} else if src, ok := written[f]; ok {
				add(src)
			}
		}
		if k.stdin {
			if cmd.Pipe != 0 {
				for _, j := range s.PipeStages(cmd.Pipe) {
					if s.Cmds[j].Stage < cmd.Stage {
						if src, ok := sourceOf(&s.Cmds[j]); ok {
							add(src)
						}
					}
				}
			}
			for _, r := range cmd.Redirs {
				switch {
				case r.Op == "<" && sensitiveFile(r.Target):
					add(source{r.Target, true})
				case r.Op == "<":
					if src, ok := written[r.Target]; ok {
						add(src)
					}
				case r.Op == "<<<" || r.Op == "<<" || r.Op == "<<-":
					for _, id := range shellscan.Tokens(r.Target) {
						for _, j := range s.SubstCmds(id) {
							if src, ok := sourceOf(&s.Cmds[j]); ok {
								add(src)
							}
						}
					}
				}
			}
		}
		if len(found) == 0 {
			continue
		}
		sev, conf := finding.Medium, finding.ConfidenceMedium
		var names []string
		for _, f := range found {
			names = append(names, f.what)
			if f.secret {
				sev, conf = finding.High, finding.ConfidenceHigh
			}
		}
		c.report(i, "DM-SH-002", finding.DataExfiltration, sev, conf, cweExfil, titleExfil,
			fmt.Sprintf("%s sends %s to %s", strings.Join(names, " and "), "them", destination(cmd, k)))
	}
}

// destination names where a sink sends to, for the message.
func destination(cmd *shellscan.Cmd, k sink) string {
	for _, a := range cmd.Argv()[1:] {
		if strings.Contains(a, "://") {
			return shellscan.Printable(a) + " (" + k.how + ")"
		}
	}
	return k.how + " " + shellscan.Printable(strings.Join(cmd.Argv()[1:], " "))
}
