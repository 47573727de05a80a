// Package capture reads network captures and Zeek logs into the event model
// of traffic/event: the reading half of `doorman traffic`.
//
// The format is found from the content, never from the name: classic pcap
// (either byte order, microsecond or nanosecond timestamps), pcapng (any
// number of sections and interfaces, each with its own link type, byte order
// and timestamp resolution), Zeek conn.log and dns.log as TSV or JSON lines,
// and a gzip-compressed version of any of these.
//
// Captures are hostile input. The reader streams: it never holds more than
// one record (at most MaxRecord bytes) plus a fixed read buffer, so a capture
// larger than memory, or one whose headers lie about lengths, costs bounded
// memory and time proportional to its size. Frames it cannot decode are
// counted in Stats.Undecoded and skipped; a truncated or corrupt file stops
// the read with an error naming the record and offset, and the Stats and
// events of everything before it stand.
//
// Packets are decoded by hand (link layer, IPv4/IPv6, TCP/UDP/ICMP) straight
// from the read buffer: the hot path makes no allocation, and the
// *event.Packet handed to the sink, like its Payload, is reused for the next
// packet. DNS and Conn events are allocated afresh and may be kept.
package capture
