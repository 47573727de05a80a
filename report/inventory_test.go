package report

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/finding"
)

// The analyzers hand the inventory over as Go structs; these mirror their
// JSON shape (README "Report inventory") without importing them.
type tAccount struct {
	Path     string `json:"path"`
	Name     string `json:"name"`
	UID      *int   `json:"uid"`
	Shell    string `json:"shell,omitempty"`
	Password string `json:"password"`
	Login    bool   `json:"login"`
	Cracked  bool   `json:"cracked"`
}

type tService struct {
	Name      string `json:"name"`
	Command   string `json:"command"`
	Path      string `json:"path"`
	StartedBy string `json:"started_by"`
	Port      int    `json:"port,omitempty"`
}

type tKey struct {
	Path        string `json:"path"`
	Format      string `json:"format"`
	Algorithm   string `json:"algorithm,omitempty"`
	Bits        int    `json:"bits,omitempty"`
	Encrypted   bool   `json:"encrypted"`
	Compromised bool   `json:"compromised"`
}

type tBinary struct {
	Path    string `json:"path"`
	Arch    string `json:"arch"`
	Linkage string `json:"linkage"`
}

type tEndpoint struct {
	Kind    string `json:"kind"`
	Value   string `json:"value"`
	Path    string `json:"path"`
	Count   int    `json:"count"`
	Private bool   `json:"private,omitempty"`
}

type tOS struct {
	Path    string `json:"path"`
	Source  string `json:"source"`
	Name    string `json:"name,omitempty"`
	Version string `json:"version,omitempty"`
}

type tRegion struct {
	Path    string  `json:"path"`
	Offset  int64   `json:"offset"`
	Length  int64   `json:"length"`
	Entropy float64 `json:"entropy"`
	Kind    string  `json:"kind"`
}

func ip(n int) *int { return &n }

// inventoryReport is a router scan: 25 accounts (two can log in), boot
// services, a compromised and an encrypted key, busybox and friends for
// two architectures, 18 endpoints, OS versions, an encrypted region and a
// key this summary does not know.
func inventoryReport() *finding.Report {
	r := emptyReport()
	r.Targets = []finding.Target{{Path: "router.bin", Size: 8 << 20}}
	const fs = "router.bin!/squashfs@0x20013!/"
	var accts []tAccount
	for i := range 23 {
		accts = append(accts, tAccount{Path: fs + "etc/passwd", Name: fmt.Sprintf("svc%02d", i), UID: ip(100 + i), Shell: "/bin/false", Password: "locked"})
	}
	accts = append(accts,
		tAccount{Path: fs + "etc/shadow", Name: "root", UID: ip(0), Shell: "/bin/ash", Password: "md5crypt", Login: true, Cracked: true},
		tAccount{Path: fs + "etc/shadow", Name: "<b>admin</b>", UID: ip(0), Shell: "/bin/sh", Password: "empty", Login: true},
	)
	var bins []tBinary
	for i := range 40 {
		bins = append(bins, tBinary{Path: fmt.Sprintf("%susr/bin/b%d", fs, i), Arch: "mips32-le", Linkage: "dynamic"})
	}
	bins = append(bins, tBinary{Path: fs + "bin/busybox", Arch: "mips32-le", Linkage: "static"},
		tBinary{Path: fs + "lib/firmware/dsp", Arch: "arm32-le", Linkage: "static"})
	var eps []tEndpoint
	for i := range 18 {
		eps = append(eps, tEndpoint{Kind: "url", Value: fmt.Sprintf("http://update%d.example.com/fw", i), Path: fs + "usr/sbin/upd", Count: i + 1})
	}
	eps = append(eps, tEndpoint{Kind: "ip", Value: "10.0.0.138", Path: fs + "etc/config/network", Count: 99, Private: true})
	r.Inventory = map[string]any{
		"accounts": accts,
		"services": []tService{
			{Name: "telnetd", Command: "telnetd -l /bin/sh", Path: fs + "etc/init.d/rcS", StartedBy: "inittab → rcS", Port: 23},
			{Name: "httpd", Command: "httpd -p 80", Path: fs + "etc/init.d/S50httpd", StartedBy: "inittab → rcS → S50httpd", Port: 80},
		},
		"keys": []tKey{
			{Path: fs + "etc/ssl/server.key", Format: "pkcs8", Algorithm: "rsa", Bits: 1024, Compromised: true},
			{Path: fs + "etc/vpn.key", Format: "pkcs8", Algorithm: "ec", Bits: 256, Encrypted: true},
		},
		"binaries":  bins,
		"endpoints": eps,
		"os": []tOS{
			{Path: fs + "etc/openwrt_release", Source: "openwrt_release", Name: "OpenWrt", Version: "19.07.3"},
			{Path: fs + "bin/busybox", Source: "busybox", Name: "BusyBox", Version: "1.30.1"},
		},
		"regions":   []tRegion{{Path: "router.bin", Offset: 0x400000, Length: 1 << 20, Entropy: 7.99, Kind: "high-entropy"}},
		"licences":  []string{"GPL-2.0", "MIT", "BSD-3-Clause"},
		"build_log": "built by ci",
	}
	return r
}

