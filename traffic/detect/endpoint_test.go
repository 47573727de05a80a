package detect

import (
	"strings"
	"testing"
	"time"

	"github.com/doorman-sec/doorman/finding"
)

func endpointCapture() *capture {
	c := newCapture()
	c.lookup(t0, camera, "api.vendor.example.com", 1, vendor.String())
	c.tcp(t0.Add(time.Second), camera, vendor, 443, 500, 5000, time.Second)
	c.lookup(t0.Add(time.Minute), camera, "c2.example.net", 1, c2.String())
	c.tcp(t0.Add(time.Minute+time.Second), camera, c2, 443, 500, 500, time.Second)
	c.tcp(t0.Add(2*time.Minute), camera, attacker, 7777, 100, 100, time.Second) // by bare address
	c.tcp(t0.Add(3*time.Minute), camera, resolver, 80, 100, 100, time.Second)   // local: not an endpoint
	return c
}

func TestEndpointsAllowlistAndFirmware(t *testing.T) {
	fs := run(t, endpointCapture(), Options{
		Allow:             mustAllow(t, "# vendor cloud\n*.vendor.example.com\n"),
		FirmwareEndpoints: []string{"https://api.vendor.example.com/v1/", "c2.example.net:443", "203.0.113.200"},
	})
	na := byRule(fs, RuleNotAllowed)
	sev := map[string]finding.Severity{}
	for _, f := range na {
		switch {
		case strings.Contains(f.Message, "c2.example.net"):
			sev["c2"] = f.Severity
		case strings.Contains(f.Message, attacker.String()):
			sev["bare"] = f.Severity
		default:
			t.Errorf("unexpected: %s", f.Message)
		}
	}
	// c2.example.net is in the firmware: medium. The bare address is in
	// neither list: high.
	if sev["c2"] != finding.Medium || sev["bare"] != finding.High || len(na) != 2 {
		t.Fatalf("severities %v:\n%s", sev, dump(fs))
	}
	if seen := byRule(fs, RuleFirmwareSeen); len(seen) != 2 || seen[0].Severity != finding.Info {
		t.Fatalf("want 2 firmware endpoints contacted:\n%s", dump(fs))
	}
}

func TestEndpointsFirmwareOnly(t *testing.T) {
	d := New(Options{FirmwareEndpoints: []string{"api.vendor.example.com", "203.0.113.200"}})
	endpointCapture().feed(d, "test.pcap")
	fs := d.Finish()
	nf := byRule(fs, RuleNotInFirmware)
	if len(nf) != 2 {
		t.Fatalf("want c2 and the bare address:\n%s", dump(fs))
	}
	s := d.Summary()
	if len(s.FirmwareSeen) != 1 || len(s.FirmwareUnseen) != 1 || s.FirmwareUnseen[0] != "203.0.113.200" {
		t.Errorf("summary firmware cross-check: %+v %+v", s.FirmwareSeen, s.FirmwareUnseen)
	}
}

// Without an allowlist or firmware endpoints there is nothing to compare.
func TestEndpointsNothingToCompare(t *testing.T) {
	fs := run(t, endpointCapture(), Options{})
	for _, r := range []string{RuleNotAllowed, RuleNotInFirmware, RuleFirmwareSeen} {
		if len(byRule(fs, r)) != 0 {
			t.Fatalf("%s without lists:\n%s", r, dump(fs))
		}
	}
}

// An attacker's name resolving to the vendor's CDN address does not ride on
// the vendor's allowlist entry.
func TestAllowSharedAddress(t *testing.T) {
	a := mustAllow(t, ".vendor.example.com\n203.0.113.0/28\n2001:db8::1\n")
	if !a.Allows(vendor, []string{"cdn.vendor.example.com"}) || a.Allows(vendor, []string{"cdn.vendor.example.com", "evil.example.net"}) {
		t.Error("names decide")
	}
	if !a.Allows(mustAddr("203.0.113.5"), nil) || a.Allows(mustAddr("203.0.113.17"), nil) || !a.AllowsAddr(mustAddr("2001:db8::1")) {
		t.Error("addresses decide")
	}
	if !a.AllowsName("vendor.example.com") || a.AllowsName("evilvendor.example.com") {
		t.Error("suffix matching")
	}
}

func TestParseAllowlistErrors(t *testing.T) {
	for _, in := range []string{"ok.example.com\nbad host!\n", "# c\n\n10.0.0.0/33\n", "*.203.0.113.1\n"} {
		_, err := ParseAllowlist(strings.NewReader(in))
		if err == nil || !strings.Contains(err.Error(), "line ") {
			t.Errorf("%q: error %v, want one naming the line", in, err)
		}
	}
	a, err := ParseAllowlist(strings.NewReader("https://update.example.com:8443/fw  # url\n[2001:db8::2]:443\n"))
	if err != nil || !a.AllowsName("update.example.com") || !a.AllowsAddr(mustAddr("2001:db8::2")) {
		t.Errorf("urls: %v", err)
	}
}
