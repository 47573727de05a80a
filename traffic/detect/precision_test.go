package detect

import (
	"fmt"
	"math/rand"
	"reflect"
	"testing"
	"time"

	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/traffic/event"
)

// cleanMix is a day of a home network with nothing wrong in it: a camera
// keeping time, looking names up, checking for updates and sending
// telemetry to its allowlisted vendor, announcing itself over mDNS and
// SSDP, renewing its DHCP lease, answering its web UI and pings; a phone
// browsing irregularly, streaming, and pinging.
func cleanMix(hours int, seed int64) *capture {
	c := newCapture()
	r := rand.New(rand.NewSource(seed))
	end := t0.Add(time.Duration(hours) * time.Hour)
	mdns, ssdp := mustAddr("224.0.0.251"), mustAddr("239.255.255.250")
	ntp := mustAddr("198.51.100.123")
	cdns := []string{"www.example.com", "static.example.com", "news.example.org", "img.example.net", "api.example.org", "video.example.net"}
	cdnAddr := func(i int) string { return fmt.Sprintf("203.0.113.%d", 100+i) }

	// NTP: poll interval growing to 1024 s.
	for at, poll := t0, 64*time.Second; at.Before(end); at = at.Add(poll) {
		c.udp(at, camera, 123, ntp, 123, 48, 48)
		if poll < 1024*time.Second {
			poll *= 2
		}
	}
	// Hourly update check and 10-minute telemetry to the vendor, by name.
	for at := t0.Add(5 * time.Second); at.Before(end); at = at.Add(time.Hour) {
		c.lookup(at, camera, "update.vendor.example.com", 1, vendor.String())
		c.tcp(at.Add(20*time.Millisecond), camera, vendor, 443, 900, 4000, 2*time.Second)
	}
	for at := t0.Add(17 * time.Second); at.Before(end); at = at.Add(jitter(r, 10*time.Minute, 0.02)) {
		c.lookup(at, camera, "telemetry.vendor.example.com", 1, "198.51.100.11")
		c.tcp(at.Add(20*time.Millisecond), camera, mustAddr("198.51.100.11"), 443, 1400+r.Intn(50), 300, time.Second)
	}
	// mDNS, SSDP, DHCP.
	for at := t0; at.Before(end); at = at.Add(jitter(r, 2*time.Minute, 0.1)) {
		c.udp(at, camera, 5353, mdns, 5353, 200, 0)
		c.add(timed{t: at, q: &event.DNS{Time: at, Client: camera, Server: mdns, Name: "_http._tcp.local", QType: 12}})
		c.udp(at.Add(time.Second), camera, 1900, ssdp, 1900, 320, 0)
		c.udp(at.Add(2*time.Second), phone, 50000, ssdp, 1900, 130, 0)
		c.udp(at.Add(2*time.Second+30*time.Millisecond), camera, 1900, phone, 50000, 300, 0)
	}
	for at := t0; at.Before(end); at = at.Add(4 * time.Hour) {
		c.udp(at, mustAddr("0.0.0.0"), 68, mustAddr("255.255.255.255"), 67, 300, 0)
		c.udp(at.Add(time.Second), camera, 68, resolver, 67, 300, 300)
	}
	// Phone: browsing sessions at random, each a burst of lookups and
	// connections of all sizes; the camera's web UI now and then; pings.
	for at := t0.Add(3 * time.Minute); at.Before(end); at = at.Add(time.Duration(r.ExpFloat64() * float64(20*time.Minute))) {
		n := 1 + r.Intn(8)
		for k := 0; k < n; k++ {
			i := r.Intn(len(cdns))
			when := at.Add(time.Duration(r.Intn(60000)) * time.Millisecond)
			c.lookup(when, phone, cdns[i], 1, cdnAddr(i))
			c.tcp(when.Add(30*time.Millisecond), phone, mustAddr(cdnAddr(i)), 443, 300+r.Intn(3000), 2000+r.Intn(2<<20), time.Duration(r.Intn(20000))*time.Millisecond)
		}
		if r.Intn(4) == 0 {
			c.tcp(at.Add(90*time.Second), phone, camera, 80, 500, 20000+r.Intn(9000), 2*time.Second)
			p := linuxPing(r.Intn(100))
			echo(c, at.Add(95*time.Second), phone, camera, 8, p)
			echo(c, at.Add(95*time.Second+time.Millisecond), camera, phone, 0, p)
		}
	}
	return c
}

var cleanAllow = "# the vendor's cloud\n.vendor.example.com\n"

func TestPrecisionCleanMix(t *testing.T) {
	c := cleanMix(24, 42)
	fs := run(t, c, Options{
		Allow:             mustAllow(t, cleanAllow),
		FirmwareEndpoints: []string{"https://update.vendor.example.com/fw", "telemetry.vendor.example.com", "pool.ntp.example.org"},
	})
	for _, f := range fs {
		if f.Severity >= finding.High {
			t.Errorf("clean mix gave %s %s: %s\n  %s", f.Severity, f.Rule, f.Message, f.Evidence)
		}
	}
	t.Logf("%d events, findings below high:\n%s", len(c.evs), dump(fs))
}

func TestDeterminism(t *testing.T) {
	c := cleanMix(6, 9)
	at := t0.Add(time.Hour)
	c.pkt(at, event.UDP, attacker, 5555, camera, 31337, 0, []byte("wake up"), 0)
	c.tcp(at.Add(time.Second), camera, attacker, 4444, 100<<10, 100, 10*time.Second)
	for i := 0; i < 30; i++ {
		c.tcp(t0.Add(time.Duration(i)*5*time.Minute+time.Second), camera, c2, 443, 300, 100, time.Second)
	}
	opts := Options{Allow: mustAllow(t, cleanAllow), FirmwareEndpoints: []string{"update.vendor.example.com"}}
	a, b := run(t, c, opts), run(t, c, opts)
	if len(a) == 0 || !reflect.DeepEqual(a, b) {
		t.Fatalf("runs differ or are empty:\n%s---\n%s", dump(a), dump(b))
	}
	d1, d2 := New(opts), New(opts)
	c.feed(d1, "x.pcap")
	c.feed(d2, "x.pcap")
	d1.Finish()
	d2.Finish()
	if !reflect.DeepEqual(d1.Summary(), d2.Summary()) {
		t.Fatal("summaries differ")
	}
}
