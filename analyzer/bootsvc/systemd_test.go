package bootsvc

import (
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/finding"
)

// TestSystemd: an enabled telnet socket with per-connection services, an
// enabled serial getty logging root in, and a unit that is installed but
// not enabled.
func TestSystemd(t *testing.T) {
	rep := scanTree(t, tree{files: map[string]string{
		"lib/systemd/system/telnet.socket":         "[Unit]\nDescription=Telnet Server Activation Socket\n\n[Socket]\nListenStream=23\nAccept=yes\n\n[Install]\nWantedBy=sockets.target\n",
		"lib/systemd/system/telnet@.service":       "[Unit]\nDescription=Telnet Server\n\n[Service]\nExecStart=-/usr/sbin/in.telnetd\nStandardInput=socket\n",
		"lib/systemd/system/serial-getty@.service": "[Service]\nExecStart=-/sbin/agetty --autologin root --keep-baud 115200,57600,38400,9600 %I $TERM\nType=idle\n\n[Install]\nWantedBy=getty.target\n",
		"lib/systemd/system/debug-shell.service":   "[Unit]\nDescription=Debug shell\n[Service]\nExecStart=/usr/bin/socat TCP-LISTEN:5555,fork EXEC:/bin/bash\n[Install]\nWantedBy=multi-user.target\n",
		"lib/systemd/system/sshd.service":          "[Service]\nExecStart=/usr/sbin/sshd -D $SSHD_OPTS\n[Install]\nWantedBy=multi-user.target\n",
	}, links: map[string]string{
		"etc/systemd/system/sockets.target.wants/telnet.socket":            "/lib/systemd/system/telnet.socket",
		"etc/systemd/system/getty.target.wants/serial-getty@ttyS0.service": "/lib/systemd/system/serial-getty@.service",
		"etc/systemd/system/multi-user.target.wants/sshd.service":          "/lib/systemd/system/sshd.service",
	}})
	f := want(t, rep, RuleTelnetd, "telnet@.service", finding.High, 5)
	if !strings.Contains(f.Message, "port 23") || !strings.Contains(f.Message, "systemd") {
		t.Errorf("message: %s", f.Message)
	}
	want(t, rep, RuleAutologin, "serial-getty@.service", finding.Medium, 2)
	f = want(t, rep, RuleShellListener, "debug-shell.service", finding.Low, 4)
	if !strings.Contains(f.Message, "no .wants link") {
		t.Errorf("message: %s", f.Message)
	}
	found := false
	for _, s := range services(t, rep) {
		if s.Name == "in.telnetd" && s.Port == 23 && strings.Contains(s.StartedBy, "telnet@.service") {
			found = true
		}
	}
	if !found {
		t.Errorf("inventory: %+v", services(t, rep))
	}
}

// TestInetd: inetd started from inittab serves telnet and rsh; a
// disabled xinetd service and an inetd nobody starts are low.
func TestInetd(t *testing.T) {
	rep := scanTree(t, tree{files: map[string]string{
		"etc/inittab":         "::sysinit:/etc/init.d/rcS\n::respawn:/usr/sbin/inetd -f /etc/inetd.conf\n",
		"etc/init.d/rcS":      "#!/bin/sh\nmount -a\n",
		"etc/inetd.conf":      "# services\ntelnet stream tcp nowait root /usr/sbin/telnetd telnetd -i -l /bin/sh\nshell stream tcp nowait root /usr/sbin/tcpd in.rshd\nftp stream tcp nowait root /usr/sbin/ftpd ftpd\n",
		"etc/xinetd.d/telnet": "service telnet\n{\n\tdisable = yes\n\tsocket_type = stream\n\tuser = root\n\tserver = /usr/sbin/in.telnetd\n}\n",
	}})
	want(t, rep, RuleTelnetShell, "etc/inetd.conf", finding.Critical, 2)
	f := want(t, rep, RuleRServices, "etc/inetd.conf", finding.High, 3)
	if !strings.Contains(f.Message, "514") {
		t.Errorf("message: %s", f.Message)
	}
	want(t, rep, RuleTelnetd, "etc/xinetd.d/telnet", finding.Low, 0)
}
