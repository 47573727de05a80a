package detect

import (
	"math/rand"
	"testing"
	"time"

	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/traffic/event"
)

// A camera calling c2.example.com every 5 minutes with ±5 % jitter and a
// constant small check-in, over 2 hours: high.
func TestBeaconRegularHTTPS(t *testing.T) {
	c := newCapture()
	r := rand.New(rand.NewSource(1))
	c.lookup(t0, camera, "c2.example.com", 1, c2.String())
	at := t0.Add(time.Second)
	for at.Before(t0.Add(2 * time.Hour)) {
		c.tcp(at, camera, c2, 443, 310+r.Intn(8), 120, 300*time.Millisecond)
		at = at.Add(jitter(r, 5*time.Minute, 0.05))
	}
	// The vendor's cloud is what the device should reach; c2 is not.
	fs := run(t, c, Options{Allow: mustAllow(t, ".vendor.example\n")})
	b := byRule(fs, RuleBeacon)
	if len(b) != 1 || b[0].Severity != finding.High || b[0].Category != finding.NetworkBeacon {
		t.Fatalf("want one high beacon:\n%s", dump(fs))
	}
	// Without an allowlist or firmware endpoints nothing says c2 is
	// unexpected: the same beacon is medium, and says why.
	fs = run(t, c, Options{})
	if b := byRule(fs, RuleBeacon); len(b) != 1 || b[0].Severity != finding.Medium || !contains(b[0].Message, "--allow") {
		t.Fatalf("want a medium beacon without expectations:\n%s", dump(fs))
	}
	// With firmware endpoints that do not name c2, high again.
	fs = run(t, c, Options{FirmwareEndpoints: []string{"https://cloud.vendor.example/api"}})
	if b := byRule(fs, RuleBeacon); len(b) != 1 || b[0].Severity != finding.High {
		t.Fatalf("want a high beacon to an endpoint the firmware does not name:\n%s", dump(fs))
	}
	if want := "c2.example.com (203.0.113.7)"; !contains(b[0].Message, want) {
		t.Errorf("message %q does not name %q", b[0].Message, want)
	}
}

// A UDP beacon that keeps its source port still yields one connection
// per check-in; a 400-byte payload on port 123 is not NTP.
func TestBeaconFakeNTP(t *testing.T) {
	c := newCapture()
	for i := 0; i < 40; i++ {
		c.udp(t0.Add(time.Duration(i)*90*time.Second), camera, 123, c2, 123, 400, 400)
	}
	fs := run(t, c, Options{Allow: mustAllow(t, "pool.ntp.org\n")})
	if b := byRule(fs, RuleBeacon); len(b) != 1 || b[0].Severity != finding.High {
		t.Fatalf("want a high beacon on fake NTP:\n%s", dump(fs))
	}
}

// Real NTP: 48-byte packets to a pool server, poll interval growing from
// 64 s to 1024 s and then steady: time keeping, not reported.
func TestBeaconNearMissNTP(t *testing.T) {
	c := newCapture()
	ntp := vendor
	at, poll := t0, 64*time.Second
	for at.Before(t0.Add(8 * time.Hour)) {
		c.udp(at, camera, 123, ntp, 123, 48, 48)
		at = at.Add(poll)
		if poll < 1024*time.Second {
			poll *= 2
		}
	}
	fs := run(t, c, Options{})
	if b := byRule(fs, RuleBeacon); len(b) != 0 {
		t.Fatalf("NTP reported as a beacon:\n%s", dump(fs))
	}
}

// The same regular check as the positive test, to an allowlisted vendor
// domain: not reported.
func TestBeaconNearMissAllowlisted(t *testing.T) {
	c := newCapture()
	c.lookup(t0, camera, "update.vendor.example.com", 1, vendor.String())
	for i := 0; i < 30; i++ {
		c.tcp(t0.Add(time.Second+time.Duration(i)*5*time.Minute), camera, vendor, 443, 512, 2048, time.Second)
	}
	fs := run(t, c, Options{Allow: mustAllow(t, "*.vendor.example.com\n")})
	if b := byRule(fs, RuleBeacon); len(b) != 0 {
		t.Fatalf("allowlisted update check reported:\n%s", dump(fs))
	}
}

