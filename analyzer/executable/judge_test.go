package executable

import (
	"fmt"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/exe"
	"github.com/doorman-sec/doorman/finding"
)

const (
	listen  = exe.CapNetListen
	connect = exe.CapNetConnect
	raw     = exe.CapRawSocket
	bpf     = exe.CapPacketFilter
	execc   = exe.CapExec
	shell   = exe.CapShell
	dup     = exe.CapDupFD
	cmp     = exe.CapStringCompare
	masq    = exe.CapMasquerade
	antidbg = exe.CapAntiDebug
	camera  = exe.CapCamera
	mic     = exe.CapMicrophone
)

const boot = "inittab (sysinit) → etc/init.d/rcS → etc/init.d/S50svc"

func TestBindShell(t *testing.T) {
	bind := mk("elf", listen, dup, execc, shell)
	v := want(t, "bind shell", bind, Context{Name: "usr/sbin/svcmgr"}, RuleBindShell, finding.High)
	if !strings.Contains(v.Evidence, "net-listen (import:net-listen)") || !strings.Contains(v.Evidence, "dup-fd") {
		t.Errorf("evidence: %q", v.Evidence)
	}
	want(t, "started at boot", bind, Context{Name: "usr/sbin/svcmgr", StartedBy: boot}, RuleBindShell, finding.Critical)
	want(t, "in /tmp", bind, Context{Name: "tmp/.x/svcmgr"}, RuleBindShell, finding.Critical)
	want(t, "exec without a shell (a detaching daemon with a hook)", mk("elf", listen, dup, execc), Context{Name: "usr/sbin/svcmgr"}, RuleBindShell, finding.Low)
	// Near misses: whose job it is, and daemons without the descriptor dance.
	want(t, "telnetd", bind, Context{Name: "usr/sbin/telnetd", StartedBy: boot}, RuleBindShell, finding.Low)
	want(t, "lighttpd (CGI)", bind, Context{Name: "usr/sbin/lighttpd"}, RuleBindShell, finding.Low)
	want(t, "BusyBox", bind, Context{Name: "bin/busybox", MultiCall: true, StartedBy: boot}, RuleBindShell, finding.Low)
	want(t, "daemon that forks helpers", mk("elf", listen, execc, shell), Context{Name: "usr/sbin/dnsmasq"}, RuleBindShell, 0)
	want(t, "echo server", mk("elf", listen, dup), Context{Name: "usr/bin/echod"}, RuleBindShell, 0)
	// A name does not protect a binary in an odd place.
	want(t, "telnetd in a hidden folder", bind, Context{Name: "var/.cache/telnetd"}, RuleBindShell, finding.Critical)
}

func TestReverseShell(t *testing.T) {
	rev := mk("elf", connect, dup, shell, execc)
	rev.Endpoints = []string{"198.51.100.23:4444"}
	v := want(t, "reverse shell", rev, Context{Name: "usr/bin/updater"}, RuleReverseShell, finding.High)
	if !strings.Contains(v.Message, "198.51.100.23:4444") || !strings.Contains(v.Evidence, "endpoint 198.51.100.23:4444") {
		t.Errorf("endpoint not named: %q / %q", v.Message, v.Evidence)
	}
	want(t, "reverse shell at boot", rev, Context{Name: "usr/bin/updater", StartedBy: boot}, RuleReverseShell, finding.Critical)
	noEP := mk("elf", connect, dup, shell)
	want(t, "peer from arguments", noEP, Context{Name: "usr/bin/rsh-helper"}, RuleReverseShell, finding.Low)
	want(t, "peer from arguments, in /dev/shm", noEP, Context{Name: "dev/shm/x"}, RuleReverseShell, finding.Medium)
	priv := mk("elf", connect, dup, shell)
	priv.Endpoints = []string{"192.168.1.1:8080", "http://localhost/"}
	want(t, "private endpoint only", priv, Context{Name: "usr/bin/agent"}, RuleReverseShell, finding.Low)
	// Near misses: a shell has /dev/tcp, an ssh client runs ProxyCommand.
	want(t, "bash", rev, Context{Name: "bin/bash"}, RuleReverseShell, finding.Low)
	want(t, "ssh", rev, Context{Name: "usr/bin/ssh"}, RuleReverseShell, finding.Low)
	if vs := only(Judge(rev, Context{Name: "usr/bin/updater"}), RuleEndpoint); len(vs) != 0 {
		t.Errorf("reverse shell also reported as a plain endpoint: %+v", vs)
	}
}

