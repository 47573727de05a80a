package detect

import (
	"net/netip"
	"time"

	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/traffic/event"
)

// Detector consumes the events of one or more captures and reports
// findings. It implements event.Sink; it is not safe for concurrent use.
type Detector struct {
	opts     Options
	lim      limits
	fw       *firmwareSet
	window   time.Duration
	source   string
	st       *state
	findings []finding.Finding
	ids      map[string]bool
	sum      *summaryAcc
	finished bool
}

// state is what the detector knows about the captures. All captures feed
// one state, so a beacon continues across rotated captures and a Zeek
// dns.log names the addresses of its conn.log; each aggregate remembers the
// capture it was first seen in, and its findings name that capture.
type state struct {
	flows   *lru[flowKey, *flow]
	pairs   *lru[pairKey, *pair]
	names   *nameTable
	devices *lru[netip.Addr, *device]
	domains *lru[domainKey, *dnsDomain]
	icmp    *lru[icmpKey, *icmpStat]
	hosts   *lru[netip.Addr, *endpoint]
	points  int // series points held by all pairs
	first   time.Time
	last    time.Time
	events  int64
}

var _ event.Sink = (*Detector)(nil)

// New returns a Detector configured by opts.
func New(opts Options) *Detector {
	d := &Detector{opts: opts, lim: opts.limits(), ids: map[string]bool{}, sum: newSummaryAcc()}
	d.window = opts.TriggerWindow
	if d.window <= 0 {
		d.window = DefaultTriggerWindow
	}
	d.fw = newFirmwareSet(opts.FirmwareEndpoints)
	d.st = d.newState()
	return d
}

func (d *Detector) newState() *state {
	st := &state{
		flows:   newLRU[flowKey, *flow](d.lim.flows),
		pairs:   newLRU[pairKey, *pair](d.lim.pairs),
		names:   newNameTable(d.lim.names),
		devices: newLRU[netip.Addr, *device](d.lim.devices),
		domains: newLRU[domainKey, *dnsDomain](d.lim.domains),
		icmp:    newLRU[icmpKey, *icmpStat](d.lim.icmp),
		hosts:   newLRU[netip.Addr, *endpoint](d.lim.hosts),
	}
	// A flow pushed out of a full table is closed early: its connection
	// still counts for the series and the byte totals.
	st.flows.onEvict = func(_ flowKey, f **flow) { d.closeFlow(*f) }
	st.pairs.onEvict = func(_ pairKey, p **pair) { st.points -= len((*p).series) }
	return st
}

// SetSource names the capture whose events follow. Connections do not
// continue from one capture into the next: the open ones are closed.
func (d *Detector) SetSource(name string) {
	d.closeOpenFlows()
	d.source = name
	d.sum.source(name)
}

func (d *Detector) closeOpenFlows() {
	var open []*flow
	d.st.flows.Each(func(_ flowKey, f **flow) { open = append(open, *f) })
	for _, f := range open {
		d.closeFlow(f)
	}
	evicted := d.st.flows.evicted
	d.st.flows = newLRU[flowKey, *flow](d.lim.flows)
	d.st.flows.evicted = evicted
	d.st.flows.onEvict = func(_ flowKey, f **flow) { d.closeFlow(*f) }
}

// Packet implements event.Sink.
func (d *Detector) Packet(p *event.Packet) {
	if d.finished || p == nil || !p.Src.IsValid() || !p.Dst.IsValid() {
		return
	}
	d.sum.packets++
	d.sum.bytes += int64(max(p.Length, 0))
	d.seen(p.Time, p.Time)
	switch p.Proto {
	case event.TCP, event.UDP, event.ICMP, event.ICMPv6:
	default:
		return
	}
	src, dst := p.Src.Unmap(), p.Dst.Unmap()
	k := makeKey(p.Proto, src, p.SrcPort, dst, p.DstPort)
	f, ok := d.st.flows.Get(k)
	if ok && (*f).splits(p) {
		old := *f
		d.st.flows.Delete(k)
		d.closeFlow(old)
		ok = false
	}
	var fl *flow
	if ok {
		fl = *f
	} else {
		fl = flowFromPacket(p, src, dst)
		*d.st.flows.Put(k) = fl
		d.flowStarted(fl, p)
	}
	fl.packet(p, src)
	if fl.answered && d.isDevice(fl.resp) && src == fl.resp {
		d.deviceAnswers(fl.resp, fl.proto, fl.rport)
	}
	if p.Proto == event.TCP && len(p.Payload) > 0 {
		d.inspectCredentials(fl, p, src)
	}
	if p.Proto == event.ICMP || p.Proto == event.ICMPv6 {
		d.inspectICMP(p, src, dst)
	}
}

// Conn implements event.Sink: a Zeek conn.log record is a finished flow.
func (d *Detector) Conn(c *event.Conn) {
	if d.finished || c == nil || !c.Src.IsValid() || !c.Dst.IsValid() {
		return
	}
	d.sum.conns++
	f := flowFromConn(c)
	d.seen(f.first, f.last)
	d.flowStarted(f, nil)
	if f.answered && d.isDevice(f.resp) {
		d.deviceAnswers(f.resp, f.proto, f.rport)
	}
	d.closeFlow(f)
}

// DNS implements event.Sink.
func (d *Detector) DNS(q *event.DNS) {
	if d.finished || q == nil {
		return
	}
	d.sum.dns++
	d.seen(q.Time, q.Time)
	if q.Response && q.RCode == 0 {
		for _, a := range q.Answers {
			if ip, err := netip.ParseAddr(a); err == nil {
				d.st.names.add(ip, q.Name)
			}
		}
	}
	d.inspectDNS(q)
}

func (d *Detector) seen(a, b time.Time) {
	st := d.st
	st.events++
	if a.IsZero() {
		return
	}
	if st.first.IsZero() || a.Before(st.first) {
		st.first = a
	}
	if b.After(st.last) {
		st.last = b
	}
}

// isDevice reports whether an address is a device under test.
func (d *Detector) isDevice(a netip.Addr) bool {
	if len(d.opts.Devices) == 0 {
		return isLocal(a) && !isGroup(a)
	}
	for _, p := range d.opts.Devices {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func (st *state) tableEvictions() int64 {
	return st.pairs.evicted + st.names.t.evicted + st.devices.evicted + st.domains.evicted + st.icmp.evicted + st.hosts.evicted
}

// report adds a finding once.
func (d *Detector) report(f finding.Finding) {
	if d.ids[f.ID] {
		return
	}
	d.ids[f.ID] = true
	d.findings = append(d.findings, f)
}

// Finish closes the open connections, runs the analyses that need the
// whole run and returns every finding, sorted. It ends the run: later
// events are ignored and later calls return the same findings.
func (d *Detector) Finish() []finding.Finding {
	if !d.finished {
		d.closeOpenFlows()
		d.analyzeBeacons()
		d.analyzeExfil()
		d.analyzeEndpoints()
		d.analyzeDNS()
		d.analyzeICMP()
		d.finished = true
	}
	out := append([]finding.Finding(nil), d.findings...)
	finding.Sort(out)
	return out
}
