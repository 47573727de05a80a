package bootsvc

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/doorman-sec/doorman/finding"
)

// Detection is what a command is, when it is one of the services this
// analyzer reports. Its severity assumes the command runs at boot; the
// final pass lowers it when nothing starts the command.
type Detection struct {
	Rule     string
	Severity finding.Severity
	Service  string // program name
	Port     int    // 0 when unknown
	Proto    string // "tcp" or "udp"
	NoAuth   bool   // a shell or command with no login in front of it
	What     string // the message, without where it is started from
	Refs     []string
}

// classify returns the detection for a command (after its launchers are
// stripped), or nil for anything else: clients, health checks, a getty
// with a login.
func classify(args []string, pipe [][]string) *Detection {
	a := unwrap(args)
	if len(a) == 0 {
		return nil
	}
	name := progName(a[0])
	switch name {
	case "telnetd", "utelnetd", "in.telnetd", "telnetd.busybox", "telnetd.netkit":
		return telnetd(name, a)
	case "rlogind", "in.rlogind":
		return rservice(name, 513)
	case "rshd", "in.rshd":
		return rservice(name, 514)
	case "rexecd", "in.rexecd":
		return rservice(name, 512)
	case "nc", "netcat", "ncat", "nc.traditional", "nc.openbsd", "nc6":
		return netcat(name, a, pipe)
	case "socat":
		return socat(a)
	case "getty", "agetty", "mingetty", "mgetty", "uugetty":
		return getty(name, a)
	case "login":
		return login(a)
	case "dropbear":
		return dropbear(a)
	}
	if d, ok := debugDaemons[name]; ok {
		det := &Detection{Rule: RuleDebugDaemon, Severity: d.sev, Service: name, Port: d.port, Proto: d.proto, What: d.what, Refs: d.refs, NoAuth: d.sev >= finding.High}
		return det
	}
	return nil
}

func telnetd(name string, a []string) *Detection {
	d := &Detection{Rule: RuleTelnetd, Severity: finding.High, Service: name, Port: 23, Proto: "tcp"}
	var loginProg, bind string
	for i := 1; i < len(a); i++ {
		arg := a[i]
		next := func() string {
			if i+1 < len(a) {
				i++
				return a[i]
			}
			return ""
		}
		switch {
		case arg == "-l" || arg == "-L" || arg == "-E":
			loginProg = next()
		case strings.HasPrefix(arg, "--exec-login="):
			loginProg = strings.TrimPrefix(arg, "--exec-login=")
		case len(arg) > 2 && (strings.HasPrefix(arg, "-l/") || strings.HasPrefix(arg, "-L/")):
			loginProg = arg[2:]
		case arg == "-p":
			if p, err := strconv.Atoi(next()); err == nil && p > 0 && p < 65536 {
				d.Port = p
			}
		case arg == "-b":
			bind = next()
			if h, p, ok := strings.Cut(bind, ":"); ok && !strings.Contains(p, ":") {
				bind = h
				if n, err := strconv.Atoi(p); err == nil && n > 0 && n < 65536 {
					d.Port = n
				}
			}
		}
	}
	first := strings.Fields(loginProg)
	switch {
	case len(first) > 0 && isShell(progName(first[0])):
		d.Rule, d.Severity, d.NoAuth = RuleTelnetShell, finding.Critical, true
		d.What = fmt.Sprintf("%s on port %d runs %s instead of a login: anyone who connects gets a root shell without a password", name, d.Port, loginProg)
	case loginProg != "":
		d.What = fmt.Sprintf("%s on port %d (login program %s): a cleartext remote login, open to password guessing and sniffing", name, d.Port, loginProg)
	default:
		d.What = fmt.Sprintf("%s on port %d: a cleartext remote login, open to password guessing and sniffing", name, d.Port)
	}
	if isLoopback(bind) {
		d.Severity = finding.Low
		d.What += " (bound to the loopback address " + bind + " only)"
	}
	return d
}

func isLoopback(h string) bool {
	h = strings.Trim(h, "[]")
	return strings.HasPrefix(h, "127.") || h == "localhost" || h == "::1"
}

func rservice(name string, port int) *Detection {
	return &Detection{Rule: RuleRServices, Severity: finding.High, Service: name, Port: port, Proto: "tcp",
		What: fmt.Sprintf("%s on port %d: a Berkeley r-service, cleartext and trusting the client's host name (.rhosts, hosts.equiv)", name, port)}
}

