package detect

import (
	"fmt"
	"github.com/doorman-sec/doorman/internal/units"
	"net/netip"

	"github.com/doorman-sec/doorman/finding"
)

// Exfiltration thresholds, per device and destination service over the
// capture: bytes sent and the ratio of sent to received.
const (
	exfilMedium = 1 << 20  // 1 MiB: far more than an IoT device's check-ins
	exfilHigh   = 16 << 20 // 16 MiB
	exfilRatio  = 4        // sent at least 4× what was received
)

// analyzeExfil reports a device uploading much more than it downloads to a
// remote destination that is not allowlisted. A camera's cloud recording
// looks the same and is why the allowlist exists.
func (d *Detector) analyzeExfil() {
	d.st.pairs.Each(func(k pairKey, pp **pair) {
		p := *pp
		if p.out < exfilMedium || p.out < exfilRatio*(p.in+1) || !isRemote(k.dst) {
			return
		}
		if d.opts.Allow.Allows(k.dst, d.st.names.names(k.dst)) {
			return
		}
		sev := finding.Medium
		if p.out >= exfilHigh {
			sev = finding.High
		}
		sev, note := d.capUnjudged(sev, k.dst)
		dst := label(k.dst, d.st.names.names(k.dst))
		msg := fmt.Sprintf("device %s sent %s to %s:%d/%s and received %s (%.0f× more up than down) in %d connections",
			k.dev, units.Bytes(p.out), dst, k.port, protoName(k.proto), units.Bytes(p.in), float64(p.out)/float64(max(p.in, 1)), p.conns) + note
		ev := fmt.Sprintf("%s -> %s:%d/%s %s..%s %d connections out %d B in %d B",
			k.dev, k.dst, k.port, protoName(k.proto), ts(p.first), ts(p.last), p.conns, p.out, p.in)
		d.report(newFinding(RuleExfil, sev, finding.ConfidenceMedium, p.src, msg, ev))
	})
}

// capUnjudged keeps a beacon or an upload at medium when nothing says what
// the device is expected to reach: without --allow or --firmware-report an
// hourly check-in with the vendor's cloud looks exactly like a callback to
// a controller, and every connected device has one. With an allowlist
// (allowlisted destinations never get here), or with firmware endpoints
// that do not name the destination, high stands. note explains a cap.
func (d *Detector) capUnjudged(sev finding.Severity, dst netip.Addr) (finding.Severity, string) {
	if sev < finding.High || d.opts.Allow != nil {
		return sev, ""
	}
	if len(d.fw.raw) > 0 {
		e, _ := d.fw.match(dst, d.st.names.names(dst))
		if e == "" {
			return sev, "; the firmware names no such endpoint"
		}
		return finding.Medium, "; kept at medium: the firmware names this endpoint (" + e + ")"
	}
	return finding.Medium, "; kept at medium: no allowlist (--allow) or firmware report (--firmware-report) says whether the device should reach it"
}
