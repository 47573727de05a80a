package updatediff

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/finding"
)

// rep builds a report of target t with an inventory; paths in inv are
// written under the target with a carved squashfs at off.
func rep(t, off string, inv map[string]any, fs ...finding.Finding) *finding.Report {
	r := &finding.Report{Targets: []finding.Target{{Path: t}}, Findings: fs, Inventory: inv}
	for i := range r.Findings {
		r.Findings[i].Location.Target = t
		r.Findings[i].Location.Path = t + "!/squashfs@" + off + "!/" + r.Findings[i].Location.Path
		r.Findings[i].SetID()
	}
	return r
}

func at(t, off, p string) string { return t + "!/squashfs@" + off + "!/" + p }

func bins(t, off string, caps bool, list ...elfInfo) []map[string]any {
	var out []map[string]any
	for _, b := range list {
		m := map[string]any{"path": at(t, off, b.Path), "arch": "mips32-le", "size": b.Size}
		if caps {
			m["capabilities"] = b.Capabilities
		}
		out = append(out, m)
	}
	return out
}

func TestFindingsMatchedAcrossOffsetsAndLines(t *testing.T) {
	f := finding.Finding{Rule: "DM-SVC-002", Category: finding.RemoteAccessService, Severity: finding.High,
		Location: finding.Location{Path: "etc/inittab", Line: 2}, Evidence: "::respawn:/usr/sbin/telnetd"}
	g := f
	g.Location.Line = 5 // an edit above moved it
	res := Compare(rep("a-1.0.bin", "0x1000", nil, f), rep("a-1.1.bin", "0x2400", nil, g))
	if len(res.Introduced) != 0 || len(res.Removed) != 0 {
		t.Fatalf("same finding at another offset and line: %+v / %+v", res.Introduced, res.Removed)
	}
	// Changed evidence is a different finding.
	h := g
	h.Evidence = "::respawn:/usr/sbin/telnetd -l /bin/sh"
	res = Compare(rep("a-1.0.bin", "0x1000", nil, f), rep("a-1.1.bin", "0x2400", nil, h))
	if len(res.Introduced) != 1 || len(res.Removed) != 1 {
		t.Fatalf("changed evidence: %d introduced, %d removed", len(res.Introduced), len(res.Removed))
	}
}

func TestDuplicateFindingsCounted(t *testing.T) {
	f := finding.Finding{Rule: "R", Severity: finding.Low, Location: finding.Location{Path: "x"}, Evidence: "e"}
	res := Compare(rep("o", "0x0", nil, f), rep("n", "0x0", nil, f, f))
	if len(res.Introduced) != 1 {
		t.Fatalf("one of two identical findings is new, got %d", len(res.Introduced))
	}
}

func TestCapabilitiesGained(t *testing.T) {
	oldInv := map[string]any{"binaries": bins("o", "0x10", true,
		elfInfo{Path: "usr/sbin/upnpd", Size: 100, Capabilities: capList{"net-listen"}},
		elfInfo{Path: "usr/sbin/httpd", Size: 200, Capabilities: capList{"exec", "net-listen"}})}
	newInv := map[string]any{"binaries": bins("n", "0x20", true,
		elfInfo{Path: "usr/sbin/upnpd", Size: 140, Capabilities: capList{"exec", "net-listen", "raw-socket"}},
		elfInfo{Path: "usr/sbin/httpd", Size: 210, Capabilities: capList{"exec", "net-listen"}})}
	res := Compare(rep("o", "0x10", oldInv), rep("n", "0x20", newInv))
	fs := byRule(res, RuleCapabilityAdded)
	if len(fs) != 1 || fs[0].Severity != finding.Medium || fs[0].Category != finding.HiddenTrigger {
		t.Fatalf("raw socket + exec gained: %+v\n%s", fs, dump(res))
	}
	if fs[0].Location.Path != "n!/squashfs@0x20!/usr/sbin/upnpd" {
		t.Errorf("location %q", fs[0].Location.Path)
	}
	ch := changesOf(res, KindExecutable, Changed)
	if len(ch) != 2 {
		t.Fatalf("changes: %s", dump(res))
	}
	for _, c := range ch {
		switch c.Subject {
		case "/usr/sbin/upnpd":
			if !reflect.DeepEqual(c.Added, []string{"exec", "raw-socket"}) || c.Finding != fs[0].ID {
				t.Errorf("upnpd change: %+v", c)
			}
		case "/usr/sbin/httpd": // rebuilt, nothing gained: routine
			if c.Severity != finding.Info || len(c.Added) != 0 || c.Finding != "" {
				t.Errorf("httpd change: %+v", c)
			}
		}
	}
}

