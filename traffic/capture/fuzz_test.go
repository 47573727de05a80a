package capture

import (
	"bytes"
	"context"
	"net/netip"
	"testing"
	"time"

	"github.com/doorman-sec/doorman/traffic/event"
	"github.com/doorman-sec/doorman/traffic/pcaptest"
)

type nopSink struct{}

func (nopSink) Packet(p *event.Packet) {
	if len(p.Payload) > event.MaxPayload || p.PayloadLen < 0 {
		panic("payload bounds")
	}
}
func (nopSink) DNS(*event.DNS)   {}
func (nopSink) Conn(*event.Conn) {}

// seedCapture is a little of everything in one capture.
func seedCapture(o pcaptest.Options) []byte {
	w := pcaptest.New(o)
	t := time.Unix(1700000000, 0)
	c4, s4 := netip.MustParseAddrPort("192.0.2.1:5353"), netip.MustParseAddrPort("192.0.2.53:53")
	c6, s6 := netip.MustParseAddrPort("[2001:db8::1]:40000"), netip.MustParseAddrPort("[2001:db8::2]:53")
	w.DNSQuery(t, c4, s4, 1, "a.example.com", 1)
	w.DNSResponse(t, c4, s4, 1, "a.example.com", 16, "txt")
	w.DNSResponse(t, c6, s6, 2, "b.example.com", 28, "2001:db8::5")
	w.TCPSession(t, c6, netip.MustParseAddrPort("[2001:db8::3]:443"), [][]byte{[]byte("hello")}, nil)
	w.ICMPEcho(t, c4.Addr(), s4.Addr(), 1, 1, []byte("x"))
	return w.Bytes()
}

func fuzzRead(t *testing.T, data []byte) {
	var sink nopSink
	ctx := context.Background()
	st, _ := Read(ctx, "fuzz", bytes.NewReader(data), sink, Options{})
	if st.Undecoded > st.Packets && st.Format != "zeek-tsv" && st.Format != "zeek-json" {
		t.Fatalf("stats %+v", st)
	}
}

func FuzzReadPcap(f *testing.F) {
	f.Add(seedCapture(pcaptest.Options{}))
	f.Add(seedCapture(pcaptest.Options{Link: pcaptest.SLL, Nano: true, BigEndian: true}))
	f.Add(seedCapture(pcaptest.Options{Link: pcaptest.Null, VLAN: 3}))
	f.Add(seedCapture(pcaptest.Options{Link: pcaptest.Ethernet, VLANs: []uint16{1, 2}, Snaplen: 60}))
	f.Fuzz(fuzzRead)
}

func FuzzReadPcapng(f *testing.F) {
	f.Add(seedCapture(pcaptest.Options{Format: pcaptest.PCAPNG}))
	f.Add(seedCapture(pcaptest.Options{Format: pcaptest.PCAPNG, Link: pcaptest.SLL2, BigEndian: true, TSResol: 0x85}))
	f.Add(seedCapture(pcaptest.Options{Format: pcaptest.PCAPNG, Link: pcaptest.RawIP, Nano: true}))
	f.Fuzz(fuzzRead)
}

func FuzzReadZeek(f *testing.F) {
	c := event.Conn{Start: time.Unix(1700000000, 5000), Duration: time.Second, Src: netip.MustParseAddr("192.0.2.1"),
		Dst: netip.MustParseAddr("2001:db8::1"), Proto: event.TCP, SrcPort: 1, DstPort: 2, State: "SF", Service: "http"}
	d := event.DNS{Time: time.Unix(1700000000, 0), Client: c.Src, Server: c.Src, Name: "a.example.com", QType: 1,
		Response: true, Answers: []string{"192.0.2.9", "x"}}
	for _, j := range []bool{false, true} {
		f.Add(pcaptest.ZeekConnLog(j, c, c))
		f.Add(pcaptest.ZeekDNSLog(j, d, d))
	}
	f.Fuzz(fuzzRead)
}

func FuzzDNS(f *testing.F) {
	f.Add(pcaptest.DNSWire(1, "a.b.example.com", 1, true, "192.0.2.1", "192.0.2.2"))
	f.Add(pcaptest.DNSWire(2, "x.example.com", 5, true, "cname.example.com"))
	f.Add(pcaptest.DNSWire(3, "t.example.com", 16, true, "hello world"))
	f.Add(pcaptest.DNSWire(4, "n.example.com", 10, true, "00ff10"))
	f.Add(pcaptest.DNSWire(5, "s.example.com", 33, true, "0001000201bb0373727600"))
	f.Add([]byte{0, 1, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, ok := parseDNS(b)
		if !ok {
			return
		}
		if len(m.name) > maxDNSName*4 || len(m.answers) > maxDNSAnswers {
			t.Fatalf("unbounded: %d %d", len(m.name), len(m.answers))
		}
		for _, a := range m.answers {
			if len(a) > maxDNSName*4+6 && len(a) > maxDNSAnswerTxt {
				t.Fatalf("answer of %d bytes", len(a))
			}
		}
	})
}
