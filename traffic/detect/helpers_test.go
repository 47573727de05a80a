package detect

import (
	"fmt"
	"math/rand"
	"net/netip"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/traffic/event"
)

// t0 is the start of every synthetic capture.
var t0 = time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC)

var (
	camera   = netip.MustParseAddr("192.168.1.20")
	phone    = netip.MustParseAddr("192.168.1.50")
	resolver = netip.MustParseAddr("192.168.1.1")
	c2       = netip.MustParseAddr("203.0.113.7")
	vendor   = netip.MustParseAddr("198.51.100.10")
	attacker = netip.MustParseAddr("198.51.100.66")
)

// cap is a capture being built: a time-ordered list of events fed to a
// detector at the end (events may be produced out of order by the helpers
// and are sorted first).
type capture struct {
	evs   []timed
	sport uint16
}

type timed struct {
	t time.Time
	n int // insertion order, to keep ties stable
	p *event.Packet
	q *event.DNS
	c *event.Conn
}

func newCapture() *capture { return &capture{sport: 40000} }

func (c *capture) add(e timed) {
	e.n = len(c.evs)
	c.evs = append(c.evs, e)
}

func (c *capture) pkt(t time.Time, proto uint8, src netip.Addr, sp uint16, dst netip.Addr, dp uint16, flags uint8, payload []byte, plen int) {
	if plen < len(payload) {
		plen = len(payload)
	}
	c.add(timed{t: t, p: &event.Packet{Time: t, Src: src, Dst: dst, Proto: proto, SrcPort: sp, DstPort: dp,
		Length: 40 + plen, PayloadLen: plen, Payload: payload, TCPFlags: flags}})
}

func (c *capture) nextPort() uint16 {
	c.sport++
	if c.sport < 40000 {
		c.sport = 40000
	}
	return c.sport
}

// tcp adds a whole TCP connection: handshake, out bytes from the client,
// in bytes back, FIN.
func (c *capture) tcp(t time.Time, cl netip.Addr, srv netip.Addr, dport uint16, out, in int, d time.Duration) {
	sp := c.nextPort()
	c.pkt(t, event.TCP, cl, sp, srv, dport, event.SYN, nil, 0)
	c.pkt(t.Add(20*time.Millisecond), event.TCP, srv, dport, cl, sp, event.SYN|event.ACK, nil, 0)
	c.pkt(t.Add(40*time.Millisecond), event.TCP, cl, sp, srv, dport, event.ACK|event.PSH, nil, out)
	if in > 0 {
		c.pkt(t.Add(d/2+60*time.Millisecond), event.TCP, srv, dport, cl, sp, event.ACK|event.PSH, nil, in)
	}
	c.pkt(t.Add(d+80*time.Millisecond), event.TCP, cl, sp, srv, dport, event.FIN|event.ACK, nil, 0)
	c.pkt(t.Add(d+100*time.Millisecond), event.TCP, srv, dport, cl, sp, event.FIN|event.ACK, nil, 0)
}

// udp adds a request and (when in > 0) a reply.
func (c *capture) udp(t time.Time, cl netip.Addr, sp uint16, srv netip.Addr, dport uint16, out, in int) {
	c.pkt(t, event.UDP, cl, sp, srv, dport, 0, nil, out)
	if in > 0 {
		c.pkt(t.Add(15*time.Millisecond), event.UDP, srv, dport, cl, sp, 0, nil, in)
	}
}

// lookup adds a DNS query and its answer, as the readers emit them: the
// packets and the DNS events.
func (c *capture) lookup(t time.Time, cl netip.Addr, name string, qtype uint16, answers ...string) {
	sp := c.nextPort()
	c.udp(t, cl, sp, resolver, 53, 30+len(name), 60+len(name))
	c.add(timed{t: t, q: &event.DNS{Time: t, Client: cl, Server: resolver, Name: name, QType: qtype}})
	c.add(timed{t: t.Add(15 * time.Millisecond), q: &event.DNS{Time: t.Add(15 * time.Millisecond), Client: cl, Server: resolver, Name: name, QType: qtype, Response: true, Answers: answers}})
}

func (c *capture) conn(rec event.Conn) { c.add(timed{t: rec.Start, c: &rec}) }

// feed sorts the events by time and sends them to d under a source name.
func (c *capture) feed(d *Detector, source string) {
	evs := append([]timed(nil), c.evs...)
	sortTimed(evs)
	d.SetSource(source)
	for _, e := range evs {
		switch {
		case e.p != nil:
			p := *e.p
			// The reader reuses its buffer: hand over a copy and scribble
			// on it afterwards, so a detector keeping Payload would fail.
			buf := append([]byte(nil), p.Payload...)
			p.Payload = buf
			d.Packet(&p)
			for i := range buf {
				buf[i] = 0xAA
			}
		case e.q != nil:
			q := *e.q
			d.DNS(&q)
		case e.c != nil:
			cc := *e.c
			d.Conn(&cc)
		}
	}
}

func sortTimed(evs []timed) {
	// insertion order breaks ties, so the result is deterministic
	sort.Slice(evs, func(i, j int) bool {
		if !evs[i].t.Equal(evs[j].t) {
			return evs[i].t.Before(evs[j].t)
		}
		return evs[i].n < evs[j].n
	})
}

// run feeds a capture to a new detector and returns its findings.
func run(t testing.TB, c *capture, opts Options) []finding.Finding {
	t.Helper()
	d := New(opts)
	c.feed(d, "test.pcap")
	fs := d.Finish()
	for _, f := range fs {
		if f.ID == "" || !f.Category.Valid() || f.Severity == 0 || f.Location.Path != "test.pcap" || f.Evidence == "" || f.Title == "" {
			t.Errorf("malformed finding %+v", f)
		}
	}
	return fs
}

func byRule(fs []finding.Finding, rule string) []finding.Finding {
	var out []finding.Finding
	for _, f := range fs {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

func dump(fs []finding.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %s %s %s: %s\n    %s\n", f.Rule, f.Severity, f.Confidence, f.Message, f.Evidence)
	}
	return b.String()
}

// atMost fails when a finding of rule has a severity above max.
func atMost(t *testing.T, fs []finding.Finding, rule string, max finding.Severity) {
	t.Helper()
	for _, f := range byRule(fs, rule) {
		if f.Severity > max {
			t.Errorf("%s at %s, want at most %s:\n%s", rule, f.Severity, max, dump(fs))
		}
	}
}

func mustAllow(t testing.TB, s string) *Allowlist {
	t.Helper()
	a, err := ParseAllowlist(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// jitter returns d varied by up to ±frac, from a seeded source.
func jitter(r *rand.Rand, d time.Duration, frac float64) time.Duration {
	return time.Duration(float64(d) * (1 + frac*(2*r.Float64()-1)))
}

func mustAddr(s string) netip.Addr { return netip.MustParseAddr(s) }

func mustPrefixes(ss ...string) []netip.Prefix {
	var out []netip.Prefix
	for _, s := range ss {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}
