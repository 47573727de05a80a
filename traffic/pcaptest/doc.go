// Package pcaptest writes small, valid captures for tests: classic pcap
// (micro- or nanosecond, either byte order) and pcapng (several sections
// and interfaces, any timestamp resolution), over Ethernet (with 802.1Q
// tags), Linux cooked (SLL, SLL2), raw IP and BSD loopback, carrying IPv4
// or IPv6 UDP, TCP (single segments or whole sessions), ICMP echo and DNS.
// It also writes Zeek conn.log and dns.log records, as TSV or JSON lines.
//
// Packets are built with gopacket's layers, so lengths and checksums are
// right and tshark and tcpdump read the files as a real capture. Addresses
// in tests should be documentation ones (192.0.2.0/24, 198.51.100.0/24,
// 203.0.113.0/24, 2001:db8::/32) and names under example.com or .invalid.
//
// Misuse (mixing IPv4 and IPv6 in one packet, pcapng calls on a pcap
// writer) is a bug in the test and panics.
package pcaptest
