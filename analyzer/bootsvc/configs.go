package bootsvc

import (
	"bytes"
	"path"
	"strconv"
	"strings"
)

// Unit is a systemd unit file or drop-in: what it runs and how it is
// installed. Base is the unit it configures ("telnet.socket",
// "serial-getty@.service"; a drop-in names its unit).
type Unit struct {
	Base     string
	Exec     []Cmd
	WantedBy []string
	Listen   []string // ListenStream/ListenDatagram of a socket unit
	Accept   bool
}

// ParseUnit reads a systemd unit. Continuation lines are joined; Exec
// lines lose their "-@+!:" prefixes.
func ParseUnit(base string, data []byte) *Unit {
	u := &Unit{Base: base}
	section := ""
	lines := bytes.Split(data, []byte("\n"))
	for i := 0; i < len(lines) && i < maxInittab*4; i++ {
		lineNo := i + 1
		line := strings.TrimSpace(string(lines[i]))
		for strings.HasSuffix(line, "\\") && i+1 < len(lines) {
			i++
			line = strings.TrimSuffix(line, "\\") + " " + strings.TrimSpace(string(lines[i]))
		}
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if line[0] == '[' {
			section = strings.Trim(line, "[] ")
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch {
		case section == "Service" && (k == "ExecStart" || k == "ExecStartPre" || k == "ExecStartPost"):
			v = strings.TrimLeft(v, "-@+!:")
			for _, c := range ParseScript([]byte(v)).Top {
				c.Line, c.Text = lineNo, capText(line)
				u.Exec = append(u.Exec, c)
			}
		case section == "Install" && (k == "WantedBy" || k == "RequiredBy" || k == "Alias"):
			u.WantedBy = append(u.WantedBy, strings.Fields(v)...)
		case section == "Socket" && (k == "ListenStream" || k == "ListenDatagram"):
			u.Listen = append(u.Listen, v)
		case section == "Socket" && k == "Accept":
			u.Accept = v == "yes" || v == "true" || v == "1" || v == "on"
		}
	}
	return u
}

// unitBase is the unit a file configures: its own name, or for a drop-in
// (foo.service.d/override.conf) the unit of its folder.
func unitBase(name string) string {
	dir := path.Base(path.Dir(name))
	if strings.HasSuffix(dir, ".d") && strings.HasSuffix(name, ".conf") {
		return strings.TrimSuffix(dir, ".d")
	}
	return path.Base(name)
}

// InetdService is one service of inetd.conf or xinetd.d.
type InetdService struct {
	Name     string
	Port     int
	Cmd      Cmd
	Disabled bool
}

// wellKnownPorts are the /etc/services ports of the services that matter
// here, so a finding can name the port.
var wellKnownPorts = map[string]int{"telnet": 23, "login": 513, "shell": 514, "exec": 512, "ftp": 21, "tftp": 69, "ssh": 22, "rsh": 514, "rlogin": 513, "rexec": 512}

func servicePort(s string) int {
	if _, p, ok := strings.Cut(s, ":"); ok { // BusyBox: [addr:]port
		s = p
	}
	if n := atoiPort(s); n > 0 {
		return n
	}
	return wellKnownPorts[s]
}

// ParseInetd reads inetd.conf: service socktype proto wait user server
// args, where args starts with the program's argv[0].
func ParseInetd(data []byte) []InetdService {
	var out []InetdService
	for i, raw := range bytes.Split(data, []byte("\n")) {
		if len(out) >= maxInittab {
			break
		}
		line := strings.TrimSpace(string(raw))
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 6 || f[5] == "internal" {
			continue
		}
		args := []string{f[5]}
		if len(f) > 7 {
			args = append(args, f[7:]...)
		}
		if progName(f[5]) == "tcpd" && len(f) > 6 {
			args = f[6:]
		}
		out = append(out, InetdService{Name: f[0], Port: servicePort(f[0]), Cmd: Cmd{Args: args, Line: i + 1, Text: capText(line)}})
	}
	return out
}

// ParseXinetd reads xinetd service blocks: service NAME { key = value }.
func ParseXinetd(data []byte) []InetdService {
	var out []InetdService
	var cur *InetdService
	var serverArgs string
	flush := func() {
		if cur != nil && len(cur.Cmd.Args) > 0 && len(out) < maxInittab {
			cur.Cmd.Args = append(cur.Cmd.Args, strings.Fields(serverArgs)...)
			if cur.Port == 0 {
				cur.Port = servicePort(cur.Name)
			}
			out = append(out, *cur)
		}
		cur, serverArgs = nil, ""
	}
	for i, raw := range bytes.Split(data, []byte("\n")) {
		line := strings.TrimSpace(string(raw))
		if line == "" || line[0] == '#' {
			continue
		}
		if f := strings.Fields(line); f[0] == "service" && len(f) > 1 {
			flush()
			cur = &InetdService{Name: f[1], Cmd: Cmd{Line: i + 1, Text: capText(line)}}
			continue
		}
		if cur == nil {
			continue
		}
		if line == "}" {
			flush()
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		k = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(k), "+"))
		v = strings.TrimSpace(v)
		switch k {
		case "disable":
			cur.Disabled = v == "yes"
		case "server":
			cur.Cmd.Args = []string{v}
			cur.Cmd.Line, cur.Cmd.Text = i+1, capText(line)
		case "server_args":
			serverArgs = v
		case "port":
			cur.Port = atoiPort(v)
		}
	}
	flush()
	return out
}

