package capture_test

import (
	"bytes"
	"context"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/doorman-sec/doorman/traffic/capture"
	"github.com/doorman-sec/doorman/traffic/pcaptest"
)

// benchCapture is a mixed capture (bulk TCP, small TCP, DNS, NTP, ICMP;
// IPv4 and IPv6) of about 16 MB, made once.
var benchCapture = sync.OnceValue(func() []byte {
	w := pcaptest.New(pcaptest.Options{})
	bulk := bytes.Repeat([]byte{0x17, 3, 3, 0, 100}, 280)
	for i := 0; w.Len() < 16<<20; i++ {
		h := v4hosts
		if i%4 == 3 {
			h = v6hosts
		}
		pk, _ := scenario(w, h)
		c := netip.AddrPortFrom(h.client, uint16(30000+i))
		s := netip.AddrPortFrom(h.server, 443)
		w.TCPSession(pk[len(pk)-1].Time, c, s, [][]byte{bulk[:517]}, [][]byte{bulk, bulk, bulk, bulk, bulk})
	}
	return w.Bytes()
})

func benchRead(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var pkts int64
	start := time.Now()
	for b.Loop() {
		st, err := capture.Read(context.Background(), "bench", bytes.NewReader(data), &discardSink{}, capture.Options{})
		if err != nil {
			b.Fatal(err)
		}
		pkts += st.Packets
	}
	b.ReportMetric(float64(pkts)/time.Since(start).Seconds(), "pkts/s")
}

// BenchmarkRead: classic pcap over Ethernet.
func BenchmarkRead(b *testing.B) {
	data := benchCapture()
	benchRead(b, data)
}

// BenchmarkReadPcapng: the same packets in pcapng.
func BenchmarkReadPcapng(b *testing.B) {
	data := benchCapture()
	// Re-frame the records as enhanced packet blocks.
	w := pcaptest.New(pcaptest.Options{Format: pcaptest.PCAPNG})
	for rest := data[24:]; len(rest) >= 16; {
		n := int(uint32(rest[8]) | uint32(rest[9])<<8 | uint32(rest[10])<<16 | uint32(rest[11])<<24)
		w.Frame(t0, rest[16:16+n])
		rest = rest[16+n:]
	}
	benchRead(b, w.Bytes())
}