// Browsing: connections at random (exponential) intervals with sizes all
// over the place, to one CDN address: stays below high (in practice, not
// reported at all).
func TestBeaconNearMissBrowsing(t *testing.T) {
	c := newCapture()
	r := rand.New(rand.NewSource(7))
	at := t0
	for i := 0; i < 200; i++ {
		c.tcp(at, phone, vendor, 443, 200+r.Intn(5000), 1000+r.Intn(400000), time.Duration(r.Intn(5000))*time.Millisecond)
		at = at.Add(time.Duration(r.ExpFloat64() * float64(40*time.Second)))
	}
	fs := run(t, c, Options{})
	atMost(t, fs, RuleBeacon, finding.Low)
}

// DNS lookups of varied names every minute, mDNS and SSDP announcements
// every 30 s: chatter, not beacons.
func TestBeaconNearMissChatter(t *testing.T) {
	c := newCapture()
	mdns, ssdp := mustAddr("224.0.0.251"), mustAddr("239.255.255.250")
	for i := 0; i < 120; i++ {
		at := t0.Add(time.Duration(i) * time.Minute)
		c.lookup(at, camera, "time.example.com", 1, vendor.String())
		c.udp(at.Add(time.Second), camera, 5353, mdns, 5353, 120, 0)
		c.udp(at.Add(2*time.Second), camera, 1900, ssdp, 1900, 300, 0)
		c.udp(at.Add(31*time.Second), camera, 5353, mdns, 5353, 120, 0)
		c.udp(at.Add(3*time.Second), camera, 68, mustAddr("255.255.255.255"), 67, 300, 0)
	}
	fs := run(t, c, Options{})
	if b := byRule(fs, RuleBeacon); len(b) != 0 {
		t.Fatalf("chatter reported as a beacon:\n%s", dump(fs))
	}
}

// One TLS session held open for the whole capture: a long connection.
func TestLongConnection(t *testing.T) {
	c := newCapture()
	sp := uint16(50000)
	c.pkt(t0, event.TCP, camera, sp, c2, 8883, event.SYN, nil, 0)
	c.pkt(t0.Add(time.Millisecond), event.TCP, c2, 8883, camera, sp, event.SYN|event.ACK, nil, 0)
	for i := 0; i < 120; i++ {
		at := t0.Add(time.Duration(i) * 25 * time.Second)
		c.pkt(at.Add(time.Second), event.TCP, camera, sp, c2, 8883, event.ACK|event.PSH, nil, 2)
		c.pkt(at.Add(time.Second+30*time.Millisecond), event.TCP, c2, 8883, camera, sp, event.ACK|event.PSH, nil, 2)
		// other traffic in the capture
		c.lookup(at.Add(3*time.Second), camera, "example.com", 1, vendor.String())
	}
	fs := run(t, c, Options{})
	if l := byRule(fs, RuleLongConn); len(l) != 1 || l[0].Severity != finding.Medium {
		t.Fatalf("want a long-connection finding:\n%s", dump(fs))
	}
}

func TestScoreSeries(t *testing.T) {
	mk := func(gaps []time.Duration, size int64) []conn {
		at := t0
		var s []conn
		for _, g := range gaps {
			s = append(s, conn{start: at, out: size})
			at = at.Add(g)
		}
		return s
	}
	reg := make([]time.Duration, 20)
	for i := range reg {
		reg[i] = time.Minute
	}
	b, ok := scoreSeries(mk(reg, 100), 20*time.Minute)
	if !ok || b.score < 0.95 || b.madm != 0 || b.skew != 0 {
		t.Errorf("perfect series: %+v", b)
	}
	if _, ok := scoreSeries(mk(reg[:4], 100), time.Hour); ok {
		t.Error("4 connections scored")
	}
	burst := make([]time.Duration, 20)
	for i := range burst {
		burst[i] = 100 * time.Millisecond
	}
	if _, ok := scoreSeries(mk(burst, 100), time.Hour); ok {
		t.Error("a burst scored")
	}
}

func contains(s, sub string) bool { return len(sub) == 0 || len(s) >= len(sub) && indexOf(s, sub) >= 0 }

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}