// UCI is one OpenWrt /etc/config section: its type and options.
type UCI struct {
	Type    string
	Options map[string]string
	Line    int
}

// ParseUCI reads an OpenWrt UCI file (config TYPE 'name' / option k 'v').
func ParseUCI(data []byte) []UCI {
	var out []UCI
	for i, raw := range bytes.Split(data, []byte("\n")) {
		f := strings.Fields(string(raw))
		if len(f) < 2 || len(out) >= maxInittab {
			continue
		}
		switch f[0] {
		case "config":
			out = append(out, UCI{Type: unquote(f[1]), Options: map[string]string{}, Line: i + 1})
		case "option":
			if len(out) > 0 && len(f) > 2 {
				out[len(out)-1].Options[unquote(f[1])] = unquote(strings.Join(f[2:], " "))
			}
		}
	}
	return out
}

func unquote(s string) string { return strings.Trim(s, "'\"") }

// isOn reads a UCI boolean.
func isOn(v string) bool {
	switch strings.ToLower(v) {
	case "1", "on", "yes", "true", "enabled":
		return true
	}
	return false
}

// SSHD is what sshd_config says about passwords.
type SSHD struct {
	PermitEmpty     bool
	PermitEmptyLine int
	PermitEmptyText string
	RootLogin       string // "yes", "prohibit-password", ...; "" when unset
}

// ParseSSHD reads sshd_config; the first value of a keyword wins, as in
// sshd, and a value inside a Match block counts as set.
func ParseSSHD(data []byte) SSHD {
	var s SSHD
	for i, raw := range bytes.Split(data, []byte("\n")) {
		line := strings.TrimSpace(string(raw))
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Fields(strings.ReplaceAll(line, "=", " "))
		if len(f) < 2 {
			continue
		}
		switch strings.ToLower(f[0]) {
		case "permitemptypasswords":
			if strings.EqualFold(f[1], "yes") && !s.PermitEmpty {
				s.PermitEmpty, s.PermitEmptyLine, s.PermitEmptyText = true, i+1, capText(line)
			}
		case "permitrootlogin":
			if s.RootLogin == "" {
				s.RootLogin = strings.ToLower(f[1])
			}
		}
	}
	return s
}

// rootPasswordEmpty reads /etc/shadow or /etc/passwd and reports whether
// root's password field is empty (anyone may log in as root), with the line.
func rootPasswordEmpty(data []byte) (bool, int) {
	for i, raw := range bytes.Split(data, []byte("\n")) {
		f := strings.Split(strings.TrimSpace(string(raw)), ":")
		if len(f) >= 2 && f[0] == "root" {
			return f[1] == "", i + 1
		}
	}
	return false, 0
}

// Prop is one Android property assignment.
type Prop struct {
	Key, Value string
	Line       int
	Text       string
}

// ParseProps reads build.prop / default.prop (key=value).
func ParseProps(data []byte) []Prop {
	var out []Prop
	for i, raw := range bytes.Split(data, []byte("\n")) {
		line := strings.TrimSpace(string(raw))
		if line == "" || line[0] == '#' || len(out) >= maxInittab {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		out = append(out, Prop{Key: strings.TrimSpace(k), Value: strings.TrimSpace(v), Line: i + 1, Text: capText(line)})
	}
	return out
}

// RCService is an Android init service.
type RCService struct {
	Name     string
	Cmd      Cmd
	Disabled bool
}

// RCFile is an Android init .rc file: its services, the services its
// triggers start, the properties they set and the commands they exec.
type RCFile struct {
	Services []RCService
	Starts   []string
	Setprops []Prop
	Execs    []Cmd
}

// ParseRC reads an Android init .rc file. Every trigger ("on boot", "on
// property:...") is taken as happening.
func ParseRC(data []byte) *RCFile {
	rc := &RCFile{}
	var svc *RCService
	flush := func() {
		if svc != nil && len(rc.Services) < maxInittab {
			rc.Services = append(rc.Services, *svc)
		}
		svc = nil
	}
	for i, raw := range bytes.Split(data, []byte("\n")) {
		line := strings.TrimSpace(string(raw))
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Fields(line)
		text := capText(line)
		switch f[0] {
		case "service":
			flush()
			if len(f) >= 3 {
				svc = &RCService{Name: f[1], Cmd: Cmd{Args: f[2:], Line: i + 1, Text: text, Background: true}}
			}
			continue
		case "on", "import":
			flush()
			continue
		}
		if svc != nil {
			if f[0] == "disabled" {
				svc.Disabled = true
			}
			continue
		}
		switch f[0] {
		case "start", "enable", "restart":
			if len(f) > 1 {
				rc.Starts = append(rc.Starts, f[1])
			}
		case "setprop":
			if len(f) > 2 {
				rc.Setprops = append(rc.Setprops, Prop{Key: f[1], Value: f[2], Line: i + 1, Text: text})
				if f[1] == "ctl.start" {
					rc.Starts = append(rc.Starts, f[2])
				}
			}
		case "exec", "exec_background":
			for j := 1; j < len(f); j++ {
				if f[j] == "--" && j+1 < len(f) {
					rc.Execs = append(rc.Execs, Cmd{Args: f[j+1:], Line: i + 1, Text: text})
					break
				}
			}
		}
	}
	flush()
	return rc
}

// propPort reads an ADB TCP port property value: a port above zero turns
// ADB over TCP on.
func propPort(v string) int {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n <= 0 || n > 65535 {
		return 0
	}
	return n
}
