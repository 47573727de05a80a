package capture_test

import (
	"net/netip"
	"testing"

	"github.com/doorman-sec/doorman/traffic/pcaptest"
)

// TestEncapsulations: PPPoE sessions and MPLS label stacks (behind a VLAN
// tag) carry IP that is decoded; other payloads are counted.
func TestEncapsulations(t *testing.T) {
	ipw := pcaptest.New(pcaptest.Options{Link: pcaptest.RawIP})
	ipw.UDP(t0, cl4, netip.MustParseAddrPort("203.0.113.5:123"), []byte("ntp"))
	ip := ipw.Bytes()[40:]
	mac := make([]byte, 12)
	frames := [][]byte{
		// PPPoE session, PPP protocol IPv4
		append(append(append(mac, 0x88, 0x64), 0x11, 0, 0, 1, byte((len(ip)+2)>>8), byte(len(ip)+2), 0x00, 0x21), ip...),
		// VLAN, then two MPLS labels (the second bottom of stack)
		append(append(append(mac, 0x81, 0x00, 0, 5, 0x88, 0x47), 0, 0x01, 0x00, 64, 0, 0x02, 0x01, 64), ip...),
		// PPPoE carrying LCP
		append(append(mac, 0x88, 0x64), 0x11, 0, 0, 1, 0, 4, 0xc0, 0x21, 1, 1),
		// MPLS over something that is not IP
		append(append(mac, 0x88, 0x47), 0, 0x01, 0x01, 64, 0xff, 0xff),
	}
	w := pcaptest.New(pcaptest.Options{})
	for _, f := range frames {
		w.Frame(t0, f)
	}
	got, st, err := read(t, w.Bytes())
	if err != nil || len(got.pkts) != 2 || st.Undecoded != 2 {
		t.Fatalf("%v %+v", err, st)
	}
	for _, p := range got.pkts {
		if p.DstPort != 123 || string(p.Payload) != "ntp" {
			t.Errorf("%+v", p)
		}
	}
}