// section returns the text from the line starting with head up to the next
// blank line.
func section(t *testing.T, out, head string) string {
	t.Helper()
	i := strings.Index(out, head)
	if i < 0 {
		t.Fatalf("no %q in\n%s", head, out)
	}
	s := out[i:]
	if j := strings.Index(s, "\n\n"); j >= 0 {
		s = s[:j]
	}
	return s
}

func TestTextInventory(t *testing.T) {
	out := render(t, "text", inventoryReport(), Options{})
	inv := section(t, out, "Inventory\n")
	t.Logf("\n%s", inv)
	lines := strings.Split(inv, "\n")
	for _, l := range lines {
		if n := len([]rune(l)); n > 2*textWidth {
			t.Errorf("line of %d columns: %q", n, l)
		}
	}
	// Accounts: those that can log in first, 20 lines, then a count.
	acc := inv[strings.Index(inv, "Accounts (25)"):]
	accLines := strings.Split(acc, "\n")
	if !strings.HasPrefix(strings.TrimSpace(accLines[2]), "<b>admin</b>  0    /bin/sh") ||
		!strings.HasPrefix(strings.TrimSpace(accLines[3]), "root") ||
		!strings.Contains(accLines[3], "md5crypt, cracked") {
		t.Errorf("login-capable accounts not first:\n%s", strings.Join(accLines[:5], "\n"))
	}
	for _, want := range []string{
		"+5 more (see --format json)",
		"Services started at boot (2)", "telnetd  inittab → rcS", "23",
		"Private keys (2)", "rsa 1024", "COMPROMISED", "ec 256", "encrypted",
		"Binaries by architecture (42)", "mips32-le  41", "arm32-le   1",
		"Endpoints (19)", "10.0.0.138", "private", "+4 more",
		"OS and versions (2)", "OpenWrt", "19.07.3", "BusyBox",
		"Unexplained high-entropy regions", "0x400000", "1.0 MiB", "7.99",
		"build_log: 1 value", "licences: 3 items",
	} {
		if !strings.Contains(inv, want) {
			t.Errorf("inventory lacks %q", want)
		}
	}
	// Endpoints: the most frequent first, 15 shown.
	ep := section(t, inv[strings.Index(inv, "Endpoints"):], "Endpoints")
	if !strings.Contains(strings.Split(ep, "\n")[2], "10.0.0.138") || strings.Contains(ep, "update0.example") {
		t.Errorf("endpoints not by count:\n%s", ep)
	}
	// The inventory comes before the closing summary.
	if strings.Index(out, "Inventory") > strings.Index(out, "Summary:") {
		t.Error("inventory after the summary")
	}
}

// TestInventoryJSONRoundTrip: a report read back from JSON (maps, not
// structs) renders the same summary.
func TestInventoryJSONRoundTrip(t *testing.T) {
	r := inventoryReport()
	raw, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back finding.Report
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"text", "html"} {
		if a, b := render(t, f, r, Options{}), render(t, f, &back, Options{}); a != b {
			t.Errorf("%s differs after a JSON round trip", f)
		}
	}
}

func TestInventoryEmpty(t *testing.T) {
	for _, inv := range []map[string]any{nil, {}, {"accounts": []tAccount{}, "keys": nil}} {
		r := emptyReport()
		r.Inventory = inv
		if out := render(t, "text", r, Options{}); strings.Contains(out, "Inventory") {
			t.Errorf("%v: text shows an inventory:\n%s", inv, out)
		}
		if out := render(t, "html", r, Options{}); strings.Contains(out, `id="inventory"`) {
			t.Errorf("%v: html shows an inventory", inv)
		}
	}
}

func TestHTMLInventory(t *testing.T) {
	out := render(t, "html", inventoryReport(), Options{})
	inv := between(t, out, `<section id="inventory">`, "</section>")
	if !strings.Contains(inv, "<details open>") || !strings.Contains(inv, "<summary><h2>Inventory</h2></summary>") {
		t.Error("inventory is not a collapsible details section")
	}
	for _, want := range []string{
		"<h3>Accounts (25)</h3>", "<td>&lt;b&gt;admin&lt;/b&gt;</td>", "+5 more",
		"<h3>Services started at boot (2)</h3>", "<td>inittab → rcS → S50httpd</td>",
		"<td>rsa 1024</td>", "<td>mips32-le</td><td>41</td><td>1</td><td>40</td>",
		"<td>10.0.0.138</td><td>99</td><td>private</td>",
		"<td>0x400000</td>", "licences: 3 items",
	} {
		if !strings.Contains(inv, want) {
			t.Errorf("html inventory lacks %q", want)
		}
	}
	if strings.Contains(inv, "<b>admin") {
		t.Error("account name not escaped")
	}
	// Endpoints are text, never links: the page fetches nothing.
	if strings.Contains(inv, "<a ") {
		t.Error("link in the inventory")
	}
	if strings.Index(out, `id="inventory"`) < strings.Index(out, `id="findings"`) {
		t.Error("inventory before the findings")
	}
}