// Gaining an HTTP client is what an update checker does: a change, no
// finding.
func TestOrdinaryCapabilityGainIsNoFinding(t *testing.T) {
	oldInv := map[string]any{"binaries": bins("o", "0x10", true, elfInfo{Path: "usr/bin/app", Size: 1, Capabilities: capList{}})}
	newInv := map[string]any{"binaries": bins("n", "0x10", true, elfInfo{Path: "usr/bin/app", Size: 2, Capabilities: capList{"net-connect"}})}
	res := Compare(rep("o", "0x10", oldInv), rep("n", "0x10", newInv))
	if len(res.Introduced) != 0 {
		t.Fatalf("net-connect gained: %s", dump(res))
	}
	if c := changesOf(res, KindExecutable, Changed); len(c) != 1 || c[0].Severity != finding.Low {
		t.Errorf("change: %s", dump(res))
	}
}

// Inventories written before capabilities existed: changes by size, no
// capability claims either way.
func TestWithoutCapabilities(t *testing.T) {
	oldInv := map[string]any{"binaries": bins("o", "0x10", false, elfInfo{Path: "usr/sbin/upnpd", Size: 100})}
	newInv := map[string]any{"binaries": bins("n", "0x10", false, elfInfo{Path: "usr/sbin/upnpd", Size: 140}, elfInfo{Path: "usr/sbin/x", Size: 9})}
	res := Compare(rep("o", "0x10", oldInv), rep("n", "0x10", newInv))
	if len(res.Introduced) != 0 {
		t.Fatalf("no capabilities, no capability findings: %s", dump(res))
	}
	if len(changesOf(res, KindExecutable, Changed)) != 1 || len(changesOf(res, KindExecutable, Added)) != 1 {
		t.Errorf("changes: %s", dump(res))
	}
}

func files(t, off string, fs ...File) []map[string]any {
	var out []map[string]any
	for _, f := range fs {
		out = append(out, map[string]any{"path": at(t, off, f.Path), "size": f.Size, "mode": f.Mode, "sha256": f.SHA256, "exec": f.Exec})
	}
	return out
}

