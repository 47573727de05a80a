package pcaptest

import (
	"encoding/binary"
	"encoding/hex"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// DNSQuery writes a UDP DNS query for name (without the final dot) from
// client to server.
func (w *Writer) DNSQuery(t time.Time, client, server netip.AddrPort, id uint16, name string, qtype uint16) {
	w.UDP(t, client, server, DNSWire(id, name, qtype, false))
}

// DNSResponse writes the server's UDP answer to a query; see DNSWire for
// how answers are written.
func (w *Writer) DNSResponse(t time.Time, client, server netip.AddrPort, id uint16, name string, qtype uint16, answers ...string) {
	w.UDP(t, server, client, DNSWire(id, name, qtype, true, answers...))
}

// DNSWire returns a DNS message with one question. A response carries one
// answer record of type qtype per answer, whose text is an address (A,
// AAAA), a name (CNAME, PTR, NS), the string itself (TXT, split into
// 255-byte strings) or hex (any other type, e.g. NULL). A response with no
// answers has rcode NXDOMAIN. Answer owner names are compression pointers
// to the question, as real servers write them.
func DNSWire(id uint16, name string, qtype uint16, response bool, answers ...string) []byte {
	var flags uint16 = 0x0100 // RD
	if response {
		flags |= 0x8080 // QR, RA
		if len(answers) == 0 {
			flags |= 3 // NXDOMAIN
		}
	} else {
		answers = nil
	}
	b := binary.BigEndian.AppendUint16(nil, id)
	b = binary.BigEndian.AppendUint16(b, flags)
	b = binary.BigEndian.AppendUint16(b, 1)
	b = binary.BigEndian.AppendUint16(b, uint16(len(answers)))
	b = append(b, 0, 0, 0, 0)
	b = appendName(b, name)
	b = binary.BigEndian.AppendUint16(b, qtype)
	b = binary.BigEndian.AppendUint16(b, 1) // IN
	for _, a := range answers {
		b = append(b, 0xc0, 12) // the question's name
		b = binary.BigEndian.AppendUint16(b, qtype)
		b = binary.BigEndian.AppendUint16(b, 1)
		b = binary.BigEndian.AppendUint32(b, 300)
		rd := rdata(qtype, a)
		b = binary.BigEndian.AppendUint16(b, uint16(len(rd)))
		b = append(b, rd...)
	}
	return b
}

// appendName writes name as uncompressed labels.
func appendName(b []byte, name string) []byte {
	for _, l := range strings.Split(strings.TrimSuffix(name, "."), ".") {
		if l == "" {
			continue
		}
		if len(l) > 63 {
			panic("pcaptest: dns label longer than 63 bytes in " + name)
		}
		b = append(append(b, byte(len(l))), l...)
	}
	return append(b, 0)
}

func rdata(qtype uint16, a string) []byte {
	switch qtype {
	case 1, 28: // A, AAAA
		ip, err := netip.ParseAddr(a)
		if err != nil || ip.Is4() != (qtype == 1) {
			panic("pcaptest: dns answer " + a + " does not fit the query type")
		}
		return ip.AsSlice()
	case 2, 5, 12: // NS, CNAME, PTR
		return appendName(nil, a)
	case 16: // TXT
		var b []byte
		for {
			n := min(len(a), 255)
			b = append(append(b, byte(n)), a[:n]...)
			a = a[n:]
			if a == "" {
				return b
			}
		}
	}
	b, err := hex.DecodeString(a)
	if err != nil {
		panic("pcaptest: dns answer of type " + strconv.Itoa(int(qtype)) + " must be hex: " + err.Error())
	}
	return b
}
