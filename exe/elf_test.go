package exe

import (
	"os"
	"strings"
	"testing"
)

var (
	netAll = []CapName{CapNetListen, CapNetConnect, CapExec, CapDupFD, CapShell, CapRawSocket, CapPacketFilter, CapCamera, CapMasquerade, CapSelfUpdate}
)

// without returns all of list but the named ones.
func without(list []CapName, drop ...CapName) []CapName {
	var out []CapName
	for _, c := range list {
		keep := true
		for _, d := range drop {
			keep = keep && c != d
		}
		if keep {
			out = append(out, c)
		}
	}
	return out
}

func TestELFHostC(t *testing.T) {
	cases := []struct {
		name, src string
		have      []CapName
	}{
		{"hello", cHello, nil},
		{"bindshell", cBindShell, []CapName{CapNetListen, CapDupFD, CapExec, CapShell}},
		{"revshell", cReverseShell, []CapName{CapNetConnect, CapDupFD, CapExec, CapShell}},
		{"magicpacket", cMagicPacket, []CapName{CapRawSocket, CapPacketFilter, CapStringCompare, CapExec, CapShell, CapMasquerade}},
		{"camupload", cCamUploader, []CapName{CapCamera, CapNetConnect}},
		{"telnet", cTelnetClient, []CapName{CapNetConnect}},
		{"httpd", cHTTPServer, []CapName{CapNetListen}},
		{"updater", cUpdater, []CapName{CapNetConnect, CapExec, CapSelfUpdate}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := parseFile(t, buildC(t, "gcc", c.name, c.src))
			if in.Format != "elf" || in.Arch != "x86-64" || in.Linkage != "dynamic" || !strings.Contains(in.Interp, "ld-linux") {
				t.Errorf("header: %+v", in)
			}
			if !hasString(in.Libraries, "libc.so.6") {
				t.Errorf("libraries %v", in.Libraries)
			}
			wantCaps(t, c.name, in, c.have, without(netAll, c.have...))
		})
	}
}

func TestELFImportsAndEndpoints(t *testing.T) {
	in := parseFile(t, buildC(t, "gcc", "bindshell", cBindShell))
	for _, s := range []string{"socket", "bind", "listen", "accept", "dup2", "execve"} {
		if !hasString(in.Imports, s) {
			t.Errorf("import %s missing from %v", s, in.Imports)
		}
	}
	for _, s := range in.Imports {
		if strings.Contains(s, "@") {
			t.Errorf("import %q keeps its version", s)
		}
	}
	if ev := capOf(in, CapNetListen).Evidence; !hasString(ev, "import:listen") || !hasString(ev, "import:accept") {
		t.Errorf("net-listen evidence %v", ev)
	}
	rev := parseFile(t, buildC(t, "gcc", "revshell", cReverseShell))
	if len(rev.Endpoints) != 0 {
		t.Errorf("documentation address kept as an endpoint: %v", rev.Endpoints)
	}
	cam := parseFile(t, buildC(t, "gcc", "camupload", cCamUploader))
	if !hasString(cam.Endpoints, "http://cam-upload.badhost.cn:8080/put") {
		t.Errorf("endpoints %v", cam.Endpoints)
	}
	if ev := capOf(cam, CapCamera).Evidence; !hasString(ev, "string:/dev/video0") || !hasString(ev, "import:ioctl") {
		t.Errorf("camera evidence %v", ev)
	}
	mp := parseFile(t, buildC(t, "gcc", "magicpacket", cMagicPacket))
	if ev := capOf(mp, CapRawSocket); ev == nil || !strings.HasPrefix(ev.Evidence[0], "constant:bpf-program(ldh [12]") {
		t.Errorf("raw-socket evidence %+v", ev)
	}
	if ev := capOf(mp, CapMasquerade); ev == nil || !hasString(ev.Evidence, "import:prctl") || !hasString(ev.Evidence, "string:[kworker/0:1]") {
		t.Errorf("masquerade evidence %+v", ev)
	}
}

