package updatediff

import (
	"io/fs"
	"testing"

	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/internal/fixture"
)

// routerV1Backdoored is release 1.0.4 as a supply-chain attacker would
// ship it: a second UID-0 account, telnetd started from rcS, a new setuid
// program in /usr/sbin and the update script's signature check removed.
func routerV1Backdoored() map[string]fixture.File {
	m := routerV1()
	m["etc/version"] = fixture.File{Path: "etc/version", Data: []byte("1.0.4\n")}
	m["etc/passwd"] = fixture.File{Path: "etc/passwd", Data: []byte("root:x:0:0:root:/root:/bin/ash\ndaemon:*:1:1:daemon:/var:/bin/false\nnobody:*:65534:65534:nobody:/var:/bin/false\nsupport:x:0:0:support:/root:/bin/ash\n")}
	m["etc/shadow"] = fixture.File{Path: "etc/shadow", Mode: 0o600, Data: []byte("root:" + rootHash + ":19000:0:99999:7:::\ndaemon:*:0:0:99999:7:::\nnobody:*:0:0:99999:7:::\nsupport:" + supportHash + ":19000:0:99999:7:::\n")}
	m["etc/init.d/rcS"] = fixture.File{Path: "etc/init.d/rcS", Mode: 0o755, Data: []byte("#!/bin/sh\nmount -a\n/usr/sbin/httpd -h /www -p 80\n/usr/sbin/dropbear -s -p 22\ntelnetd -p 2323 -l /bin/sh &\n")}
	m["usr/sbin/telnetd"] = fixture.File{Path: "usr/sbin/telnetd", Mode: fs.ModeSymlink | 0o777, Link: "../../bin/busybox"}
	m["usr/sbin/diagd"] = fixture.File{Path: "usr/sbin/diagd", Mode: fs.ModeSetuid | 0o755, Data: mipsELF("diagd 2.1", "factory diagnostics")}
	m["usr/sbin/fw_update.sh"] = fixture.File{Path: "usr/sbin/fw_update.sh", Mode: 0o755, Data: []byte(updateHead + updateTail)}
	m["www/index.html"] = fixture.File{Path: "www/index.html", Data: []byte("<html><body><h1>Router</h1><p>Firmware 1.0.4</p></body></html>\n")}
	return m
}

// routerV1Routine is release 1.0.4 as a vendor ships it: the version
// bumped, a status page added, the web server rebuilt, a locked account
// for a new NTP daemon, and the LED helper moved to /usr/libexec.
func routerV1Routine() map[string]fixture.File {
	m := routerV1()
	m["etc/version"] = fixture.File{Path: "etc/version", Data: []byte("1.0.4\n")}
	m["etc/passwd"] = fixture.File{Path: "etc/passwd", Data: []byte("root:x:0:0:root:/root:/bin/ash\ndaemon:*:1:1:daemon:/var:/bin/false\nnobody:*:65534:65534:nobody:/var:/bin/false\nntp:*:123:123:ntp:/var/empty:/bin/false\n")}
	m["etc/shadow"] = fixture.File{Path: "etc/shadow", Mode: 0o600, Data: []byte("root:" + rootHash + ":19000:0:99999:7:::\ndaemon:*:0:0:99999:7:::\nnobody:*:0:0:99999:7:::\nntp:!:19500:0:99999:7:::\n")}
	m["usr/sbin/httpd"] = fixture.File{Path: "usr/sbin/httpd", Mode: 0o755, Data: mipsELF("httpd 1.0.4", "Content-Type: text/html", "/www", "status.html")}
	m["www/index.html"] = fixture.File{Path: "www/index.html", Data: []byte("<html><body><h1>Router</h1><p>Firmware 1.0.4</p></body></html>\n")}
	m["www/status.html"] = fixture.File{Path: "www/status.html", Data: []byte("<html><body><h1>Status</h1><p>WAN: up</p></body></html>\n")}
	delete(m, "usr/bin/led-helper")
	m["usr/libexec/led-helper"] = fixture.File{Path: "usr/libexec/led-helper", Mode: 0o755, Data: mipsELF("led-helper 1.0", "/sys/class/leds")}
	return m
}

