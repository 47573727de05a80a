package detect

import (
	"encoding/hex"
	"fmt"
	"github.com/doorman-sec/doorman/internal/units"
	"net/netip"
	"sort"
	"strings"
	"time"

	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/traffic/event"
)

const (
	maxPending      = 32               // inbound candidates remembered per device
	maxAnsweredPort = 256              // open ports remembered per device
	knockWindow     = 30 * time.Second // a knock sequence's span
	knockPorts      = 3                // distinct closed ports that make a knock
	// triggeredUploadMin and triggeredUploadRatio: a triggered session
	// that sends at least this much, and this many times what it receives,
	// is an upload.
	triggeredUploadMin   = 64 << 10
	triggeredUploadRatio = 4
)

type portKey struct {
	proto uint8
	port  uint16
}

// device is what the detector knows about one device under test: the
// ports it answers on (its services) and the recent unsolicited inbound
// packets that could be triggers.
type device struct {
	answers map[portKey]bool
	pending []*trigger
}

// trigger is an unsolicited inbound connection to a device.
type trigger struct {
	at       time.Time
	from     netip.Addr
	fromPort uint16
	dev      netip.Addr
	proto    uint8
	port     uint16
	f        *flow
	reported bool
}

// triggerMatch ties an outbound session to the trigger that woke it.
type triggerMatch struct {
	t        *trigger
	callback bool     // the session goes back to the triggering host
	knock    []uint16 // closed ports knocked on just before, when a sequence
}

func (d *Detector) device(a netip.Addr) *device {
	v, ok := d.st.devices.Get(a)
	if !ok {
		v = d.st.devices.Put(a)
		*v = &device{answers: map[portKey]bool{}}
	}
	return *v
}

// deviceAnswers records a port on which a device answered: a service it
// offers, so packets to it are requests, not triggers.
func (d *Detector) deviceAnswers(a netip.Addr, proto uint8, port uint16) {
	dv := d.device(a)
	if len(dv.answers) < maxAnsweredPort {
		dv.answers[portKey{proto, port}] = true
	}
}

// flowStarted sees each new connection (p is its first packet, nil for a
// Zeek record): inbound ones may be triggers, outbound ones to a service the
// device never contacted before may be what a trigger woke.
func (d *Detector) flowStarted(f *flow, p *event.Packet) {
	switch {
	case f.outbound(d):
		if isGroup(f.resp) {
			return
		}
		if d.pairStarted(f) {
			d.matchTrigger(f)
		}
	case d.isDevice(f.resp) && f.orig != f.resp && !isGroup(f.orig):
		d.inbound(f, p)
	}
}

// inbound remembers an unsolicited connection to a device as a possible
// trigger. A TCP connection counts only when its SYN was seen (a capture
// that starts mid-conversation must not turn replies into triggers); a UDP
// datagram only when it does not come from a service the device itself
// contacted (a late DNS or NTP reply); ICMP only when its payload is not a
// standard ping's.
func (d *Detector) inbound(f *flow, p *event.Packet) {
	switch f.proto {
	case event.TCP:
		if !f.synStart {
			return
		}
	case event.UDP:
		if infraPort(f.proto, f.oport) || infraPort(f.proto, f.rport) {
			return
		}
		if _, ok := d.st.pairs.Peek(pairKey{dev: f.resp, dst: f.orig, proto: f.proto, port: f.oport}); ok {
			return
		}
	default:
		if p == nil || !isEchoRequest(p) || standardPing(p.Payload) {
			return
		}
	}
	dv := d.device(f.resp)
	t := &trigger{at: f.first, from: f.orig, fromPort: f.oport, dev: f.resp, proto: f.proto, port: f.rport, f: f}
	if len(dv.pending) == maxPending {
		copy(dv.pending, dv.pending[1:])
		dv.pending = dv.pending[:maxPending-1]
	}
	dv.pending = append(dv.pending, t)
}

// silent reports whether a trigger went unanswered on a port the device
// does not serve: what a magic packet or a knock looks like from outside.
func (d *Detector) silent(dv *device, t *trigger) bool {
	if t.f.answered && !t.f.refused {
		return false
	}
	return t.proto == event.ICMP || t.proto == event.ICMPv6 || !dv.answers[portKey{t.proto, t.port}]
}