func TestEndpointRule(t *testing.T) {
	agent := mk("elf", connect, execc)
	agent.Endpoints = []string{"http://user:s3cretpass@cloud.vendor-iot.invalid/api"}
	v := want(t, "cloud agent", agent, Context{Name: "usr/sbin/cloudd", StartedBy: boot}, RuleEndpoint, finding.Low)
	if strings.Contains(v.Message, "s3cretpass") || strings.Contains(v.Evidence, "s3cretpass") {
		t.Errorf("credential in URL not masked: %q", v.Evidence)
	}
	want(t, "cloud agent in /tmp", agent, Context{Name: "tmp/cloudd"}, RuleEndpoint, finding.Medium)
	priv := mk("elf", connect, execc)
	priv.Endpoints = []string{"10.0.0.138", "router.lan:80"}
	want(t, "private only", priv, Context{Name: "tmp/cloudd"}, RuleEndpoint, 0)
	want(t, "curl", agent, Context{Name: "usr/bin/curl"}, RuleEndpoint, finding.Low)
}

func TestMagicPacket(t *testing.T) {
	door := mk("elf", raw, bpf, cmp, execc, shell)
	v := want(t, "BPFDoor shape", door, Context{Name: "usr/sbin/hald-addon"}, RuleMagicPacket, finding.High)
	if len(v.References) < 2 || !strings.Contains(v.References[0], "bpfdoor") {
		t.Errorf("no BPFDoor reference: %v", v.References)
	}
	bpfdoor := mk("elf", raw, bpf, cmp, execc, shell, masq)
	want(t, "BPFDoor with masquerade", bpfdoor, Context{Name: "usr/sbin/hald-addon"}, RuleMagicPacket, finding.Critical)
	want(t, "raw socket without a filter", mk("elf", raw, cmp, execc), Context{Name: "usr/sbin/x"}, RuleMagicPacket, finding.Medium)
	// Near misses: DHCP clients filter raw packets and run a hook script.
	want(t, "udhcpc", door, Context{Name: "sbin/udhcpc", StartedBy: boot}, RuleMagicPacket, finding.Low)
	want(t, "dhclient", door, Context{Name: "sbin/dhclient"}, RuleMagicPacket, finding.Low)
	want(t, "ping", mk("elf", raw, cmp), Context{Name: "bin/ping"}, RuleMagicPacket, 0)
	want(t, "tcpdump runs no command", mk("elf", raw, bpf, cmp), Context{Name: "tmp/tcpdump"}, RuleMagicPacket, 0)
}

func TestHiddenCredential(t *testing.T) {
	hint := []CredHint{{Context: "Password:", Literal: "xc3511"}}
	login := mk("elf", cmp)
	v := want(t, "login with a literal", login, Context{Name: "bin/login", Credentials: hint}, RuleHiddenCred, finding.Medium)
	if strings.Contains(v.Evidence, "xc3511") || strings.Contains(v.Message, "xc3511") || !strings.Contains(v.Evidence, "'x*****'") {
		t.Errorf("literal not masked: %q / %q", v.Evidence, v.Message)
	}
	want(t, "network login to a shell", mk("elf", cmp, listen, shell), Context{Name: "usr/sbin/mgmtd", Credentials: hint}, RuleHiddenCred, finding.High)
	want(t, "started at boot", login, Context{Name: "usr/sbin/mgmtd", Credentials: hint, StartedBy: boot}, RuleHiddenCred, finding.High)
	want(t, "BusyBox with a literal", mk("elf", cmp, listen, shell), Context{Name: "bin/busybox", MultiCall: true, Credentials: hint}, RuleHiddenCred, finding.Medium)
	want(t, "no comparison", mk("elf", listen), Context{Name: "usr/sbin/mgmtd", Credentials: hint}, RuleHiddenCred, 0)
	want(t, "no literal", login, Context{Name: "bin/login"}, RuleHiddenCred, 0)
}

func TestSurveillance(t *testing.T) {
	pe := mk("pe", camera, connect)
	want(t, "webcam uploader", pe, Context{Name: "Program Files/x/cam.exe"}, RuleSurveillance, finding.Medium)
	trig := mk("pe", mic, connect, raw)
	trig.Endpoints = []string{"https://collect.example.net/up"}
	want(t, "triggered, fixed endpoint", trig, Context{Name: "x.exe"}, RuleSurveillance, finding.Critical)
	want(t, "camera only", mk("macho", camera), Context{Name: "Photo Booth"}, RuleSurveillance, 0)
	want(t, "ELF is the surveil analyzer's", mk("elf", camera, connect), Context{Name: "usr/bin/cam"}, RuleSurveillance, 0)
}

