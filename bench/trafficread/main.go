// Command trafficread reads captures with traffic/capture and prints an
// IP conversation count, the same work `tshark -q -z conv,ip` does. It
// stands in for `doorman traffic` in bench/traffic.sh until that command
// exists, and measures the capture reader alone afterwards.
//
//	go run ./bench/trafficread FILE...
package main

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"time"

	"github.com/doorman-sec/doorman/traffic/capture"
	"github.com/doorman-sec/doorman/traffic/event"
)

// conv is an unordered address pair.
type conv struct{ a, b netip.Addr }

type tally struct{ frames, bytes int64 }

// convs counts frames and bytes per IP conversation, as tshark's conv,ip.
type convs struct {
	m   map[conv]*tally
	dns int
}

func (c *convs) Packet(p *event.Packet) {
	k := conv{p.Src, p.Dst}
	if p.Dst.Less(p.Src) {
		k = conv{p.Dst, p.Src}
	}
	t := c.m[k]
	if t == nil {
		t = &tally{}
		c.m[k] = t
	}
	t.frames++
	t.bytes += int64(p.Length)
}
func (c *convs) DNS(*event.DNS)   { c.dns++ }
func (c *convs) Conn(*event.Conn) {}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: trafficread FILE...")
		os.Exit(2)
	}
	status := 0
	for _, path := range os.Args[1:] {
		c := &convs{m: map[conv]*tally{}}
		start := time.Now()
		st, err := capture.ReadFile(context.Background(), path, c, capture.Options{})
		el := time.Since(start)
		if err != nil {
			fmt.Fprintln(os.Stderr, "trafficread:", err)
			status = 1
		}
		fmt.Printf("%s: %s, %d packets (%d undecoded), %d bytes, %d DNS, %d conversations, %v, %.0f packets/s, %.1f MB/s\n",
			path, st.Format, st.Packets, st.Undecoded, st.Bytes, c.dns, len(c.m), el.Round(time.Millisecond),
			float64(st.Packets)/el.Seconds(), float64(st.Bytes)/1e6/el.Seconds())
	}
	os.Exit(status)
}
