package capture_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net/netip"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/doorman-sec/doorman/traffic/capture"
	"github.com/doorman-sec/doorman/traffic/event"
	"github.com/doorman-sec/doorman/traffic/pcaptest"
	"github.com/klauspost/compress/gzip"
)

var (
	cl4 = netip.MustParseAddrPort("192.0.2.10:53000")
	ns4 = netip.MustParseAddrPort("192.0.2.53:53")
)

// TestTruncated cuts captures at every byte: the read never panics, keeps
// the packets of every whole record before the cut, and says where it
// stopped unless the cut falls between records.
func TestTruncated(t *testing.T) {
	for _, f := range []pcaptest.Format{pcaptest.PCAP, pcaptest.PCAPNG} {
		w := pcaptest.New(pcaptest.Options{Format: f})
		want, _ := scenario(w, v4hosts)
		full := w.Bytes()
		for cut := 1; cut < len(full); cut++ {
			got, st, err := read(t, full[:cut])
			if cut < 4 && errors.Is(err, capture.ErrUnknownFormat) {
				continue
			}
			if err == nil {
				// Only a cut at a record boundary reads clean.
				if st.Packets == 0 && cut > 60 {
					t.Fatalf("format %d cut %d: no error and no packets", f, cut)
				}
				continue
			}
			if !strings.Contains(err.Error(), "truncated") && !strings.Contains(err.Error(), "header") {
				t.Fatalf("format %d cut %d: %v", f, cut, err)
			}
			if len(got.pkts) > len(want) || int64(len(got.pkts)) != st.Packets {
				t.Fatalf("format %d cut %d: %d packets, stats %+v", f, cut, len(got.pkts), st)
			}
		}
		// A cut gzip stream stops with the records before the cut.
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		zw.Write(full)
		zw.Close()
		if got, st, err := read(t, gz.Bytes()[:gz.Len()-12]); err == nil || len(got.pkts) == 0 || st.Format != map[pcaptest.Format]string{pcaptest.PCAP: "pcap+gzip", pcaptest.PCAPNG: "pcapng+gzip"}[f] {
			t.Errorf("format %d: cut gzip: %v, %+v", f, err, st)
		}
		// A cut inside the last record names it.
		_, st, err := read(t, full[:len(full)-3])
		if err == nil || !strings.Contains(err.Error(), "record") || st.Packets != int64(len(want)-1) {
			t.Errorf("format %d: %v, %+v", f, err, st)
		}
	}
}

// pcapHeader returns a little-endian microsecond pcap header.
func pcapHeader(snaplen, link uint32) []byte {
	h := make([]byte, 24)
	binary.LittleEndian.PutUint32(h, 0xa1b2c3d4)
	binary.LittleEndian.PutUint16(h[4:], 2)
	binary.LittleEndian.PutUint16(h[6:], 4)
	binary.LittleEndian.PutUint32(h[16:], snaplen)
	binary.LittleEndian.PutUint32(h[20:], link)
	return h
}

func pcapRecord(sec uint32, data []byte, incl, orig uint32) []byte {
	r := make([]byte, 16, 16+len(data))
	binary.LittleEndian.PutUint32(r, sec)
	binary.LittleEndian.PutUint32(r[8:], incl)
	binary.LittleEndian.PutUint32(r[12:], orig)
	return append(r, data...)
}

