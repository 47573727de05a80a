package bootsvc

import (
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/analyzer/analyzertest"
	"github.com/doorman-sec/doorman/finding"
)

const busyboxInittab = `# BusyBox inittab
::sysinit:/etc/init.d/rcS
ttyS0::respawn:/sbin/getty -L ttyS0 115200 vt100
::shutdown:/bin/umount -a -r
`

const rcSLoop = `#!/bin/sh
# Start all init scripts in /etc/init.d, in numerical order.
for i in /etc/init.d/S??* ; do
	[ ! -f "$i" ] && continue
	case "$i" in
	*.sh) . $i ;;
	*) $i start ;;
	esac
done
`

// TestBusyBoxTelnetShell: inittab → rcS → S50telnet, where a variable
// holds the daemon and the start branch of a case runs it in the
// background with a shell as its login program.
func TestBusyBoxTelnetShell(t *testing.T) {
	rep := scanTree(t, tree{files: map[string]string{
		"etc/inittab":      busyboxInittab,
		"etc/init.d/rcS":   rcSLoop,
		"etc/shadow":       "root:$1$Qd8H0sKv$5ClOwlSg.5rcFhAf0Jb1t/:19000:0:99999:7:::\n",
		"usr/sbin/telnetd": "\x7fELF\x01\x01\x01 not really a binary",
		"etc/init.d/S50telnet": `#!/bin/sh
TELNETD=/usr/sbin/telnetd
PORT=2323
case "$1" in
  start)
	echo "Starting telnetd"
	$TELNETD -p $PORT -l /bin/sh &
	;;
  stop)
	killall telnetd
	;;
esac
`,
	}})
	f := want(t, rep, RuleTelnetShell, "etc/init.d/S50telnet", finding.Critical, 7)
	if !strings.Contains(f.Message, "port 2323") || !strings.Contains(f.Message, "/bin/sh") || !strings.Contains(f.Message, "etc/init.d/rcS → etc/init.d/S50telnet") {
		t.Errorf("message: %s", f.Message)
	}
	if f.Evidence != "$TELNETD -p $PORT -l /bin/sh &" {
		t.Errorf("evidence %q", f.Evidence)
	}
	if len(f.References) == 0 {
		t.Error("no references")
	}
	// The getty on ttyS0 asks for a login: no console finding.
	if fs := analyzertest.Find(rep, "DM-SVC-00", "etc/inittab"); len(fs) != 0 {
		t.Errorf("getty with login reported: %s", dump(rep))
	}
	var got *Service
	for _, s := range services(t, rep) {
		if s.Name == "telnetd" {
			got = &s
		}
	}
	if got == nil || got.Port != 2323 || got.Line != 7 || !strings.HasSuffix(got.Path, "etc/init.d/S50telnet") || !strings.Contains(got.StartedBy, "inittab (sysinit)") {
		t.Errorf("inventory: %+v (all %+v)", got, services(t, rep))
	}
}

// TestTelnetdWithLoginAndEmptyRoot: a telnetd that asks for a login is
// high; on an image whose root password is empty it is critical.
func TestTelnetdWithLoginAndEmptyRoot(t *testing.T) {
	files := map[string]string{
		"etc/inittab":    "::sysinit:/etc/init.d/rcS\n",
		"etc/init.d/rcS": "#!/bin/sh\nmount -a\n/usr/sbin/telnetd -l /bin/login\n",
		"etc/shadow":     "root:$1$Qd8H0sKv$5ClOwlSg.5rcFhAf0Jb1t/:19000:0:99999:7:::\n",
	}
	rep := scanTree(t, tree{files: files})
	want(t, rep, RuleTelnetd, "etc/init.d/rcS", finding.High, 3)
	files["etc/shadow"] = "root::19000:0:99999:7:::\n"
	rep = scanTree(t, tree{files: files})
	f := want(t, rep, RuleTelnetd, "etc/init.d/rcS", finding.Critical, 3)
	if !strings.Contains(f.Message, "root's password is empty") {
		t.Errorf("message: %s", f.Message)
	}
}

// TestSourcedFunction: rcS sources a function library and calls one of
// its functions, which starts a netcat listener handing out a shell.
func TestSourcedFunction(t *testing.T) {
	rep := scanTree(t, tree{files: map[string]string{
		"etc/inittab": "::sysinit:/etc/init.d/rcS\n",
		"etc/init.d/rcS": `#!/bin/sh
. /etc/init.d/functions
start_debug
`,
		"etc/init.d/functions": `# helpers
log() { echo "$@" > /dev/console; }
start_debug() {
	log "debug shell"
	busybox nc -ll -p 4444 -e /bin/sh &
}
never_called() {
	telnetd -l /bin/sh
}
`,
	}})
	f := want(t, rep, RuleShellListener, "etc/init.d/functions", finding.Critical, 5)
	if !strings.Contains(f.Message, "port 4444") {
		t.Errorf("message: %s", f.Message)
	}
	// The function nobody calls is present but not started: low only.
	want(t, rep, RuleTelnetShell, "etc/init.d/functions", finding.Low, 8)
}

