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
	"github.com/klauspost/compress/gzip"
)

var zeekConns = []event.Conn{
	{Start: t0.Truncate(time.Microsecond), Duration: 1500 * time.Millisecond, Src: v4hosts.client, Dst: v4hosts.server,
		Proto: event.TCP, SrcPort: 40000, DstPort: 443, Service: "ssl", OrigBytes: 517, RespBytes: 4096,
		OrigPkts: 9, RespPkts: 8, State: "SF"},
	{Start: t0.Add(time.Minute).Truncate(time.Microsecond), Src: v6hosts.client, Dst: v6hosts.server,
		Proto: event.ICMPv6, DstPort: 129, State: "OTH"},
	{Start: t0.Add(2 * time.Minute).Truncate(time.Microsecond), Src: v4hosts.client, Dst: v4hosts.ntp,
		Proto: event.UDP, SrcPort: 123, DstPort: 123, State: "S0", OrigPkts: 1},
}

var zeekDNS = []event.DNS{
	{Time: t0.Truncate(time.Microsecond), Client: v4hosts.client, Server: v4hosts.dnsServer, ID: 4660,
		Response: true, Name: "beacon.example.com", QType: 1, Answers: []string{"192.0.2.100", "192.0.2.101"}},
	{Time: t0.Add(time.Second).Truncate(time.Microsecond), Client: v4hosts.client, Server: v4hosts.dnsServer, ID: 7,
		Name: "aGVsbG8.t.example.com", QType: 16},
	{Time: t0.Add(2 * time.Second).Truncate(time.Microsecond), Client: v6hosts.client, Server: v6hosts.dnsServer, ID: 8,
		Response: true, RCode: 3, Name: "nx.invalid", QType: 28},
}

// TestZeek reads conn.log and dns.log, TSV and JSON, plain and gzipped,
// and concatenated.
func TestZeek(t *testing.T) {
	for _, asJSON := range []bool{false, true} {
		format := "zeek-tsv"
		if asJSON {
			format = "zeek-json"
		}
		conn := pcaptest.ZeekConnLog(asJSON, zeekConns...)
		dns := pcaptest.ZeekDNSLog(asJSON, zeekDNS...)
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		zw.Write(conn)
		zw.Close()
		for name, data := range map[string][]byte{"conn": conn, "conn.gz": gz.Bytes(), "dns": dns, "both": append(bytes.Clone(conn), dns...)} {
			t.Run(fmt.Sprintf("%s/%s", format, name), func(t *testing.T) {
				r := &recorder{}
				st, err := capture.Read(context.Background(), "conn.log", bytes.NewReader(data), r, capture.Options{})
				if err != nil {
					t.Fatal(err)
				}
				wantFormat := format
				if name == "conn.gz" {
					wantFormat += "+gzip"
				}
				if st.Format != wantFormat || st.Undecoded != 0 {
					t.Errorf("stats %+v", st)
				}
				if strings.HasPrefix(name, "conn") || name == "both" {
					if len(r.conns) != len(zeekConns) {
						t.Fatalf("%d conns", len(r.conns))
					}
					for i, w := range zeekConns {
						g := r.conns[i]
						if !strings.HasPrefix(g.Source, "conn.log:") {
							t.Errorf("source %q", g.Source)
						}
						g.Source = ""
						if !g.Start.Equal(w.Start) {
							t.Errorf("conn %d start %v want %v", i, g.Start, w.Start)
						}
						g.Start, w.Start = time.Time{}, time.Time{}
						if fmt.Sprintf("%+v", g) != fmt.Sprintf("%+v", w) {
							t.Errorf("conn %d:\n got %+v\nwant %+v", i, g, w)
						}
					}
				}
				if name == "dns" || name == "both" {
					// Each record is a query, and a response when one was seen.
					var want []event.DNS
					for _, d := range zeekDNS {
						d.Name = strings.ToLower(d.Name) // the model's names are lower case
						q := d
						q.Response, q.RCode, q.Answers = false, 0, nil
						want = append(want, q)
						if d.Response {
							want = append(want, d)
						}
					}
					if len(r.dns) != len(want) {
						t.Fatalf("%d dns: %+v", len(r.dns), r.dns)
					}
					for i, w := range want {
						g := r.dns[i]
						if !g.Time.Equal(w.Time) {
							t.Errorf("dns %d time %v", i, g.Time)
						}
						g.Time, w.Time = time.Time{}, time.Time{}
						if fmt.Sprintf("%+v", g) != fmt.Sprintf("%+v", w) {
							t.Errorf("dns %d:\n got %+v\nwant %+v", i, g, w)
						}
					}
				}
			})
		}
	}
}

// TestZeekHandWritten reads lines as Zeek writes them (ISO 8601 JSON
// times, an unknown log, a bad line, an over-long line, CRLF).
func TestZeekHandWritten(t *testing.T) {
	long := `{"ts":1,"x":"` + strings.Repeat("A", 600<<10) + `"}`
	in := strings.Join([]string{
		`{"_path":"conn","ts":"2024-03-01T12:00:00.250000Z","uid":"C1","id.orig_h":"192.0.2.1","id.orig_p":5353,"id.resp_h":"224.0.0.251","id.resp_p":5353,"proto":"udp","conn_state":"S0","orig_pkts":2}`,
		`{"_path":"http","ts":1709294400.0,"id.orig_h":"192.0.2.1","id.orig_p":1,"id.resp_h":"192.0.2.2","id.resp_p":80}`,
		`{"_path":"conn","ts":1709294400.0,"id.orig_h":"not-an-ip","id.orig_p":1,"id.resp_h":"192.0.2.2","id.resp_p":80,"conn_state":"S0"}`,
		`{"ts":1709294400.5,"id.orig_h":"192.0.2.1","id.orig_p":70000,"id.resp_h":"192.0.2.2","id.resp_p":80,"conn_state":"S0"}`,
		long,
		`{"ts":1709294401.000001,"id.orig_h":"2001:db8::1","id.orig_p":33000,"id.resp_h":"2001:db8::53","id.resp_p":53,"proto":"udp","trans_id":99,"query":"Example.COM.","qtype":1,"rcode":0,"rtt":0.002,"answers":["192.0.2.7"]}` + "\r",
		``,
	}, "\n")
	r := &recorder{}
	st, err := capture.Read(context.Background(), "mixed.log", strings.NewReader(in), r, capture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Conns != 1 || st.DNS != 2 || st.Undecoded != 3 || len(r.conns) != 1 {
		t.Fatalf("%+v", st)
	}
	c := r.conns[0]
	if c.Start != time.Date(2024, 3, 1, 12, 0, 0, 250e6, time.UTC).Local() && !c.Start.Equal(time.Date(2024, 3, 1, 12, 0, 0, 250e6, time.UTC)) {
		t.Errorf("start %v", c.Start)
	}
	if c.Dst != netip.MustParseAddr("224.0.0.251") || c.Source != "mixed.log:1" || c.OrigPkts != 2 {
		t.Errorf("%+v", c)
	}
	d := r.dns[1]
	if d.Name != "example.com" || !d.Response || d.Answers[0] != "192.0.2.7" || d.Time.Nanosecond() != 2001000 {
		t.Errorf("%+v", d)
	}
}