// TestLyingLengths: a header snap length smaller than the records is
// ignored; a record claiming 4 GiB stops the read without allocating it.
func TestLyingLengths(t *testing.T) {
	w := pcaptest.New(pcaptest.Options{Link: pcaptest.RawIP})
	w.DNSQuery(t0, cl4, ns4, 1, "a.example.com", 1)
	frame := w.Bytes()[24+16:]
	data := pcapHeader(16, 101) // says 16 bytes; records are longer
	data = append(data, pcapRecord(1, frame, uint32(len(frame)), uint32(len(frame)))...)
	data = append(data, pcapRecord(2, frame, 0xffffffff, 0xffffffff)...)
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	got, st, err := read(t, data)
	runtime.ReadMemStats(&ms1)
	if err == nil || !strings.Contains(err.Error(), "record 2") || len(got.pkts) != 1 || len(got.dns) != 1 || st.Packets != 1 {
		t.Fatalf("err %v, %d packets, stats %+v", err, len(got.pkts), st)
	}
	if grew := ms1.TotalAlloc - ms0.TotalAlloc; grew > 8<<20 {
		t.Errorf("allocated %d bytes", grew)
	}
	// orig_len smaller than incl_len: Bytes counts what is there.
	data = append(pcapHeader(65535, 101), pcapRecord(1, frame, uint32(len(frame)), 3)...)
	if _, st, err := read(t, data); err != nil || st.Bytes != int64(len(frame)) {
		t.Errorf("err %v, stats %+v", err, st)
	}
}

// dnsPacket is a raw IPv4/UDP packet to port 53 carrying msg.
func dnsPacket(msg []byte) []byte {
	w := pcaptest.New(pcaptest.Options{Link: pcaptest.RawIP})
	w.UDP(t0, cl4, ns4, msg)
	return w.Bytes()[24+16:]
}

// TestDNSCompressionLoops: pointers to themselves, forward, in a cycle and
// in long backward chains end quickly; the packet is still reported.
func TestDNSCompressionLoops(t *testing.T) {
	hdr := []byte{0, 1, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0}
	cases := map[string][]byte{
		"self":     append(bytes.Clone(hdr), 0xc0, 12, 0, 1, 0, 1),
		"forward":  append(bytes.Clone(hdr), 0xc0, 14, 0xc0, 12, 0, 1, 0, 1),
		"cycle":    append(bytes.Clone(hdr), 1, 'a', 0xc0, 16, 1, 'b', 0xc0, 12, 0, 1, 0, 1),
		"badlabel": append(bytes.Clone(hdr), 0x80, 0, 0, 1, 0, 1),
	}
	cases["chain"] = pointerChain(200)
	cases["chain30"] = pointerChain(30)
	// An answer whose CNAME loops.
	cases["answer"] = append(bytes.Clone(hdr), 1, 'q', 0, 0, 5, 0, 1, 0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 1, 0, 2, 0xc0, 31)
	for name, msg := range cases {
		got, st, err := read(t, append(pcapHeader(65535, 101), pcapRecord(1, dnsPacket(msg), uint32(len(dnsPacket(msg))), 0)...))
		if err != nil || len(got.pkts) != 1 || st.Undecoded != 0 {
			t.Errorf("%s: err %v, stats %+v", name, err, st)
		}
		for _, d := range got.dns {
			switch name {
			case "chain30":
				if d.Name != "x" || len(d.Answers) != 2 || d.Answers[1] != "x" {
					t.Errorf("%s: %+v", name, d)
				}
			case "chain":
				if d.Name != "x" || len(d.Answers) != 1 {
					t.Errorf("%s: %+v", name, d)
				}
			case "answer":
				if d.Name != "q" || len(d.Answers) != 0 {
					t.Errorf("%s: %+v", name, d)
				}
			default:
				t.Errorf("%s: unexpected DNS event %+v", name, d)
			}
		}
	}
}

// pointerChain is a response for "x" whose first answer (NULL) holds n
// compression pointers, each to the one before, and whose second answer
// is a CNAME pointing at the last of them.
func pointerChain(n int) []byte {
	m := []byte{0, 1, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0, 1, 'x', 0, 0, 1, 0, 1}
	m = append(m, 0xc0, 12, 0, 10, 0, 1, 0, 0, 0, 1, byte(2*n>>8), byte(2*n))
	prev := 12
	for i := 0; i < n; i++ {
		here := len(m)
		m = append(m, 0xc0|byte(prev>>8), byte(prev))
		prev = here
	}
	return append(m, 0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 1, 0, 2, 0xc0|byte(prev>>8), byte(prev))
}