func TestSetuidPlaces(t *testing.T) {
	base := []File{{Path: "bin/busybox", Mode: "4755", SHA256: "aa", Exec: true}}
	newer := append([]File{}, base...)
	newer = append(newer,
		File{Path: "www/cgi-bin/.x", Mode: "4755", SHA256: "bb", Exec: true},    // odd place: high
		File{Path: "usr/sbin/diagd", Mode: "4711", SHA256: "cc", Exec: true},    // unknown name: medium
		File{Path: "usr/bin/passwd", Mode: "4755", SHA256: "dd", Exec: true},    // ordinary: change only
		File{Path: "usr/bin/wall", Mode: "2755", SHA256: "ee", Exec: true},      // ordinary setgid
		File{Path: "usr/lib/helper.so", Mode: "0755", SHA256: "ff", Exec: true}, // no bit
	)
	res := Compare(rep("o", "0x1", map[string]any{InvFiles: files("o", "0x1", base...)}),
		rep("n", "0x2", map[string]any{InvFiles: files("n", "0x2", newer...)}))
	got := map[string]finding.Severity{}
	for _, f := range byRule(res, RuleSetuidAdded) {
		got[innerPath(f.Location.Path)] = f.Severity
	}
	want := map[string]finding.Severity{"/www/cgi-bin/.x": finding.High, "/usr/sbin/diagd": finding.Medium}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("setuid findings %v, want %v\n%s", got, want, dump(res))
	}
	if n := len(changesOf(res, KindSetuid, Added)); n != 4 {
		t.Errorf("%d setuid changes, want 4:\n%s", n, dump(res))
	}
	// A file that gains the bit is a change too.
	res = Compare(rep("o", "0x1", map[string]any{InvFiles: files("o", "0x1", File{Path: "usr/sbin/diagd", Mode: "0755", SHA256: "cc"})}),
		rep("n", "0x1", map[string]any{InvFiles: files("n", "0x1", File{Path: "usr/sbin/diagd", Mode: "4755", SHA256: "cc"})}))
	if c := changesOf(res, KindSetuid, Changed); len(c) != 1 || len(byRule(res, RuleSetuidAdded)) != 1 {
		t.Errorf("bit added: %s", dump(res))
	}
	// Without the probe in OLD nothing is claimed.
	res = Compare(rep("o", "0x1", nil), rep("n", "0x1", map[string]any{InvFiles: files("n", "0x1", newer...)}))
	if len(byRule(res, RuleSetuidAdded)) != 0 {
		t.Errorf("setuid claimed without OLD's file list: %s", dump(res))
	}
}

func TestAccountsAndPasswords(t *testing.T) {
	uid := func(n int) *int { return &n }
	acct := func(t, name string, u int, pw string, login bool) map[string]any {
		return map[string]any{"path": at(t, "0x1", "etc/passwd"), "name": name, "uid": uid(u), "shell": "/bin/sh", "password": pw, "login": login}
	}
	pwd := func(t, name, d string) map[string]any {
		return map[string]any{"path": at(t, "0x1", "etc/shadow"), "name": name, "digest": d}
	}
	oldInv := map[string]any{
		"accounts":   []map[string]any{acct("o", "root", 0, "hash:sha512crypt", true), acct("o", "guest", 1000, "locked", false)},
		InvPasswords: []map[string]any{pwd("o", "root", "1111")},
	}
	newInv := map[string]any{
		"accounts": []map[string]any{acct("n", "root", 0, "hash:sha512crypt", true), acct("n", "guest", 1000, "hash:md5crypt", true),
			acct("n", "svc", 0, "hash:md5crypt", true), acct("n", "tech", 500, "hash:md5crypt", true)},
		InvPasswords: []map[string]any{pwd("n", "root", "2222")},
	}
	res := Compare(rep("o", "0x1", oldInv), rep("n", "0x1", newInv))
	sev := map[string]finding.Severity{}
	for _, f := range res.Introduced {
		sev[f.Rule+" "+f.Evidence[:len("svc")]] = f.Severity
	}
	want := map[string]finding.Severity{
		RuleAccountAdded + " svc": finding.High,   // second superuser
		RuleAccountAdded + " tec": finding.Medium, // new login
		RuleLoginEnabled + " gue": finding.Medium, // locked → usable
	}
	if !reflect.DeepEqual(sev, want) {
		t.Errorf("findings %v, want %v\n%s", sev, want, dump(res))
	}
	var rootChange *finding.Change
	for i, c := range res.Changes {
		if c.Subject == "root" {
			rootChange = &res.Changes[i]
		}
	}
	if rootChange == nil || rootChange.Detail != "account 'root': password changed" || rootChange.Severity != finding.Low {
		t.Errorf("root password change: %+v", rootChange)
	}
	b, _ := json.Marshal(res.Report())
	for _, secret := range []string{"1111", "2222"} {
		if strings.Contains(string(b), secret) {
			t.Errorf("digest %s printed", secret)
		}
	}
}