func TestPacked(t *testing.T) {
	upx := mk("elf")
	upx.Packer = "upx"
	upx.Sections = []exe.Section{{Name: "UPX1", Size: 90000, Entropy: 7.93, Exec: true}, {Name: "UPX0", Exec: true}}
	v := want(t, "upx in a folder", upx, Context{Name: "opt/tool/agent"}, RulePacked, finding.Medium)
	if !strings.Contains(v.Evidence, "UPX1 7.93") {
		t.Errorf("evidence: %q", v.Evidence)
	}
	want(t, "upx in firmware /usr/sbin", upx, Context{Name: "usr/sbin/agent", InContainer: true}, RulePacked, finding.High)
	want(t, "upx in firmware, started at boot", upx, Context{Name: "usr/sbin/agent", InContainer: true, StartedBy: boot}, RulePacked, finding.Critical)
	want(t, "upx BusyBox in firmware", upx, Context{Name: "bin/busybox", InContainer: true, MultiCall: true}, RulePacked, finding.Medium)
	he := mk("elf")
	he.Packer = "high-entropy"
	want(t, "unnamed packer", he, Context{Name: "opt/tool/agent"}, RulePacked, finding.Low)
	want(t, "unnamed packer at boot", he, Context{Name: "opt/tool/agent", StartedBy: boot}, RulePacked, finding.Medium)
	want(t, "not packed", mk("elf"), Context{Name: "usr/sbin/agent", InContainer: true}, RulePacked, 0)
}

func TestEvasive(t *testing.T) {
	imp := mk("elf", masq, antidbg, connect)
	want(t, "implant", imp, Context{Name: "usr/lib/systemd/kworkerd"}, RuleEvasive, finding.Medium)
	want(t, "implant in /dev/shm", imp, Context{Name: "dev/shm/kworkerd"}, RuleEvasive, finding.High)
	want(t, "gdbserver", mk("elf", masq, antidbg, listen), Context{Name: "usr/bin/gdbserver"}, RuleEvasive, 0)
	want(t, "no network", mk("elf", masq, antidbg), Context{Name: "usr/bin/x"}, RuleEvasive, 0)
}

// An ordinary dynamic program with common capabilities says nothing.
func TestQuietOnOrdinaryPrograms(t *testing.T) {
	for name, info := range map[string]*exe.Info{
		"usr/bin/wget":      mk("elf", connect, cmp),
		"usr/sbin/sshd":     mk("elf", listen, dup, execc, shell, cmp, masq),
		"usr/bin/systemctl": mk("elf", connect, execc, cmp),
		"bin/sh":            mk("elf", execc, shell, dup, cmp),
		"usr/sbin/ntpd":     mk("elf", listen, connect, cmp),
	} {
		for _, v := range Judge(info, Context{Name: name, StartedBy: boot}) {
			if v.Severity >= finding.Medium {
				t.Errorf("%s: %s at %s: %s", name, v.Rule, v.Severity, v.Message)
			}
		}
	}
	if Judge(nil, Context{}) != nil {
		t.Error("nil info judged")
	}
}

func TestContext(t *testing.T) {
	for name, want := range map[string]string{
		"tmp/x": "/tmp", "var/run/x": "/var", "dev/shm/x": "/dev", "home/u/.cache/x": "a hidden folder (.cache)",
		"usr/bin/x": "", "x": "", "bin/.hidden-file": "", "lib/modules/x.ko": "",
	} {
		if got := (Context{Name: name}).OddPlace(); got != want {
			t.Errorf("OddPlace(%s) = %q, want %q", name, got, want)
		}
	}
	if !(Context{Name: "usr/sbin/x", InContainer: true}).FirmwareBin() || (Context{Name: "usr/sbin/x"}).FirmwareBin() || (Context{Name: "opt/x", InContainer: true}).FirmwareBin() {
		t.Error("FirmwareBin")
	}
	for name, base := range map[string]string{"usr/sbin/nginx-1.24": "nginx", "bin/BASH": "bash", "x/PUTTY.EXE": "putty", "usr/bin/python3.11": "python3.11"} {
		if got := (Context{Name: name}).Base(); got != base {
			t.Errorf("Base(%s) = %q", name, got)
		}
	}
	if r := (Context{Name: "bin/busybox"}).Roles(); r[RoleMultiCall] {
		t.Error("the name busybox alone made a multi-call binary")
	}
	if r := (Context{Name: "bin/nc"}).Roles(); !r[RoleServer] || !r[RoleClient] {
		t.Error("nc is a server and a client")
	}
}

