package capture_test

import (
	"bytes"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/doorman-sec/doorman/traffic/pcaptest"
	"github.com/klauspost/compress/gzip"
)

// linkCase is one way of framing packets, with the link type name Stats
// must report and which address families it can carry.
type linkCase struct {
	name   string
	o      pcaptest.Options
	stat   string
	v4, v6 bool
}

var linkCases = []linkCase{
	{"ethernet", pcaptest.Options{Link: pcaptest.Ethernet}, "ethernet", true, true},
	{"vlan", pcaptest.Options{Link: pcaptest.Ethernet, VLAN: 42}, "ethernet", true, true},
	{"qinq", pcaptest.Options{Link: pcaptest.Ethernet, VLANs: []uint16{100, 200}}, "ethernet", true, true},
	{"sll", pcaptest.Options{Link: pcaptest.SLL}, "linux-sll", true, true},
	{"sll2", pcaptest.Options{Link: pcaptest.SLL2}, "linux-sll2", true, true},
	{"raw101", pcaptest.Options{Link: pcaptest.RawIP}, "raw", true, true},
	{"raw12", pcaptest.Options{Link: pcaptest.RawIP, LinkType: 12}, "raw", true, true},
	{"raw14", pcaptest.Options{Link: pcaptest.RawIP, LinkType: 14}, "raw", true, true},
	{"ipv4", pcaptest.Options{Link: pcaptest.RawIP, LinkType: 228}, "ipv4", true, false},
	{"ipv6", pcaptest.Options{Link: pcaptest.RawIP, LinkType: 229}, "ipv6", false, true},
	{"null", pcaptest.Options{Link: pcaptest.Null}, "null", true, true},
	{"null-be", pcaptest.Options{Link: pcaptest.Null, BigEndian: true}, "null", true, true},
}

// fileCase is a file format and timestamp resolution.
type fileCase struct {
	name   string
	format pcaptest.Format
	nano   bool
	big    bool
	res    uint8 // pcapng if_tsresol
	want   string
	tick   time.Duration
}

var fileCases = []fileCase{
	{"pcap-us", pcaptest.PCAP, false, false, 0, "pcap", time.Microsecond},
	{"pcap-ns-be", pcaptest.PCAP, true, true, 0, "pcap", time.Nanosecond},
	{"pcapng-us", pcaptest.PCAPNG, false, false, 0, "pcapng", time.Microsecond},
	{"pcapng-ns-be", pcaptest.PCAPNG, true, true, 0, "pcapng", time.Nanosecond},
	{"pcapng-ms", pcaptest.PCAPNG, false, false, 3, "pcapng", time.Millisecond},
}

// TestRoundTrip writes every file format × link type × address family
// with pcaptest, plain and gzip-compressed, and checks each event.
func TestRoundTrip(t *testing.T) {
	for _, fc := range fileCases {
		for _, lc := range linkCases {
			for _, fam := range []string{"v4", "v6"} {
				if (fam == "v4" && !lc.v4) || (fam == "v6" && !lc.v6) {
					continue
				}
				t.Run(fmt.Sprintf("%s/%s/%s", fc.name, lc.name, fam), func(t *testing.T) {
					o := lc.o
					o.Format, o.Nano, o.TSResol = fc.format, fc.nano, fc.res
					o.BigEndian = o.BigEndian || fc.big
					w := pcaptest.New(o)
					h := v4hosts
					if fam == "v6" {
						h = v6hosts
					}
					pkts, dnss := scenario(w, h)
					for _, gz := range []bool{false, true} {
						data := w.Bytes()
						format := fc.want
						if gz {
							var b bytes.Buffer
							zw := gzip.NewWriter(&b)
							zw.Write(data)
							zw.Close()
							data = b.Bytes()
							format += "+gzip"
						}
						got, st, err := read(t, data)
						if err != nil {
							t.Fatal(err)
						}
						check(t, got, pkts, dnss, fc.tick)
						if st.Format != format || st.Packets != int64(len(pkts)) || st.Undecoded != 0 ||
							st.DNS != int64(len(dnss)) || !slices.Equal(st.LinkTypes, []string{lc.stat}) {
							t.Errorf("stats %+v", st)
						}
						if !st.First.Equal(pkts[0].Time.Truncate(fc.tick)) || !st.Last.Equal(pkts[len(pkts)-1].Time.Truncate(fc.tick)) {
							t.Errorf("first/last %v %v", st.First, st.Last)
						}
					}
				})
			}
		}
	}
}

// TestPcapngSections reads one pcapng file with three sections of both
// byte orders, several interfaces each with its own link type and
// timestamp resolution (decimal and binary), packets interleaved.
func TestPcapngSections(t *testing.T) {
	w := pcaptest.New(pcaptest.Options{Format: pcaptest.PCAPNG, Link: pcaptest.Ethernet})
	type ev struct {
		t    time.Time
		desc string
	}
	var want []ev
	note := func(h hosts) {
		pk, _ := scenario(w, h)
		for _, p := range pk {
			want = append(want, ev{p.Time, fmt.Sprintf("%v>%v %d", p.Src, p.Dst, p.Proto)})
		}
	}
	note(v4hosts)
	w.NewInterface(pcaptest.Options{Format: pcaptest.PCAPNG, Link: pcaptest.SLL2, Nano: true})
	note(v6hosts)
	w.NewSection(pcaptest.Options{Format: pcaptest.PCAPNG, BigEndian: true, Link: pcaptest.RawIP, TSResol: 0x80 | 20})
	note(v4hosts)
	w.NewInterface(pcaptest.Options{Format: pcaptest.PCAPNG, Link: pcaptest.Null, TSResol: 4})
	note(v6hosts)
	w.NewSection(pcaptest.Options{Format: pcaptest.PCAPNG, Link: pcaptest.SLL})
	note(v4hosts)
	got, st, err := read(t, w.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(got.pkts) != len(want) {
		t.Fatalf("got %d packets, want %d", len(got.pkts), len(want))
	}
	for i, p := range got.pkts {
		// The coarsest resolution here is 10^-4 s.
		d := fmt.Sprintf("%v>%v %d", p.Src, p.Dst, p.Proto)
		if off := want[i].t.Sub(p.Time); d != want[i].desc || off < 0 || off >= 100*time.Microsecond {
			t.Errorf("packet %d: %v %s, want %v %s", i, p.Time, d, want[i].t, want[i].desc)
		}
	}
	wantLinks := []string{"ethernet", "linux-sll", "linux-sll2", "null", "raw"}
	if !slices.Equal(st.LinkTypes, wantLinks) || st.Undecoded != 0 {
		t.Errorf("stats %+v", st)
	}
}
