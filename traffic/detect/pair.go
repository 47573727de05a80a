package detect

import (
	"net/netip"
	"time"
)

// maxSeries bounds the connections remembered per destination: a day of
// one-minute check-ins, and far more than scoring needs.
const maxSeries = 1440

// pairKey is one device's conversation with one destination service.
type pairKey struct {
	dev, dst netip.Addr
	proto    uint8
	port     uint16
}

// conn is one connection of a series.
type conn struct {
	start   time.Time
	dur     time.Duration
	out, in int64
	outPkts int64
}

// pair aggregates a device's connections to one destination service: the
// series for beacon scoring and the byte totals for exfiltration.
type pair struct {
	src       string // the capture it was first seen in
	conns     int64
	out, in   int64
	first     time.Time
	last      time.Time
	series    []conn
	truncated bool // more connections than the series keeps
	longest   conn // the longest single connection
}

// closeFlow folds a finished (or evicted) flow into the aggregates.
func (d *Detector) closeFlow(f *flow) {
	d.sum.flow(d, f)
	if f.trig != nil {
		d.triggeredUpload(f)
	}
	if !f.outbound(d) || isGroup(f.resp) {
		return
	}
	st := d.st
	k := pairKey{dev: f.orig, dst: f.resp, proto: f.proto, port: f.rport}
	pp, ok := st.pairs.Get(k)
	if !ok {
		pp = st.pairs.Put(k)
		*pp = &pair{first: f.first, src: d.source}
	}
	p := *pp
	p.conns++
	p.out += f.out
	p.in += f.in
	if f.first.Before(p.first) {
		p.first = f.first
	}
	if f.last.After(p.last) {
		p.last = f.last
	}
	c := conn{start: f.first, dur: f.last.Sub(f.first), out: f.out, in: f.in, outPkts: f.outPkts}
	if c.dur > p.longest.dur {
		p.longest = c
	}
	if len(p.series) < maxSeries && st.points < d.lim.seriesPoints {
		p.series = append(p.series, c)
		st.points++
	} else {
		p.truncated = true
	}
	if isRemote(f.resp) {
		d.endpointSeen(f)
	}
}

// pairStarted records that a device opened a connection; it reports
// whether this is the first connection from the device to that service in
// the capture (new pairs are what a trigger wakes).
func (d *Detector) pairStarted(f *flow) bool {
	k := pairKey{dev: f.orig, dst: f.resp, proto: f.proto, port: f.rport}
	if _, ok := d.st.pairs.Get(k); ok {
		return false
	}
	*d.st.pairs.Put(k) = &pair{first: f.first, src: d.source}
	return true
}
