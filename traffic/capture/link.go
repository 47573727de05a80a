package capture

import (
	"encoding/binary"
	"strconv"
)

// Link types (the LINKTYPE_/DLT_ numbers used in pcap and pcapng).
const (
	linkNull     = 0   // BSD loopback: 4-byte address family in the writer's byte order
	linkEthernet = 1   //
	linkRaw12    = 12  // DLT_RAW on most systems
	linkRaw14    = 14  // DLT_RAW on OpenBSD
	linkRaw      = 101 // LINKTYPE_RAW
	linkLoop     = 108 // OpenBSD loopback: address family big-endian
	linkSLL      = 113 // Linux cooked capture v1
	linkIPv4     = 228
	linkIPv6     = 229
	linkSLL2     = 276 // Linux cooked capture v2
)

func linkName(lt uint32) string {
	switch lt {
	case linkNull:
		return "null"
	case linkEthernet:
		return "ethernet"
	case linkRaw12, linkRaw14, linkRaw:
		return "raw"
	case linkLoop:
		return "loop"
	case linkSLL:
		return "linux-sll"
	case linkIPv4:
		return "ipv4"
	case linkIPv6:
		return "ipv6"
	case linkSLL2:
		return "linux-sll2"
	}
	return "linktype-" + strconv.FormatUint(uint64(lt), 10)
}

// EtherTypes handled.
const (
	etIPv4   = 0x0800
	etIPv6   = 0x86DD
	etVLAN   = 0x8100 // 802.1Q
	etQinQ   = 0x88A8 // 802.1ad
	etQinQ1  = 0x9100 // pre-standard QinQ
	etQinQ2  = 0x9200
	etPPPoE  = 0x8864 // PPPoE session stage
	etMPLS   = 0x8847
	etMPLSmc = 0x8848
)

// maxMPLSLabels bounds the label stack walked; real stacks hold a few.
const maxMPLSLabels = 16

// linkPayload strips the link layer of a frame and returns the IP packet it
// carries, or false when the frame carries something else or is cut short.
func linkPayload(link uint32, b []byte) ([]byte, bool) {
	switch link {
	case linkEthernet:
		if len(b) < 14 {
			return nil, false
		}
		return etherPayload(b[14:], binary.BigEndian.Uint16(b[12:]))
	case linkRaw12, linkRaw14, linkRaw, linkIPv4, linkIPv6:
		return b, true
	case linkSLL:
		if len(b) < 16 {
			return nil, false
		}
		return etherPayload(b[16:], binary.BigEndian.Uint16(b[14:]))
	case linkSLL2:
		if len(b) < 20 {
			return nil, false
		}
		return etherPayload(b[20:], binary.BigEndian.Uint16(b))
	case linkNull, linkLoop:
		if len(b) < 4 {
			return nil, false
		}
		var fam uint32
		if link == linkLoop {
			fam = binary.BigEndian.Uint32(b)
		} else {
			// Written in the capturing host's byte order: the family is
			// small, so a value with high bits set is the other order.
			fam = binary.LittleEndian.Uint32(b)
			if fam > 0xffff {
				fam = binary.BigEndian.Uint32(b)
			}
		}
		switch fam {
		case 2, 10, 24, 28, 30: // AF_INET; AF_INET6 on Linux, NetBSD/OpenBSD, FreeBSD, Darwin
			return b[4:], true
		}
	}
	return nil, false
}

// etherPayload follows an EtherType through any number of VLAN tags (each
// costs 4 bytes of the frame, so the walk is bounded by its length), PPPoE
// and MPLS to an IPv4 or IPv6 packet.
func etherPayload(b []byte, et uint16) ([]byte, bool) {
	for {
		switch et {
		case etIPv4, etIPv6:
			return b, true
		case etVLAN, etQinQ, etQinQ1, etQinQ2:
			if len(b) < 4 {
				return nil, false
			}
			et = binary.BigEndian.Uint16(b[2:])
			b = b[4:]
		case etPPPoE:
			// 6-byte PPPoE header, then the 2-byte PPP protocol.
			if len(b) < 8 {
				return nil, false
			}
			switch binary.BigEndian.Uint16(b[6:]) {
			case 0x0021, 0x0057: // PPP IPv4, IPv6
				return b[8:], true
			}
			return nil, false
		case etMPLS, etMPLSmc:
			for i := 0; ; i++ {
				if len(b) < 4 || i == maxMPLSLabels {
					return nil, false
				}
				bottom := b[2]&1 != 0
				b = b[4:]
				if bottom {
					break
				}
			}
			// MPLS does not say what it carries: IP if it looks like IP.
			if len(b) > 0 && (b[0]>>4 == 4 || b[0]>>4 == 6) {
				return b, true
			}
			return nil, false
		default:
			return nil, false
		}
	}
}