func TestPublicEndpoints(t *testing.T) {
	got := publicEndpoints([]string{"https://gnu.org/licenses/gpl.html", "https://bugs.debian.org/1015579", "http://www.apache.org/licenses/LICENSE-2.0", "10.1.2.3", "127.0.0.1:80", "[fe80::1]:22", "http://printer.local/", "router", "100.64.1.1",
		"198.51.100.7:4444", "http://c2.example.net:8080/x", "[2001:db8::1]:53", "update.vendor.invalid"})
	want := []string{"198.51.100.7:4444", "http://c2.example.net:8080/x", "[2001:db8::1]:53", "update.vendor.invalid"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("got %v\nwant %v", got, want)
	}
}

// A reverse shell dials an address and port; a domain's web page (a URL on
// the default port) is not a shell's peer.
func TestDialTargets(t *testing.T) {
	got := dialTargets([]string{"198.51.100.7:4444", "http://c2.example.net:8080/x", "http://203.0.113.9/p", "https://updates.example.net/fw", "c2.example.net:443"})
	want := []string{"198.51.100.7:4444", "http://c2.example.net:8080/x", "http://203.0.113.9/p", "c2.example.net:443"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("got %v\nwant %v", got, want)
	}
	// Debian's perl and tar: the shape of a shell, a licence URL, and perl
	// is an interpreter: low.
	perl := mk("elf", listen, connect, dup, execc, shell)
	perl.Endpoints = []string{"https://bugs.debian.org/1015579"}
	for _, name := range []string{"usr/bin/perl", "usr/bin/perl5.36.0", "usr/bin/python3.11"} {
		for _, v := range Judge(perl, Context{Name: name}) {
			if v.Severity > finding.Low {
				t.Errorf("%s: %s at %s", name, v.Rule, v.Severity)
			}
		}
	}
	tar := mk("elf", connect, dup, shell, execc)
	tar.Endpoints = []string{"https://gnu.org/licenses/gpl.html"}
	if v := only(Judge(tar, Context{Name: "bin/tar"}), RuleReverseShell); len(v) != 1 || v[0].Severity != finding.Low {
		t.Errorf("tar (rmt over rsh): %+v", v)
	}
}

// A shared library links connect, dup2 and "/bin/sh" for its callers
// (libvips, libc): not a shell of its own. The same library in an odd
// place, or with a magic-packet shape (Symbiote is an LD_PRELOAD library),
// is still judged.
func TestSharedLibraryIsNotAShell(t *testing.T) {
	lib := mk("elf", connect, dup, shell, execc)
	lib.Type = "shared"
	lib.Endpoints = []string{"198.51.100.23:4444"}
	want(t, "libvips-like library", lib, Context{Name: "usr/lib/libvips-cpp.so.8"}, RuleReverseShell, finding.Low)
	want(t, "library in /tmp", lib, Context{Name: "tmp/.x/libz.so"}, RuleReverseShell, finding.Critical)
	sym := mk("elf", raw, bpf, cmp, execc, shell)
	sym.Type = "shared"
	if vs := only(Judge(sym, Context{Name: "usr/lib/libsymbiote.so"}), RuleMagicPacket); len(vs) != 1 || vs[0].Severity < finding.High {
		t.Errorf("magic-packet library: %+v", vs)
	}
}

// ssh, tmux, git and perf listen, redirect descriptors and run a shell
// among hundreds of other imported functions: features, not a bind shell.
// The same shape in a small dedicated program stays high.
func TestGeneralPurposeProgram(t *testing.T) {
	big := mk("elf", listen, dup, execc, shell)
	for i := 0; i < generalImports; i++ {
		big.Imports = append(big.Imports, fmt.Sprintf("fn%d", i))
	}
	want(t, "tmux-like", big, Context{Name: "usr/bin/tmux"}, RuleBindShell, finding.Low)
	want(t, "same in /tmp", big, Context{Name: "tmp/.x/tmux"}, RuleBindShell, finding.Critical)
	want(t, "small dedicated", mk("elf", listen, dup, execc, shell), Context{Name: "usr/bin/tmux"}, RuleBindShell, finding.High)
}
