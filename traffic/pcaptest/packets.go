package pcaptest

import (
	"encoding/binary"
	"net"
	"net/netip"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

var serializeOpts = gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}

// ipLayer builds the network layer for src → dst.
func ipLayer(src, dst netip.Addr, proto layers.IPProtocol) gopacket.NetworkLayer {
	if src.Is4() != dst.Is4() {
		panic("pcaptest: " + src.String() + " and " + dst.String() + " are of different families")
	}
	if src.Is4() {
		return &layers.IPv4{Version: 4, TTL: 64, Protocol: proto, Id: 1, Flags: layers.IPv4DontFragment,
			SrcIP: net.IP(src.AsSlice()), DstIP: net.IP(dst.AsSlice())}
	}
	return &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: proto,
		SrcIP: net.IP(src.AsSlice()), DstIP: net.IP(dst.AsSlice())}
}

// packet serializes the network layer, a transport layer and payload, and
// frames the result for the writer's link.
func (w *Writer) packet(t time.Time, nl gopacket.NetworkLayer, tl gopacket.SerializableLayer, payload []byte) {
	buf := gopacket.NewSerializeBuffer()
	ls := []gopacket.SerializableLayer{nl.(gopacket.SerializableLayer)}
	if tl != nil {
		ls = append(ls, tl)
	}
	ls = append(ls, gopacket.Payload(payload))
	if err := gopacket.SerializeLayers(buf, serializeOpts, ls...); err != nil {
		panic("pcaptest: " + err.Error())
	}
	w.IP(t, buf.Bytes())
}

// IP writes a raw IPv4 or IPv6 packet (which may be hand-made or
// malformed) framed for the writer's link.
func (w *Writer) IP(t time.Time, ip []byte) {
	v6 := len(ip) > 0 && ip[0]>>4 == 6
	et := layers.EthernetTypeIPv4
	if v6 {
		et = layers.EthernetTypeIPv6
	}
	f := w.frame[:0]
	switch w.o.Link {
	case Ethernet:
		eth := &layers.Ethernet{
			SrcMAC: net.HardwareAddr{0x02, 0, 0x5e, 0, 0x53, 0x01},
			DstMAC: net.HardwareAddr{0x02, 0, 0x5e, 0, 0x53, 0x02},
		}
		vlans := w.o.VLANs
		if w.o.VLAN != 0 {
			vlans = append([]uint16{w.o.VLAN}, vlans...)
		}
		ls := []gopacket.SerializableLayer{eth}
		next := &eth.EthernetType
		for i, id := range vlans {
			if i < len(vlans)-1 {
				*next = layers.EthernetTypeQinQ
			} else {
				*next = layers.EthernetTypeDot1Q
			}
			tag := &layers.Dot1Q{VLANIdentifier: id}
			ls = append(ls, tag)
			next = &tag.Type
		}
		*next = et
		ls = append(ls, gopacket.Payload(ip))
		buf := gopacket.NewSerializeBuffer()
		if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{}, ls...); err != nil {
			panic("pcaptest: " + err.Error())
		}
		f = append(f, buf.Bytes()...)
	case SLL:
		var h [16]byte
		binary.BigEndian.PutUint16(h[0:], 4) // sent by us
		binary.BigEndian.PutUint16(h[2:], 1) // ARPHRD_ETHER
		binary.BigEndian.PutUint16(h[4:], 6)
		copy(h[6:], []byte{0x02, 0, 0x5e, 0, 0x53, 0x01})
		binary.BigEndian.PutUint16(h[14:], uint16(et))
		f = append(append(f, h[:]...), ip...)
	case SLL2:
		var h [20]byte
		binary.BigEndian.PutUint16(h[0:], uint16(et))
		binary.BigEndian.PutUint32(h[4:], 2) // interface index
		binary.BigEndian.PutUint16(h[8:], 1) // ARPHRD_ETHER
		h[10] = 4                            // outgoing
		h[11] = 6
		copy(h[12:], []byte{0x02, 0, 0x5e, 0, 0x53, 0x01})
		f = append(append(f, h[:]...), ip...)
	case Null:
		fam := uint32(2)
		if v6 {
			fam = 24 // AF_INET6 on NetBSD and OpenBSD; what tcpdump expects everywhere
		}
		var h [4]byte
		w.order.PutUint32(h[:], fam)
		f = append(append(f, h[:]...), ip...)
	default:
		f = append(f, ip...)
	}
	w.frame = f
	w.Frame(t, f)
}

