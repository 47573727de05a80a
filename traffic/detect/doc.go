// Package detect holds the detectors of `doorman traffic`: it consumes the
// events of traffic/event (packets, DNS messages, Zeek conn.log records)
// and reports beacons, hidden triggers, exfiltration, covert channels,
// unexpected endpoints and cleartext credentials as findings.
//
//	d := detect.New(detect.Options{Allow: allow, FirmwareEndpoints: eps})
//	d.SetSource("cam.pcap")
//	reader.Run(d) // any event producer; d is an event.Sink
//	findings, summary := d.Finish(), d.Summary()
//
// # Flows
//
// Packets are grouped into flows by 5-tuple. The originator is the side
// that sent the first packet (or the SYN, when the capture starts at the
// SYN-ACK). A 5-tuple silent for 30 s (UDP, ICMP), or a fresh SYN after a
// FIN/RST, starts a new connection, so a beacon that keeps its source port
// still yields one connection per check-in. Bytes are transport payload
// bytes, as Zeek counts them; a conn.log record is a finished flow. DNS
// answers map addresses to the names that were asked for, so findings say
// "c2.example.com (203.0.113.7)".
//
// Devices are Options.Devices, or when none are given every private, ULA
// or link-local address. All captures feed one set of tables, so a beacon
// continues across rotated captures and a Zeek dns.log names the addresses
// of its conn.log; connections do not continue from one capture into the
// next, and a finding names the capture where what it reports was first
// seen. All tables are bounded LRU maps sized from Options.MaxFlows: a full
// flow table closes its least recently seen flow early and the summary
// counts it, so memory depends on configuration, never on the capture.
//
// # Beacons (DM-NET-001, DM-NET-002)
//
// For each (device, destination address, protocol, port), the connection
// start times and the bytes sent per connection are scored as RITA does
// (https://github.com/activecm/rita), with these choices:
//
//   - timing: the intervals between connection starts. Skew score
//     1−|Bowley skewness|·min(1, IQR/(20 % of the median)) (quartile
//     based, so one missed check-in does not ruin it; weighted by the
//     spread, because the skew of intervals that are already tight is
//     sampling noise); dispersion score 1−2·MADM/median (relative, so a 1 h beacon
//     with 20 % jitter scores like a 1 min one: random, Poisson-like
//     arrivals have MADM ≈ 0.7·median and score 0); count score
//     coverage·min(1, n/12), coverage being the share of the capture from
//     the first to the last connection (plus one interval).
//   - size: bytes sent per connection. With tolerance max(32 B, 10 % of
//     the median): skew score as above against the tolerance, dispersion
//     score 1−MADM/tolerance; smallness 1−mode/65535.
//   - timing score and size score are the means of their three parts; the
//     beacon score is the mean of the two.
//
// A series is scored with at least 6 connections and a median interval of
// at least 2 s (shorter is a burst, like a web page loading). Reported
// medium when the beacon score and the timing score are both ≥ 0.70; high
// when both are ≥ 0.80, with at least 10 connections spanning at least half
// the capture (confidence high from 0.90) — and only when something says
// the destination is unexpected: an allowlist (--allow) that does not list
// it, or firmware endpoints (--firmware-report) that do not name it.
// Without either, a vendor's hourly cloud check-in looks exactly like a
// callback, so it stays medium and the message says why. Low when the
// destination is on a local network. Not scored: multicast and broadcast destinations, DNS,
// DHCP, mDNS, LLMNR, NetBIOS and SSDP ports, UDP 123 when every packet has
// NTP's size (48–120 bytes; NTP polls every 64–1024 s by design), and
// allowlisted destinations. A single session lasting at least 10 minutes
// and 80 % of the capture is reported too (DM-NET-002, medium): a
// persistent control channel needs no reconnects.
//
// # Covert channels (DM-NET-010, DM-NET-011)
//
// DNS: per (client, registered domain), the unique names asked. A name is
// long when at least 20 characters stand left of the registered domain with
// a character entropy of at least 3 bits. High with ≥ 30 unique long names
// carrying ≥ 1200 characters; medium with ≥ 10 and ≥ 300, or ≥ 20 unique
// TXT/NULL/CNAME queries with ≥ 5 long names. Repeated names count once (a
// long CDN name asked a hundred times is one name); .local (mDNS) and
// .arpa are skipped; an allowlisted domain is reported low (antivirus and
// blocklist services look names up by hash).
//
// ICMP: echo requests and replies whose payload is not a standard ping's:
// after an optional timestamp of up to 24 bytes, bytes counting up (iputils
// fills byte i with i) or a pattern repeating with a period up to 32
// (Windows' "abcdefghijklmnopqrstuvwabcdefghi", BusyBox zeros, ping -p).
// Medium from 3 such packets between two hosts, high from 10 carrying
// 1 KiB.
//
// # Hidden triggers (DM-NET-020, DM-NET-021)
//
// An unsolicited inbound connection to a device (a TCP SYN, a UDP datagram
// not from a service the device contacted, an echo request with a
// non-standard payload) that the device does not answer, on a port it never
// answered on, is a trigger candidate. When within 10 s (Options.
// TriggerWindow) the device opens a session to a destination and port it
// had not contacted before in the capture — DNS, NTP, DHCP and allowlisted
// destinations excepted — the pair is reported: critical for a knock
// sequence (SYNs to ≥ 3 closed ports within 30 s) followed by a callback to
// the knocking host; high for a callback alone, a knock alone, or a magic
// UDP/ICMP payload; medium (confidence low) for a SYN to a closed port
// followed by a session elsewhere, which chance can explain. A triggered
// session that then sends ≥ 64 KiB and 4× what it receives is also
// reported as data-exfiltration (high). A device answering a request on
// its own open port, or uploading on its own schedule, wakes nothing.
//
// # Exfiltration (DM-NET-030)
//
// Per (device, remote destination, port) over the capture: ≥ 1 MiB sent
// and 4× more sent than received is medium, ≥ 16 MiB high (with the same
// condition as beacons: high needs an allowlist or firmware endpoints that
// leave the destination out). Allowlisted destinations (a camera's cloud
// recorder) are not reported.
//
// # Endpoints (DM-NET-040, DM-NET-041, DM-NET-042)
//
// Only when an allowlist or firmware endpoints are given. A remote
// destination outside the allowlist is medium — high when firmware
// endpoints were given, it is not among them, and it was reached by bare
// address with no DNS name, on other than DNS, NTP or DHCP ports (nothing
// on the device or the wire says where the address came from, which is how
// hard-wired or pushed C2 addresses look; DHCP hands out DNS and NTP
// servers by address). Without an allowlist, a destination absent from
// the firmware endpoints is low (medium by bare address). A firmware
// endpoint contacted is info, for the record; one matches by address, by
// name, or by being under a firmware name (api.vendor.example.com under
// vendor.example.com; sharing only a registered domain is not enough on
// shared cloud domains). Firmware endpoints contacted and not contacted are
// listed in the Summary. Local destinations are skipped.
//
// # Cleartext credentials (DM-NET-050, DM-NET-051)
//
// Telnet (the client's reply to login:/Password: prompts, telnet option
// negotiation removed), FTP and POP3 USER/PASS, IMAP LOGIN, HTTP
// Authorization/Proxy-Authorization: Basic on any port. The password is
// masked with finding.Mask. A device sending the password is
// hardcoded-credential, high: the credential is in its firmware or
// configuration and now on the wire. Anyone else logging in (to the
// device, or between other hosts) is weak-integrity, medium. FTP's
// anonymous login is not a credential.
package detect
