package detect

import (
	"fmt"

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
		dst := label(k.dst, d.st.names.names(k.dst))
		msg := fmt.Sprintf("device %s sent %s to %s:%d/%s and received %s (%.0f× more up than down) in %d connections",
			k.dev, bytesStr(p.out), dst, k.port, protoName(k.proto), bytesStr(p.in), float64(p.out)/float64(max(p.in, 1)), p.conns)
		ev := fmt.Sprintf("%s -> %s:%d/%s %s..%s %d connections out %d B in %d B",
			k.dev, k.dst, k.port, protoName(k.proto), ts(p.first), ts(p.last), p.conns, p.out, p.in)
		d.report(newFinding(RuleExfil, sev, finding.ConfidenceMedium, p.src, msg, ev))
	})
}
