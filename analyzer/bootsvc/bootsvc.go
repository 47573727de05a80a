// Package bootsvc reads what a firmware image or file system actually
// starts at boot and reports remote shells and maintenance back doors
// among it: telnet servers (critical when they hand out a shell with no
// login, `telnetd -l /bin/sh`), rlogin/rsh/rexec, netcat and socat
// listeners that run a shell, root shells and automatic logins on the
// serial console, vendor debug and factory daemons (TP-Link tddp, the
// Realtek SDK's UDPServer, NETGEAR's telnetenabled), SSH servers that
// accept empty passwords, and Android debugging over TCP.
//
// What runs is decided across files, so Run only records facts: every
// command of every shell script (parsed with mvdan.cc/sh: variables the
// script assigns are expanded, `case "$1" in start)` keeps the branch a
// boot takes, functions are kept apart until called, `sh -c` text is
// parsed too), every inittab line, systemd unit, inetd/xinetd service,
// Android init .rc service and property, and the symlinks that enable
// services. Finish then follows the boot chain of each file system —
// inittab → rcS → the S* scripts its loops run, /etc/rc.d links
// (OpenWrt), enabled systemd units and sockets, services of a started
// inetd, Android init — following `.`/`source`, function calls and
// scripts that call scripts. A service that nothing starts is reported at
// low severity only ("present but not started"); a telnet client, a
// `nc -z` health check, a getty with a login, a commented-out line or a
// script under a documentation folder is not reported at all. A tree
// without inittab, rcS, systemd or Android init (a bare folder of
// scripts) has its init.d/S* scripts and rc.local taken as started.
//
// Rules:
//
//	DM-SVC-001  Telnet server gives a shell without login (critical)
//	DM-SVC-002  Telnet server started at boot (high; critical when root's password is empty)
//	DM-SVC-003  rlogin/rsh/rexec service started at boot (high)
//	DM-SVC-004  Network listener that runs a shell or program (critical/high)
//	DM-SVC-005  Raw netcat/socat listener started at boot (medium)
//	DM-SVC-006  Root shell on the serial console without login (medium: needs physical access)
//	DM-SVC-007  Automatic login on a console (medium)
//	DM-SVC-008  Debug or factory daemon started at boot (critical/high with an advisory, medium by name)
//	DM-SVC-009  SSH server accepts empty passwords (high)
//	DM-SVC-010  Android debugging (ADB) over TCP (high; critical with ro.adb.secure=0)
//	DM-SVC-011  Android debugging without authentication (medium)
//
// Facts for other analyzers: "remote-shell" (RemoteShell: a remote login
// or shell service with its port, recorded wherever it appears, started or
// not) and "ssh-root-password-login" (SSH lets root log in with a
// password). The final pass lists every service it saw in the inventory
// under "services".
package bootsvc

import (
	"path"
	"strings"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/artifact"
)

// Analyzer is the boot-services analyzer.
var Analyzer = &analyzer.Analyzer{
	Name:   name,
	Doc:    "follows what starts at boot (inittab, rcS and init.d scripts, systemd, inetd, OpenWrt, Android init) and reports telnet, r-services, shell listeners, console root shells, debug daemons and ADB over TCP",
	Wants:  wants,
	Run:    run,
	Finish: finish,
}

// name is the analyzer's name; the boot chain is read from facts carrying
// it, also when another analyzer's final pass asks (Started).
const name = "bootsvc"

// Fact kinds this analyzer records for its own final pass.
const (
	factScript  = "bootsvc/script"
	factInittab = "bootsvc/inittab"
	factUnit    = "bootsvc/unit"
	factLink    = "bootsvc/link"
	factInetd   = "bootsvc/inetd"
	factXinetd  = "bootsvc/xinetd"
	factRC      = "bootsvc/android-rc"
	factProps   = "bootsvc/props"
	factSSHD    = "bootsvc/sshd"
	factUCI     = "bootsvc/uci"
	factRoot    = "bootsvc/root-password"
)

// Facts other analyzers may use.
const (
	// FactRemoteShell is a RemoteShell.
	FactRemoteShell = "remote-shell"
	// FactSSHRootPassword is an SSHRootPassword.
	FactSSHRootPassword = "ssh-root-password-login"
)

