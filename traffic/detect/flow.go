package detect

import (
	"net/netip"
	"time"

	"github.com/doorman-sec/doorman/traffic/event"
)

// flowKey is a 5-tuple with its ends in a canonical order, so both
// directions of a conversation find the same flow.
type flowKey struct {
	a, b   netip.Addr
	ap, bp uint16
	proto  uint8
}

func makeKey(proto uint8, src netip.Addr, sp uint16, dst netip.Addr, dp uint16) flowKey {
	if dst.Less(src) || (dst == src && dp < sp) {
		src, dst, sp, dp = dst, src, dp, sp
	}
	return flowKey{a: src, b: dst, ap: sp, bp: dp, proto: proto}
}

// flow is one connection: its originator (the side that sent the first
// packet, or the SYN when the capture starts at a SYN-ACK) and responder,
// with bytes (transport payload, as Zeek counts them) and packets each way.
type flow struct {
	proto        uint8
	orig, resp   netip.Addr
	oport, rport uint16
	first, last  time.Time
	out, in      int64 // payload bytes orig→resp, resp→orig
	outPkts      int64
	inPkts       int64
	synStart     bool // began with a bare SYN: the originator is certain
	answered     bool // the responder sent something back (SYN-ACK, data, reply)
	refused      bool // the responder reset before answering
	closed       bool // FIN or RST seen
	sample       []byte
	zeek         string // conn.log position when built from a Conn record
	cred         *credState
	trig         *triggerMatch
}

// outbound reports a flow a device originated to another host. A UDP
// datagram from a discovery or infrastructure port (SSDP, mDNS, DNS) to
// another port is the device answering a multicast query, not a session
// it opened.
func (f *flow) outbound(d *Detector) bool {
	if f.proto == event.UDP && infraPort(f.proto, f.oport) && !infraPort(f.proto, f.rport) {
		return false
	}
	return d.isDevice(f.orig) && f.orig != f.resp
}

// packet folds one packet into the flow.
func (f *flow) packet(p *event.Packet, src netip.Addr) {
	fromOrig := src == f.orig && p.SrcPort == f.oport
	if f.orig == f.resp { // a host talking to itself: ports decide
		fromOrig = p.SrcPort == f.oport
	}
	if fromOrig {
		f.out += int64(p.PayloadLen)
		f.outPkts++
	} else {
		f.in += int64(p.PayloadLen)
		f.inPkts++
		switch {
		case p.Proto != event.TCP:
			f.answered = true
		case p.TCPFlags&event.RST != 0:
			if !f.answered {
				f.refused = true
			}
		case p.TCPFlags&(event.SYN|event.ACK) == event.SYN|event.ACK || p.PayloadLen > 0:
			f.answered = true
		}
	}
	if p.Proto == event.TCP && p.TCPFlags&(event.FIN|event.RST) != 0 {
		f.closed = true
	}
	f.last = p.Time
}

// splits reports whether packet p on an existing flow's 5-tuple starts a
// new connection: a fresh SYN after the old one closed, or a datagram after
// the exchange went idle.
func (f *flow) splits(p *event.Packet) bool {
	gap := p.Time.Sub(f.last)
	if p.Proto == event.TCP {
		if p.TCPFlags&(event.SYN|event.ACK) == event.SYN && (f.closed || gap > udpIdle) {
			return true
		}
		return gap > tcpIdle
	}
	return gap > udpIdle
}

// flowFromPacket starts a flow at its first packet.
func flowFromPacket(p *event.Packet, src, dst netip.Addr) *flow {
	f := &flow{proto: p.Proto, orig: src, resp: dst, oport: p.SrcPort, rport: p.DstPort, first: p.Time, last: p.Time}
	if p.Proto == event.TCP {
		switch p.TCPFlags & (event.SYN | event.ACK) {
		case event.SYN:
			f.synStart = true
		case event.SYN | event.ACK: // the SYN was before the capture
			f.orig, f.resp, f.oport, f.rport = dst, src, p.DstPort, p.SrcPort
		}
	}
	if n := min(len(p.Payload), 16); n > 0 && (src == f.orig) {
		f.sample = append([]byte(nil), p.Payload[:n]...)
	}
	return f
}

// flowFromConn turns a Zeek conn.log record into a finished flow.
func flowFromConn(c *event.Conn) *flow {
	f := &flow{
		proto: c.Proto, orig: c.Src.Unmap(), resp: c.Dst.Unmap(), oport: c.SrcPort, rport: c.DstPort,
		first: c.Start, last: c.Start.Add(max(c.Duration, 0)),
		out: max(c.OrigBytes, 0), in: max(c.RespBytes, 0), outPkts: max(c.OrigPkts, 0), inPkts: max(c.RespPkts, 0),
		zeek: c.Source, closed: true,
	}
	switch c.State {
	case "REJ":
		f.refused = true
	case "S0": // nothing came back
	default:
		f.answered = c.RespPkts > 0 || c.RespBytes > 0
	}
	f.synStart = c.Proto == event.TCP && c.State != "OTH"
	return f
}
