package updatediff

import (
	"bytes"
	"context"
	"encoding/binary"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/analyzers"
	"github.com/doorman-sec/doorman/artifact"
	_ "github.com/doorman-sec/doorman/artifact/formats" // squashfs, gzip, carving
	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/internal/fixture"
	"github.com/doorman-sec/doorman/rules"
	"github.com/doorman-sec/doorman/scan"
)

// mipsELF returns a big-endian 32-bit MIPS executable of the uClibc shape
// holding strs as read-only strings. It has no code: it is only read.
func mipsELF(strs ...string) []byte {
	var body bytes.Buffer
	for _, s := range append([]string{"/lib/ld-uClibc.so.0", "libc.so.0"}, strs...) {
		body.WriteString(s)
		body.WriteByte(0)
	}
	for body.Len()%4 != 0 {
		body.WriteByte(0)
	}
	const ehsize, shentsize = 52, 40
	h := make([]byte, ehsize)
	copy(h, "\x7fELF\x01\x02\x01")
	be := binary.BigEndian
	be.PutUint16(h[16:], 2) // ET_EXEC
	be.PutUint16(h[18:], 8) // EM_MIPS
	be.PutUint32(h[20:], 1)
	be.PutUint32(h[32:], uint32(ehsize+body.Len())) // e_shoff
	be.PutUint16(h[40:], ehsize)
	be.PutUint16(h[46:], shentsize)
	be.PutUint16(h[48:], 1)
	out := append(h, body.Bytes()...)
	return append(out, make([]byte, shentsize)...)
}

// Firmware pieces shared by the versions. Addresses and names are inert
// (RFC 5737, .invalid); hashes are random strings no password produces.
const (
	rootHash    = "$1$Vh3kQz9L$8mXc2pTqW0rLs5nBvY7kd/"
	supportHash = "$1$Pq7cNw2R$Jt4hL9xVz1mKs6bQe3rYa0"
	updateHead  = "#!/bin/sh\n# fetch and flash a firmware image\n" +
		"wget -O /tmp/fw.bin http://192.0.2.10/fw/latest.bin\n" +
		"wget -O /tmp/fw.bin.sig http://192.0.2.10/fw/latest.bin.sig\n"
	updateCheck = "if ! usign -V -q -m /tmp/fw.bin -x /tmp/fw.bin.sig -P /etc/opkg/keys; then\n\techo bad signature; exit 1\nfi\n"
	updateTail  = "mtd write /tmp/fw.bin firmware\n"
)

// routerV1 is a clean router root file system, release 1.0.3: a locked
// root with a random hash, a web server and an SSH server without
// passwords started from rcS, a signed update script, and a setuid
// busybox (as most BusyBox firmware ships it).
func routerV1() map[string]fixture.File {
	fs := []fixture.File{
		{Path: "bin/busybox", Mode: fs.ModeSetuid | 0o755, Data: mipsELF("BusyBox v1.36.1 (2024-01-01 00:00:00 UTC)", "applet not found")},
		{Path: "bin/sh", Mode: fs.ModeSymlink | 0o777, Link: "busybox"},
		{Path: "etc/passwd", Data: []byte("root:x:0:0:root:/root:/bin/ash\ndaemon:*:1:1:daemon:/var:/bin/false\nnobody:*:65534:65534:nobody:/var:/bin/false\n")},
		{Path: "etc/shadow", Mode: 0o600, Data: []byte("root:" + rootHash + ":19000:0:99999:7:::\ndaemon:*:0:0:99999:7:::\nnobody:*:0:0:99999:7:::\n")},
		{Path: "etc/inittab", Data: []byte("::sysinit:/etc/init.d/rcS\n::shutdown:/bin/umount -a -r\n")},
		{Path: "etc/init.d/rcS", Mode: 0o755, Data: []byte("#!/bin/sh\nmount -a\n/usr/sbin/httpd -h /www -p 80\n/usr/sbin/dropbear -s -p 22\n")},
		{Path: "etc/version", Data: []byte("1.0.3\n")},
		{Path: "usr/sbin/httpd", Mode: 0o755, Data: mipsELF("httpd 1.0.3", "Content-Type: text/html", "/www")},
		{Path: "usr/sbin/dropbear", Mode: 0o755, Data: mipsELF("Dropbear sshd v2022.83", "/etc/dropbear/dropbear_ed25519_host_key")},
		{Path: "usr/bin/led-helper", Mode: 0o755, Data: mipsELF("led-helper 1.0", "/sys/class/leds")},
		{Path: "usr/sbin/fw_update.sh", Mode: 0o755, Data: []byte(updateHead + updateCheck + updateTail)},
		{Path: "www/index.html", Data: []byte("<html><body><h1>Router</h1><p>Firmware 1.0.3</p></body></html>\n")},
	}
	m := map[string]fixture.File{}
	for _, f := range fs {
		m[f.Path] = f
	}
	return m
}

