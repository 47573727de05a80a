package updatediff

import (
	"testing"

	"github.com/doorman-sec/doorman/finding"
)

func svc(t, name, cmd string) map[string]any {
	return map[string]any{"name": name, "command": cmd, "path": at(t, "0x1", "etc/init.d/rcS"), "started_by": "inittab → rcS"}
}

func TestServicesAdded(t *testing.T) {
	oldInv := map[string]any{
		"services": []map[string]any{svc("o", "httpd", "/usr/sbin/httpd -p 80")},
		"binaries": bins("o", "0x1", true, elfInfo{Path: "usr/sbin/httpd", Size: 1, Capabilities: capList{"exec", "net-listen"}}),
	}
	newInv := map[string]any{
		"services": []map[string]any{
			svc("n", "httpd", "/usr/sbin/httpd -p 8080"),       // arguments changed: routine
			svc("n", "utelnetd", "/usr/sbin/utelnetd -p 2323"), // no analyzer finding here: the diff's own
			svc("n", "mgmtd", "/usr/sbin/mgmtd"),               // new program that listens and runs commands
			svc("n", "ntpd", "/usr/sbin/ntpd -n"),              // new ordinary service
		},
		"binaries": bins("n", "0x1", true,
			elfInfo{Path: "usr/sbin/httpd", Size: 1, Capabilities: capList{"exec", "net-listen"}},
			elfInfo{Path: "usr/sbin/mgmtd", Size: 5, Capabilities: capList{"exec", "net-listen"}},
			elfInfo{Path: "usr/sbin/ntpd", Size: 5, Capabilities: capList{"net-connect"}}),
	}
	res := Compare(rep("o", "0x1", oldInv), rep("n", "0x1", newInv))
	got := map[string]finding.Severity{}
	for _, f := range byRule(res, RuleServiceAdded) {
		got[f.Evidence] = f.Severity
	}
	if got["/usr/sbin/utelnetd -p 2323"] != finding.High || got["/usr/sbin/mgmtd"] != finding.Medium || len(got) != 2 {
		t.Errorf("service findings %v\n%s", got, dump(res))
	}
	if c := changesOf(res, KindService, Added); len(c) != 3 {
		t.Errorf("added services: %s", dump(res))
	}
	if c := changesOf(res, KindService, Changed); len(c) != 1 || c[0].Severity != finding.Info {
		t.Errorf("changed httpd: %s", dump(res))
	}
}

// An analyzer's finding about the new service is linked, not repeated.
func TestServiceCoveredByAnalyzer(t *testing.T) {
	f := finding.Finding{Rule: "DM-SVC-002", Category: finding.RemoteAccessService, Severity: finding.High,
		Location: finding.Location{Path: "etc/init.d/rcS", Line: 4}, Evidence: "telnetd -p 2323"}
	res := Compare(rep("o", "0x1", nil),
		rep("n", "0x1", map[string]any{"services": []map[string]any{svc("n", "telnetd", "telnetd -p 2323")}}, f))
	if len(res.Introduced) != 1 || res.Introduced[0].Rule != "DM-SVC-002" {
		t.Fatalf("introduced: %s", dump(res))
	}
	c := changesOf(res, KindService, Added)
	if len(c) != 1 || c[0].Finding != res.Introduced[0].ID || c[0].Severity != finding.High {
		t.Errorf("service change: %+v", c)
	}
}

func TestIsRemoteShell(t *testing.T) {
	for cmd, want := range map[string]bool{
		"/usr/sbin/telnetd -l /bin/sh":           true,
		"busybox telnetd -p 23":                  true,
		"nc -l -p 4444 -e /bin/sh":               true,
		"socat TCP-LISTEN:23,fork EXEC:/bin/sh":  true,
		"nc 192.0.2.1 80":                        false,
		"/usr/sbin/dropbear -s -p 22":            false,
		"/usr/bin/telnet-client host.invalid 23": false,
	} {
		if got := isRemoteShell(cmd); got != want {
			t.Errorf("isRemoteShell(%q) = %v", cmd, got)
		}
	}
}
