package detect

import (
	"net/netip"
	"sort"
)

// topN is how many talkers and destinations the summary lists.
const (
	topN              = 10
	maxSummaryDevices = 256
)

// Summary is the inventory of a traffic run for the report: what was
// seen, who talked most, and how much the bounded tables had to forget.
type Summary struct {
	Sources     []string `json:"sources"`
	Packets     int64    `json:"packets"`
	DNSEvents   int64    `json:"dns_events"`
	ConnRecords int64    `json:"conn_records"`
	Bytes       int64    `json:"bytes"` // IP bytes of the packets
	Flows       int64    `json:"flows"`
	// FlowsEvicted counts flows closed early because the flow table was
	// full (Options.MaxFlows); TablesEvicted the same for the other tables.
	FlowsEvicted    int64    `json:"flows_evicted"`
	TablesEvicted   int64    `json:"tables_evicted"`
	Devices         []Host   `json:"devices"`
	TopTalkers      []Host   `json:"top_talkers"`
	TopDestinations []Host   `json:"top_destinations"`
	FirmwareSeen    []string `json:"firmware_endpoints_contacted,omitempty"`
	FirmwareUnseen  []string `json:"firmware_endpoints_not_contacted,omitempty"`
	Findings        int      `json:"findings"`
}

// Host is one address with its traffic: payload bytes it sent and
// received, and the connections it took part in.
type Host struct {
	Addr  string   `json:"addr"`
	Names []string `json:"names,omitempty"`
	Sent  int64    `json:"bytes_sent"`
	Recv  int64    `json:"bytes_received"`
	Flows int64    `json:"flows"`
}

type hostAcc struct {
	Host
	device, dest bool
	destBytes    int64 // bytes exchanged with devices as their destination
}

// summaryAcc accumulates the summary over all captures, in a bounded table.
type summaryAcc struct {
	sources                    []string
	packets, dns, conns, bytes int64
	flows                      int64
	hosts                      *lru[netip.Addr, *hostAcc]
}

func newSummaryAcc() *summaryAcc {
	return &summaryAcc{hosts: newLRU[netip.Addr, *hostAcc](1 << 16)}
}

func (s *summaryAcc) source(name string) { s.sources = append(s.sources, name) }

func (s *summaryAcc) host(a netip.Addr) *hostAcc {
	v, ok := s.hosts.Get(a)
	if !ok {
		v = s.hosts.Put(a)
		*v = &hostAcc{Host: Host{Addr: a.String()}}
	}
	return *v
}

// flow counts a finished flow.
func (s *summaryAcc) flow(d *Detector, f *flow) {
	s.flows++
	o, r := s.host(f.orig), s.host(f.resp)
	o.Sent += f.out
	o.Recv += f.in
	o.Flows++
	if f.orig != f.resp {
		r.Sent += f.in
		r.Recv += f.out
		r.Flows++
	}
	if d.isDevice(f.orig) {
		o.device = true
		if !isGroup(f.resp) && !d.isDevice(f.resp) {
			r.dest = true
			r.destBytes += f.out + f.in
			for _, n := range d.st.names.names(f.resp) {
				if len(r.Names) < maxNamesPerAddr && !containsStr(r.Names, n) {
					r.Names = append(r.Names, n)
				}
			}
		}
	}
}

// Summary returns the inventory of what the detector has seen so far.
func (d *Detector) Summary() Summary {
	s := d.sum
	out := Summary{
		Sources: append([]string(nil), s.sources...), Packets: s.packets, DNSEvents: s.dns, ConnRecords: s.conns,
		Bytes: s.bytes, Flows: s.flows, FlowsEvicted: d.st.flows.evicted, TablesEvicted: d.st.tableEvictions(),
		Findings: len(d.findings),
	}
	var all []*hostAcc
	s.hosts.Each(func(_ netip.Addr, h **hostAcc) { all = append(all, *h) })
	total := func(h *hostAcc) int64 { return h.Sent + h.Recv }
	sort.Slice(all, func(i, j int) bool {
		if total(all[i]) != total(all[j]) {
			return total(all[i]) > total(all[j])
		}
		return all[i].Addr < all[j].Addr
	})
	for _, h := range all {
		if h.device && len(out.Devices) < maxSummaryDevices {
			out.Devices = append(out.Devices, h.Host)
		}
		if len(out.TopTalkers) < topN {
			out.TopTalkers = append(out.TopTalkers, h.Host)
		}
	}
	dests := make([]*hostAcc, 0)
	for _, h := range all {
		if h.dest {
			dests = append(dests, h)
		}
	}
	sort.SliceStable(dests, func(i, j int) bool { return dests[i].destBytes > dests[j].destBytes })
	for _, h := range dests[:min(len(dests), topN)] {
		out.TopDestinations = append(out.TopDestinations, h.Host)
	}
	for _, e := range d.fw.raw {
		if d.fw.seen[e] {
			out.FirmwareSeen = append(out.FirmwareSeen, e)
		} else {
			out.FirmwareUnseen = append(out.FirmwareUnseen, e)
		}
	}
	return out
}
