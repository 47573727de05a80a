package main

import (
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/doorman-sec/doorman/format/crypt"
	"github.com/doorman-sec/doorman/internal/fixture"
)

// applets are the BusyBox applets installed as symlinks, at the paths
// "make install" gives them (BusyBox's include/applets.src.h install
// locations), as a router's tree has them.
var applets = []string{
	"bin/ash", "bin/cat", "bin/chmod", "bin/chown", "bin/cp", "bin/date", "bin/dd",
	"bin/df", "bin/dmesg", "bin/echo", "bin/egrep", "bin/false", "bin/grep", "bin/gunzip",
	"bin/gzip", "bin/hostname", "bin/kill", "bin/ln", "bin/login", "bin/ls", "bin/mkdir",
	"bin/mknod", "bin/mount", "bin/mv", "bin/netstat", "bin/ping", "bin/ps", "bin/pwd",
	"bin/rm", "bin/sed", "bin/sh", "bin/sleep", "bin/sync", "bin/tar", "bin/touch",
	"bin/true", "bin/umount", "bin/uname", "bin/vi", "bin/zcat",
	"sbin/getty", "sbin/halt", "sbin/ifconfig", "sbin/init", "sbin/insmod", "sbin/klogd",
	"sbin/lsmod", "sbin/mdev", "sbin/poweroff", "sbin/reboot", "sbin/rmmod", "sbin/route",
	"sbin/syslogd", "sbin/udhcpc",
	"usr/bin/[", "usr/bin/awk", "usr/bin/free", "usr/bin/head", "usr/bin/killall",
	"usr/bin/nc", "usr/bin/passwd", "usr/bin/tail", "usr/bin/test", "usr/bin/tftp",
	"usr/bin/top", "usr/bin/uptime", "usr/bin/wc", "usr/bin/wget",
	"usr/sbin/brctl", "usr/sbin/httpd", "usr/sbin/telnetd",
}

// copied are daemons shipped as full copies of the busybox binary rather
// than symlinks, as some vendors' build systems do: a copy named after an
// applet runs that applet.
var copied = []string{"usr/sbin/crond", "usr/sbin/udhcpd"}

// Fixed inputs of the password hash: the passphrase is long and random
// (it appears nowhere in the image), the salt fixed so builds repeat.
const (
	rootPassphrase = "tC9#vuQe-Lm27xRw!pZk48bN"
	rootSalt       = "$6$rounds=5000$Xw3Lq8RmZp2Vt7Ks$"
	shadowDays     = "19723" // 2024-01-01, fixture.Epoch
)