// matchTrigger looks for the trigger that may have woken a device's new
// outbound session f: a silent inbound packet within the window before it.
// Infrastructure lookups (DNS, NTP, DHCP) and allowlisted destinations are
// not sessions a backdoor opens to its operator.
func (d *Detector) matchTrigger(f *flow) {
	if infraPort(f.proto, f.rport) || d.opts.Allow.Allows(f.resp, d.st.names.names(f.resp)) {
		return
	}
	v, ok := d.st.devices.Peek(f.orig)
	if !ok {
		return
	}
	dv := *v
	var best *trigger
	for _, t := range dv.pending {
		dt := f.first.Sub(t.at)
		if dt < 0 || dt > d.window || !d.silent(dv, t) {
			continue
		}
		// Prefer the triggering host being called back, then the latest.
		if best == nil || (t.from == f.resp) && best.from != f.resp || (t.from == f.resp) == (best.from == f.resp) && !t.at.Before(best.at) {
			best = t
		}
	}
	if best == nil {
		return
	}
	m := &triggerMatch{t: best, callback: best.from == f.resp}
	seen := map[uint16]bool{}
	for _, t := range dv.pending {
		if t.from == best.from && t.proto == event.TCP && !best.at.Before(t.at) && best.at.Sub(t.at) <= knockWindow && d.silent(dv, t) && !seen[t.port] {
			seen[t.port] = true
			m.knock = append(m.knock, t.port)
		}
	}
	if len(m.knock) < knockPorts {
		m.knock = nil
	}
	f.trig = m
	if !best.reported {
		best.reported = true
		d.reportTrigger(f, m)
	}
}

func (d *Detector) reportTrigger(f *flow, m *triggerMatch) {
	t := m.t
	sev, conf := finding.Medium, finding.ConfidenceLow
	switch {
	case m.callback && m.knock != nil:
		sev, conf = finding.Critical, finding.ConfidenceHigh
	case m.callback || m.knock != nil:
		sev, conf = finding.High, finding.ConfidenceHigh
	case t.proto == event.UDP && t.f.out > 0 || t.proto != event.TCP:
		sev, conf = finding.High, finding.ConfidenceMedium
	}
	kind := describeTrigger(t)
	if m.knock != nil {
		ports := append([]uint16(nil), m.knock...)
		sort.Slice(ports, func(i, j int) bool { return ports[i] < ports[j] })
		ps := make([]string, len(ports))
		for i, p := range ports {
			ps[i] = fmt.Sprint(p)
		}
		kind = fmt.Sprintf("a knock sequence of SYNs to closed ports %s", strings.Join(ps, ","))
	}
	dst := label(f.resp, d.st.names.names(f.resp))
	to := "a destination"
	if m.callback {
		to = "a callback to the triggering host, which"
	}
	msg := fmt.Sprintf("device %s received %s from %s and %s later opened %s:%d/%s (%s it had not contacted before in this capture)",
		t.dev, kind, t.from, f.first.Sub(t.at).Round(time.Millisecond), dst, f.rport, protoName(f.proto), to)
	ev := fmt.Sprintf("trigger %s %s:%d -> %s:%d/%s %s; session %s %s:%d -> %s:%d/%s (+%s)",
		ts(t.at), t.from, t.fromPort, t.dev, t.port, protoName(t.proto), triggerDetail(t),
		ts(f.first), f.orig, f.oport, f.resp, f.rport, protoName(f.proto), f.first.Sub(t.at).Round(time.Millisecond))
	d.report(newFinding(RuleTrigger, sev, conf, d.source, msg, ev))
}

func describeTrigger(t *trigger) string {
	switch t.proto {
	case event.TCP:
		if t.f.refused {
			return fmt.Sprintf("a SYN to closed TCP port %d", t.port)
		}
		return fmt.Sprintf("a SYN to unanswered TCP port %d", t.port)
	case event.UDP:
		return fmt.Sprintf("a %d-byte UDP datagram to unanswered port %d", t.f.out, t.port)
	}
	return fmt.Sprintf("an ICMP echo request with a non-standard %d-byte payload", t.f.out)
}

func triggerDetail(t *trigger) string {
	s := fmt.Sprintf("%d B", t.f.out)
	if len(t.f.sample) > 0 {
		s += " payload " + hex.EncodeToString(t.f.sample)
	}
	switch {
	case t.f.refused:
		s += " (reset)"
	case !t.f.answered:
		s += " (no reply)"
	}
	return s
}

// triggeredUpload reports a triggered session that sent far more than it
// received.
func (d *Detector) triggeredUpload(f *flow) {
	if f.out < triggeredUploadMin || f.out < triggeredUploadRatio*(f.in+1) {
		return
	}
	t := f.trig.t
	dst := label(f.resp, d.st.names.names(f.resp))
	msg := fmt.Sprintf("device %s uploaded %s to %s:%d/%s (received %s) in a session opened %s after an unsolicited packet from %s",
		f.orig, units.Bytes(f.out), dst, f.rport, protoName(f.proto), units.Bytes(f.in), f.first.Sub(t.at).Round(time.Millisecond), t.from)
	ev := fmt.Sprintf("trigger %s %s -> %s:%d/%s; session %s..%s %s:%d -> %s:%d/%s out %d B in %d B",
		ts(t.at), t.from, t.dev, t.port, protoName(t.proto), ts(f.first), ts(f.last), f.orig, f.oport, f.resp, f.rport, protoName(f.proto), f.out, f.in)
	d.report(newFinding(RuleTriggeredUpload, finding.High, finding.ConfidenceMedium, d.source, msg, ev))
}