// TestMDNSAnnouncement names a question-less response after its first
// record.
func TestMDNSAnnouncement(t *testing.T) {
	msg := pcaptest.DNSWire(0, "printer.local", 1, true, "192.0.2.77")
	msg[5] = 0                                                   // no question
	msg = append(msg[:12], msg[12+len("printer.local")+2+4:]...) // drop it
	msg = append(msg[:12], append([]byte("\x07printer\x05local\x00"), msg[14:]...)...)
	w := pcaptest.New(pcaptest.Options{})
	w.UDP(t0, netip.MustParseAddrPort("192.0.2.77:5353"), netip.MustParseAddrPort("224.0.0.251:5353"), msg)
	got, _, err := read(t, w.Bytes())
	if err != nil || len(got.dns) != 1 || got.dns[0].Name != "printer.local" || got.dns[0].QType != 1 || got.dns[0].Answers[0] != "192.0.2.77" {
		t.Fatalf("%v %+v", err, got.dns)
	}
}

// TestDNSOverTCP reads a message behind its 2-byte length in one segment.
func TestDNSOverTCP(t *testing.T) {
	w := pcaptest.New(pcaptest.Options{})
	msg := pcaptest.DNSWire(9, "txt.example.com", 16, true, "v=spf1 -all", "second")
	wire := append(binary.BigEndian.AppendUint16(nil, uint16(len(msg))), msg...)
	w.TCP(t0, ns4, cl4, event.PSH|event.ACK, wire)
	w.TCP(t0, cl4, ns4, event.PSH|event.ACK, wire[:10]) // a piece only: no DNS
	got, _, err := read(t, w.Bytes())
	if err != nil || len(got.dns) != 1 {
		t.Fatalf("err %v, dns %+v", err, got.dns)
	}
	d := got.dns[0]
	if !d.Response || d.Name != "txt.example.com" || d.Client != cl4.Addr() || d.QType != 16 ||
		len(d.Answers) != 2 || d.Answers[0] != "v=spf1 -all" {
		t.Errorf("%+v", d)
	}
}

// TestManyVLANTags decodes the packet under 10 000 nested VLAN tags.
func TestManyVLANTags(t *testing.T) {
	ipw := pcaptest.New(pcaptest.Options{Link: pcaptest.RawIP})
	ipw.UDP(t0, cl4, netip.MustParseAddrPort("203.0.113.5:123"), []byte("ntp"))
	ip := ipw.Bytes()[40:]
	frame := make([]byte, 12, 12+4*10000+2+len(ip))
	for i := 0; i < 10000; i++ {
		frame = append(frame, 0x81, 0x00, 0, byte(i))
	}
	frame = append(append(frame, 0x08, 0x00), ip...)
	w := pcaptest.New(pcaptest.Options{})
	w.Frame(t0, frame)
	got, st, err := read(t, w.Bytes())
	if err != nil || len(got.pkts) != 1 || got.pkts[0].DstPort != 123 || string(got.pkts[0].Payload) != "ntp" {
		t.Fatalf("err %v, stats %+v, %+v", err, st, got.pkts)
	}
}

// ipv6 builds an IPv6 packet whose payload is the extension-header chain
// ext (next header of the fixed header first) followed by udp.
func ipv6(first uint8, ext []byte) []byte {
	p := make([]byte, 40, 40+len(ext))
	p[0] = 0x60
	binary.BigEndian.PutUint16(p[4:], uint16(len(ext)))
	p[6] = first
	p[7] = 64
	copy(p[8:], netip.MustParseAddr("2001:db8::1").AsSlice())
	copy(p[24:], netip.MustParseAddr("2001:db8::2").AsSlice())
	return append(p, ext...)
}

