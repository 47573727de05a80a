package capture_test

// Tests against the Debian tools that read and write captures: tshark,
// text2pcap, editcap, mergecap (package tshark / wireshark-common) and
// tcpdump (package tcpdump). They skip when a tool is missing, and fail
// instead when CI=true.

import (
	"bufio"
	"context"
	"encoding/hex"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/doorman-sec/doorman/traffic/capture"
	"github.com/doorman-sec/doorman/traffic/event"
	"github.com/doorman-sec/doorman/traffic/pcaptest"
)

func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing: apt-get install -y tshark tcpdump", name)
		}
		t.Skipf("%s not installed (apt-get install -y tshark tcpdump)", name)
	}
	return p
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(needTool(t, name), args...).Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("%s %v: %v\n%s", name, args, err, msg)
	}
	return string(out)
}

// TestTsharkReadsPcaptest: tshark decodes what pcaptest writes to the
// same packets Read reports, with every checksum right. To keep tshark
// runs few, one pcapng holds every link type as its own interface (two
// sections, both byte orders); two classic pcaps cover the pcap variants.
func TestTsharkReadsPcaptest(t *testing.T) {
	needTool(t, "tshark")
	dir := t.TempDir()
	type file struct {
		w    *pcaptest.Writer
		pkts []event.Packet
		dns  int
	}
	add := func(f *file, h hosts) {
		p, d := scenario(f.w, h)
		f.pkts = append(f.pkts, p...)
		f.dns += len(d)
	}
	ng := &file{w: pcaptest.New(pcaptest.Options{Format: pcaptest.PCAPNG})}
	for i, lc := range linkCases {
		if lc.name == "raw14" || lc.name == "raw12" {
			continue // numbers Wireshark maps differently by OS
		}
		o := lc.o
		o.Format, o.Nano = pcaptest.PCAPNG, i%2 == 0
		if i == len(linkCases)/2 {
			o.BigEndian = true
			ng.w.NewSection(o)
		} else {
			ng.w.NewInterface(o)
		}
		for _, h := range []hosts{v4hosts, v6hosts} {
			if (h.client.Is4() && lc.v4) || (h.client.Is6() && lc.v6) {
				add(ng, h)
			}
		}
	}
	us := &file{w: pcaptest.New(pcaptest.Options{Link: pcaptest.Ethernet, VLAN: 7})}
	add(us, v4hosts)
	add(us, v6hosts)
	ns := &file{w: pcaptest.New(pcaptest.Options{Link: pcaptest.SLL2, Nano: true, BigEndian: true})}
	add(ns, v6hosts)
	add(ns, v4hosts)
	for name, f := range map[string]*file{"all.pcapng": ng, "us.pcap": us, "ns.pcap": ns} {
		path := filepath.Join(dir, name)
		if err := f.w.WriteFile(path); err != nil {
			t.Fatal(err)
		}
		r := &recorder{}
		if _, err := capture.ReadFile(context.Background(), path, r, capture.Options{}); err != nil || len(r.pkts) != len(f.pkts) || len(r.dns) != f.dns {
			t.Fatalf("%s: %v: %d packets %d dns", name, err, len(r.pkts), len(r.dns))
		}
		out := run(t, "tshark", "-r", path, "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
			"-o", "udp.check_checksum:TRUE", "-T", "fields", "-E", "separator=|",
			"-e", "ip.src", "-e", "ipv6.src", "-e", "ip.dst", "-e", "ipv6.dst",
			"-e", "tcp.srcport", "-e", "udp.srcport", "-e", "dns.qry.name",
			"-e", "ip.checksum.status", "-e", "tcp.checksum.status", "-e", "udp.checksum.status", "-e", "icmp.checksum.status", "-e", "icmpv6.checksum.status")
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != len(f.pkts) {
			t.Fatalf("%s: tshark sees %d packets, want %d", name, len(lines), len(f.pkts))
		}
		ndns := 0
		for i, l := range lines {
			fs := strings.Split(l, "|")
			p := r.pkts[i]
			src, dst := fs[0]+fs[1], fs[2]+fs[3]
			port := fs[4] + fs[5]
			if src != p.Src.String() || dst != p.Dst.String() || (p.SrcPort != 0 && port != fmt.Sprint(p.SrcPort)) {
				t.Errorf("%s packet %d: tshark %q, Read %v>%v port %d", name, i, l, p.Src, p.Dst, p.SrcPort)
			}
			if fs[6] != "" {
				ndns++
			}
			for _, status := range fs[7:] {
				if status != "" && status != "1" && status != "2" {
					t.Errorf("%s packet %d: bad checksum (%q)", name, i, l)
				}
			}
		}
		if ndns != f.dns {
			t.Errorf("%s: tshark sees %d DNS messages, want %d", name, ndns, f.dns)
		}
	}
}

