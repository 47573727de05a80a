package pcaptest_test

import (
	"bytes"
	"net/netip"
	"testing"
	"time"

	"github.com/doorman-sec/doorman/traffic/pcaptest"
	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// TestGopacketReads checks the writer against an independent reader:
// gopacket's pcapgo reads the files and its layers decode every packet
// with nothing left undecoded.
func TestGopacketReads(t *testing.T) {
	t0 := time.Date(2024, 3, 1, 12, 0, 0, 123456789, time.UTC)
	c := netip.MustParseAddrPort("192.0.2.1:40000")
	s := netip.MustParseAddrPort("198.51.100.2:443")
	c6 := netip.MustParseAddrPort("[2001:db8::1]:40000")
	d6 := netip.MustParseAddrPort("[2001:db8::53]:53")
	for _, o := range []pcaptest.Options{
		{}, {Nano: true, BigEndian: true, VLAN: 9}, {Link: pcaptest.SLL}, {Link: pcaptest.RawIP},
		{Format: pcaptest.PCAPNG}, {Format: pcaptest.PCAPNG, Nano: true, VLANs: []uint16{1, 2}},
	} {
		w := pcaptest.New(o)
		w.TCPSession(t0, c, s, [][]byte{[]byte("hello")}, [][]byte{[]byte("world")})
		w.DNSQuery(t0, c6, d6, 5, "a.example.com", 28)
		w.DNSResponse(t0, c6, d6, 5, "a.example.com", 28, "2001:db8::9")
		w.ICMPEcho(t0, c.Addr(), s.Addr(), 1, 2, []byte("ping"))
		w.ICMPEcho(t0, c6.Addr(), d6.Addr(), 1, 2, []byte("ping"))
		var src gopacket.PacketDataSource
		var lt layers.LinkType
		if o.Format == pcaptest.PCAPNG {
			r, err := pcapgo.NewNgReader(bytes.NewReader(w.Bytes()), pcapgo.DefaultNgReaderOptions)
			if err != nil {
				t.Fatal(err)
			}
			src, lt = r, r.LinkType()
		} else {
			r, err := pcapgo.NewReader(bytes.NewReader(w.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			src, lt = r, r.LinkType()
		}
		n := 0
		for {
			data, ci, err := src.ReadPacketData()
			if err != nil {
				break
			}
			want := t0.Truncate(time.Microsecond)
			if o.Nano {
				want = t0
			}
			if n == 0 && !ci.Timestamp.Equal(want) {
				t.Errorf("%+v: time %v", o, ci.Timestamp)
			}
			p := gopacket.NewPacket(data, lt, gopacket.Default)
			if el := p.ErrorLayer(); el != nil {
				t.Errorf("%+v packet %d: %v", o, n, el.Error())
			}
			if p.NetworkLayer() == nil {
				t.Errorf("%+v packet %d: no network layer", o, n)
			}
			if n == 9 && p.Layer(layers.LayerTypeDNS) == nil {
				t.Errorf("%+v packet %d: no DNS", o, n)
			}
			n++
		}
		if n != 12 {
			t.Errorf("%+v: %d packets", o, n)
		}
	}
}
