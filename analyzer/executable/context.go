package executable

import (
	"path"
	"strings"
)

// Context is what the walk knows about a binary beyond its own bytes.
type Context struct {
	// Name is the binary's path inside its file system or folder
	// ("usr/sbin/agentd"), slash-separated, without a leading slash.
	Name string
	// InContainer is true when the binary was found inside a firmware
	// image, archive or package (its display path has a "!/").
	InContainer bool
	// MultiCall is true when the bytes carry BusyBox's banner and its
	// "multi-call binary" usage line (or Toybox's): the name alone is not
	// trusted.
	MultiCall bool
	// StartedBy is the boot chain that starts it ("inittab → rcS →
	// S50agent"); empty when nothing at boot names it.
	StartedBy string
	// Credentials are password-like literals found next to login and
	// password strings (see credentials.go).
	Credentials []CredHint
}

// Role is what a binary is for, when its job explains a capability.
type Role int

// Roles.
const (
	RoleNone Role = iota
	RoleMultiCall
	RoleShell
	RoleServer
	RoleClient
	RolePacketTool
	RoleDebugger
	RoleInterpreter
	RoleLibrary
	RoleGeneral
)

var roleNames = map[Role]string{RoleMultiCall: "a multi-call binary (BusyBox/Toybox: every applet in one file)", RoleShell: "a shell", RoleServer: "a network server", RoleClient: "a network client", RolePacketTool: "a packet or DHCP tool", RoleDebugger: "a debugger or tracer", RoleInterpreter: "a language interpreter (it runs whatever script it is given)", RoleLibrary: "a shared library (its code runs for whichever program loads it)", RoleGeneral: "a large general-purpose program (hundreds of imported functions; these are among its features)"}

// Names by role. Servers hand out shells or run CGI by design; clients
// connect and may run a local command (ssh ProxyCommand); packet tools use
// raw sockets and BPF filters and run hook scripts (udhcpc's
// default.script, dhclient-script).
var (
	shells      = set("sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "hush", "csh", "tcsh", "fish", "yash", "rbash", "lksh", "ksh93")
	servers     = set("httpd", "lighttpd", "nginx", "uhttpd", "boa", "goahead", "webs", "thttpd", "mini_httpd", "apache2", "httpd2", "mongoose", "civetweb", "jhttpd", "telnetd", "utelnetd", "in.telnetd", "sshd", "dropbear", "dropbearmulti", "inetd", "xinetd", "rlogind", "in.rlogind", "rshd", "in.rshd", "socat", "nc", "ncat", "netcat", "nc.traditional", "nc.openbsd", "tcpsvd", "udpsvd", "dnsmasq", "smbd", "vsftpd", "proftpd", "pure-ftpd", "cupsd", "sshd-session")
	clients     = set("telnet", "ssh", "dbclient", "scp", "sftp", "curl", "wget", "ftp", "tftp", "rsync", "nc", "ncat", "netcat", "nc.traditional", "nc.openbsd", "socat", "ftpget", "ftpput", "git", "git-remote-http", "git-remote-https", "apt", "apt-get", "http", "https", "opkg", "ssh-keyscan")
	packetTools = set("dhclient", "dhcpcd", "udhcpc", "udhcpc6", "udhcpd", "odhcp6c", "odhcpd", "tcpdump", "ping", "ping6", "arping", "traceroute", "traceroute6", "hostapd", "wpa_supplicant", "pppd", "pppoe", "pppoe-discovery", "lldpd", "ladvd", "dhcrelay", "dhcp6c", "rdisc", "clatd", "iw", "wireshark", "tshark", "dumpcap", "nmap", "arp-scan", "iptables", "ip6tables", "xtables-legacy-multi", "xtables-nft-multi", "systemd-networkd", "NetworkManager")
	// Interpreters link every socket and process call their language
	// offers: perl has bind, dup2 and /bin/sh because Perl scripts do.
	interpreters = set("perl", "python", "python2", "python3", "ruby", "lua", "luajit", "node", "nodejs", "php", "php-cgi", "tclsh", "wish", "awk", "gawk", "mawk", "guile", "expect", "jjs", "qjs", "deno", "bun", "pwsh", "osascript")
	debuggers    = set("gdb", "gdbserver", "strace", "ltrace", "valgrind", "perf", "lldb", "lldb-server", "rr", "crash", "memcheck")
)

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// Base returns the binary's file name, lower-cased, without a version
// suffix after a dash-digit or dot-digit ("bash5.2" stays, "python3" stays;
// "nginx-1.24" becomes "nginx") and without ".exe".
func (c Context) Base() string {
	b := strings.ToLower(path.Base(c.Name))
	b = strings.TrimSuffix(b, ".exe")
	if i := strings.IndexAny(b, "-"); i > 0 && i+1 < len(b) && b[i+1] >= '0' && b[i+1] <= '9' {
		b = b[:i]
	}
	return b
}

// Roles says what the binary is for: from its banner (multi-call) or its
// name (the others: a renamed back door in /tmp loses its role through
// OddPlace, and one in /usr/sbin named "httpd" still has its
// capabilities listed in the inventory). A binary can have several (nc is a server and a client).
func (c Context) Roles() map[Role]bool {
	r := map[Role]bool{}
	b := c.Base()
	if c.MultiCall {
		r[RoleMultiCall] = true
	}
	for role, names := range map[Role]map[string]bool{RoleShell: shells, RoleServer: servers, RoleClient: clients, RolePacketTool: packetTools, RoleDebugger: debuggers} {
		if names[b] {
			r[role] = true
		}
	}
	// "perl5.36.0", "python3.11", "lua5.4": the version glued to the name
	if interpreters[b] || interpreters[strings.TrimRight(b, "0123456789.")] {
		r[RoleInterpreter] = true
	}
	return r
}

// OddPlace names the reason a binary's folder is an odd place for an
// executable: a temporary, variable-data or device folder, or a hidden
// one. Empty when the place is ordinary.
func (c Context) OddPlace() string {
	parts := strings.Split(strings.TrimPrefix(path.Clean("/"+c.Name), "/"), "/")
	if len(parts) < 2 {
		return ""
	}
	switch parts[0] {
	case "tmp", "dev", "var":
		return "/" + parts[0]
	}
	for _, p := range parts[:len(parts)-1] {
		if len(p) > 1 && p[0] == '.' && p != ".." {
			return "a hidden folder (" + p + ")"
		}
	}
	return ""
}

// FirmwareBin reports whether the binary sits in a system program folder
// of a file system found inside a container.
func (c Context) FirmwareBin() bool {
	if !c.InContainer {
		return false
	}
	d := path.Dir(strings.TrimPrefix(path.Clean("/"+c.Name), "/"))
	switch d {
	case "bin", "sbin", "usr/bin", "usr/sbin":
		return true
	}
	return false
}