var udpHdr = []byte{0x12, 0x34, 0x00, 0x35, 0, 12, 0, 0, 'd', 'a', 't', 'a'}

// TestIPv6Extensions walks hop-by-hop, routing, destination options and
// fragment headers; refuses chains that are too long or overrun.
func TestIPv6Extensions(t *testing.T) {
	opt := func(next uint8) []byte { return []byte{next, 0, 1, 4, 0, 0, 0, 0} }
	frag := func(next uint8, off uint16) []byte {
		return []byte{next, 0, byte(off >> 5), byte(off << 3), 0, 0, 0, 1}
	}
	chain := append(append(append(opt(43), opt(60)...), opt(44)...), frag(17, 0)...)
	long := []byte{}
	for i := 0; i < 40; i++ {
		long = append(long, opt(60)...)
	}
	cases := []struct {
		name      string
		pkt       []byte
		decoded   bool
		proto     uint8
		port      uint16
		payload   string
		nonFirstL int
	}{
		{"chain", ipv6(0, append(chain, udpHdr...)), true, 17, 53, "data", 0},
		{"later fragment", ipv6(44, append(frag(17, 100), udpHdr...)), true, 17, 0, string(udpHdr), 0},
		{"too long", ipv6(60, append(long, udpHdr...)), false, 0, 0, "", 0},
		{"overrun", ipv6(0, []byte{17, 200, 0, 0, 0, 0, 0, 0}), false, 0, 0, "", 0},
		{"esp", ipv6(50, []byte{1, 2, 3, 4, 5, 6, 7, 8}), true, 50, 0, "\x01\x02\x03\x04\x05\x06\x07\x08", 0},
	}
	for _, c := range cases {
		w := pcaptest.New(pcaptest.Options{Link: pcaptest.RawIP})
		w.IP(t0, c.pkt)
		got, st, err := read(t, w.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if !c.decoded {
			if st.Undecoded != 1 || len(got.pkts) != 0 {
				t.Errorf("%s: %+v", c.name, st)
			}
			continue
		}
		if len(got.pkts) != 1 {
			t.Fatalf("%s: %+v", c.name, st)
		}
		p := got.pkts[0]
		if p.Proto != c.proto || p.DstPort != c.port || string(p.Payload) != c.payload || p.Length != len(c.pkt) {
			t.Errorf("%s: %+v", c.name, p)
		}
	}
}

// TestIPv4OptionsFragments: options are skipped; only the first fragment
// has ports; a zero total length (offload) uses the captured length.
func TestIPv4OptionsFragments(t *testing.T) {
	mk := func(ihl int, flagsOff uint16, total int, l4 []byte) []byte {
		p := make([]byte, ihl*4)
		p[0] = 0x40 | byte(ihl)
		binary.BigEndian.PutUint16(p[2:], uint16(total))
		binary.BigEndian.PutUint16(p[6:], flagsOff)
		p[8], p[9] = 64, 17
		copy(p[12:], []byte{192, 0, 2, 1})
		copy(p[16:], []byte{192, 0, 2, 2})
		for i := 20; i < len(p); i++ {
			p[i] = 1 // NOP options
		}
		return append(p, l4...)
	}
	w := pcaptest.New(pcaptest.Options{Link: pcaptest.RawIP})
	w.IP(t0, mk(7, 0x2000, 28+12, udpHdr))                      // first fragment, options
	w.IP(t0, mk(5, 0x0003, 20+12, udpHdr))                      // later fragment
	w.IP(t0, mk(5, 0, 0, udpHdr))                               // TSO: total 0
	w.IP(t0, mk(5, 0, 10, udpHdr))                              // total < header
	w.IP(t0, mk(4, 0, 20+12, udpHdr))                           // IHL too small
	w.IP(t0, append(mk(5, 0, 20+12, udpHdr), 0, 0, 0, 0, 0, 0)) // padding
	got, st, err := read(t, w.Bytes())
	if err != nil || st.Undecoded != 2 || len(got.pkts) != 4 {
		t.Fatalf("err %v, %+v", err, st)
	}
	if p := got.pkts[0]; p.DstPort != 53 || string(p.Payload) != "data" || p.Length != 40 {
		t.Errorf("first fragment %+v", p)
	}
	if p := got.pkts[1]; p.DstPort != 0 || string(p.Payload) != string(udpHdr) || p.PayloadLen != 12 {
		t.Errorf("later fragment %+v", p)
	}
	if p := got.pkts[2]; p.Length != 32 || string(p.Payload) != "data" {
		t.Errorf("offload %+v", p)
	}
	if p := got.pkts[3]; p.Length != 32 || string(p.Payload) != "data" || p.PayloadLen != 4 {
		t.Errorf("padded %+v", p)
	}
}

// TestSnaplenCut: a capture cut by its snap length keeps the lengths the
// headers say and the payload that is there.
func TestSnaplenCut(t *testing.T) {
	w := pcaptest.New(pcaptest.Options{Snaplen: 14 + 20 + 20 + 5})
	w.TCP(t0, cl4, netip.MustParseAddrPort("198.51.100.1:80"), event.PSH|event.ACK, []byte("GET /index.html HTTP/1.1\r\n"))
	w.TCP(t0, cl4, netip.MustParseAddrPort("198.51.100.1:80"), event.PSH|event.ACK, []byte("GET"))
	got, st, err := read(t, w.Bytes())
	if err != nil || len(got.pkts) != 2 {
		t.Fatalf("%v %+v", err, st)
	}
	if p := got.pkts[0]; string(p.Payload) != "GET /" || p.PayloadLen != 26 || p.Length != 66 || st.Bytes != 14+66+60 {
		t.Errorf("%+v %+v", p, st)
	}
}

// TestNotIP: non-IP frames, unknown link types and garbage are counted,
// never fatal.
func TestNotIP(t *testing.T) {
	arp := make([]byte, 42)
	arp[12], arp[13] = 0x08, 0x06
	data := pcapHeader(65535, 1)
	data = append(data, pcapRecord(1, arp, 42, 42)...)
	data = append(data, pcapRecord(2, arp[:5], 5, 5)...)
	got, st, err := read(t, data)
	if err != nil || len(got.pkts) != 0 || st.Packets != 2 || st.Undecoded != 2 {
		t.Errorf("%v %+v", err, st)
	}
	data = append(pcapHeader(65535, 147), pcapRecord(1, arp, 42, 42)...)
	if _, st, err := read(t, data); err != nil || st.Undecoded != 1 || st.LinkTypes[0] != "linktype-147" {
		t.Errorf("%v %+v", err, st)
	}
	if _, _, err := read(t, []byte("hello, world\n")); !errors.Is(err, capture.ErrUnknownFormat) {
		t.Errorf("%v", err)
	}
	if _, _, err := read(t, nil); !errors.Is(err, capture.ErrUnknownFormat) {
		t.Errorf("%v", err)
	}
}

// stream generates a classic pcap of n copies of one frame on the fly: a
// capture far larger than the test lets the reader keep.
type stream struct {
	hdr, rec []byte
	n, i     int
	off      int
}

func newStream(frame []byte, n int) *stream {
	return &stream{hdr: pcapHeader(65535, 1), rec: pcapRecord(1, frame, uint32(len(frame)), uint32(len(frame))), n: n}
}

func (s *stream) Read(p []byte) (int, error) {
	if s.hdr != nil {
		n := copy(p, s.hdr)
		s.hdr = s.hdr[n:]
		if len(s.hdr) == 0 {
			s.hdr = nil
		}
		return n, nil
	}
	total := 0
	for len(p) > 0 {
		if s.i == s.n {
			if total == 0 {
				return 0, io.EOF
			}
			return total, nil
		}
		if s.off == 0 {
			binary.LittleEndian.PutUint32(s.rec, uint32(s.i))
		}
		n := copy(p, s.rec[s.off:])
		total += n
		p = p[n:]
		s.off += n
		if s.off == len(s.rec) {
			s.off = 0
			s.i++
		}
	}
	return total, nil
}

// TestBoundedMemory streams 2 GB (or 200 MB with -short) of generated
// packets: the reader's allocations stay fixed, whatever the size.
func TestBoundedMemory(t *testing.T) {
	w := pcaptest.New(pcaptest.Options{})
	w.TCP(t0, cl4, netip.MustParseAddrPort("198.51.100.1:443"), event.PSH|event.ACK, bytes.Repeat([]byte{0x17}, 1400))
	frame := w.Bytes()[40:]
	n := 1_400_000
	if testing.Short() {
		n = 140_000
	}
	var ms0, ms1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms0)
	sink := &discardSink{}
	start := time.Now()
	st, err := capture.Read(context.Background(), "stream", newStream(frame, n), sink, capture.Options{})
	el := time.Since(start)
	runtime.ReadMemStats(&ms1)
	if err != nil || st.Packets != int64(n) || st.Undecoded != 0 {
		t.Fatalf("%v %+v", err, st)
	}
	alloc := ms1.TotalAlloc - ms0.TotalAlloc
	t.Logf("%d packets, %d MB in %v (%.0f MB/s), %d bytes allocated", n, st.Bytes>>20, el, float64(st.Bytes)/1e6/el.Seconds(), alloc)
	if alloc > 4<<20 {
		t.Errorf("allocated %d bytes for %d packets", alloc, n)
	}
}