// TestConsoleShells: shells init runs on a console with no login, and an
// automatic login, are medium (physical access); a getty with a login and
// the shell that runs rcS are not reported.
func TestConsoleShells(t *testing.T) {
	rep := scanTree(t, tree{files: map[string]string{
		"etc/inittab": `::sysinit:/bin/sh /etc/init.d/rcS
ttyS0::respawn:-/bin/sh
console::askfirst:-/bin/ash
ttyAMA0::respawn:/sbin/getty -n -l /bin/sh -L ttyAMA0 115200 vt100
tty1::respawn:/sbin/getty 38400 tty1
tty2::respawn:/bin/login -f root
# ttyS1::respawn:-/bin/sh
::ctrlaltdel:/bin/sh
`,
		"etc/init.d/rcS": "#!/bin/sh\nmount -a\n",
	}})
	for _, line := range []int{2, 3, 4} {
		want(t, rep, RuleConsoleShell, "etc/inittab", finding.Medium, line)
	}
	if fs := analyzertest.Find(rep, RuleConsoleShell, "etc/inittab"); len(fs) != 3 {
		t.Errorf("console shells: %s", dump(rep))
	}
	want(t, rep, RuleAutologin, "etc/inittab", finding.Medium, 6)
	quietAbove(t, rep, finding.High)
}

// TestDebugDaemons: vendor debug daemons, socat and pipeline shells and a
// dropbear allowing blank passwords, all started from rcS.
func TestDebugDaemons(t *testing.T) {
	rep := scanTree(t, tree{files: map[string]string{
		"etc/inittab": "::sysinit:/etc/init.d/rcS\n",
		"etc/init.d/rcS": `#!/bin/sh
/usr/bin/tddp &
UDPserver &
dropbear -B -p 2222 -r /etc/dropbear/dropbear_rsa_host_key
socat TCP-LISTEN:2323,reuseaddr,fork EXEC:/bin/sh,pty,stderr &
rm -f /tmp/f; mkfifo /tmp/f
cat /tmp/f | /bin/sh -i 2>&1 | nc -l -p 1234 > /tmp/f &
start-stop-daemon -S -b -x /usr/sbin/utelnetd -- -l /bin/sh -p 23
mfgd &
`,
	}})
	f := want(t, rep, RuleDebugDaemon, "etc/init.d/rcS", finding.High, 2)
	if len(f.References) == 0 || !strings.Contains(strings.Join(f.References, " "), "CVE-2020-28347") {
		t.Errorf("tddp references: %v", f.References)
	}
	f = want(t, rep, RuleDebugDaemon, "etc/init.d/rcS", finding.Critical, 3)
	if !strings.Contains(strings.Join(f.References, " "), "CVE-2021-35394") {
		t.Errorf("UDPserver: %+v", f)
	}
	want(t, rep, RuleDebugDaemon, "etc/init.d/rcS", finding.Medium, 9)
	want(t, rep, RuleEmptyPasswordSSH, "etc/init.d/rcS", finding.High, 4)
	for _, line := range []int{5, 7} {
		found := false
		for _, f := range analyzertest.Find(rep, RuleShellListener, "etc/init.d/rcS") {
			if f.Location.Line == line && f.Severity == finding.Critical {
				found = true
			}
		}
		if !found {
			t.Errorf("no critical shell listener at line %d: %s", line, dump(rep))
		}
	}
	want(t, rep, RuleTelnetShell, "etc/init.d/rcS", finding.Critical, 8)
}

// TestBareFolder: a folder of init scripts with no inittab or rcS: the S
// scripts and rc.local are taken as started, other scripts are not.
func TestBareFolder(t *testing.T) {
	rep := scanTree(t, tree{files: map[string]string{
		"etc/init.d/S99debug": "#!/bin/sh\ntelnetd -l /bin/sh\n",
		"etc/rc.local":        "#!/bin/sh\nrshd &\n",
		"etc/init.d/debug":    "#!/bin/sh\nnc -l -p 9999 -e /bin/sh\n",
	}})
	want(t, rep, RuleTelnetShell, "etc/init.d/S99debug", finding.Critical, 2)
	want(t, rep, RuleRServices, "etc/rc.local", finding.High, 2)
	f := want(t, rep, RuleShellListener, "etc/init.d/debug", finding.Low, 2)
	if !strings.Contains(f.Message, "present but not started") {
		t.Errorf("message: %s", f.Message)
	}
}

// TestRedHatDaemonFunction: an init script in the Red Hat style sources
// /etc/rc.d/init.d/functions and starts its program through daemon(),
// and rcS loops over relative S* names after cd.
func TestRedHatDaemonFunction(t *testing.T) {
	rep := scanTree(t, tree{files: map[string]string{
		"etc/inittab":               "::sysinit:/etc/init.d/rcS\n",
		"etc/init.d/rcS":            "#!/bin/sh\ncd /etc/init.d\nfor s in S*; do\n\t./$s start\ndone\n",
		"etc/rc.d/init.d/functions": "daemon() {\n\tlocal prog=\"$1\"; shift\n\t\"$prog\" \"$@\" &\n}\n",
		"etc/init.d/S30rsh": `#!/bin/sh
. /etc/rc.d/init.d/functions
start() {
	daemon /usr/sbin/in.rshd -L
}
case "$1" in
start) start ;;
esac
`,
	}})
	want(t, rep, RuleRServices, "etc/init.d/S30rsh", finding.High, 4)
}
