package bootsvc

import (
	"testing"

	"github.com/doorman-sec/doorman/analyzer/analyzertest"
	"github.com/doorman-sec/doorman/finding"
)

// TestNearMisses: a realistic clean image full of things that look like
// remote shells but are not, or are not started. Nothing may reach high.
func TestNearMisses(t *testing.T) {
	rep := scanTree(t, tree{files: map[string]string{
		"etc/inittab":    busyboxInittab + "::respawn:/sbin/syslogd -n\n",
		"etc/init.d/rcS": rcSLoop,
		// telnetd shipped in busybox but never started
		"usr/sbin/telnetd": "\x7fELF\x02\x01\x01 placeholder",
		"etc/init.d/S40network": `#!/bin/sh
# Old debug line, disabled for release:
#telnetd -l /bin/sh
# telnetd -l /bin/sh &
ifconfig eth0 192.0.2.10 up
# check the upstream: a telnet client and netcat health checks
telnet 192.0.2.1 23 < /dev/null
if nc -z 192.0.2.1 80; then echo up; fi
nc -w 3 192.0.2.1 514 < /var/log/messages
echo "telnetd -l /bin/sh" > /tmp/motd
debug_shell() {
	telnetd -l /bin/sh
}
`,
		"etc/init.d/S50sshd": `#!/bin/sh
case "$1" in
start) /usr/sbin/sshd ;;
stop) killall sshd ;;
esac
`,
		"etc/ssh/sshd_config": "Port 22\nPermitRootLogin prohibit-password\n#PermitEmptyPasswords yes\nPermitEmptyPasswords no\n",
		"etc/init.d/S60restart": `#!/bin/sh
case "$1" in
start) echo starting ;;
debug) telnetd -l /bin/sh ;;
stop) /etc/init.d/S50telnet stop ;;
esac
`,
		// documentation that shows the very thing
		"usr/share/doc/busybox/examples/debug.sh": "#!/bin/sh\ntelnetd -l /bin/sh &\nnc -l -p 4444 -e /bin/sh &\n",
		"docs/rcS.example":                        "#!/bin/sh\ntelnetd -l /bin/sh &\n",
		"etc/inetd.conf":                          "#telnet stream tcp nowait root /usr/sbin/telnetd telnetd -l /bin/sh\n",
		"etc/profile":                             "export PATH=/bin:/sbin:/usr/bin:/usr/sbin\n",
	}})
	quietAbove(t, rep, finding.Medium)
	// The uncalled function and the debug branch are present but not
	// started: low, and nothing else is reported.
	want(t, rep, RuleTelnetShell, "etc/init.d/S40network", finding.Low, 12)
	for _, f := range rep.Findings {
		if f.Location.Line != 12 {
			t.Errorf("unexpected finding: %s", dump(rep))
			break
		}
	}
	if fs := analyzertest.Find(rep, "", "debug.sh"); len(fs) != 0 {
		t.Errorf("documentation reported")
	}
}

// TestNotStartedOpenWrtScript: an OpenWrt init script with no /etc/rc.d
// link is present but not started.
func TestNotStartedOpenWrtScript(t *testing.T) {
	rep := scanTree(t, tree{files: map[string]string{
		"etc/inittab":        "::sysinit:/etc/init.d/rcS S boot\n::shutdown:/etc/init.d/rcS K shutdown\n",
		"etc/init.d/telnet":  openwrtTelnet,
		"etc/init.d/network": "#!/bin/sh /etc/rc.common\nSTART=20\nstart() {\n\tifup -a\n}\n",
	}, links: map[string]string{"etc/rc.d/S20network": "../init.d/network"}})
	quietAbove(t, rep, finding.Medium)
	want(t, rep, RuleTelnetShell, "etc/init.d/telnet", finding.Low, 0)
}