// TestHugeSkippedBlock: a pcapng block of nearly 4 GiB that the reader
// does not need is streamed past, not loaded.
func TestHugeSkippedBlock(t *testing.T) {
	w := pcaptest.New(pcaptest.Options{Format: pcaptest.PCAPNG})
	w.DNSQuery(t0, cl4, ns4, 1, "a.example.com", 1)
	head := w.Bytes()
	const size = 0xfffffff0
	blk := make([]byte, 8)
	binary.LittleEndian.PutUint32(blk, 0x40000BAD) // custom block
	binary.LittleEndian.PutUint32(blk[4:], size)
	r := io.MultiReader(bytes.NewReader(head), bytes.NewReader(blk), io.LimitReader(zeros{}, 1<<30))
	got := &recorder{}
	st, err := capture.Read(context.Background(), "huge", r, got, capture.Options{})
	if err == nil || !strings.Contains(err.Error(), "truncated") || len(got.pkts) != 1 || st.DNS != 1 {
		t.Errorf("%v %+v", err, st)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestCancel stops at the context's end.
func TestCancel(t *testing.T) {
	w := pcaptest.New(pcaptest.Options{})
	w.UDP(t0, cl4, ns4, []byte("x"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := capture.Read(ctx, "s", newStream(w.Bytes()[40:], 100000), &discardSink{}, capture.Options{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("%v", err)
	}
}

// TestMaxPayload honours Options.MaxPayload.
func TestMaxPayload(t *testing.T) {
	w := pcaptest.New(pcaptest.Options{})
	w.UDP(t0, cl4, netip.MustParseAddrPort("203.0.113.9:9999"), bytes.Repeat([]byte("A"), 3000))
	for _, c := range []struct{ opt, want int }{{0, event.MaxPayload}, {10, 10}, {-1, 0}, {5000, 3000}} {
		r := &recorder{}
		capture.Read(context.Background(), "p", bytes.NewReader(w.Bytes()), r, capture.Options{MaxPayload: c.opt})
		if len(r.pkts) != 1 || len(r.pkts[0].Payload) != c.want || r.pkts[0].PayloadLen != 3000 {
			t.Errorf("MaxPayload %d: %+v", c.opt, r.pkts)
		}
	}
}