// UDP writes one UDP datagram.
func (w *Writer) UDP(t time.Time, src, dst netip.AddrPort, payload []byte) {
	nl := ipLayer(src.Addr(), dst.Addr(), layers.IPProtocolUDP)
	u := &layers.UDP{SrcPort: layers.UDPPort(src.Port()), DstPort: layers.UDPPort(dst.Port())}
	u.SetNetworkLayerForChecksum(nl)
	w.packet(t, nl, u, payload)
}

// TCP flag bits, as on the wire.
const (
	FIN uint8 = 0x01
	SYN uint8 = 0x02
	RST uint8 = 0x04
	PSH uint8 = 0x08
	ACK uint8 = 0x10
)

// TCP writes one TCP segment. Sequence and acknowledgement numbers follow
// what the writer has already sent between the two endpoints, so calls for
// one connection make a consistent stream.
func (w *Writer) TCP(t time.Time, src, dst netip.AddrPort, flags uint8, payload []byte) {
	nl := ipLayer(src.Addr(), dst.Addr(), layers.IPProtocolTCP)
	key := [2]string{src.String(), dst.String()}
	back := [2]string{dst.String(), src.String()}
	seq, ok := w.seq[key]
	if !ok {
		seq = 1000 * uint32(src.Port())
	}
	tc := &layers.TCP{
		SrcPort: layers.TCPPort(src.Port()), DstPort: layers.TCPPort(dst.Port()),
		Seq: seq, Ack: w.seq[back], Window: 64240,
		FIN: flags&FIN != 0, SYN: flags&SYN != 0, RST: flags&RST != 0,
		PSH: flags&PSH != 0, ACK: flags&ACK != 0,
	}
	tc.SetNetworkLayerForChecksum(nl)
	next := seq + uint32(len(payload))
	if flags&(SYN|FIN) != 0 {
		next++
	}
	w.seq[key] = next
	w.packet(t, nl, tc, payload)
}

// TCPSession writes a whole connection from client to server: the
// handshake, then clientData[i] and serverData[i] in turn (PSH|ACK), then
// both FINs and the last ACK. Packets are 1 ms apart; it returns the time
// of the last one.
func (w *Writer) TCPSession(t time.Time, client, server netip.AddrPort, clientData, serverData [][]byte) time.Time {
	step := func() time.Time { t = t.Add(time.Millisecond); return t }
	w.TCP(t, client, server, SYN, nil)
	w.TCP(step(), server, client, SYN|ACK, nil)
	w.TCP(step(), client, server, ACK, nil)
	for i := 0; i < max(len(clientData), len(serverData)); i++ {
		if i < len(clientData) {
			w.TCP(step(), client, server, PSH|ACK, clientData[i])
		}
		if i < len(serverData) {
			w.TCP(step(), server, client, PSH|ACK, serverData[i])
		}
	}
	w.TCP(step(), client, server, FIN|ACK, nil)
	w.TCP(step(), server, client, FIN|ACK, nil)
	w.TCP(step(), client, server, ACK, nil)
	return t
}

// ICMPEcho writes an echo request (ICMP type 8, or ICMPv6 128 between IPv6
// addresses).
func (w *Writer) ICMPEcho(t time.Time, src, dst netip.Addr, id, seq uint16, payload []byte) {
	w.icmpEcho(t, src, dst, id, seq, payload, false)
}

// ICMPEchoReply writes an echo reply (type 0, or ICMPv6 129).
func (w *Writer) ICMPEchoReply(t time.Time, src, dst netip.Addr, id, seq uint16, payload []byte) {
	w.icmpEcho(t, src, dst, id, seq, payload, true)
}

func (w *Writer) icmpEcho(t time.Time, src, dst netip.Addr, id, seq uint16, payload []byte, reply bool) {
	if src.Is4() {
		nl := ipLayer(src, dst, layers.IPProtocolICMPv4)
		typ := uint8(layers.ICMPv4TypeEchoRequest)
		if reply {
			typ = layers.ICMPv4TypeEchoReply
		}
		w.packet(t, nl, &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(typ, 0), Id: id, Seq: seq}, payload)
		return
	}
	nl := ipLayer(src, dst, layers.IPProtocolICMPv6)
	typ := uint8(layers.ICMPv6TypeEchoRequest)
	if reply {
		typ = layers.ICMPv6TypeEchoReply
	}
	ic := &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(typ, 0)}
	ic.SetNetworkLayerForChecksum(nl)
	// The echo identifier and sequence lead the ICMPv6 message body.
	body := binary.BigEndian.AppendUint16(binary.BigEndian.AppendUint16(nil, id), seq)
	w.packet(t, nl, ic, append(body, payload...))
}