// A static binary keeps its symbols unless stripped; stripped, only its
// strings speak, and the evidence says so.
func TestELFStatic(t *testing.T) {
	in := parseFile(t, buildC(t, "gcc", "bindshell", cBindShell, "-static"))
	if in.Linkage != "static" || in.Stripped || len(in.Imports) != 0 || in.Interp != "" {
		t.Errorf("header %+v", in)
	}
	if ev := capOf(in, CapNetListen); ev == nil || !hasString(ev.Evidence, "symbol:listen") {
		t.Errorf("net-listen from symbols: %+v", ev)
	}
	wantCaps(t, "static", in, []CapName{CapNetListen, CapDupFD, CapExec, CapShell}, nil)

	st := parseFile(t, buildC(t, "gcc", "bindshell", cBindShell, "-static", "-s"))
	if !st.Stripped || st.Linkage != "static" {
		t.Errorf("stripped header %+v", st)
	}
	wantCaps(t, "static-stripped", st, []CapName{CapShell}, []CapName{CapNetListen, CapExec, CapDupFD})

	hello := parseFile(t, buildC(t, "gcc", "hello", cHello, "-static", "-s"))
	wantCaps(t, "static-stripped hello", hello, nil, netAll)
}

func TestELFCross(t *testing.T) {
	for _, c := range []struct{ cc, arch string }{
		{"mipsel-linux-gnu-gcc", "mips32-le"},
		{"arm-linux-gnueabi-gcc", "arm32-le"},
		{"aarch64-linux-gnu-gcc", "aarch64"},
	} {
		t.Run(c.arch, func(t *testing.T) {
			bs := parseFile(t, buildC(t, c.cc, "bindshell", cBindShell))
			if bs.Arch != c.arch || bs.Linkage != "dynamic" || bs.Interp == "" {
				t.Errorf("header %+v", bs)
			}
			wantCaps(t, c.arch+" bindshell", bs, []CapName{CapNetListen, CapDupFD, CapExec, CapShell}, []CapName{CapNetConnect, CapRawSocket})
			tc := parseFile(t, buildC(t, c.cc, "telnet", cTelnetClient))
			wantCaps(t, c.arch+" telnet", tc, []CapName{CapNetConnect}, without(netAll, CapNetConnect))
			h := parseFile(t, buildC(t, c.cc, "hello", cHello, "-s"))
			if !h.Stripped {
				t.Error("stripped hello not stripped")
			}
			wantCaps(t, c.arch+" hello", h, nil, netAll)
			mp := parseFile(t, buildC(t, c.cc, "magicpacket", cMagicPacket))
			wantCaps(t, c.arch+" magicpacket", mp, []CapName{CapRawSocket, CapPacketFilter, CapMasquerade}, nil)
		})
	}
}

func TestELFSharedAndModule(t *testing.T) {
	so := parseFile(t, buildC(t, "gcc", "libsh", cSharedLib, "-shared", "-fPIC"))
	if so.Type != "shared" || so.Linkage != "dynamic" {
		t.Errorf("shared object %+v", so)
	}
	wantCaps(t, "shared", so, []CapName{CapExec}, []CapName{CapNetListen})

	ko := parseFile(t, buildC(t, "gcc", "mod", cKernelModule, "-c"))
	if ko.Type != "kernel-module" || !hasString(ko.Imports, "call_usermodehelper") {
		t.Errorf("kernel module %+v", ko)
	}
	wantCaps(t, "module", ko, []CapName{CapExec}, []CapName{CapNetListen})
}

// busybox (Debian busybox-static) is a real, large, stripped static
// binary with every applet: Parse must read it quickly.
func TestBusybox(t *testing.T) {
	const path = "/bin/busybox"
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("busybox-static is not installed")
		}
		t.Skip("no /bin/busybox")
	}
	in := parseFile(t, path)
	if in.Format != "elf" || in.Type == "" || in.Arch == "" {
		t.Errorf("header %+v", in)
	}
	if capOf(in, CapShell) == nil {
		t.Errorf("busybox without a shell: %+v", in.Capabilities)
	}
	t.Logf("busybox: %s %s %s stripped=%v, %d capabilities, packer %q", in.Arch, in.Type, in.Linkage, in.Stripped, len(in.Capabilities), in.Packer)
}
