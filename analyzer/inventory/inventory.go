// Package inventory lists what a target contains, for a reviewer's first
// look and for the diff and traffic commands to build on. It reports no
// findings; its final pass fills two keys of the report's inventory (the
// "binaries" key belongs to analyzer/executable, which reads every
// executable with the exe package):
//
//	endpoints  hard-coded remote endpoints: {kind "url"|"ip", value, host,
//	           path (the first entry, by path), count (in all entries),
//	           private}. URLs (http, https, ftp, tftp) come from keyword
//	           hits in every file, binaries included; bare IPv4 addresses
//	           from a bounded scan of text files only. Documentation
//	           addresses and names (RFC 5737, RFC 2606, .invalid, .test,
//	           .local), templates ("http://%s/") and XML namespace, schema
//	           and license URLs are left out; private, loopback,
//	           link-local and multicast addresses are kept with
//	           "private": true. Deduplicated by value, capped at 1000.
//	           Credentials in URLs are masked.
//	os         detected operating system and component versions: {path,
//	           source, name, id, version, detail} from /etc/os-release,
//	           /usr/lib/os-release, /etc/openwrt_release,
//	           /etc/openwrt_version, /etc/lsb-release, /etc/debian_version,
//	           /etc/version, the "BusyBox v1.x.y" banner in binaries and
//	           the "Linux version x.y.z (" banner in kernel images.
//
// Everything is read from keyword hits and small release files, with
// fixed bounds per entry: no pattern is run over a whole large file.
package inventory

import (
	"bytes"
	"net/netip"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/artifact"
)

// Fact kinds.
const (
	factEndpoints = "inventory-endpoints"
	factOS        = "inventory-os"
)

var keywords = []string{"http://", "https://", "ftp://", "tftp://", "BusyBox v", "Linux version "}

const (
	kwBusyBox = 4
	kwLinux   = 5
)

// Analyzer is the inventory analyzer.
var Analyzer = &analyzer.Analyzer{
	Name:     "inventory",
	Doc:      "lists hard-coded endpoints and detected OS, BusyBox and kernel versions in the report's inventory",
	Keywords: keywords,
	// Every regular entry: release files hold no keyword.
	Wants:  func(e *artifact.Entry) bool { return e.IsRegular() && e.Size > 0 },
	Run:    run,
	Finish: finish,
}

func run(p *analyzer.Pass) {
	e := p.Entry
	if src := osSource(e.Name); src != "" && p.Size() <= maxOSFile {
		if o, ok := ParseRelease(src, p.Data()); ok {
			p.AddFact(factOS, o)
		}
	}
	eps := map[string]*Endpoint{}
	var order []string
	add := func(ep Endpoint) {
		if old, ok := eps[ep.Value]; ok {
			old.Count++
			return
		}
		if len(order) >= maxPerEntry {
			return
		}
		ep.Count = 1
		eps[ep.Value] = &ep
		order = append(order, ep.Value)
	}
	urls := 0
	for _, h := range p.Hits() {
		switch h.Keyword {
		case kwBusyBox:
			if v := busyboxVersion(p.ReadAt(h.Offset, 64)); v != "" {
				p.AddFact(factOS, OS{Source: "busybox", Name: "BusyBox", Version: v})
			}
		case kwLinux:
			if v := kernelVersion(p.ReadAt(h.Offset, 80)); v != "" {
				p.AddFact(factOS, OS{Source: "kernel", Name: "Linux", Version: v})
			}
		default:
			if urls++; urls > maxURLHits {
				continue
			}
			if u := ExtractURL(p.ReadAt(h.Offset, maxURLLen)); u != "" {
				if ep, ok := ClassifyURL(u); ok {
					add(ep)
				}
			}
		}
	}
	if e.Kind == artifact.KindText && p.Size() <= maxIPScanFileLen {
		if data := p.Data(); len(data) > 0 && bytes.IndexByte(data[:min(len(data), 4096)], 0) < 0 {
			ScanIPv4(data, func(a netip.Addr, _ int) {
				if keep, private := classifyIP(a); keep {
					add(Endpoint{Kind: "ip", Value: a.String(), Private: private})
				}
			})
		}
	}
	if len(order) > 0 {
		list := make([]Endpoint, 0, len(order))
		for _, v := range order {
			list = append(list, *eps[v])
		}
		p.AddFact(factEndpoints, list)
	}
}

func finish(fp *analyzer.FinishPass) {
	eps := []Endpoint{}
	index := map[string]int{}
	for _, f := range fp.Facts(factEndpoints) {
		list, ok := f.Value.([]Endpoint)
		if !ok {
			continue
		}
		for _, ep := range list {
			if i, seen := index[ep.Kind+"\x00"+ep.Value]; seen {
				eps[i].Count += ep.Count
				continue
			}
			if len(eps) >= maxEndpoints {
				continue
			}
			ep.Path = f.Path
			index[ep.Kind+"\x00"+ep.Value] = len(eps)
			eps = append(eps, ep)
		}
	}
	fp.Inventory("endpoints", eps)

	oses := []OS{}
	seen := map[OS]bool{}
	for _, f := range fp.Facts(factOS) {
		o, ok := f.Value.(OS)
		if !ok {
			continue
		}
		if seen[o] { // the same version from another file or hit
			continue
		}
		seen[o] = true
		o.Path = f.Path
		oses = append(oses, o)
	}
	fp.Inventory("os", oses)
}