func TestBackdooredUpdate(t *testing.T) {
	res := diff(t, image(routerV1(), 0), image(routerV1Backdoored(), 7))
	t.Logf("diff:\n%s", dump(res))

	// The accounts analyzer reports the extra superuser; the diff links
	// its account change to that finding instead of repeating it.
	uid0 := byRule(res, "DM-ACCT-003")
	if len(uid0) != 1 || uid0[0].Severity < finding.High {
		t.Fatalf("want the new UID-0 account introduced at high or more, got %+v", uid0)
	}
	if got := byRule(res, RuleAccountAdded); len(got) != 0 {
		t.Errorf("account reported twice (analyzer and diff): %+v", got)
	}
	acct := changesOf(res, KindAccount, Added)
	if len(acct) != 1 || acct[0].Subject != "support" || acct[0].Finding != uid0[0].ID {
		t.Errorf("account change: %+v", acct)
	}

	// telnetd from rcS: the boot-service analyzer's finding, linked.
	var telnet *finding.Finding
	for i, f := range res.Introduced {
		if f.Category == finding.RemoteAccessService {
			telnet = &res.Introduced[i]
		}
	}
	if telnet == nil || telnet.Severity < finding.High {
		t.Fatalf("want telnetd at boot introduced at high or more")
	}
	svc := changesOf(res, KindService, Added)
	if len(svc) != 1 || svc[0].Finding == "" {
		t.Errorf("service change: %+v", svc)
	}

	// The new setuid program in /usr/sbin has no analyzer of its own: the
	// diff reports it.
	su := byRule(res, RuleSetuidAdded)
	if len(su) != 1 || su[0].Severity != finding.Medium || su[0].Location.Path == "" {
		t.Fatalf("setuid finding: %+v", su)
	}
	if want := "router-new.bin!/squashfs@0x20700!/usr/sbin/diagd"; su[0].Location.Path != res.New.Path+"!/squashfs@0x20700!/usr/sbin/diagd" {
		t.Errorf("setuid finding at %q, want NEW's display path …%q", su[0].Location.Path, want)
	}
	if c := changesOf(res, KindSetuid, Added); len(c) != 1 || c[0].Subject != "/usr/sbin/diagd" || c[0].Finding != su[0].ID {
		t.Errorf("setuid change: %+v", c)
	}

	// The update script lost its signature check.
	upd := byRule(res, "DM-UPD-001")
	if len(upd) != 1 || upd[0].Severity < finding.High {
		t.Fatalf("want the unverified update introduced at high, got %+v", upd)
	}
	uc := changesOf(res, KindUpdateCheck, Removed)
	if len(uc) != 1 || uc[0].Subject != "/usr/sbin/fw_update.sh" || uc[0].Finding != upd[0].ID {
		t.Errorf("update-check change: %+v", uc)
	}

	// Nothing of OLD went away, and nothing that did not change is
	// reported: busybox was setuid before, httpd and dropbear are the same.
	if len(res.Removed) != 0 {
		t.Errorf("removed: %+v", res.Removed)
	}
	for _, c := range res.Changes {
		if c.Subject == "/bin/busybox" || c.Subject == "/usr/sbin/httpd" {
			t.Errorf("unchanged file reported: %+v", c)
		}
	}
	if c := changesOf(res, KindOS, Changed); len(c) == 0 {
		t.Errorf("version bump not in changes")
	}
	// Every introduced finding is NEW's: its location names NEW.
	for _, f := range res.Introduced {
		if f.Location.Target != "" && f.Location.Target != res.New.Path {
			t.Errorf("introduced finding located in %q", f.Location.Target)
		}
	}
}

func TestRoutineUpdateIsQuiet(t *testing.T) {
	res := diff(t, image(routerV1(), 0), image(routerV1Routine(), 3))
	t.Logf("diff:\n%s", dump(res))
	for _, f := range res.Introduced {
		if f.Severity >= finding.High {
			t.Errorf("routine update: introduced %s %s at %s", f.Severity, f.Rule, f.Location.Path)
		}
	}
	for _, c := range res.Changes {
		if c.Severity >= finding.High {
			t.Errorf("routine update: change at %s: %+v", c.Severity, c)
		}
	}
	if len(res.Removed) != 0 {
		t.Errorf("removed: %+v", res.Removed)
	}
	// The changes are there for the reviewer, at low severity.
	if c := changesOf(res, KindAccount, Added); len(c) != 1 || c[0].Subject != "ntp" || c[0].Finding != "" {
		t.Errorf("locked system account: %+v", c)
	}
	if c := changesOf(res, KindExecutable, Changed); len(c) != 1 || c[0].Subject != "/usr/sbin/httpd" {
		t.Errorf("changed httpd: %+v", c)
	}
	// The LED helper moved with the same content: renamed, not removed
	// and added.
	ren := changesOf(res, KindExecutable, Renamed)
	if len(ren) != 1 || ren[0].Subject != "/usr/libexec/led-helper" || ren[0].OldPath == "" {
		t.Errorf("renamed helper: %+v", ren)
	}
	if c := changesOf(res, KindExecutable, Added); len(c) != 0 {
		t.Errorf("moved helper reported as added: %+v", c)
	}
	if c := changesOf(res, KindExecutable, Removed); len(c) != 0 {
		t.Errorf("moved helper reported as removed: %+v", c)
	}
}

func TestSameImageTwiceIsEmpty(t *testing.T) {
	img := image(routerV1Backdoored(), 2)
	res := diff(t, img, img)
	if len(res.Introduced) != 0 || len(res.Removed) != 0 || len(res.Changes) != 0 {
		t.Fatalf("same image, non-empty diff:\n%s", dump(res))
	}
}

// Reversing the update: what the backdoored version had is removed, and
// the update from it back to a clean one introduces nothing.
func TestReverseUpdateRemoves(t *testing.T) {
	res := diff(t, image(routerV1Backdoored(), 7), image(routerV1(), 0))
	if n := len(res.Introduced); n != 0 {
		t.Errorf("clean version introduces %d findings:\n%s", n, dump(res))
	}
	want := map[string]bool{"DM-ACCT-003": false, "DM-UPD-001": false}
	for _, f := range res.Removed {
		if _, ok := want[f.Rule]; ok {
			want[f.Rule] = true
		}
	}
	for r, seen := range want {
		if !seen {
			t.Errorf("%s not in removed:\n%s", r, dump(res))
		}
	}
	if c := changesOf(res, KindUpdateCheck, Added); len(c) != 1 {
		t.Errorf("verification put back not in changes: %+v", c)
	}
}
