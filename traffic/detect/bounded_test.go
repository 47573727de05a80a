package detect

import (
	"net/netip"
	"runtime"
	"testing"
	"time"

	"github.com/doorman-sec/doorman/traffic/event"
)

// A million distinct flows (a port scan from spoofed sources) through a
// detector whose table holds 1024: the table stays at its bound, the
// evictions are counted and memory stays flat.
func TestBoundedFlowTable(t *testing.T) {
	if testing.Short() {
		t.Skip("a million packets")
	}
	d := New(Options{MaxFlows: 1024})
	d.SetSource("scan.pcap")
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	p := event.Packet{Proto: event.TCP, TCPFlags: event.SYN, Length: 40}
	for i := 0; i < 1_000_000; i++ {
		p.Time = t0.Add(time.Duration(i) * time.Microsecond)
		p.Src = netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)})
		p.Dst = netip.AddrFrom4([4]byte{203, 0, 113, byte(i)})
		p.SrcPort, p.DstPort = uint16(i), uint16(i>>3)
		d.Packet(&p)
		if n := d.st.flows.Len(); n > 1024 {
			t.Fatalf("flow table at %d", n)
		}
	}
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grown := int64(after.HeapAlloc) - int64(before.HeapAlloc); grown > 256<<20 {
		t.Errorf("heap grew by %d MiB", grown>>20)
	}
	d.Finish()
	s := d.Summary()
	if s.FlowsEvicted != 1_000_000-1024 || s.Packets != 1_000_000 {
		t.Errorf("summary: %d evicted, %d packets", s.FlowsEvicted, s.Packets)
	}
	for _, tb := range []int{d.st.pairs.Len(), d.st.devices.Len(), d.st.hosts.Len()} {
		if tb > d.lim.pairs {
			t.Errorf("a table holds %d entries", tb)
		}
	}
}

func TestLRU(t *testing.T) {
	var gone []int
	l := newLRU[int, string](2)
	l.onEvict = func(k int, _ *string) { gone = append(gone, k) }
	*l.Put(1) = "a"
	*l.Put(2) = "b"
	l.Get(1)
	*l.Put(3) = "c"
	if _, ok := l.Peek(2); ok || len(gone) != 1 || gone[0] != 2 || l.Len() != 2 {
		t.Fatalf("evicted %v", gone)
	}
	l.Delete(1)
	l.Delete(3)
	if l.Len() != 0 || l.head != nil || l.tail != nil {
		t.Fatal("not empty")
	}
}

// Hostile and degenerate events never panic: zero times, invalid and
// mixed-family addresses, lengths that lie, nil payloads, unknown
// protocols, events after Finish.
func TestHostileEvents(t *testing.T) {
	d := New(Options{MaxFlows: 4})
	d.SetSource("bad.pcap")
	v6 := netip.MustParseAddr("2001:db8::1")
	mapped := netip.MustParseAddr("::ffff:192.168.1.20")
	evs := []event.Packet{
		{},
		{Src: camera},
		{Src: camera, Dst: v6, Proto: event.TCP, PayloadLen: -5, Length: -1},
		{Src: mapped, Dst: c2, Proto: event.UDP, PayloadLen: 1 << 30, Payload: []byte{0xff}},
		{Src: camera, Dst: camera, Proto: event.TCP, SrcPort: 23, DstPort: 23, Payload: []byte("\xff\xfa\xff"), PayloadLen: 3},
		{Src: c2, Dst: camera, Proto: event.ICMP, ICMPType: 8, Payload: []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, PayloadLen: 11},
		{Src: camera, Dst: c2, Proto: 132, Time: t0},
		{Src: camera, Dst: c2, Proto: event.TCP, DstPort: 80, Payload: []byte("GET / HTTP/1.1\r\nAuthorization: Basic !!!\r\nAuthorization: Basic Og==\r\n"), Time: t0},
	}
	for i := range evs {
		d.Packet(&evs[i])
	}
	d.Packet(nil)
	d.DNS(nil)
	d.Conn(nil)
	d.DNS(&event.DNS{Name: "....", Answers: []string{"not an ip", ""}, Response: true})
	d.DNS(&event.DNS{Name: "x." + string(make([]byte, 300)) + ".example.com", Client: camera})
	d.Conn(&event.Conn{Src: camera, Dst: c2, Duration: -time.Hour, OrigBytes: -1, Start: t0})
	d.Conn(&event.Conn{Src: c2, Dst: camera, Proto: event.UDP, State: "S0"})
	fs := d.Finish()
	d.Packet(&event.Packet{Src: camera, Dst: c2, Proto: event.TCP, Time: t0})
	if len(d.Finish()) != len(fs) {
		t.Fatal("Finish is not final")
	}
	_ = d.Summary()
}

// Two captures feeding one detector: a beacon split across rotated files
// is still one beacon, named after the first; a Zeek dns.log names the
// addresses of the conn.log read before it... only when read first, so
// dns.log comes first here.
func TestSeveralSources(t *testing.T) {
	d := New(Options{})
	first, second := newCapture(), newCapture()
	first.lookup(t0, camera, "c2.example.com", 1, c2.String())
	for i := 0; i < 24; i++ {
		c := first
		if i >= 12 {
			c = second
		}
		c.tcp(t0.Add(time.Duration(i)*5*time.Minute+time.Second), camera, c2, 443, 300, 100, time.Second)
	}
	first.feed(d, "a.pcap")
	second.feed(d, "b.pcap")
	fs := d.Finish()
	b := byRule(fs, RuleBeacon)
	if len(b) != 1 || b[0].Location.Path != "a.pcap" || !contains(b[0].Message, "c2.example.com") || !contains(b[0].Message, "24 times") {
		t.Fatalf("want one beacon over both files:\n%s", dump(fs))
	}
	if s := d.Summary(); len(s.Sources) != 2 || len(s.Devices) != 1 || s.Devices[0].Addr != camera.String() ||
		len(s.TopDestinations) == 0 || s.TopDestinations[0].Addr != c2.String() || s.TopDestinations[0].Names[0] != "c2.example.com" {
		t.Errorf("summary %+v", s)
	}
}

func BenchmarkSink(b *testing.B) {
	c := cleanMix(24, 1)
	evs := append([]timed(nil), c.evs...)
	sortTimed(evs)
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		d := New(Options{Allow: mustAllow(b, cleanAllow)})
		d.SetSource("bench.pcap")
		for _, e := range evs {
			switch {
			case e.p != nil:
				d.Packet(e.p)
			case e.q != nil:
				d.DNS(e.q)
			}
		}
		d.Finish()
		n += len(evs)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
}
