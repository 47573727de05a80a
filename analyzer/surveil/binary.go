package surveil

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/inventory"
	"github.com/doorman-sec/doorman/finding"
)

// maxHitsRead bounds the keyword hits whose strings are read in one binary.
const maxHitsRead = 2000

// Imported symbols that mean something here. Whole names from .dynsym.
var (
	videoImports   = []string{"v4l2_open", "v4l2_ioctl", "v4l2_fd_open", "v4l2_read"}
	micImports     = []string{"snd_pcm_readi", "snd_pcm_readn", "snd_pcm_mmap_readi", "snd_pcm_mmap_readn", "pa_simple_read"}
	screenImports  = []string{"XGetImage", "XShmGetImage", "XCompositeNameWindowPixmap"}
	connectImports = []string{"connect", "curl_easy_perform", "curl_multi_perform"}
	sendtoImports  = []string{"sendto", "sendmsg"}
	recvImports    = []string{"recvfrom", "recvmsg", "recv"}
	serverImports  = []string{"listen", "accept", "accept4"}
	sniffImports   = []string{"pcap_open_live", "pcap_loop", "pcap_next_ex", "pcap_setfilter"}
)

// binEvidence is what one binary shows.
type binEvidence struct {
	strong, weak []string // capture evidence, for the message
	kinds        map[string]bool
	firstOff     int64
	firstText    string
	outbound     []string
	serves       bool
	trigger      string
	endpoint     string
}

func (b *binEvidence) capture(kind, what string, strong bool, off int64, text string) {
	if strong {
		b.strong = appendOnce(b.strong, what)
	} else {
		b.weak = appendOnce(b.weak, what)
	}
	b.kinds[kind] = true
	if b.firstOff < 0 || (off >= 0 && off < b.firstOff) {
		b.firstOff, b.firstText = off, text
	}
}

func runBinary(p *analyzer.Pass) {
	ev := &binEvidence{kinds: map[string]bool{}, firstOff: -1}
	var d *Dynsyms
	if src := p.Source(); src != nil {
		d = ReadDynsyms(src, src.Size())
	}
	postVerb := false
	var urls []struct {
		u   string
		ctx string
		off int64
	}
	for i, h := range p.Hits() {
		if i >= maxHitsRead {
			break
		}
		k := h.Keyword
		switch {
		case k == 0 || k == 1:
			s := cStringAround(p, h.Offset)
			ev.capture("camera", fmt.Sprintf("opens %q", clip(s)), true, h.Offset, s)
		case k == 3:
			s := cStringAround(p, h.Offset)
			ev.capture("camera", fmt.Sprintf("names V4L2 ioctls (%q)", clip(s)), true, h.Offset, s)
		case k == 4:
			// "/dev/snd/pcmC%dD%dc": the final c is a capture node, p playback.
			if s := cStringAround(p, h.Offset); strings.HasSuffix(s, "c") {
				ev.capture("microphone", fmt.Sprintf("opens %q", clip(s)), true, h.Offset, s)
			}
		case k == 8:
			s := cStringAround(p, h.Offset)
			ev.capture("microphone", fmt.Sprintf("opens %q", clip(s)), false, h.Offset, s)
		case (k == 9 || k == 10) && d == nil:
			// A static binary: the name among its strings is all there is.
			ev.capture("screen", "names "+keywords[k], true, h.Offset, keywords[k])
		case k == 11:
			s := cStringAround(p, h.Offset)
			ev.capture("screen", fmt.Sprintf("opens %q", clip(s)), false, h.Offset, s)
		case k == 12:
			s := cStringAround(p, h.Offset)
			ev.capture("input", fmt.Sprintf("opens %q", clip(s)), false, h.Offset, s)
		case k >= firstURL && k <= lastURL && len(urls) < 64:
			u := urlAt(p.ReadAt(h.Offset, 512))
			urls = append(urls, struct {
				u   string
				ctx string
				off int64
			}{u, cStringAround(p, h.Offset), h.Offset})
		case k >= firstVerb:
			postVerb = true
		}
	}
	if d != nil {
		if imp := imported(d, videoImports); len(imp) > 0 {
			ev.capture("camera", "imports "+strings.Join(imp, ", "), true, -1, "")
		}
		if imp := imported(d, micImports); len(imp) > 0 {
			ev.capture("microphone", "imports "+strings.Join(imp, ", "), true, -1, "")
		}
		if imp := imported(d, screenImports); len(imp) > 0 {
			ev.capture("screen", "imports "+strings.Join(imp, ", "), true, -1, "")
		}
		ev.outbound = imported(d, connectImports)
		ev.serves = d.Imported(serverImports...)
		switch {
		case len(imported(d, sniffImports)) > 0:
			ev.trigger = "sniffs packets (" + strings.Join(imported(d, sniffImports), ", ") + ")"
		case d.Imported("bind") && d.Imported(recvImports...) && !ev.serves:
			ev.trigger = "waits for datagrams on a bound socket (" + strings.Join(append([]string{"bind"}, imported(d, recvImports)...), ", ") + "; no listen/accept)"
		}
	}
	if len(ev.strong) == 0 && len(ev.weak) == 0 {
		return
	}
	for _, u := range urls {
		if host := fixedHost(u.u); host != "" && uploadURL(u.u, postVerb) && !inUsage(strings.Replace(u.ctx, u.u, "", 1)) {
			ev.endpoint = u.u
			break
		}
	}
	// A datagram sender with a fixed endpoint sends outward; a static
	// binary that speaks HTTP POST to a fixed URL does too.
	if len(ev.outbound) == 0 && ev.endpoint != "" {
		if imp := imported(d, sendtoImports); len(imp) > 0 {
			ev.outbound = imp
		} else if d == nil && postVerb {
			ev.outbound = []string{"HTTP POST/PUT strings"}
		}
	}
	judgeBinary(p, ev)
}

