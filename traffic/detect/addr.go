package detect

import "net/netip"

// isLocal reports whether an address belongs to a local network: RFC 1918,
// IPv6 ULA, link-local or loopback. Devices under test live there.
func isLocal(a netip.Addr) bool {
	return a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLoopback()
}

// isGroup reports multicast and broadcast destinations: chatter such as
// mDNS, SSDP and DHCP goes there and is never a beacon or an endpoint.
// A private IPv4 address ending in .255 is taken as a subnet broadcast
// (the capture does not say the netmask; /24 is by far the most common).
func isGroup(a netip.Addr) bool {
	if a.IsMulticast() || a.IsLinkLocalMulticast() || a.IsInterfaceLocalMulticast() || a.IsUnspecified() {
		return true
	}
	if a.Is4() {
		b := a.As4()
		if b == [4]byte{255, 255, 255, 255} {
			return true
		}
		if a.IsPrivate() && b[3] == 255 {
			return true
		}
	}
	return false
}

// isRemote reports an address outside every local network: what beacons,
// exfiltration and unexpected endpoints are about.
func isRemote(a netip.Addr) bool {
	return a.IsValid() && !isLocal(a) && !isGroup(a)
}

// infraPort reports the services a device needs just to be on a network
// (DNS, DHCP, NTP, mDNS, LLMNR, NetBIOS, SSDP): their regular traffic is
// normal and DNS has its own covert-channel detector.
func infraPort(proto uint8, port uint16) bool {
	switch port {
	case 53, 67, 68, 137, 138, 5353, 5355, 1900:
		return true
	case 123:
		return proto == 17
	}
	return false
}