// RemoteShell is a remote login or shell service found in a boot file,
// for correlation with accounts (telnetd + an empty root password).
type RemoteShell struct {
	Service string
	Port    int
	NoAuth  bool // gives a shell without any login
	Line    int
	Command string
}

// SSHRootPassword says that an SSH server lets root log in with a
// password (sshd PermitRootLogin yes, OpenWrt dropbear RootPasswordAuth).
type SSHRootPassword struct {
	Server string
	Line   int
}

// RootPassword records whether root's password field is empty.
type RootPassword struct {
	Empty bool
	Line  int
}

// InittabFact is an inittab with each entry's process parsed.
type InittabFact struct {
	Entries []InittabEntry
	Cmds    [][]Cmd
}

// docDirs are folders whose scripts document rather than run.
var docDirs = []string{"usr/share/doc/", "usr/share/man/", "usr/share/examples/", "usr/doc/"}

func inDocs(e *artifact.Entry) bool {
	if analyzer.InTestOrDocs(e) {
		return true
	}
	for _, d := range docDirs {
		if strings.HasPrefix(e.Name, d) || strings.Contains(e.Name, "/"+d) {
			return true
		}
	}
	return false
}

// fileType is what a boot-relevant file is, from its name.
type fileType int

const (
	ftNone fileType = iota
	ftInittab
	ftUnit
	ftInetd
	ftXinetd
	ftUCI
	ftRC
	ftProps
	ftSSHD
	ftShadow
	ftScript
	ftMaybeScript // text that is a script only if it starts with #!
)

// classifyName decides from a path what kind of boot file it is.
func classifyName(name string) fileType {
	base := path.Base(name)
	dir := path.Dir(name)
	ext := path.Ext(base)
	switch {
	case base == "inittab":
		return ftInittab
	case strings.Contains(name, "systemd/") && (ext == ".service" || ext == ".socket"),
		strings.Contains(name, "systemd/") && ext == ".conf" && (strings.HasSuffix(dir, ".service.d") || strings.HasSuffix(dir, ".socket.d")):
		return ftUnit
	case base == "inetd.conf":
		return ftInetd
	case base == "xinetd.conf" || path.Base(dir) == "xinetd.d":
		return ftXinetd
	case strings.HasSuffix(dir, "etc/config") && (base == "dropbear" || base == "system" || base == "uhttpd" || base == "telnet"):
		return ftUCI
	case ext == ".rc" && (strings.HasPrefix(base, "init") || strings.HasSuffix(dir, "/init") || dir == "init"):
		return ftRC
	case ext == ".prop" || base == "prop.default":
		return ftProps
	case base == "sshd_config" || strings.HasSuffix(dir, "sshd_config.d"):
		return ftSSHD
	case (base == "shadow" || base == "passwd") && strings.HasSuffix(dir, "etc"):
		return ftShadow
	case isInitDir(dir) || base == "rc.local" || base == "rcS" || base == "rc.sysinit" || base == "rc.common" || ext == ".sh" || base == "functions":
		return ftScript
	case ext == "" || ext == ".init" || ext == ".start":
		return ftMaybeScript
	}
	return ftNone
}

// isInitDir reports whether a folder holds init scripts or their links.
func isInitDir(dir string) bool {
	b := path.Base(dir)
	return b == "init.d" || b == "rc.d" || (strings.HasPrefix(b, "rc") && strings.HasSuffix(b, ".d") && len(b) <= 6)
}

// wantsLink reports whether a symlink enables a service: init.d/rc.d
// links and systemd .wants/.requires links.
func wantsLink(name string) bool {
	dir := path.Dir(name)
	return isInitDir(dir) || strings.HasSuffix(dir, ".wants") || strings.HasSuffix(dir, ".requires") || path.Base(name) == "rc.local"
}

func wants(e *artifact.Entry) bool {
	if e.Kind == artifact.KindSymlink {
		return wantsLink(e.Name) && !inDocs(e)
	}
	if !e.IsRegular() || e.Size > maxScript || e.Size == 0 || inDocs(e) {
		return false
	}
	switch classifyName(e.Name) {
	case ftNone:
		return false
	case ftMaybeScript:
		return e.Kind == artifact.KindText
	}
	return true
}

