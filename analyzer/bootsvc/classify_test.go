package bootsvc

import (
	"testing"

	"github.com/doorman-sec/doorman/finding"
)

// TestClassify: each command line, parsed as a script would be, is the
// rule and severity given, or nothing.
func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		line string
		rule string
		sev  finding.Severity
		port int
	}{
		{"telnetd -l /bin/sh", RuleTelnetShell, finding.Critical, 23},
		{"busybox telnetd -F -p 2323 -l /bin/ash", RuleTelnetShell, finding.Critical, 2323},
		{"/usr/sbin/utelnetd -p 23 -l/bin/sh -d", RuleTelnetShell, finding.Critical, 23},
		{"exec /usr/sbin/telnetd -b 0.0.0.0:2300", RuleTelnetd, finding.High, 2300},
		{"telnetd -b 127.0.0.1 -l /bin/sh", RuleTelnetShell, finding.Low, 23},
		{"nohup in.telnetd -L /bin/bash &", RuleTelnetShell, finding.Critical, 23},
		{"telnetd -l /bin/login", RuleTelnetd, finding.High, 23},
		{"in.rlogind", RuleRServices, finding.High, 513},
		{"nc -lp 31337 -e /bin/sh", RuleShellListener, finding.Critical, 31337},
		{"ncat --listen 4444 --sh-exec 'sh -i'", RuleShellListener, finding.Critical, 4444},
		{"nc -l -p 1234 | /bin/sh", RuleShellListener, finding.Critical, 1234},
		{"nc -l -p 9000 -e /bin/login", RuleShellListener, finding.High, 9000},
		{"nc -l -p 9000 > /tmp/fw.bin", RuleRawListener, finding.Medium, 9000},
		{"socat tcp-l:23,fork system:sh", RuleShellListener, finding.Critical, 23},
		{"socat TCP-LISTEN:8080,fork TCP:192.0.2.1:80", RuleRawListener, finding.Medium, 8080},
		{"/sbin/getty -n -l /bin/sh 115200 ttyS0", RuleConsoleShell, finding.Medium, 0},
		{"agetty --autologin root ttyS0 115200", RuleAutologin, finding.Medium, 0},
		{"agetty -a guest tty1", RuleAutologin, finding.Low, 0},
		{"dropbear -R -B", RuleEmptyPasswordSSH, finding.High, 22},
		{"start-stop-daemon --start --background --exec /usr/bin/tddp", RuleDebugDaemon, finding.High, 1040},
		{"env LD_LIBRARY_PATH=/lib telnetenabled", RuleDebugDaemon, finding.High, 23},
		{"sh -c 'telnetd -l /bin/sh'", RuleTelnetShell, finding.Critical, 23},
		// near misses
		{"telnet 192.0.2.1 23", "", 0, 0},
		{"nc -z 192.0.2.1 80", "", 0, 0},
		{"nc 192.0.2.1 514 < /var/log/messages", "", 0, 0},
		{"nc -l -p 1234 | /bin/sh /etc/handler.sh", RuleRawListener, finding.Medium, 1234},
		{"/sbin/getty -L ttyS0 115200 vt100", "", 0, 0},
		{"agetty -n ttyS0 115200", "", 0, 0},
		{"dropbear -p 22 -b /etc/banner", "", 0, 0},
		{"start-stop-daemon -K -x /usr/sbin/telnetd", "", 0, 0},
		{"killall telnetd", "", 0, 0},
		{"echo telnetd -l /bin/sh", "", 0, 0},
		{"/usr/sbin/sshd -D", "", 0, 0},
		{"socat - UNIX-CONNECT:/var/run/x.sock", "", 0, 0},
	} {
		s := ParseScript([]byte(tc.line))
		var got *Detection
		for _, c := range s.Top {
			if d := classify(c.Args, c.Pipe); d != nil && (got == nil || d.Severity > got.Severity) {
				got = d
			}
		}
		switch {
		case tc.rule == "" && got != nil:
			t.Errorf("%q: got %s %v, want nothing", tc.line, got.Rule, got.Severity)
		case tc.rule != "" && got == nil:
			t.Errorf("%q: nothing, want %s", tc.line, tc.rule)
		case got != nil && (got.Rule != tc.rule || got.Severity != tc.sev || got.Port != tc.port):
			t.Errorf("%q: %s %v port %d, want %s %v port %d", tc.line, got.Rule, got.Severity, got.Port, tc.rule, tc.sev, tc.port)
		}
	}
}