// rootfs returns the root file system's entries, sorted by path.
func rootfs(p *pkgFiles, backdoor bool) []fixture.File {
	files := []fixture.File{
		{Path: "bin/busybox", Mode: 0o755, Data: p.busybox},
	}
	for _, a := range applets {
		files = append(files, fixture.File{Path: a, Mode: fs.ModeSymlink | 0o777, Link: relTo(a, "bin/busybox")})
	}
	for _, c := range copied {
		files = append(files, fixture.File{Path: c, Mode: 0o755, Data: p.busybox})
	}
	// Mount points and folders the init scripts write to; lib/ is empty
	// because busybox is static.
	for _, d := range []string{"dev", "lib", "mnt", "proc", "root", "sys", "tmp", "var", "etc/config"} {
		files = append(files, fixture.File{Path: d, Mode: fs.ModeDir | 0o755})
	}

	rootHash := crypt.Crypt(rootPassphrase, rootSalt)
	if backdoor {
		rootHash = ""
	}
	rcS := rcSClean
	if backdoor {
		rcS += rcSBackdoor
	}
	files = append(files,
		fixture.File{Path: "etc/passwd", Data: []byte(
			"root:x:0:0:root:/root:/bin/sh\n" +
				"daemon:x:1:1:daemon:/var:/bin/false\n" +
				"www-data:x:33:33:www-data:/www:/bin/false\n" +
				"nobody:x:65534:65534:nobody:/var:/bin/false\n")},
		fixture.File{Path: "etc/shadow", Mode: 0o600, Data: []byte(
			"root:" + rootHash + ":" + shadowDays + ":0:99999:7:::\n" +
				"daemon:*:" + shadowDays + ":0:99999:7:::\n" +
				"www-data:*:" + shadowDays + ":0:99999:7:::\n" +
				"nobody:*:" + shadowDays + ":0:99999:7:::\n")},
		fixture.File{Path: "etc/group", Data: []byte("root:x:0:\ndaemon:x:1:\nwww-data:x:33:\nnogroup:x:65534:\n")},
		fixture.File{Path: "etc/inittab", Data: []byte(inittab)},
		fixture.File{Path: "etc/init.d/rcS", Mode: 0o755, Data: []byte(rcS)},
		fixture.File{Path: "etc/fstab", Data: []byte("proc\t/proc\tproc\tdefaults\t0 0\nsysfs\t/sys\tsysfs\tdefaults\t0 0\ntmpfs\t/tmp\ttmpfs\tmode=1777\t0 0\ntmpfs\t/var\ttmpfs\tmode=0755\t0 0\n")},
		fixture.File{Path: "etc/hostname", Data: []byte("router\n")},
		fixture.File{Path: "etc/hosts", Data: []byte("127.0.0.1\tlocalhost\n192.0.2.1\trouter.example.com router\n")},
		fixture.File{Path: "etc/profile", Data: []byte("export PATH=/bin:/sbin:/usr/bin:/usr/sbin\nexport PS1='\\u@\\h:\\w\\$ '\numask 022\n")},
		fixture.File{Path: "etc/shells", Data: []byte("/bin/sh\n/bin/ash\n")},
		fixture.File{Path: "etc/securetty", Data: []byte("console\nttyS0\n")},
		fixture.File{Path: "etc/httpd.conf", Data: []byte("# busybox httpd: status pages on the LAN only\nA:192.0.2.0/24\nD:*\n.html:text/html\n.css:text/css\n.js:application/javascript\n")},
		fixture.File{Path: "etc/crontabs/root", Data: []byte("*/15 * * * * /usr/bin/wget -q -O /tmp/ntp.txt http://time.example.com/now\n")},
		fixture.File{Path: "etc/config/network", Data: []byte("lan_ipaddr=192.0.2.1\nlan_netmask=255.255.255.0\nwan_proto=dhcp\n")},
		fixture.File{Path: "www/index.html", Data: []byte(indexHTML)},
		fixture.File{Path: "www/style.css", Data: []byte("body{font-family:sans-serif;margin:2em}form{max-width:20em}input{display:block;margin:.5em 0}\n")},
		fixture.File{Path: "www/js/login.js", Data: []byte("// Client-side checks only; the CGI verifies the password against /etc/shadow.\nfunction check(f){ if(f.password.value.length < 8){ alert('password too short'); return false } return true }\n")},
		fixture.File{Path: "www/cgi-bin/status", Mode: 0o755, Data: []byte("#!/bin/sh\necho 'Content-Type: text/plain'\necho\nuptime\nfree\nifconfig br0 2>/dev/null | head -2\n")},
	)
	// Configuration samples that ship in the package itself.
	for name, dst := range map[string]string{
		"mdev.conf":           "etc/mdev.conf",
		"udhcp/udhcpd.conf":   "etc/udhcpd.conf",
		"udhcp/simple.script": "usr/share/udhcpc/default.script",
	} {
		if data, ok := p.examples[name]; ok {
			m := fs.FileMode(0o644)
			if strings.HasSuffix(name, ".script") {
				m = 0o755
			}
			files = append(files, fixture.File{Path: dst, Mode: m, Data: data})
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files
}

// relTo is the relative symlink target from link to target, both relative
// to the root ("usr/sbin/httpd" → "../../bin/busybox").
func relTo(link, target string) string {
	up := strings.Count(path.Dir(link), "/")
	if path.Dir(link) == path.Dir(target) {
		return path.Base(target)
	}
	if path.Dir(link) != "." {
		up++
	}
	return strings.Repeat("../", up) + target
}

// inittab: the serial console asks for a login (getty runs /bin/login);
// no shell is ever started without one.
const inittab = `::sysinit:/etc/init.d/rcS
ttyS0::respawn:/sbin/getty -L ttyS0 115200 vt100
::ctrlaltdel:/sbin/reboot
::shutdown:/bin/umount -a -r
`

// rcSClean starts what a small router runs: logging, the LAN bridge, DHCP,
// cron and the web status pages. telnetd is installed but not started.
const rcSClean = `#!/bin/sh
# System start-up: mounts, logging, network, services.
mount -a
mkdir -p /dev/pts /var/run /var/log /var/spool/cron
mount -t devpts devpts /dev/pts
echo /sbin/mdev > /proc/sys/kernel/hotplug
mdev -s
hostname -F /etc/hostname
syslogd -C64
klogd
. /etc/config/network
ifconfig lo 127.0.0.1 up
brctl addbr br0
ifconfig br0 "$lan_ipaddr" netmask "$lan_netmask" up
udhcpc -b -i eth1 -s /usr/share/udhcpc/default.script
udhcpd /etc/udhcpd.conf
crond -c /etc/crontabs
httpd -h /www -c /etc/httpd.conf -u www-data -p 80
`

// rcSBackdoor is the planted line: a root shell on the telnet port without
// any login, as many vendors' debug builds (and Mirai's victims) had.
const rcSBackdoor = `# factory debug access
telnetd -l /bin/sh
`

const indexHTML = `<!DOCTYPE html>
<html><head><title>Router</title><link rel="stylesheet" href="/style.css"><script src="/js/login.js"></script></head>
<body><h1>Router administration</h1>
<form action="/cgi-bin/login" method="post" onsubmit="return check(this)">
<label>User <input name="username" value="root"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<input type="submit" value="Log in">
</form>
<p><a href="/cgi-bin/status">Status</a></p>
</body></html>
`