// TestToolWrittenCaptures reads files written by Wireshark's tools:
// text2pcap (pcap and pcapng from a hex dump), editcap (format and
// timestamp conversions) and mergecap (a pcapng with one interface per
// link type).
func TestToolWrittenCaptures(t *testing.T) {
	needTool(t, "text2pcap")
	dir := t.TempDir()
	eth := pcaptest.New(pcaptest.Options{Link: pcaptest.Ethernet})
	pkts, dnss := scenario(eth, v4hosts)
	sll := pcaptest.New(pcaptest.Options{Link: pcaptest.SLL, Nano: true})
	pkts6, dnss6 := scenario(sll, v6hosts)
	ethPath, sllPath := filepath.Join(dir, "eth.pcap"), filepath.Join(dir, "sll.pcap")
	eth.WriteFile(ethPath)
	sll.WriteFile(sllPath)

	// A hex dump of the Ethernet frames for text2pcap.
	var dump strings.Builder
	data := eth.Bytes()[24:]
	for len(data) > 0 {
		n := int(uint32(data[8]) | uint32(data[9])<<8 | uint32(data[10])<<16 | uint32(data[11])<<24)
		frame := data[16 : 16+n]
		for off := 0; off < len(frame); off += 16 {
			fmt.Fprintf(&dump, "%06x  %s\n", off, spaced(frame[off:min(off+16, len(frame))]))
		}
		dump.WriteString("\n")
		data = data[16+n:]
	}
	hexPath := filepath.Join(dir, "frames.txt")
	os.WriteFile(hexPath, []byte(dump.String()), 0o644)

	type variant struct {
		name, format string
		pkts         int
		links        []string
		cmd          []string
	}
	vs := []variant{
		{"text2pcap.pcap", "pcap", len(pkts), []string{"ethernet"}, []string{"text2pcap", "-q", "-F", "pcap", hexPath, "OUT"}},
		{"text2pcap.pcapng", "pcapng", len(pkts), []string{"ethernet"}, []string{"text2pcap", "-q", "-n", hexPath, "OUT"}},
		{"editcap.pcapng", "pcapng", len(pkts6), []string{"linux-sll"}, []string{"editcap", "-F", "pcapng", sllPath, "OUT"}},
		{"editcap.nsec", "pcap", len(pkts), []string{"ethernet"}, []string{"editcap", "-F", "nsecpcap", ethPath, "OUT"}},
		{"editcap.snap", "pcap", len(pkts), []string{"ethernet"}, []string{"editcap", "-F", "pcap", "-s", "60", ethPath, "OUT"}},
		{"mergecap.pcapng", "pcapng", len(pkts) + len(pkts6), []string{"ethernet", "linux-sll"}, []string{"mergecap", "-F", "pcapng", "-w", "OUT", ethPath, sllPath}},
	}
	for _, v := range vs {
		out := filepath.Join(dir, v.name)
		args := slices.Clone(v.cmd[1:])
		for i := range args {
			if args[i] == "OUT" {
				args[i] = out
			}
		}
		run(t, v.cmd[0], args...)
		r := &recorder{}
		st, err := capture.ReadFile(context.Background(), out, r, capture.Options{})
		if err != nil {
			t.Fatalf("%s: %v", v.name, err)
		}
		if st.Format != v.format || st.Packets != int64(v.pkts) || len(r.pkts) != v.pkts || !slices.Equal(st.LinkTypes, v.links) {
			t.Errorf("%s: %+v", v.name, st)
		}
		switch v.name {
		case "mergecap.pcapng":
			// mergecap interleaves by time; both families arrive whole.
			if st.DNS != int64(len(dnss)+len(dnss6)) {
				t.Errorf("%s: %+v", v.name, st)
			}
		case "editcap.pcapng":
			check(t, r, pkts6, dnss6, time.Nanosecond)
		case "editcap.nsec":
			check(t, r, pkts, dnss, time.Microsecond)
		case "editcap.snap":
			// 60 bytes leave the TCP header and 6 bytes of payload.
			// No DNS message is whole any more.
			if p := r.pkts[6]; p.PayloadLen != len(pkts[6].Payload) || string(p.Payload) != string(pkts[6].Payload[:6]) || st.DNS != 0 {
				t.Errorf("%s: %+v", v.name, p)
			}
		default: // text2pcap invents the times
			for i := range r.pkts {
				r.pkts[i].Time = pkts[i].Time.Truncate(time.Microsecond)
			}
			for i := range r.dns {
				r.dns[i].Time = dnss[i].Time.Truncate(time.Microsecond)
			}
			check(t, r, pkts, dnss, time.Microsecond)
		}
	}
}

