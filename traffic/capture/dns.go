package capture

import (
	"encoding/binary"
	"encoding/hex"
	"net/netip"
	"strconv"
	"strings"
)

// Bounds on what one DNS message may cost to parse.
const (
	maxDNSAnswers   = 64  // answer records read
	maxDNSPointers  = 32  // compression pointers followed for one name
	maxDNSName      = 255 // wire length of a name (RFC 1035)
	maxDNSAnswerTxt = 512 // characters of one answer's text kept
)

// dnsMsg is the part of a DNS message the model keeps.
type dnsMsg struct {
	id       uint16
	response bool
	rcode    uint8
	name     string
	qtype    uint16
	answers  []string
}

// parseDNS reads a DNS message's header, first question and answer
// records. Every length and pointer is checked; names may only point
// backwards and at most maxDNSPointers times, so compression loops end.
// It returns false for what is not a DNS message.
func parseDNS(b []byte) (dnsMsg, bool) {
	var m dnsMsg
	if len(b) < 12 {
		return m, false
	}
	m.id = binary.BigEndian.Uint16(b)
	flags := binary.BigEndian.Uint16(b[2:])
	m.response = flags&0x8000 != 0
	m.rcode = uint8(flags & 0x0f)
	if op := (flags >> 11) & 0x0f; op > 6 { // opcodes 0-6 are assigned
		return m, false
	}
	qd := int(binary.BigEndian.Uint16(b[4:]))
	an := int(binary.BigEndian.Uint16(b[6:]))
	off := 12
	if qd > 0 {
		name, next, ok := dnsName(b, off)
		if !ok || next+4 > len(b) {
			return m, false
		}
		m.name = name
		m.qtype = binary.BigEndian.Uint16(b[next:])
		off = next + 4
		// Further questions (never seen in practice) are skipped.
		for i := 1; i < qd && i < maxDNSAnswers; i++ {
			_, next, ok := dnsName(b, off)
			if !ok || next+4 > len(b) {
				return m, true
			}
			off = next + 4
		}
	} else if !m.response {
		return m, false // a query with no question is not DNS worth reporting
	}
	for i := 0; i < an && i < maxDNSAnswers; i++ {
		owner, next, ok := dnsName(b, off)
		if !ok || next+10 > len(b) {
			break
		}
		typ := binary.BigEndian.Uint16(b[next:])
		if qd == 0 && i == 0 {
			// An mDNS announcement has no question: name it after its
			// first record.
			m.name, m.qtype = owner, typ
		}
		rdlen := int(binary.BigEndian.Uint16(b[next+8:]))
		rd := next + 10
		if rd+rdlen > len(b) {
			break
		}
		if s, ok := dnsRData(b, typ, rd, rdlen); ok {
			m.answers = append(m.answers, s)
		}
		off = rd + rdlen
	}
	return m, true
}

// dnsRData renders one answer's data as text.
func dnsRData(b []byte, typ uint16, off, n int) (string, bool) {
	rd := b[off : off+n]
	switch typ {
	case 1: // A
		if n == 4 {
			return netip.AddrFrom4([4]byte(rd)).String(), true
		}
	case 28: // AAAA
		if n == 16 {
			return netip.AddrFrom16([16]byte(rd)).String(), true
		}
	case 2, 5, 12: // NS, CNAME, PTR
		if name, _, ok := dnsName(b, off); ok {
			return name, true
		}
	case 15: // MX: preference, exchange
		if n > 2 {
			if name, _, ok := dnsName(b, off+2); ok {
				return name, true
			}
		}
	case 33: // SRV: priority, weight, port, target
		if n > 6 {
			if name, _, ok := dnsName(b, off+6); ok {
				return name + ":" + strconv.Itoa(int(binary.BigEndian.Uint16(rd[4:]))), true
			}
		}
	case 16: // TXT: character-strings, joined
		var sb strings.Builder
		for len(rd) > 0 && sb.Len() < maxDNSAnswerTxt {
			l := int(rd[0])
			if 1+l > len(rd) {
				l = len(rd) - 1
			}
			sb.Write(rd[1 : 1+l])
			rd = rd[1+l:]
		}
		s := sb.String()
		return s[:min(len(s), maxDNSAnswerTxt)], true
	default: // NULL and anything else: hex
		rd = rd[:min(len(rd), maxDNSAnswerTxt/2)]
		return hex.EncodeToString(rd), true
	}
	return "", false
}

// dnsName reads the (possibly compressed) name at off and returns it in
// lower case without the final dot, with the offset just after it in the
// message. Bytes other than letters, digits, '-' and '_' (and '.' inside a
// label) are written as \DDD, as dig does, so the text is unambiguous.
func dnsName(b []byte, off int) (string, int, bool) {
	var buf [maxDNSName * 4]byte // each byte may become \DDD
	out := buf[:0]
	next := -1 // where the name ends in the message, set at the first pointer
	wire := 0
	for ptrs := 0; ; {
		if off >= len(b) {
			return "", 0, false
		}
		l := int(b[off])
		switch l & 0xc0 {
		case 0x00:
			if l == 0 {
				if next < 0 {
					next = off + 1
				}
				return string(out), next, true
			}
			wire += 1 + l
			if wire > maxDNSName || off+1+l > len(b) {
				return "", 0, false
			}
			if len(out) > 0 {
				out = append(out, '.')
			}
			for _, c := range b[off+1 : off+1+l] {
				switch {
				case c >= 'A' && c <= 'Z':
					out = append(out, c+'a'-'A')
				case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '_':
					out = append(out, c)
				default:
					out = append(out, '\\', '0'+c/100, '0'+c/10%10, '0'+c%10)
				}
			}
			off += 1 + l
		case 0xc0:
			if off+1 >= len(b) {
				return "", 0, false
			}
			target := int(binary.BigEndian.Uint16(b[off:]) & 0x3fff)
			ptrs++
			// Only backwards, and a bounded number of times: no loops.
			if target >= off || ptrs > maxDNSPointers {
				return "", 0, false
			}
			if next < 0 {
				next = off + 2
			}
			off = target
		default: // 0x40 and 0x80 label types are obsolete or unassigned
			return "", 0, false
		}
	}
}