func run(p *analyzer.Pass) {
	e := p.Entry
	if e.Kind == artifact.KindSymlink {
		p.AddFact(factLink, e.LinkTarget)
		return
	}
	data := p.Data()
	if data == nil {
		return
	}
	switch classifyName(e.Name) {
	case ftInittab:
		f := InittabFact{Entries: ParseInittab(data)}
		for _, en := range f.Entries {
			cmds := ParseScript([]byte(strings.TrimPrefix(en.Process, "-"))).Top
			for i := range cmds {
				cmds[i].Line, cmds[i].Text = en.Line, capText(en.ID+":"+en.Runlevels+":"+en.Action+":"+en.Process)
				if strings.HasPrefix(en.Process, "-") && i == 0 && len(cmds[i].Args) > 0 {
					cmds[i].Args[0] = "-" + cmds[i].Args[0]
				}
			}
			f.Cmds = append(f.Cmds, cmds)
			remoteShells(p, cmds)
		}
		p.AddFact(factInittab, f)
	case ftUnit:
		u := ParseUnit(unitBase(e.Name), data)
		remoteShells(p, u.Exec)
		p.AddFact(factUnit, u)
	case ftInetd:
		svcs := ParseInetd(data)
		for _, s := range svcs {
			remoteShells(p, []Cmd{s.Cmd})
		}
		p.AddFact(factInetd, svcs)
	case ftXinetd:
		svcs := ParseXinetd(data)
		for _, s := range svcs {
			remoteShells(p, []Cmd{s.Cmd})
		}
		p.AddFact(factXinetd, svcs)
	case ftUCI:
		sections := ParseUCI(data)
		for _, s := range sections {
			if s.Type == "dropbear" && !isOffOrUnset(s.Options, "RootPasswordAuth", true) && !isOffOrUnset(s.Options, "PasswordAuth", true) {
				p.AddFact(FactSSHRootPassword, SSHRootPassword{Server: "dropbear", Line: s.Line})
			}
		}
		p.AddFact(factUCI, sections)
	case ftRC:
		rc := ParseRC(data)
		for _, s := range rc.Services {
			remoteShells(p, []Cmd{s.Cmd})
		}
		p.AddFact(factRC, rc)
	case ftProps:
		p.AddFact(factProps, ParseProps(data))
	case ftSSHD:
		s := ParseSSHD(data)
		if s.RootLogin == "yes" {
			p.AddFact(FactSSHRootPassword, SSHRootPassword{Server: "sshd"})
		}
		p.AddFact(factSSHD, s)
	case ftShadow:
		empty, line := rootPasswordEmpty(data)
		if line > 0 {
			p.AddFact(factRoot, RootPassword{Empty: empty, Line: line})
		}
	case ftScript, ftMaybeScript:
		if classifyName(e.Name) == ftMaybeScript && !isShellScript(data) {
			return
		}
		s := ParseScript(data)
		remoteShells(p, s.Top)
		for _, body := range s.Funcs {
			remoteShells(p, body)
		}
		p.AddFact(factScript, s)
	}
}

// isOffOrUnset reads a UCI boolean option with its default.
func isOffOrUnset(opts map[string]string, key string, def bool) bool {
	v, ok := opts[key]
	if !ok {
		return !def
	}
	return !isOn(v)
}

// isShellScript reports whether text starts with a shell #! line.
func isShellScript(data []byte) bool {
	if len(data) < 3 || data[0] != '#' || data[1] != '!' {
		return false
	}
	first := string(data[:min(len(data), 128)])
	if i := strings.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	f := strings.Fields(strings.TrimPrefix(first, "#!"))
	if len(f) == 0 {
		return false
	}
	prog := progName(f[0])
	if (prog == "env" || prog == "busybox") && len(f) > 1 {
		prog = progName(f[1])
	}
	return isShell(prog)
}

// remoteShells records a RemoteShell fact for every remote login or shell
// service among cmds, started or not: a correlation may weigh it.
func remoteShells(p *analyzer.Pass, cmds []Cmd) {
	for _, c := range cmds {
		d := classify(c.Args, c.Pipe)
		if d == nil || d.Port == 0 {
			continue
		}
		switch d.Rule {
		case RuleTelnetShell, RuleTelnetd, RuleRServices, RuleShellListener:
			p.AddFact(FactRemoteShell, RemoteShell{Service: d.Service, Port: d.Port, NoAuth: d.NoAuth, Line: c.Line, Command: c.Text})
		}
	}
}