// judgeBinary turns a binary's evidence into at most one finding.
func judgeBinary(p *analyzer.Pass, ev *binEvidence) {
	strong := len(ev.strong) > 0
	out := len(ev.outbound) > 0
	trig, fixed := ev.trigger != "", ev.endpoint != ""
	var sev finding.Severity
	switch {
	case strong && out && trig && fixed:
		sev = finding.Critical
	case strong && out && (trig || fixed):
		sev = finding.High
	case strong && out:
		sev = finding.Medium
	case strong:
		sev = finding.Info
	case out && trig && fixed:
		sev = finding.High
	case out && fixed:
		sev = finding.Medium
	default:
		return // framebuffer, touch input or an audio device alone: any GUI
	}
	if analyzer.InTestOrDocs(p.Entry) && sev > finding.Low {
		sev = finding.Low
	}
	if sev > finding.Info && isMultiCall(p) {
		// BusyBox holds hundreds of applets: the union of their devices,
		// URLs and sockets says nothing about what one program does.
		sev = finding.Info
	}
	kinds := make([]string, 0, len(ev.kinds))
	for k := range ev.kinds {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	parts := []string{"can capture " + strings.Join(kinds, ", ") + ": " + strings.Join(append(append([]string{}, ev.strong...), ev.weak...), "; ")}
	switch {
	case out:
		parts = append(parts, "sends out ("+strings.Join(ev.outbound, ", ")+")")
	case ev.serves:
		parts = append(parts, "serves clients that connect (listen/accept), as a streaming server does")
	default:
		parts = append(parts, "no outbound network use")
	}
	if trig {
		parts = append(parts, ev.trigger+": can be triggered remotely")
	}
	if fixed {
		parts = append(parts, "uploads to the hard-coded endpoint "+clip(inventory.MaskURL(ev.endpoint)))
	}
	conf := finding.ConfidenceMedium
	if sev == finding.Info {
		conf = finding.ConfidenceHigh // the capability itself is certain
	}
	cwe := []string{"CWE-359"}
	refs := []string{refCWE359, refV4L2, refALSA}
	if trig || fixed {
		cwe = append(cwe, "CWE-912")
		refs = append(refs, refCWE912)
	}
	f := finding.Finding{
		Rule: RuleBinary, Category: finding.SurveillanceCapability, CWE: cwe,
		Severity: sev, Confidence: conf, Title: Titles[RuleBinary],
		Message:    "the program " + strings.Join(parts, "; "),
		Evidence:   clip(ev.firstText),
		References: refs,
	}
	if ev.firstOff >= 0 {
		off := ev.firstOff
		f.Location.Offset = &off
	}
	if f.Evidence == "" {
		f.Evidence = clip(strings.Join(ev.strong, "; "))
	}
	p.Report(f)
}

// imported returns those of names the binary imports, in order.
func imported(d *Dynsyms, names []string) []string {
	var out []string
	for _, n := range names {
		if d.Imported(n) {
			out = append(out, n)
		}
	}
	return out
}

// cStringAround returns the NUL-delimited printable string holding off.
func cStringAround(p *analyzer.Pass, off int64) string {
	start := max(0, off-160)
	w := p.ReadAt(start, int(off-start)+256)
	rel := int(off - start)
	if rel > len(w) {
		return ""
	}
	i := rel
	for i > 0 && printable(w[i-1]) {
		i--
	}
	j := rel
	for j < len(w) && printable(w[j]) {
		j++
	}
	return string(bytes.TrimSpace(w[i:j]))
}

func printable(c byte) bool { return c >= 0x20 && c < 0x7f || c == '\t' }

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func clip(s string) string {
	s = strings.ToValidUTF8(s, "?")
	if len(s) > maxTextLen {
		return s[:maxTextLen] + "…"
	}
	return s
}

// isMultiCall reports whether the binary is BusyBox (or a copy of it under
// another name, as firmware ships crond or udhcpd).
func isMultiCall(p *analyzer.Pass) bool {
	d := p.Data()
	return d != nil && bytes.Contains(d, []byte("BusyBox v"))
}
