package capture_test

import (
	"bytes"
	"context"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/doorman-sec/doorman/traffic/capture"
	"github.com/doorman-sec/doorman/traffic/event"
	"github.com/doorman-sec/doorman/traffic/pcaptest"
)

// recorder keeps copies of every event.
type recorder struct {
	pkts  []event.Packet
	dns   []event.DNS
	conns []event.Conn
}

func (r *recorder) Packet(p *event.Packet) {
	c := *p
	c.Payload = bytes.Clone(p.Payload)
	r.pkts = append(r.pkts, c)
}
func (r *recorder) DNS(d *event.DNS)   { r.dns = append(r.dns, *d) }
func (r *recorder) Conn(c *event.Conn) { r.conns = append(r.conns, *c) }

// discardSink drops everything (fuzzing, benchmarks).
type discardSink struct{ n int }

func (s *discardSink) Packet(p *event.Packet) { s.n += len(p.Payload) }
func (s *discardSink) DNS(*event.DNS)         {}
func (s *discardSink) Conn(*event.Conn)       {}

func read(t testing.TB, data []byte) (*recorder, capture.Stats, error) {
	t.Helper()
	r := &recorder{}
	st, err := capture.Read(context.Background(), "test.pcap", bytes.NewReader(data), r, capture.Options{})
	return r, st, err
}

var t0 = time.Date(2024, 3, 1, 12, 0, 0, 123456789, time.UTC)

// hosts are documentation addresses, IPv4 or IPv6.
type hosts struct{ client, server, dnsServer, ntp netip.Addr }

var v4hosts = hosts{
	netip.MustParseAddr("192.0.2.10"), netip.MustParseAddr("198.51.100.20"),
	netip.MustParseAddr("192.0.2.53"), netip.MustParseAddr("203.0.113.123"),
}

var v6hosts = hosts{
	netip.MustParseAddr("2001:db8::10"), netip.MustParseAddr("2001:db8:1::20"),
	netip.MustParseAddr("2001:db8::53"), netip.MustParseAddr("2001:db8:2::123"),
}

// scenario writes a little of everything and returns what Read must emit.
func scenario(w *pcaptest.Writer, h hosts) ([]event.Packet, []event.DNS) {
	var pkts []event.Packet
	var dnss []event.DNS
	ipHdr := 20
	icmp := event.ICMP
	var echoType uint8 = 8
	if h.client.Is6() {
		ipHdr, icmp, echoType = 40, event.ICMPv6, 128
	}
	tm := t0
	next := func() time.Time { tm = tm.Add(1500 * time.Microsecond); return tm }
	pkt := func(t time.Time, src, dst netip.Addr, proto uint8, sp, dp uint16, flags uint8, hdr int, payload string) {
		pkts = append(pkts, event.Packet{Time: t, Src: src, Dst: dst, Proto: proto, SrcPort: sp, DstPort: dp,
			Length: ipHdr + hdr + len(payload), PayloadLen: len(payload), Payload: []byte(payload), TCPFlags: flags})
	}
	cl := netip.AddrPortFrom(h.client, 53000)
	ns := netip.AddrPortFrom(h.dnsServer, 53)

	t := next()
	w.DNSQuery(t, cl, ns, 0x1234, "Beacon.Example.com", 1)
	q := pcaptest.DNSWire(0x1234, "Beacon.Example.com", 1, false)
	pkt(t, h.client, h.dnsServer, event.UDP, 53000, 53, 0, 8, string(q))
	dnss = append(dnss, event.DNS{Time: t, Client: h.client, Server: h.dnsServer, ID: 0x1234, Name: "beacon.example.com", QType: 1})

	t = next()
	w.DNSResponse(t, cl, ns, 0x1234, "Beacon.Example.com", 1, "192.0.2.100", "192.0.2.101")
	a := pcaptest.DNSWire(0x1234, "Beacon.Example.com", 1, true, "192.0.2.100", "192.0.2.101")
	pkt(t, h.dnsServer, h.client, event.UDP, 53, 53000, 0, 8, string(a))
	dnss = append(dnss, event.DNS{Time: t, Client: h.client, Server: h.dnsServer, ID: 0x1234, Response: true,
		Name: "beacon.example.com", QType: 1, Answers: []string{"192.0.2.100", "192.0.2.101"}})

	t = next()
	ntp := strings.Repeat("\x1b", 48)
	w.UDP(t, netip.AddrPortFrom(h.client, 123), netip.AddrPortFrom(h.ntp, 123), []byte(ntp))
	pkt(t, h.client, h.ntp, event.UDP, 123, 123, 0, 8, ntp)

	t = next()
	req := "GET /cmd HTTP/1.1\r\nHost: c2.example.com\r\n\r\n"
	resp := "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
	c, s := netip.AddrPortFrom(h.client, 40000), netip.AddrPortFrom(h.server, 80)
	end := w.TCPSession(t, c, s, [][]byte{[]byte(req)}, [][]byte{[]byte(resp)})
	steps := []struct {
		up      bool
		flags   uint8
		payload string
	}{{true, event.SYN, ""}, {false, event.SYN | event.ACK, ""}, {true, event.ACK, ""},
		{true, event.PSH | event.ACK, req}, {false, event.PSH | event.ACK, resp},
		{true, event.FIN | event.ACK, ""}, {false, event.FIN | event.ACK, ""}, {true, event.ACK, ""}}
	for i, st := range steps {
		ts := t.Add(time.Duration(i) * time.Millisecond)
		if st.up {
			pkt(ts, h.client, h.server, event.TCP, 40000, 80, st.flags, 20, st.payload)
		} else {
			pkt(ts, h.server, h.client, event.TCP, 80, 40000, st.flags, 20, st.payload)
		}
	}
	tm = end

	t = next()
	w.ICMPEcho(t, h.client, h.server, 7, 1, []byte("ping-payload"))
	pkt(t, h.client, h.server, icmp, 0, 0, 0, 8, "ping-payload")
	pkts[len(pkts)-1].ICMPType = echoType
	return pkts, dnss
}

// check compares events, allowing for the capture's time resolution.
func check(t *testing.T, got *recorder, pkts []event.Packet, dnss []event.DNS, res time.Duration) {
	t.Helper()
	if len(got.pkts) != len(pkts) {
		t.Fatalf("got %d packets, want %d", len(got.pkts), len(pkts))
	}
	for i, w := range pkts {
		g := got.pkts[i]
		w.Time = w.Time.Truncate(res)
		if !g.Time.Equal(w.Time) {
			t.Errorf("packet %d: time %v, want %v", i, g.Time.UTC(), w.Time)
		}
		g.Time, w.Time = time.Time{}, time.Time{}
		if s1, s2 := fmt.Sprintf("%+v", g), fmt.Sprintf("%+v", w); s1 != s2 {
			t.Errorf("packet %d:\n got %s\nwant %s", i, s1, s2)
		}
	}
	if len(got.dns) != len(dnss) {
		t.Fatalf("got %d DNS events, want %d: %+v", len(got.dns), len(dnss), got.dns)
	}
	for i, w := range dnss {
		g := got.dns[i]
		w.Time = w.Time.Truncate(res)
		if !g.Time.Equal(w.Time) {
			t.Errorf("dns %d: time %v, want %v", i, g.Time, w.Time)
		}
		g.Time, w.Time = time.Time{}, time.Time{}
		if s1, s2 := fmt.Sprintf("%+v", g), fmt.Sprintf("%+v", w); s1 != s2 {
			t.Errorf("dns %d:\n got %s\nwant %s", i, s1, s2)
		}
	}
}