// netcat reports a listening netcat: critical when each connection gets a
// shell (-e /bin/sh, or a pipeline through sh), otherwise a raw listener.
// Without -l it is a client (nc -z host port, nc host port < file).
func netcat(name string, a []string, pipe [][]string) *Detection {
	listen := false
	var execProg string
	port := 0
	for i := 1; i < len(a); i++ {
		arg := a[i]
		next := func() string {
			if i+1 < len(a) {
				i++
				return a[i]
			}
			return ""
		}
		switch {
		case arg == "-e" || arg == "-c" || arg == "--exec" || arg == "--sh-exec":
			execProg = next()
		case strings.HasPrefix(arg, "--exec=") || strings.HasPrefix(arg, "--sh-exec="):
			_, execProg, _ = strings.Cut(arg, "=")
		case strings.HasPrefix(arg, "-e/") || strings.HasPrefix(arg, "-c/"):
			execProg = arg[2:]
		case arg == "-p" || arg == "--port":
			port = atoiPort(next())
		case strings.HasPrefix(arg, "-") && !strings.HasPrefix(arg, "--") && len(arg) > 1 && isLetters(arg[1:]):
			if strings.ContainsAny(arg, "lL") {
				listen = true
			}
			switch arg[len(arg)-1] {
			case 'p':
				port = atoiPort(next())
			case 'e', 'c':
				execProg = next()
			}
		case arg == "--listen":
			listen = true
		case listen && port == 0 && atoiPort(arg) > 0:
			port = atoiPort(arg)
		}
	}
	if !listen {
		return nil
	}
	d := &Detection{Rule: RuleShellListener, Severity: finding.Critical, Service: name, Port: port, Proto: "tcp", NoAuth: true}
	prog := strings.Fields(execProg)
	switch {
	case len(prog) > 0 && isShell(progName(prog[0])):
		d.What = fmt.Sprintf("%s listens on %s and runs %s for every connection: an unauthenticated remote root shell", name, portText(port), execProg)
	case pipeHasShell(a, pipe):
		d.What = fmt.Sprintf("%s listens on %s and pipes what it receives into a shell: an unauthenticated remote root shell", name, portText(port))
	case len(prog) > 0:
		d.Severity = finding.High
		d.What = fmt.Sprintf("%s listens on %s and runs %s for every connection", name, portText(port), execProg)
	default:
		d.Rule, d.Severity, d.NoAuth = RuleRawListener, finding.Medium, false
		d.What = fmt.Sprintf("%s listens on %s: anyone on the network can send it data, which the script then uses", name, portText(port))
	}
	return d
}

// pipeHasShell reports whether another stage of the command's pipeline is
// an interactive shell (`nc -l -p 4444 | /bin/sh`, the mkfifo reverse).
func pipeHasShell(self []string, pipe [][]string) bool {
	for _, st := range pipe {
		u := unwrap(st)
		if len(u) == 0 || (len(st) > 0 && len(self) > 0 && strings.Join(u, " ") == strings.Join(self, " ")) {
			continue
		}
		if isShell(progName(u[0])) && !runsScript(u) {
			return true
		}
	}
	return false
}

// runsScript reports whether a shell command runs a script or a -c string
// rather than reading commands from its input.
func runsScript(a []string) bool {
	for _, x := range a[1:] {
		if x == "-c" || !strings.HasPrefix(x, "-") {
			return true
		}
	}
	return false
}

func socat(a []string) *Detection {
	listen, port := false, 0
	var exec string
	for _, arg := range a[1:] {
		if strings.HasPrefix(arg, "-") && !strings.Contains(arg, ":") {
			continue
		}
		up := strings.ToUpper(arg)
		kind, rest, _ := strings.Cut(up, ":")
		switch kind {
		case "TCP-LISTEN", "TCP4-LISTEN", "TCP6-LISTEN", "TCP-L", "TCP4-L", "TCP6-L", "UDP-LISTEN", "UDP4-LISTEN", "UDP6-LISTEN", "UDP-L", "SCTP-LISTEN", "OPENSSL-LISTEN", "SSL-L", "OPENSSL-L":
			listen = true
			p, _, _ := strings.Cut(rest, ",")
			port = atoiPort(p)
		case "EXEC", "SYSTEM":
			_, v, _ := strings.Cut(arg, ":")
			v, _, _ = strings.Cut(v, ",")
			exec = strings.Trim(v, "'\"")
		}
	}
	if !listen {
		return nil
	}
	d := &Detection{Rule: RuleShellListener, Severity: finding.Critical, Service: "socat", Port: port, Proto: "tcp", NoAuth: true}
	prog := strings.Fields(exec)
	switch {
	case len(prog) > 0 && isShell(progName(prog[0])):
		d.What = fmt.Sprintf("socat listens on %s and connects every client to %s: an unauthenticated remote root shell", portText(port), exec)
	case len(prog) > 0:
		d.Severity = finding.High
		d.What = fmt.Sprintf("socat listens on %s and runs %s for every client", portText(port), exec)
	default:
		d.Rule, d.Severity, d.NoAuth = RuleRawListener, finding.Medium, false
		d.What = fmt.Sprintf("socat listens on %s", portText(port))
	}
	return d
}