func TestEndpoints(t *testing.T) {
	ep := func(t, v, kind string, private bool) map[string]any {
		return map[string]any{"kind": kind, "value": v, "path": at(t, "0x1", "usr/bin/agent"), "private": private}
	}
	oldInv := map[string]any{"endpoints": []map[string]any{ep("o", "https://cloud.vendor.invalid/api", "url", false)}}
	newInv := map[string]any{"endpoints": []map[string]any{
		ep("n", "https://cloud.vendor.invalid/api", "url", false),
		ep("n", "https://cdn.vendor.invalid/fw", "url", false),
		ep("n", "10.0.0.1", "ip", true),
		// Public as far as Compare knows (the inventory says so); a
		// documentation address, never contacted.
		ep("n", "198.51.100.7", "ip", false),
	}}
	res := Compare(rep("o", "0x1", oldInv), rep("n", "0x1", newInv))
	if n := len(changesOf(res, KindEndpoint, Added)); n != 3 {
		t.Errorf("%d endpoint changes, want 3:\n%s", n, dump(res))
	}
	fs := byRule(res, RuleEndpointAdded)
	if len(fs) != 1 || fs[0].Evidence != "198.51.100.7" || fs[0].Severity != finding.Low {
		t.Errorf("endpoint findings: %+v", fs)
	}
}

// Compare reads a report fresh from a scan and the same report read back
// from JSON alike.
func TestCompareJSONRoundTrip(t *testing.T) {
	oldInv := map[string]any{"binaries": bins("o", "0x10", true, elfInfo{Path: "usr/sbin/a", Size: 1, Capabilities: capList{"exec"}})}
	newInv := map[string]any{"binaries": bins("n", "0x10", true, elfInfo{Path: "usr/sbin/a", Size: 2, Capabilities: capList{"exec", "raw-socket"}})}
	o, n := rep("o", "0x10", oldInv), rep("n", "0x10", newInv)
	direct := Compare(o, n)
	rt := func(r *finding.Report) *finding.Report {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var out finding.Report
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatal(err)
		}
		return &out
	}
	again := Compare(rt(o), rt(n))
	if !reflect.DeepEqual(direct.Report(), again.Report()) {
		t.Errorf("JSON round trip changes the diff:\n%s\n---\n%s", dump(direct), dump(again))
	}
}

func TestCompareNilAndDeterminism(t *testing.T) {
	if r := Compare(nil, nil); len(r.Introduced) != 0 || r.Changes == nil {
		t.Errorf("nil reports: %+v", r)
	}
	oldInv := map[string]any{"binaries": bins("o", "0x10", true, elfInfo{Path: "a", Size: 1}, elfInfo{Path: "b", Size: 1})}
	newInv := map[string]any{"binaries": bins("n", "0x10", true, elfInfo{Path: "c", Size: 1, Capabilities: capList{"shell", "dup-fd", "net-connect"}}, elfInfo{Path: "d", Size: 1})}
	first, _ := json.Marshal(Compare(rep("o", "0x10", oldInv), rep("n", "0x10", newInv)).Report())
	for i := 0; i < 5; i++ {
		again, _ := json.Marshal(Compare(rep("o", "0x10", oldInv), rep("n", "0x10", newInv)).Report())
		if string(again) != string(first) {
			t.Fatalf("run %d differs", i)
		}
	}
}

func TestCapListShapes(t *testing.T) {
	for in, want := range map[string]capList{
		`["exec","shell"]`: {"exec", "shell"},
		`[{"name":"exec","evidence":["import:execve"]}]`: {"exec"},
		`[]`:   {},
		`null`: nil,
	} {
		var c capList
		if err := json.Unmarshal([]byte(in), &c); err != nil || !reflect.DeepEqual(c, want) {
			t.Errorf("%s: %v %v", in, c, err)
		}
	}
	var b elfInfo
	if err := json.Unmarshal([]byte(`{"path":"x","capabilities":7}`), &b); err == nil {
		t.Error("a number read as capabilities")
	}
}
