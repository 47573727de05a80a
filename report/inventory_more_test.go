package report

import (
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/finding"
)

// Packages (install hooks first), captures and the traffic summary's top
// destinations get tables of their own, from structs or from JSON maps.
func TestTextInventoryPackagesAndTraffic(t *testing.T) {
	rep := &finding.Report{SchemaVersion: 1, Command: "traffic", Findings: []finding.Finding{}, Errors: []finding.Error{},
		Inventory: map[string]any{
			"packages": []map[string]any{
				{"ecosystem": "npm", "name": "left-pad", "version": "1.3.0", "path": "t/a.tgz!/package/package.json"},
				{"ecosystem": "npm", "name": "evil-helper", "version": "0.0.1", "path": "t/b.tgz!/package/package.json",
					"install_hooks": []map[string]any{{"name": "postinstall", "command": "node x.js"}}},
			},
			"captures": []map[string]any{{"path": "cam.pcap", "format": "pcapng", "packets": 1234, "bytes": 2 << 20}},
			"traffic": map[string]any{"top_destinations": []map[string]any{
				{"addr": "203.0.113.7", "names": []string{"c2.example.com"}, "bytes_received": 4096, "bytes_sent": 512, "flows": 25},
			}},
		}}
	out := render(t, "text", rep, Options{})
	inv := section(t, out, "Inventory\n")
	pk := inv[strings.Index(inv, "Packages (2)"):]
	if lines := strings.Split(pk, "\n"); !strings.Contains(lines[2], "evil-helper") || !strings.Contains(lines[2], "postinstall") {
		t.Errorf("packages with install hooks not first:\n%s", pk)
	}
	for _, want := range []string{"Captures (1)", "cam.pcap", "pcapng", "1234", "2.0 MiB", "Top destinations (1)", "203.0.113.7", "c2.example.com", "4.0 KiB", "25"} {
		if !strings.Contains(inv, want) {
			t.Errorf("inventory lacks %q:\n%s", want, inv)
		}
	}
	if strings.Contains(inv, "traffic: 1 entry") {
		t.Error("traffic summary also listed as a generic count")
	}
}