// getty reports a getty that skips the login: a shell as its login
// program, or automatic login.
func getty(name string, a []string) *Detection {
	var loginProg, auto, tty string
	for i := 1; i < len(a); i++ {
		arg := a[i]
		next := func() string {
			if i+1 < len(a) {
				i++
				return a[i]
			}
			return ""
		}
		switch {
		case arg == "-l" || arg == "--login-program":
			loginProg = next()
		case strings.HasPrefix(arg, "--login-program="):
			loginProg = strings.TrimPrefix(arg, "--login-program=")
		case arg == "-a" || arg == "--autologin":
			auto = next()
		case strings.HasPrefix(arg, "--autologin="):
			auto = strings.TrimPrefix(arg, "--autologin=")
		case !strings.HasPrefix(arg, "-") && tty == "" && isTTY(arg):
			tty = strings.TrimPrefix(arg, "/dev/")
		}
	}
	if tty == "" {
		tty = "its terminal"
	}
	prog := strings.Fields(loginProg)
	switch {
	case len(prog) > 0 && isShell(progName(prog[0])):
		return &Detection{Rule: RuleConsoleShell, Severity: finding.Medium, Service: name, NoAuth: true,
			What: fmt.Sprintf("%s on %s runs %s instead of a login: whoever reaches the serial console (UART pins) gets a root shell without a password", name, tty, loginProg)}
	case auto != "":
		sev := finding.Medium
		if auto != "root" {
			sev = finding.Low
		}
		return &Detection{Rule: RuleAutologin, Severity: sev, Service: name, NoAuth: true,
			What: fmt.Sprintf("%s on %s logs %s in automatically, without a password", name, tty, auto)}
	}
	return nil
}

// login reports `login -f USER`, which skips authentication.
func login(a []string) *Detection {
	for i := 1; i+1 < len(a); i++ {
		if a[i] == "-f" {
			return &Detection{Rule: RuleAutologin, Severity: finding.Medium, Service: "login", NoAuth: true,
				What: fmt.Sprintf("login -f %s logs %s in without asking for a password", a[i+1], a[i+1])}
		}
	}
	return nil
}

func dropbear(a []string) *Detection {
	port := 22
	blank := false
	for i := 1; i < len(a); i++ {
		switch arg := a[i]; {
		case arg == "-p" && i+1 < len(a):
			i++
			p := a[i]
			if j := strings.LastIndexByte(p, ':'); j >= 0 {
				p = p[j+1:]
			}
			if n := atoiPort(p); n > 0 {
				port = n
			}
		case strings.HasPrefix(arg, "-") && !strings.HasPrefix(arg, "--") && len(arg) > 1 && isLetters(arg[1:]) && strings.Contains(arg, "B"):
			blank = true
		}
	}
	if !blank {
		return nil
	}
	return &Detection{Rule: RuleEmptyPasswordSSH, Severity: finding.High, Service: "dropbear", Port: port, Proto: "tcp",
		What: fmt.Sprintf("dropbear on port %d runs with -B, which lets accounts with an empty password log in over SSH", port)}
}

// consoleShell reports an inittab process that is an interactive shell:
// on a BusyBox system `console::askfirst:-/bin/sh` or
// `ttyS0::respawn:/bin/sh` is a root shell on the serial console.
func consoleShell(e InittabEntry, args []string) *Detection {
	a := unwrap(args)
	if len(a) == 0 || !e.respawns() && e.Action != "once" {
		return nil
	}
	if !isShell(progName(a[0])) || runsScript(a) {
		return nil
	}
	return &Detection{Rule: RuleConsoleShell, Severity: finding.Medium, Service: progName(a[0]), NoAuth: true,
		What: fmt.Sprintf("init runs %s on %s (%s) with no login: whoever reaches the serial console (UART pins) gets a root shell without a password", e.Process, e.terminal(), e.Action)}
}

func isTTY(s string) bool {
	s = strings.TrimPrefix(s, "/dev/")
	return strings.HasPrefix(s, "tty") || strings.HasPrefix(s, "console") || strings.HasPrefix(s, "hvc") || strings.HasPrefix(s, "ttymxc")
}

func isLetters(s string) bool {
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') {
			return false
		}
	}
	return s != ""
}

func atoiPort(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 || n > 65535 {
		return 0
	}
	return n
}

func portText(p int) string {
	if p == 0 {
		return "a port"
	}
	return "port " + strconv.Itoa(p)
}
