// Command trafficgen writes a large, realistic-looking capture for
// benchmarking `doorman traffic` and the capture reader: a few hundred
// devices on documentation networks doing DNS lookups, HTTP and TLS
// sessions and NTP, and one device beaconing to a controller every minute
// with a little jitter. Everything is inert: addresses are documentation
// ranges, names are under example.com and .invalid.
//
//	go run ./bench/trafficgen -o big.pcap -size 1G
//	go run ./bench/trafficgen -o small.pcapng -format pcapng -count 100000
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/doorman-sec/doorman/traffic/pcaptest"
)

func main() {
	out := flag.String("o", "traffic.pcap", "output file (- for stdout)")
	size := flag.String("size", "100M", "stop after about this many bytes (K, M, G suffixes)")
	count := flag.Int("count", 0, "stop after this many packets instead")
	format := flag.String("format", "pcap", "pcap or pcapng")
	seed := flag.Uint64("seed", 1, "random seed (same seed, same file)")
	flag.Parse()
	limit, err := parseSize(*size)
	if err != nil {
		fmt.Fprintln(os.Stderr, "trafficgen:", err)
		os.Exit(2)
	}
	var dst io.Writer = os.Stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			fmt.Fprintln(os.Stderr, "trafficgen:", err)
			os.Exit(2)
		}
		defer f.Close()
		dst = f
	}
	bw := bufio.NewWriterSize(dst, 1<<20)
	o := pcaptest.Options{Link: pcaptest.Ethernet}
	if *format == "pcapng" {
		o.Format = pcaptest.PCAPNG
	}
	g := newGen(pcaptest.New(o), *seed)
	written, pkts := int64(0), 0
	for (*count > 0 && pkts < *count) || (*count == 0 && written < limit) {
		pkts += g.step()
		if g.w.Len() > 1<<20 {
			n, err := bw.Write(g.w.Bytes())
			written += int64(n)
			if err != nil {
				fmt.Fprintln(os.Stderr, "trafficgen:", err)
				os.Exit(1)
			}
			g.w.Reset()
		}
	}
	n, _ := bw.Write(g.w.Bytes())
	written += int64(n)
	if err := bw.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "trafficgen:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "trafficgen: %d packets, %d bytes\n", pkts, written)
}

func parseSize(s string) (int64, error) {
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "K"):
		mult, s = 1<<10, s[:len(s)-1]
	case strings.HasSuffix(s, "M"):
		mult, s = 1<<20, s[:len(s)-1]
	case strings.HasSuffix(s, "G"):
		mult, s = 1<<30, s[:len(s)-1]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("bad size %q", s)
	}
	return n * mult, nil
}

// gen holds the simulated network.
type gen struct {
	w       *pcaptest.Writer
	r       *rand.Rand
	now     time.Time
	devices []netip.Addr
	servers []netip.Addr
	dns     netip.AddrPort
	beacon  netip.Addr // the device that calls home
	c2      netip.AddrPort
	nextC2  time.Time
	port    uint16
}

func newGen(w *pcaptest.Writer, seed uint64) *gen {
	g := &gen{w: w, r: rand.New(rand.NewPCG(seed, seed^0x5eed)), now: time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC)}
	for i := 1; i < 255; i++ {
		g.devices = append(g.devices, netip.AddrFrom4([4]byte{192, 0, 2, byte(i)}))
		g.servers = append(g.servers, netip.AddrFrom4([4]byte{198, 51, 100, byte(i)}))
	}
	for i := 1; i < 64; i++ {
		g.devices = append(g.devices, netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 15: byte(i)}))
	}
	g.dns = netip.MustParseAddrPort("192.0.2.254:53")
	g.beacon = g.devices[41]
	g.c2 = netip.MustParseAddrPort("203.0.113.66:8443")
	g.nextC2 = g.now.Add(30 * time.Second)
	g.port = 32768
	return g
}

func (g *gen) ephemeral() uint16 {
	g.port++
	if g.port < 32768 {
		g.port = 32768
	}
	return g.port
}

// server picks a remote of the device's family.
func (g *gen) server(dev netip.Addr) netip.Addr {
	if dev.Is4() {
		return g.servers[g.r.IntN(len(g.servers))]
	}
	return netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 0xff, 15: byte(g.r.IntN(250) + 1)})
}