// image builds a firmware image of a root file system the way vendors'
// .bin files look: a uImage kernel, then the squashfs at an offset that
// depends on the kernel's size, so versions carve at different offsets.
func image(files map[string]fixture.File, kernelPad int) []byte {
	var list []fixture.File
	for _, f := range files {
		list = append(list, f)
	}
	// Map order must not change the image.
	sortFiles(list)
	kernel := fixture.UImage("Linux-4.14.90", fixture.Gzip(bytes.Repeat([]byte("demo kernel image, not a real kernel\n"), 200+kernelPad)), 1)
	rootfs := fixture.Squashfs(list)
	off := int64(0x20000 + kernelPad*0x100)
	return fixture.Blob(off+int64(len(rootfs))+0x1000, 0xd00a, fixture.Part{Offset: 0, Data: kernel}, fixture.Part{Offset: off, Data: rootfs})
}

func sortFiles(fs []fixture.File) {
	for i := 1; i < len(fs); i++ {
		for j := i; j > 0 && fs[j].Path < fs[j-1].Path; j-- {
			fs[j], fs[j-1] = fs[j-1], fs[j]
		}
	}
}

// write puts an image in a temporary folder under name.
func write(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// diff scans two images with every built-in analyzer and compares them.
func diff(t *testing.T, oldImg, newImg []byte) *Result {
	t.Helper()
	dir := t.TempDir()
	o := write(t, dir, "router-old.bin", oldImg)
	n := write(t, dir, "router-new.bin", newImg)
	return diffPaths(t, o, n)
}

func diffPaths(t *testing.T, o, n string) *Result {
	t.Helper()
	set, err := rules.Load()
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), o, n, scan.Options{
		Limits: artifact.DefaultLimits(), Workers: 2, Analyzers: analyzers.New(set),
		Tool: finding.Tool{Name: "doorman", Version: "test"},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// byRule returns the introduced findings of a rule.
func byRule(r *Result, rule string) []finding.Finding {
	var out []finding.Finding
	for _, f := range r.Introduced {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

// changesOf returns the changes of a kind and action.
func changesOf(r *Result, kind, action string) []finding.Change {
	var out []finding.Change
	for _, c := range r.Changes {
		if c.Kind == kind && c.Action == action {
			out = append(out, c)
		}
	}
	return out
}

// dump lists findings and changes for a failure message.
func dump(r *Result) string {
	var b strings.Builder
	for _, f := range r.Introduced {
		b.WriteString("  + " + f.Severity.String() + " " + f.Rule + " " + f.Location.Path + " " + f.Title + "\n")
	}
	for _, f := range r.Removed {
		b.WriteString("  - " + f.Severity.String() + " " + f.Rule + " " + f.Location.Path + "\n")
	}
	for _, c := range r.Changes {
		b.WriteString("  ~ " + c.Severity.String() + " " + c.Kind + " " + c.Action + " " + c.Subject + ": " + c.Detail + " [" + c.Finding + "]\n")
	}
	return b.String()
}
