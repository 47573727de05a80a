package detect

import (
	"encoding/base32"
	"fmt"
	"math/rand"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/traffic/event"
)

// An iodine/dnscat-like tunnel: 200 TXT queries whose names carry base32
// chunks of data under one domain.
func TestDNSTunnel(t *testing.T) {
	c := newCapture()
	r := rand.New(rand.NewSource(3))
	enc := base32.StdEncoding.WithPadding(base32.NoPadding)
	for i := 0; i < 200; i++ {
		chunk := make([]byte, 30)
		r.Read(chunk)
		label := strings.ToLower(enc.EncodeToString(chunk))
		name := fmt.Sprintf("%s.%d.t.tunnel.invalid", label, i)
		c.lookup(t0.Add(time.Duration(i)*700*time.Millisecond), camera, name, 16, "ok")
	}
	fs := run(t, c, Options{})
	d := byRule(fs, RuleDNSTunnel)
	if len(d) != 1 || d[0].Severity != finding.High || d[0].Category != finding.CovertChannel || !contains(d[0].Message, "tunnel.invalid") {
		t.Fatalf("want one high DNS tunnel under tunnel.invalid:\n%s", dump(fs))
	}
}

// CDN and cloud names, a few long names asked over and over, mDNS and
// reverse lookups: no tunnel.
func TestDNSTunnelNearMiss(t *testing.T) {
	c := newCapture()
	long := []string{
		"my-loadbalancer-1234567890.us-west-2.elb.example.com",
		"r3---sn-4g5edndz.googlevideo.example.com",
		"d1a2b3c4d5e6f7.cloudfront.example.net",
	}
	for i := 0; i < 300; i++ {
		at := t0.Add(time.Duration(i) * 10 * time.Second)
		c.lookup(at, phone, long[i%len(long)], 1, vendor.String())
		c.lookup(at.Add(time.Second), phone, fmt.Sprintf("img%d.static.example.com", i%7), 1, vendor.String())
		c.add(timed{t: at.Add(2 * time.Second), q: &event.DNS{Time: at.Add(2 * time.Second), Client: camera, Server: mustAddr("224.0.0.251"),
			Name: fmt.Sprintf("camera-%08x-long-service-instance._http._tcp.local", i), QType: 16}})
		c.lookup(at.Add(3*time.Second), phone, fmt.Sprintf("%d.%d.113.203.in-addr.arpa", i%256, i/256), 12)
	}
	fs := run(t, c, Options{})
	if d := byRule(fs, RuleDNSTunnel); len(d) != 0 {
		t.Fatalf("false DNS tunnel:\n%s", dump(fs))
	}
}

func TestRegisteredDomain(t *testing.T) {
	for in, want := range map[string]string{
		"a.b.example.com":   "example.com",
		"example.com":       "example.com",
		"x.y.example.co.uk": "example.co.uk",
		"q.tunnel.invalid":  "tunnel.invalid",
	} {
		if got := registeredDomain(in); got != want {
			t.Errorf("registeredDomain(%q) = %q, want %q", in, got, want)
		}
	}
}

func linuxPing(seq int) []byte {
	b := make([]byte, 56)
	for i := 0; i < 16; i++ { // struct timeval
		b[i] = byte(seq*7 + i*13)
	}
	for i := 16; i < 56; i++ {
		b[i] = byte(i)
	}
	return b
}

func echo(c *capture, at time.Time, src, dst netip.Addr, typ uint8, payload []byte) {
	c.add(timed{t: at, p: &event.Packet{Time: at, Src: src, Dst: dst, Proto: event.ICMP, ICMPType: typ,
		Length: 28 + len(payload), PayloadLen: len(payload), Payload: payload}})
}

// A shell over ICMP: echo requests carrying commands, replies carrying
// output.
func TestICMPTunnel(t *testing.T) {
	c := newCapture()
	for i := 0; i < 20; i++ {
		at := t0.Add(time.Duration(i) * 2 * time.Second)
		echo(c, at, attacker, camera, 8, []byte(fmt.Sprintf("cmd:%d:cat /etc/shadow | head -n %d", i, i)))
		echo(c, at.Add(10*time.Millisecond), camera, attacker, 0, []byte(fmt.Sprintf("root:$1$abcdefgh$%032d:19000:0:99999:7:::", i)))
	}
	fs := run(t, c, Options{})
	d := byRule(fs, RuleICMPPayload)
	if len(d) != 1 || d[0].Severity != finding.High {
		t.Fatalf("want a high ICMP payload finding:\n%s", dump(fs))
	}
}

// Linux, Windows, BusyBox and ping -p payloads, requests and replies, a
// few hundred of them: standard.
func TestICMPNearMissPing(t *testing.T) {
	c := newCapture()
	win := []byte("abcdefghijklmnopqrstuvwabcdefghi")
	pat := []byte(strings.Repeat("\xde\xad\xbe\xef", 14))
	for i := 0; i < 100; i++ {
		at := t0.Add(time.Duration(i) * time.Second)
		for j, p := range [][]byte{linuxPing(i), win, make([]byte, 56), pat, append([]byte{0, 1, 0, byte(i)}, linuxPing(i)...)} {
			peer := mustAddr(fmt.Sprintf("198.51.100.%d", 100+j))
			echo(c, at, camera, peer, 8, p)
			echo(c, at.Add(5*time.Millisecond), peer, camera, 0, p)
		}
	}
	fs := run(t, c, Options{})
	if d := byRule(fs, RuleICMPPayload); len(d) != 0 {
		t.Fatalf("standard pings reported:\n%s", dump(fs))
	}
}
