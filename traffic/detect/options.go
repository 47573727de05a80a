package detect

import (
	"net/netip"
	"time"
)

// DefaultMaxFlows is the flow table's size when Options.MaxFlows is zero.
const DefaultMaxFlows = 1 << 20

// DefaultTriggerWindow is how soon after an inbound trigger a new outbound
// session is attributed to it when Options.TriggerWindow is zero.
const DefaultTriggerWindow = 10 * time.Second

// Options configures a Detector. The zero value works: devices are
// inferred, nothing is allowlisted, tables have their default size.
type Options struct {
	// Devices are the devices under test. When empty, every private, ULA
	// or link-local address that originates traffic is taken as one.
	Devices []netip.Prefix
	// Allow lists the destinations the devices are expected to reach.
	Allow *Allowlist
	// FirmwareEndpoints are URLs, host names and addresses baked into the
	// devices' firmware (from a scan report's inventory).
	FirmwareEndpoints []string
	// MaxFlows bounds the flow table; when full the least recently seen
	// flow is closed early and counted in the summary. The other tables
	// (destinations, DNS domains, names) are sized from it.
	MaxFlows int
	// TriggerWindow: see DefaultTriggerWindow.
	TriggerWindow time.Duration
}

// limits are the table sizes derived from Options.
type limits struct {
	flows, pairs, names, domains, devices, hosts, icmp int
	seriesPoints                                       int // connection starts kept in all series
}

func (o *Options) limits() limits {
	n := o.MaxFlows
	if n <= 0 {
		n = DefaultMaxFlows
	}
	frac := func(div, min int) int {
		if v := n / div; v > min {
			return v
		}
		return min
	}
	return limits{
		flows:        n,
		pairs:        frac(2, 64),
		names:        frac(4, 256),
		domains:      frac(16, 256),
		devices:      frac(64, 64),
		hosts:        frac(16, 256),
		icmp:         frac(64, 64),
		seriesPoints: frac(1, 4096) * 4,
	}
}

// Protocol timeouts that split one 5-tuple into several connections.
const (
	// udpIdle: a UDP or ICMP exchange silent this long is over; the next
	// datagram on the same 5-tuple starts a new connection (a beacon that
	// keeps its source port still yields one connection per check-in).
	udpIdle = 30 * time.Second
	// tcpIdle: a TCP connection silent this long without FIN or RST is
	// taken as over (long-lived sessions usually send keepalives sooner).
	tcpIdle = time.Hour
)
