package bootsvc

import (
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/finding"
)

const openwrtTelnet = `#!/bin/sh /etc/rc.common
# Copyright (C) 2006-2011 OpenWrt.org

START=50
USE_PROCD=1
PROG=/usr/sbin/telnetd

start_service() {
	procd_open_instance
	procd_set_param command "$PROG" -F -l /bin/sh
	procd_set_param respawn
	procd_close_instance
}
`

// TestOpenWrtProcd: /etc/rc.d/S50telnet links to a procd init script
// whose start_service runs telnetd with a shell.
func TestOpenWrtProcd(t *testing.T) {
	rep := scanTree(t, tree{files: map[string]string{
		"etc/inittab":       "::sysinit:/etc/init.d/rcS S boot\n::shutdown:/etc/init.d/rcS K shutdown\nttyS0::askfirst:/usr/libexec/login.sh\n",
		"etc/init.d/telnet": openwrtTelnet,
	}, links: map[string]string{"etc/rc.d/S50telnet": "../init.d/telnet"}})
	f := want(t, rep, RuleTelnetShell, "etc/init.d/telnet", finding.Critical, 10)
	if !strings.Contains(f.Message, "etc/rc.d") {
		t.Errorf("message: %s", f.Message)
	}
}

// TestOpenWrtLegacyTelnet: the pre-2015 OpenWrt telnet script starts
// telnetd with a login when root has no password; on an image where it
// has none, that is a root login for anyone.
func TestOpenWrtLegacyTelnet(t *testing.T) {
	rep := scanTree(t, tree{files: map[string]string{
		"etc/init.d/telnet": `#!/bin/sh /etc/rc.common
START=50

has_root_pwd() {
	local pwd=$([ -f "$1" ] && cat "$1")
	pwd="${pwd#*root:}"
	pwd="${pwd%%:*}"
	test -n "${pwd#[\!x]}"
}

start() {
	if ! has_root_pwd /etc/passwd && ! has_root_pwd /etc/shadow; then
		service_start /usr/sbin/telnetd -l /bin/login.sh
	fi
}

stop() {
	service_stop /usr/sbin/telnetd
}
`,
		"etc/shadow":          "root::0:0:99999:7:::\n",
		"etc/config/dropbear": "config dropbear\n\toption PasswordAuth 'on'\n\toption RootPasswordAuth 'on'\n\toption Port '22'\n",
		"etc/inittab":         "::sysinit:/etc/init.d/rcS S boot\n",
	}, links: map[string]string{"etc/rc.d/S50telnet": "../init.d/telnet"}})
	f := want(t, rep, RuleTelnetd, "etc/init.d/telnet", finding.Critical, 13)
	if !strings.Contains(f.Message, "under a condition") || !strings.Contains(f.Message, "root's password is empty") {
		t.Errorf("message: %s", f.Message)
	}
}

// TestUCITelnetSwitch: a configuration option that turns telnet on is
// medium; one that turns it off is nothing.
func TestUCITelnetSwitch(t *testing.T) {
	rep := scanTree(t, tree{files: map[string]string{
		"etc/config/system": "config system\n\toption hostname 'Router'\n\toption enable_telnet '1'\n\nconfig debug\n\toption telnetd '0'\n",
	}})
	want(t, rep, RuleTelnetd, "etc/config/system", finding.Medium, 1)
	if len(rep.Findings) != 1 {
		t.Errorf("findings: %s", dump(rep))
	}
}