func spaced(b []byte) string {
	h := hex.EncodeToString(b)
	var sb strings.Builder
	for i := 0; i < len(h); i += 2 {
		sb.WriteString(h[i:i+2] + " ")
	}
	return sb.String()
}

// TestTcpdumpLive reads what tcpdump really captured on the loopback
// (Ethernet framing) and on "any" (Linux cooked v2): UDP datagrams and a
// DNS query sent by this test.
func TestTcpdumpLive(t *testing.T) {
	needTool(t, "tcpdump")
	if os.Geteuid() != 0 {
		t.Skip("capturing needs root")
	}
	for _, iface := range []string{"lo", "any"} {
		t.Run(iface, func(t *testing.T) {
			pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer pc.Close()
			port := pc.LocalAddr().(*net.UDPAddr).Port
			path := filepath.Join(t.TempDir(), "live.pcap")
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, "tcpdump", "-i", iface, "-U", "-Z", "root", "-c", "4", "-w", path, "udp", "dst", "port", fmt.Sprint(port))
			stderr, _ := cmd.StderrPipe()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(stderr)
			listening := false
			var said []string
			for !listening && sc.Scan() {
				said = append(said, sc.Text())
				listening = strings.Contains(sc.Text(), "listening on")
			}
			if !listening {
				// A sandbox without CAP_NET_RAW (some CI runners, even as
				// root) cannot capture at all: that is the machine, not
				// the reader under test.
				cmd.Wait()
				t.Skipf("tcpdump cannot capture on %s here: %s", iface, strings.Join(said, "; "))
			}
			go func() {
				for sc.Scan() {
				}
			}()
			c, err := net.Dial("udp4", pc.LocalAddr().String())
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 3; i++ {
				fmt.Fprintf(c, "doorman-%d", i)
			}
			c.Write(pcaptest.DNSWire(77, "live.example.com", 1, false))
			c.Close()
			if err := cmd.Wait(); err != nil {
				t.Fatalf("tcpdump: %v", err)
			}
			r := &recorder{}
			st, err := capture.ReadFile(context.Background(), path, r, capture.Options{})
			if err != nil || len(r.pkts) != 4 || st.Undecoded != 0 {
				t.Fatalf("%v %+v", err, st)
			}
			want := map[string]string{"lo": "ethernet", "any": "linux-sll2"}[iface]
			if !slices.Equal(st.LinkTypes, []string{want}) && !(iface == "any" && slices.Equal(st.LinkTypes, []string{"linux-sll"})) {
				t.Errorf("link types %v", st.LinkTypes)
			}
			for i, p := range r.pkts[:3] {
				if p.Dst != netip.MustParseAddr("127.0.0.1") || int(p.DstPort) != port || string(p.Payload) != fmt.Sprintf("doorman-%d", i) {
					t.Errorf("packet %d: %+v", i, p)
				}
			}
		})
	}
}