// tCapBinary mirrors analyzer/executable's inventory entry.
type tCapBinary struct {
	Path         string   `json:"path"`
	Format       string   `json:"format"`
	Arch         string   `json:"arch"`
	Linkage      string   `json:"linkage"`
	Capabilities []string `json:"capabilities"`
	Packer       string   `json:"packer,omitempty"`
	StartedBy    string   `json:"started_by,omitempty"`
}

// capReport: 60 binaries with notable capabilities (a bind shell started
// at boot, a packed one, 58 listeners) and 30 ordinary ones.
func capReport() *finding.Report {
	r := emptyReport()
	const fs = "router.bin!/squashfs@0x20013!/"
	bins := []tCapBinary{
		{Path: fs + "usr/sbin/svcmgr", Format: "elf", Arch: "mips32-le", Capabilities: []string{"dup-fd", "exec", "net-listen", "shell"}, StartedBy: "inittab → rcS"},
		{Path: fs + "usr/bin/agent", Format: "elf", Arch: "mips32-le", Capabilities: []string{"net-connect"}, Packer: "upx"},
	}
	for i := range 58 {
		bins = append(bins, tCapBinary{Path: fmt.Sprintf("%susr/sbin/d%02d", fs, i), Format: "elf", Capabilities: []string{"net-listen"}})
	}
	for i := range 30 {
		bins = append(bins, tCapBinary{Path: fmt.Sprintf("%susr/bin/t%02d", fs, i), Format: "elf", Capabilities: []string{"exec", "string-compare"}})
	}
	r.Inventory = map[string]any{"binaries": bins}
	return r
}

func TestTextCapabilityMatrix(t *testing.T) {
	out := render(t, "text", capReport(), Options{})
	m := section(t, out, "Binary capabilities (60)")
	t.Logf("\n%s", m)
	lines := strings.Split(m, "\n")
	head := strings.Fields(lines[1])
	if strings.Join(head, " ") != "binary listen connect dup2 exec shell packed boot" {
		t.Errorf("columns: %q", head)
	}
	// Columns are the capabilities of the rows only (no "cmp": only
	// ordinary binaries compare strings). The most notable first: the
	// bind shell (listen, dup2, boot).
	if f := strings.Fields(lines[2]); len(f) != 6 || !strings.HasSuffix(f[0], "usr/sbin/svcmgr") {
		t.Errorf("first row: %q", lines[2])
	}
	if !strings.Contains(m, "+10 more (see --format json)") || strings.Contains(m, "usr/bin/t0") {
		t.Errorf("rows not capped at 50, or ordinary binaries listed")
	}
	// Both tables: the architecture counts and the matrix.
	if !strings.Contains(out, "Binaries by architecture (90)") {
		t.Error("architecture table missing")
	}
}

func TestHTMLCapabilityMatrix(t *testing.T) {
	out := render(t, "html", capReport(), Options{})
	inv := between(t, out, `<section id="inventory">`, "</section>")
	for _, want := range []string{"<h3>Binary capabilities (60)</h3>", "<th>listen</th>", "<th>boot</th>",
		"<td>router.bin!/squashfs@0x20013!/usr/sbin/svcmgr</td><td>x</td><td></td><td>x</td><td>x</td><td>x</td><td></td><td>x</td>",
		"+10 more"} {
		if !strings.Contains(inv, want) {
			t.Errorf("html lacks %q", want)
		}
	}
	// The same after a JSON round trip (maps, not structs).
	raw, _ := json.Marshal(capReport())
	var back finding.Report
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if render(t, "html", &back, Options{}) != out {
		t.Error("html differs after a JSON round trip")
	}
}

// No matrix when no binary does anything notable, or when the inventory
// predates capabilities; long paths keep their end.
func TestCapabilityMatrixQuiet(t *testing.T) {
	r := emptyReport()
	r.Inventory = map[string]any{"binaries": []tCapBinary{{Path: "a", Capabilities: []string{"exec"}}, {Path: "b"}}}
	if out := render(t, "text", r, Options{}); strings.Contains(out, "Binary capabilities") {
		t.Errorf("matrix without notable capabilities:\n%s", out)
	}
	r.Inventory = inventoryReport().Inventory
	if out := render(t, "text", r, Options{}); strings.Contains(out, "Binary capabilities") {
		t.Error("matrix from an inventory without capabilities")
	}
	long := strings.Repeat("x", 80) + "!/squashfs@0x20013!/usr/sbin/telnetd"
	if c := tailCell(long); !strings.HasPrefix(c, "…/") || !strings.HasSuffix(c, "/usr/sbin/telnetd") || len([]rune(c)) > invMaxCell {
		t.Errorf("tailCell: %q", c)
	}
}
