// Package event is the model shared by the two halves of `doorman traffic`:
// the readers (traffic/capture: pcap, pcapng, Zeek logs) turn a capture into
// a stream of events, and the detectors (traffic/detect) consume that stream.
// Keeping the model small and protocol-light lets each half be tested alone:
// detectors with hand-made events, readers with generated captures.
//
// Events are delivered in capture order, one at a time, from one goroutine.
// A Sink must not keep a *Packet, nor its Payload, after the call returns:
// the reader reuses both (a capture may be larger than memory, and the hot
// path allocates nothing). DNS and Conn events are fresh and may be kept.
package event

import (
	"net/netip"
	"time"
)

// IP protocol numbers used in Proto fields.
const (
	ICMP   uint8 = 1
	TCP    uint8 = 6
	UDP    uint8 = 17
	ICMPv6 uint8 = 58
)

// TCP flag bits as on the wire (TCPFlags).
const (
	FIN uint8 = 0x01
	SYN uint8 = 0x02
	RST uint8 = 0x04
	PSH uint8 = 0x08
	ACK uint8 = 0x10
)

// MaxPayload is how many bytes of a packet's transport payload a reader
// passes on: enough for protocol banners, login exchanges, HTTP request
// heads and ICMP/DNS payload analysis.
const MaxPayload = 1024

// Packet is one IPv4 or IPv6 packet, after link-layer (Ethernet, Linux
// cooked, raw IP) and VLAN tags are removed. TCP, UDP, ICMP and ICMPv6 are
// decoded; other protocols (GRE, ESP, IP-in-IP, SCTP: tunnels to an
// unexpected endpoint matter) come with Proto as read, no ports and the IP
// payload. IP fragments after the first carry no ports.
type Packet struct {
	Time     time.Time
	Src, Dst netip.Addr
	Proto    uint8
	SrcPort  uint16 // 0 for ICMP
	DstPort  uint16
	// Length is the IP packet's total length as the header says (bytes on
	// the wire above the link layer), even when the capture was truncated.
	Length int
	// PayloadLen is the transport payload's length as the headers say;
	// Payload holds its first bytes (at most MaxPayload, fewer when the
	// capture's snap length cut it).
	PayloadLen int
	Payload    []byte
	TCPFlags   uint8 // TCP only
	ICMPType   uint8 // ICMP/ICMPv6 only
	ICMPCode   uint8
}

// DNS is one DNS query or response seen on the wire (UDP or TCP port 53,
// or mDNS 5353) or read from a Zeek dns.log. A reader emits it in addition
// to the Packet that carried it.
type DNS struct {
	Time           time.Time
	Client, Server netip.Addr
	ID             uint16
	Response       bool
	Name           string // the question name, lower case, without the final dot
	QType          uint16 // 1 A, 5 CNAME, 10 NULL, 16 TXT, 28 AAAA, ...
	RCode          uint8
	// Answers are the answer records' data as text: addresses for A/AAAA,
	// names for CNAME/PTR, the joined strings for TXT, hex for NULL.
	Answers []string
}

// Conn is one connection summary from a Zeek conn.log (the readers do not
// build these from packets; detectors build their own flows from Packets).
type Conn struct {
	Start     time.Time
	Duration  time.Duration
	Src, Dst  netip.Addr
	Proto     uint8
	SrcPort   uint16
	DstPort   uint16
	Service   string // Zeek's guess ("dns", "http", "ssl"), may be empty
	OrigBytes int64  // payload bytes sent by the originator (Src)
	RespBytes int64
	OrigPkts  int64
	RespPkts  int64
	State     string // Zeek conn_state ("SF", "S0", "REJ", ...)
	// Source is where the record came from ("conn.log:12") for evidence.
	Source string
}

// Sink receives a capture's events. Implementations are not safe for
// concurrent use; readers call them from one goroutine.
type Sink interface {
	Packet(p *Packet)
	DNS(d *DNS)
	Conn(c *Conn)
}