// TestParseScript: variables, defaults, case on $1, functions kept apart,
// background, and a script the parser refuses read line by line.
func TestParseScript(t *testing.T) {
	s := ParseScript([]byte(`#!/bin/sh
DAEMON=/usr/sbin/telnetd
OPTS="-p 24 -l /bin/sh"
run() { $DAEMON $OPTS; }
case "$1" in
	start|restart) ${CMD:-/bin/echo} hi ;;
	*) echo usage ;;
esac
[ -x /bin/x ] && /bin/x &
`))
	if len(s.Top) != 3 {
		t.Fatalf("top: %+v", s.Top)
	}
	if got := s.Top[0].Args; len(got) != 2 || got[0] != "/bin/echo" {
		t.Errorf("default expansion: %q", got)
	}
	if c := s.Top[2]; !c.Background || !c.Cond || c.Args[0] != "/bin/x" || c.Line != 9 {
		t.Errorf("background conditional: %+v", c)
	}
	body := s.Funcs["run"]
	if len(body) != 1 || len(body[0].Args) != 5 || body[0].Args[0] != "/usr/sbin/telnetd" || body[0].Args[4] != "/bin/sh" {
		t.Errorf("function body: %+v", body)
	}
	broken := ParseScript([]byte("#!/bin/sh\nif [ x ]; then\n  telnetd -l /bin/sh &\n(unclosed\n"))
	if !broken.Broken {
		t.Fatal("not broken")
	}
	found := false
	for _, c := range broken.Top {
		if d := classify(c.Args, c.Pipe); d != nil && d.Rule == RuleTelnetShell && c.Line == 3 {
			found = true
		}
	}
	if !found {
		t.Errorf("fallback lost the telnetd line: %+v", broken.Top)
	}
}

// TestParseInittab: BusyBox and SysV lines, comments and junk.
func TestParseInittab(t *testing.T) {
	es := ParseInittab([]byte("# c\nid:2:initdefault:\nsi::sysinit:/etc/init.d/rcS\nl2:2:wait:/etc/init.d/rc 2\n::respawn:/bin/foo -a x:y\nbroken line\n: : bad action :x\nttyS0::askfirst:-/bin/sh\n"))
	if len(es) != 5 {
		t.Fatalf("%+v", es)
	}
	if es[3].Process != "/bin/foo -a x:y" || es[3].Line != 5 || !es[3].atBoot() || es[3].terminal() != "console" {
		t.Errorf("%+v", es[3])
	}
	if es[4].terminal() != "ttyS0" || !es[4].respawns() || es[0].atBoot() {
		t.Errorf("%+v %+v", es[4], es[0])
	}
}

// TestSysVRunlevels: a SysV inittab runs /etc/init.d/rc 2, which runs the
// S links of /etc/rc2.d.
func TestSysVRunlevels(t *testing.T) {
	rep := scanTree(t, tree{files: map[string]string{
		"etc/inittab":       "id:2:initdefault:\nsi::sysinit:/etc/init.d/rcS\nl2:2:wait:/etc/init.d/rc 2\n",
		"etc/init.d/rc":     "#!/bin/sh\nrunlevel=$1\nfor s in /etc/rc$runlevel.d/S*; do $s start; done\n",
		"etc/init.d/rcS":    "#!/bin/sh\nmount -a\n",
		"etc/init.d/rlogin": "#!/bin/sh\ncase \"$1\" in\nstart) start-stop-daemon --start --quiet --exec /usr/sbin/in.rlogind ;;\nstop) start-stop-daemon --stop --exec /usr/sbin/in.rlogind ;;\nesac\n",
		"etc/init.d/xinetd": "#!/bin/sh\nexit 0\n",
	}, links: map[string]string{"etc/rc2.d/S20rlogin": "../init.d/rlogin", "etc/rc3.d/S20xinetd": "../init.d/xinetd"}})
	want(t, rep, RuleRServices, "etc/init.d/rlogin", finding.High, 3)
	if len(rep.Findings) != 1 {
		t.Errorf("findings: %s", dump(rep))
	}
}
