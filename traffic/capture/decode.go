package capture

import (
	"encoding/binary"
	"net/netip"
	"time"

	"github.com/doorman-sec/doorman/traffic/event"
)

// decoder turns frames into events. One per Read; its Packet is reused.
type decoder struct {
	sink  event.Sink
	st    *Stats
	max   int // payload bytes passed on
	links map[uint32]struct{}
	pkt   event.Packet
}

func newDecoder(sink event.Sink, st *Stats, opts Options) *decoder {
	return &decoder{sink: sink, st: st, max: opts.MaxPayload, links: map[uint32]struct{}{}}
}

func (d *decoder) noteLink(lt uint32) { d.links[lt] = struct{}{} }

// undecodable counts a record that cannot even be framed.
func (d *decoder) undecodable() {
	d.st.Packets++
	d.st.Undecoded++
}

// frame decodes one captured frame. data is only valid during the call.
func (d *decoder) frame(link uint32, t time.Time, data []byte, orig uint32) {
	st := d.st
	st.Packets++
	if int64(orig) < int64(len(data)) {
		orig = uint32(len(data))
	}
	st.Bytes += int64(orig)
	if !t.IsZero() {
		st.noteTime(t)
	}
	ip, ok := linkPayload(link, data)
	if !ok || !d.ip(t, ip) {
		st.Undecoded++
	}
}

// maxExtHeaders bounds the IPv6 extension-header chain walked.
const maxExtHeaders = 16

// ip decodes an IPv4 or IPv6 packet and sends its events; false when the
// headers are malformed or cut before the transport header's ports.
//
// Protocols other than TCP, UDP, ICMP and ICMPv6 (GRE, ESP, IP-in-IP,
// SCTP, ...) are passed on too, with Proto as read, no ports and the IP
// payload: a tunnel to an unexpected endpoint is what a backdoor uses,
// and dropping it would hide it from the detectors. Checksums are not
// verified: captures taken on the sending host carry offloaded (wrong)
// ones.
func (d *decoder) ip(t time.Time, b []byte) bool {
	if len(b) == 0 {
		return false
	}
	p := &d.pkt
	var (
		proto    uint8
		l4       []byte // transport header and payload as captured
		l4Len    int    // its length as the IP header says
		nonFirst bool   // a fragment after the first: no transport header
	)
	switch b[0] >> 4 {
	case 4:
		if len(b) < 20 {
			return false
		}
		ihl := int(b[0]&0x0f) * 4
		total := int(binary.BigEndian.Uint16(b[2:]))
		if ihl < 20 || len(b) < ihl {
			return false
		}
		if total == 0 {
			// Segmentation offload: the stack had not filled it in yet.
			total = len(b)
		} else if total < ihl {
			return false
		}
		proto = b[9]
		nonFirst = binary.BigEndian.Uint16(b[6:])&0x1fff != 0
		p.Src = netip.AddrFrom4([4]byte(b[12:16]))
		p.Dst = netip.AddrFrom4([4]byte(b[16:20]))
		p.Length = total
		end := min(total, len(b)) // drop Ethernet padding; keep what the snap length left
		l4, l4Len = b[ihl:end], total-ihl
	case 6:
		if len(b) < 40 {
			return false
		}
		plen := int(binary.BigEndian.Uint16(b[4:]))
		if plen == 0 {
			plen = len(b) - 40 // jumbogram or offload
		}
		p.Src = netip.AddrFrom16([16]byte(b[8:24]))
		p.Dst = netip.AddrFrom16([16]byte(b[24:40]))
		p.Length = 40 + plen
		rest := b[40:min(40+plen, len(b))]
		nh := b[6]
		used := 0
	chain:
		for i := 0; ; i++ {
			var n int
			switch nh {
			case 0, 43, 60, 135, 139, 140: // hop-by-hop, routing, destination, mobility, HIP, shim6
				if len(rest) < 2 {
					return false
				}
				n = (int(rest[1]) + 1) * 8
			case 51: // AH counts in 4-byte units
				if len(rest) < 2 {
					return false
				}
				n = (int(rest[1]) + 2) * 4
			case 44: // fragment
				if len(rest) < 8 {
					return false
				}
				n = 8
				if binary.BigEndian.Uint16(rest[2:])>>3 != 0 {
					nonFirst = true
				}
			default:
				break chain
			}
			if i == maxExtHeaders || len(rest) < n {
				return false
			}
			nh = rest[0]
			rest = rest[n:]
			used += n
		}
		proto = nh
		l4, l4Len = rest, max(plen-used, 0)
	default:
		return false
	}
	p.Time = t
	p.Proto = proto
	p.SrcPort, p.DstPort = 0, 0
	p.TCPFlags, p.ICMPType, p.ICMPCode = 0, 0, 0
	payload, plen := l4, l4Len
	if !nonFirst {
		switch proto {
		case event.TCP:
			if len(l4) < 4 {
				return false
			}
			p.SrcPort = binary.BigEndian.Uint16(l4)
			p.DstPort = binary.BigEndian.Uint16(l4[2:])
			hl := 20
			if len(l4) >= 13 {
				hl = max(int(l4[12]>>4)*4, 20)
			}
			if len(l4) >= 14 {
				p.TCPFlags = l4[13]
			}
			payload, plen = l4[min(hl, len(l4)):], l4Len-hl
		case event.UDP:
			if len(l4) < 4 {
				return false
			}
			p.SrcPort = binary.BigEndian.Uint16(l4)
			p.DstPort = binary.BigEndian.Uint16(l4[2:])
			payload, plen = l4[min(8, len(l4)):], l4Len-8
		case event.ICMP, event.ICMPv6:
			if len(l4) < 2 {
				return false
			}
			p.ICMPType, p.ICMPCode = l4[0], l4[1]
			payload, plen = l4[min(8, len(l4)):], l4Len-8
		}
	}
	p.PayloadLen = max(plen, 0)
	p.Payload = payload[:min(len(payload), d.max)]
	d.sink.Packet(p)
	if !nonFirst {
		d.maybeDNS(t, payload)
	}
	return true
}

// DNS ports: unicast DNS and multicast DNS.
const (
	portDNS  = 53
	portMDNS = 5353
)

// maybeDNS parses the payload of a packet to or from a DNS port.
func (d *decoder) maybeDNS(t time.Time, payload []byte) {
	p := &d.pkt
	switch p.Proto {
	case event.UDP:
		if p.SrcPort != portDNS && p.DstPort != portDNS && p.SrcPort != portMDNS && p.DstPort != portMDNS {
			return
		}
	case event.TCP:
		if p.SrcPort != portDNS && p.DstPort != portDNS {
			return
		}
		// A message whole in one segment behind its 2-byte length; a
		// message split over segments is not reassembled.
		if len(payload) < 2+12 || int(binary.BigEndian.Uint16(payload)) > len(payload)-2 {
			return
		}
		payload = payload[2 : 2+int(binary.BigEndian.Uint16(payload))]
	default:
		return
	}
	m, ok := parseDNS(payload)
	if !ok {
		return
	}
	ev := &event.DNS{
		Time: t, ID: m.id, Response: m.response, Name: m.name,
		QType: m.qtype, RCode: m.rcode, Answers: m.answers,
	}
	if m.response {
		ev.Client, ev.Server = p.Dst, p.Src
	} else {
		ev.Client, ev.Server = p.Src, p.Dst
	}
	d.st.DNS++
	d.sink.DNS(ev)
}
