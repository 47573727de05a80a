package detect

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"time"

	"github.com/doorman-sec/doorman/finding"
)

// maxEndpointPorts bounds the ports listed per endpoint.
const maxEndpointPorts = 8

// endpoint is a remote address devices connected to.
type endpoint struct {
	src         string
	devs        []netip.Addr // first few devices
	ports       []string
	first, last time.Time
	flows       int64
	out, in     int64
	names       []string // names DNS gave it while it was contacted
	infraOnly   bool     // every connection was DNS, NTP or DHCP
}

// firmwareSet holds the endpoints baked into the firmware.
type firmwareSet struct {
	raw   []string // as given, deduplicated and sorted
	addrs map[netip.Addr]string
	hosts map[string]string
	seen  map[string]bool // raw entries contacted, over all captures
}

func newFirmwareSet(list []string) *firmwareSet {
	fw := &firmwareSet{addrs: map[netip.Addr]string{}, hosts: map[string]string{}, seen: map[string]bool{}}
	uniq := map[string]bool{}
	for _, e := range list {
		e = strings.TrimSpace(e)
		h, ok := endpointHost(e)
		if !ok || uniq[e] {
			continue
		}
		uniq[e] = true
		fw.raw = append(fw.raw, e)
		if ip, err := netip.ParseAddr(h); err == nil {
			fw.addrs[ip] = e
		} else {
			fw.hosts[h] = e
		}
	}
	sort.Strings(fw.raw)
	return fw
}

// match returns the firmware entry an endpoint corresponds to: its
// address, one of its names, or a name under a firmware name (firmware
// that names vendor.example.com may be sent to api.vendor.example.com by
// its cloud); exact is false for the last. Sharing only a registered
// domain is not enough: firmware naming one host on a shared cloud domain
// must not vouch for every other tenant's.
func (fw *firmwareSet) match(ip netip.Addr, names []string) (entry string, exact bool) {
	if e, ok := fw.addrs[ip]; ok {
		return e, true
	}
	for _, n := range names {
		if e, ok := fw.hosts[n]; ok {
			return e, true
		}
	}
	for _, n := range names {
		for p := n; strings.Contains(p, "."); {
			p = p[strings.IndexByte(p, '.')+1:]
			if e, ok := fw.hosts[p]; ok {
				return e, false
			}
		}
	}
	return "", false
}

func (d *Detector) endpointSeen(f *flow) {
	v, ok := d.st.hosts.Get(f.resp)
	if !ok {
		v = d.st.hosts.Put(f.resp)
		*v = &endpoint{src: d.source, first: f.first, infraOnly: true}
	}
	e := *v
	e.infraOnly = e.infraOnly && infraPort(f.proto, f.rport)
	e.flows++
	e.out += f.out
	e.in += f.in
	if f.first.Before(e.first) {
		e.first = f.first
	}
	if f.last.After(e.last) {
		e.last = f.last
	}
	if len(e.devs) < 4 && !containsAddr(e.devs, f.orig) {
		e.devs = append(e.devs, f.orig)
	}
	port := fmt.Sprintf("%d/%s", f.rport, protoName(f.proto))
	if len(e.ports) < maxEndpointPorts && !containsStr(e.ports, port) {
		e.ports = append(e.ports, port)
	}
	for _, n := range d.st.names.names(f.resp) {
		if len(e.names) < maxNamesPerAddr && !containsStr(e.names, n) {
			e.names = append(e.names, n)
		}
	}
}

// analyzeEndpoints cross-checks the remote endpoints devices contacted
// against the allowlist and the firmware's endpoints. Severity:
//
//   - outside the allowlist: medium; high when firmware endpoints were
//     given, the endpoint is not among them and was reached by a bare
//     address (no DNS name) on other than DNS, NTP or DHCP ports (which
//     DHCP hands out by address): nothing on the device or the network says
//     where it came from, which is how hard-wired and pushed C2 addresses look;
//   - no allowlist, not in the firmware: low, medium for a bare address;
//   - in the firmware and contacted: info, for the record.
//
// Local destinations are not endpoints in this sense and are skipped.
func (d *Detector) analyzeEndpoints() {
	allow, fw := d.opts.Allow, d.fw
	haveFW := len(fw.raw) > 0
	if allow == nil && !haveFW {
		return
	}
	d.st.hosts.Each(func(ip netip.Addr, v **endpoint) {
		e := *v
		names := e.names
		if len(names) == 0 {
			names = d.st.names.names(ip)
		}
		entry, exact := "", false
		if haveFW {
			entry, exact = fw.match(ip, names)
		}
		inFW := entry != ""
		if inFW {
			fw.seen[entry] = true
		}
		allowed := allow.Allows(ip, names)
		// A bare address for DNS, NTP or DHCP is normal: DHCP hands those
		// servers out by address.
		bare := len(names) == 0 && !e.infraOnly
		what := label(ip, names)
		ev := fmt.Sprintf("%s -> %s ports %s %s..%s %d flows out %d B in %d B",
			joinAddrs(e.devs), ip, strings.Join(e.ports, ","), ts(e.first), ts(e.last), e.flows, e.out, e.in)
		if len(names) > 0 {
			ev += " names " + strings.Join(names, ",")
		}
		switch {
		case allow != nil && !allowed:
			sev, conf := finding.Medium, finding.ConfidenceHigh
			why := "is not in the allowlist"
			if haveFW && !inFW {
				why = "is neither in the allowlist nor among the firmware's endpoints"
				if bare {
					sev = finding.High
					why += ", and was reached by address without a DNS lookup"
				}
			}
			msg := fmt.Sprintf("device %s contacted %s (%s), which %s", joinAddrs(e.devs), what, strings.Join(e.ports, ", "), why)
			d.report(newFinding(RuleNotAllowed, sev, conf, e.src, msg, ev))
		case allow == nil && haveFW && !inFW:
			sev := finding.Low
			why := ""
			if bare {
				sev, why = finding.Medium, " and was reached by address without a DNS lookup"
			}
			msg := fmt.Sprintf("device %s contacted %s (%s), which is not among the firmware's endpoints%s", joinAddrs(e.devs), what, strings.Join(e.ports, ", "), why)
			d.report(newFinding(RuleNotInFirmware, sev, finding.ConfidenceMedium, e.src, msg, ev))
		}
		if inFW {
			how := "is"
			if !exact {
				how = "is under"
			}
			msg := fmt.Sprintf("device %s contacted %s, which %s the firmware endpoint %q", joinAddrs(e.devs), what, how, entry)
			d.report(newFinding(RuleFirmwareSeen, finding.Info, finding.ConfidenceHigh, e.src, msg, ev+" firmware "+entry))
		}
	})
}

func containsAddr(s []netip.Addr, a netip.Addr) bool {
	for _, x := range s {
		if x == a {
			return true
		}
	}
	return false
}

func containsStr(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func joinAddrs(s []netip.Addr) string {
	parts := make([]string, len(s))
	for i, a := range s {
		parts[i] = a.String()
	}
	return strings.Join(parts, ",")
}
