package detect

import (
	"encoding/hex"
	"fmt"
	"github.com/doorman-sec/doorman/internal/units"
	"net/netip"
	"time"

	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/traffic/event"
)

// Thresholds of the ICMP payload detector: echo packets whose payload is
// not a standard ping's, per pair of hosts.
const (
	icmpMedium      = 3       // non-standard echo packets for a medium finding
	icmpHigh        = 10      // ... for a high one, with icmpHighBytes
	icmpHighBytes   = 1 << 10 // non-standard payload bytes for a high finding
	maxPingPeriod   = 32      // longest repeating fill pattern accepted as standard
	maxPingPrefix   = 24      // bytes of timestamp/identifier before the fill
	minPingFillTail = 8       // fill bytes needed to recognise a pattern
)

type icmpKey struct{ a, b netip.Addr }

type icmpStat struct {
	src            string
	packets, bytes int64
	first, last    time.Time
	from, to       netip.Addr // of the first non-standard packet
	sample         []byte
}

func isEchoRequest(p *event.Packet) bool {
	return p.Proto == event.ICMP && p.ICMPType == 8 || p.Proto == event.ICMPv6 && p.ICMPType == 128
}

func isEcho(p *event.Packet) bool {
	return isEchoRequest(p) || p.Proto == event.ICMP && p.ICMPType == 0 || p.Proto == event.ICMPv6 && p.ICMPType == 129
}

// standardPing reports whether an echo payload is what ping programs
// send: after an optional timestamp (iputils and BSD ping put a struct
// timeval first), bytes counting up (iputils fills byte i with i, so 0x10,
// 0x11, ... after a 16-byte timeval) or a short repeating pattern (Windows'
// "abcdefghijklmnopqrstuvwabcdefghi", BusyBox's zeros, ping -p). Payloads
// too short to carry data are standard too. The reader may or may not leave
// the 4-byte identifier/sequence in front, so the prefix is searched.
func standardPing(b []byte) bool {
	if len(b) <= minPingFillTail {
		return true
	}
	for start := 0; start <= maxPingPrefix && len(b)-start >= minPingFillTail; start += 4 {
		if counting(b[start:]) || periodic(b[start:]) {
			return true
		}
	}
	return false
}

func counting(b []byte) bool {
	for i := 1; i < len(b); i++ {
		if b[i] != b[i-1]+1 {
			return false
		}
	}
	return true
}

func periodic(b []byte) bool {
	for p := 1; p <= maxPingPeriod && p+minPingFillTail/2 <= len(b)-1; p++ {
		ok := true
		for i := p; i < len(b); i++ {
			if b[i] != b[i-p] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// inspectICMP counts echo packets with non-standard payloads per pair of
// hosts.
func (d *Detector) inspectICMP(p *event.Packet, src, dst netip.Addr) {
	if !isEcho(p) || standardPing(p.Payload) {
		return
	}
	k := icmpKey{src, dst}
	if dst.Less(src) {
		k = icmpKey{dst, src}
	}
	v, ok := d.st.icmp.Get(k)
	if !ok {
		v = d.st.icmp.Put(k)
		*v = &icmpStat{src: d.source, first: p.Time, from: src, to: dst, sample: append([]byte(nil), p.Payload[:min(len(p.Payload), 24)]...)}
	}
	s := *v
	s.packets++
	s.bytes += int64(p.PayloadLen)
	s.last = p.Time
}

func (d *Detector) analyzeICMP() {
	d.st.icmp.Each(func(k icmpKey, v **icmpStat) {
		s := *v
		if s.packets < icmpMedium {
			return
		}
		sev, conf := finding.Medium, finding.ConfidenceMedium
		if s.packets >= icmpHigh && s.bytes >= icmpHighBytes {
			sev, conf = finding.High, finding.ConfidenceHigh
		}
		msg := fmt.Sprintf("%d ICMP echo packets between %s and %s carry %s of payload that no ping program sends",
			s.packets, label(k.a, d.st.names.names(k.a)), label(k.b, d.st.names.names(k.b)), units.Bytes(s.bytes))
		ev := fmt.Sprintf("%s..%s %s <-> %s icmp echo %d packets %d B non-standard payload, first %s -> %s payload %s",
			ts(s.first), ts(s.last), k.a, k.b, s.packets, s.bytes, s.from, s.to, hex.EncodeToString(s.sample))
		d.report(newFinding(RuleICMPPayload, sev, conf, s.src, msg, ev))
	})
}