func (g *gen) resolver(dev netip.Addr) netip.AddrPort {
	if dev.Is4() {
		return g.dns
	}
	return netip.MustParseAddrPort("[2001:db8::53]:53")
}

var names = []string{"www", "api", "cdn", "update", "time", "telemetry", "auth", "img", "static", "push"}

// step writes one activity and returns how many packets it took.
func (g *gen) step() int {
	g.now = g.now.Add(time.Duration(g.r.IntN(200)) * time.Millisecond)
	if !g.now.Before(g.nextC2) {
		// The beacon: every 60 s ± 2 s, a small TLS-looking exchange.
		g.nextC2 = g.now.Add(60*time.Second + time.Duration(g.r.IntN(4000)-2000)*time.Millisecond)
		c := netip.AddrPortFrom(g.beacon, g.ephemeral())
		g.w.TCPSession(g.now, c, g.c2, [][]byte{tlsRecord(0x16, 180)}, [][]byte{tlsRecord(0x17, 96)})
		return 8
	}
	dev := g.devices[g.r.IntN(len(g.devices))]
	switch k := g.r.IntN(100); {
	case k < 30: // DNS lookup and answer
		name := names[g.r.IntN(len(names))] + "." + strconv.Itoa(g.r.IntN(40)) + ".example.com"
		c := netip.AddrPortFrom(dev, g.ephemeral())
		id := uint16(g.r.Uint32())
		qt := uint16(1)
		ans := g.server(dev).String()
		if dev.Is6() {
			qt = 28
		}
		g.w.DNSQuery(g.now, c, g.resolver(dev), id, name, qt)
		g.w.DNSResponse(g.now.Add(3*time.Millisecond), c, g.resolver(dev), id, name, qt, ans)
		return 2
	case k < 35: // NTP
		c := netip.AddrPortFrom(dev, 123)
		s := netip.AddrPortFrom(g.server(dev), 123)
		g.w.UDP(g.now, c, s, ntpPacket(3))
		g.w.UDP(g.now.Add(20*time.Millisecond), s, c, ntpPacket(4))
		return 2
	case k < 55: // HTTP
		c := netip.AddrPortFrom(dev, g.ephemeral())
		s := netip.AddrPortFrom(g.server(dev), 80)
		req := fmt.Sprintf("GET /%s/%d HTTP/1.1\r\nHost: %s.example.com\r\nUser-Agent: device/1.0\r\n\r\n", names[g.r.IntN(10)], g.r.IntN(1000), names[g.r.IntN(10)])
		var resp [][]byte
		resp = append(resp, []byte("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 4000\r\n\r\n"))
		for i := 0; i < 3; i++ {
			resp = append(resp, payload(g.r, 1400))
		}
		g.now = g.w.TCPSession(g.now, c, s, [][]byte{[]byte(req)}, resp)
		return 6 + 1 + len(resp)
	default: // TLS with a bulk download
		c := netip.AddrPortFrom(dev, g.ephemeral())
		s := netip.AddrPortFrom(g.server(dev), 443)
		up := [][]byte{tlsRecord(0x16, 517), tlsRecord(0x17, 300)}
		down := [][]byte{tlsRecord(0x16, 1400), tlsRecord(0x17, 1400), tlsRecord(0x17, 1400), tlsRecord(0x17, 1400), tlsRecord(0x17, 1400), tlsRecord(0x17, 900)}
		g.now = g.w.TCPSession(g.now, c, s, up, down)
		return 6 + len(up) + len(down)
	}
}

// tlsRecord is a TLS 1.2 record header and filler of n bytes in all.
func tlsRecord(typ byte, n int) []byte {
	b := make([]byte, n)
	b[0], b[1], b[2] = typ, 3, 3
	b[3], b[4] = byte((n-5)>>8), byte(n-5)
	for i := 5; i < n; i++ {
		b[i] = byte(i * 7)
	}
	return b
}

func ntpPacket(mode byte) []byte {
	b := make([]byte, 48)
	b[0] = 0x20 | mode
	return b
}

func payload(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = "abcdefghijklmnopqrstuvwxyz <>/\n"[r.IntN(31)]
	}
	return b
}
