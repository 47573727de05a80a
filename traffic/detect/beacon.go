package detect

import (
	"fmt"
	"github.com/doorman-sec/doorman/internal/units"
	"math"
	"sort"
	"time"

	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/traffic/event"
)

// Beacon thresholds; the scoring is described in the package doc.
const (
	beaconMinConns   = 6               // connections before a series is scored
	beaconFullConns  = 12              // connections for a full count score
	beaconHighConns  = 10              // connections needed for high
	beaconMinGap     = 2 * time.Second // median interval below this is a burst, not a beacon
	beaconReport     = 0.70            // total and timing score to report (medium)
	beaconHigh       = 0.80            // total and timing score for high
	beaconHighCover  = 0.50            // share of the capture a high beacon spans
	beaconSureScore  = 0.90            // score for high confidence
	longConnMin      = 10 * time.Minute
	longConnCoverage = 0.80 // share of the capture one session must last
)

// beaconScore is the outcome of scoring one connection series.
type beaconScore struct {
	n                       int
	median, madm, skew      float64 // of the intervals, seconds
	sizeMode                float64 // most common bytes sent per connection
	coverage                float64
	tsSkew, tsMadm, tsConn  float64
	dsSkew, dsMadm, dsSmall float64
	ts, ds, score           float64
}

// scoreSeries scores how much a series of connections looks like a beacon
// (see the package doc). ok is false when there are too few connections or
// they come in bursts.
func scoreSeries(series []conn, capSpan time.Duration) (b beaconScore, ok bool) {
	if len(series) < beaconMinConns {
		return b, false
	}
	s := append([]conn(nil), series...)
	sort.Slice(s, func(i, j int) bool { return s[i].start.Before(s[j].start) })
	deltas := make([]float64, 0, len(s)-1)
	sizes := make([]float64, 0, len(s))
	for i, c := range s {
		if i > 0 {
			deltas = append(deltas, c.start.Sub(s[i-1].start).Seconds())
		}
		sizes = append(sizes, float64(c.out))
	}
	sort.Float64s(deltas)
	sort.Float64s(sizes)
	b.n = len(s)
	b.median = quantile(deltas, 0.5)
	if b.median < beaconMinGap.Seconds() {
		return b, false
	}
	b.madm = madm(deltas)
	b.skew = bowley(deltas)
	b.tsSkew = skewScore(b.skew, deltas, 0.2*b.median)
	b.tsMadm = clamp01(1 - 2*b.madm/b.median)
	span := s[len(s)-1].start.Sub(s[0].start).Seconds() + b.median
	b.coverage = 1
	if capSpan > 0 {
		b.coverage = clamp01(span / capSpan.Seconds())
	}
	b.tsConn = b.coverage * math.Min(1, float64(b.n)/beaconFullConns)

	b.sizeMode = mode(sizes)
	sizeMed := quantile(sizes, 0.5)
	sizeTol := math.Max(32, 0.1*sizeMed)
	b.dsSkew = skewScore(bowley(sizes), sizes, sizeTol)
	b.dsMadm = clamp01(1 - madm(sizes)/sizeTol)
	b.dsSmall = clamp01(1 - b.sizeMode/65535)

	b.ts = (b.tsSkew + b.tsMadm + b.tsConn) / 3
	b.ds = (b.dsSkew + b.dsMadm + b.dsSmall) / 3
	b.score = (b.ts + b.ds) / 2
	return b, true
}

// skewScore is 1−|skew|, with the skew weighted by how wide the
// interquartile range is against a tolerance: the skew of a series already
// tighter than the tolerance (jitter of a few percent, sizes within a few
// bytes) is sampling noise, not evidence of irregularity.
func skewScore(skew float64, sorted []float64, tol float64) float64 {
	iqr := quantile(sorted, 0.75) - quantile(sorted, 0.25)
	w := 1.0
	if tol > 0 {
		w = math.Min(1, iqr/tol)
	}
	return 1 - math.Abs(skew)*w
}

// ntpLike reports a UDP port 123 series whose packets have NTP's sizes
// (48 bytes, up to 120 with extension fields or a MAC): time keeping,
// regular by design. Anything else on port 123 is scored like any beacon.
func ntpLike(k pairKey, series []conn) bool {
	if k.proto != event.UDP || k.port != 123 {
		return false
	}
	for _, c := range series {
		if c.outPkts == 0 {
			continue
		}
		per := c.out / c.outPkts
		if per < 48 || per > 120 {
			return false
		}
	}
	return true
}

// beaconExempt says why a destination is not scored: chatter every
// network has, and destinations the operator allowlisted.
func (d *Detector) beaconExempt(k pairKey, p *pair) bool {
	if isGroup(k.dst) || ntpLike(k, p.series) {
		return true
	}
	if k.port != 123 && infraPort(k.proto, k.port) {
		return true
	}
	return d.opts.Allow.Allows(k.dst, d.st.names.names(k.dst))
}

func (d *Detector) captureSpan() time.Duration { return d.st.last.Sub(d.st.first) }

func (d *Detector) analyzeBeacons() {
	capSpan := d.captureSpan()
	d.st.pairs.Each(func(k pairKey, pp **pair) {
		p := *pp
		if p.conns == 0 || d.beaconExempt(k, p) {
			return
		}
		if b, ok := scoreSeries(p.series, capSpan); ok {
			d.reportBeacon(k, p, b)
		}
		d.longConn(k, p, capSpan)
	})
}

func (d *Detector) reportBeacon(k pairKey, p *pair, b beaconScore) {
	if b.score < beaconReport || b.ts < beaconReport {
		return
	}
	sev, conf := finding.Medium, finding.ConfidenceMedium
	if b.score >= beaconHigh && b.ts >= beaconHigh && b.n >= beaconHighConns && b.coverage >= beaconHighCover {
		sev = finding.High
		if b.score >= beaconSureScore {
			conf = finding.ConfidenceHigh
		}
	}
	dst := label(k.dst, d.st.names.names(k.dst))
	sev, note := d.capUnjudged(sev, k.dst)
	where := "a remote host"
	if !isRemote(k.dst) {
		// A device polling its hub or gateway on the LAN is common; the
		// finding stays for the record.
		sev, conf, where = finding.Low, finding.ConfidenceLow, "a local host"
	}
	interval := time.Duration(b.median * float64(time.Second))
	msg := fmt.Sprintf("device %s connected to %s:%d/%s (%s) %d times every %s (±%s), %s each, over %.0f%% of the capture: beacon score %.2f",
		k.dev, dst, k.port, protoName(k.proto), where, p.conns, dur(interval), dur(time.Duration(b.madm*float64(time.Second))),
		units.Bytes(int64(b.sizeMode)), 100*b.coverage, b.score) + note
	ev := fmt.Sprintf("%s -> %s:%d/%s %d connections %s..%s interval median %.1fs madm %.1fs bowley %.2f size mode %d B out %d B in %d B score %.2f (timing %.2f size %.2f)",
		k.dev, k.dst, k.port, protoName(k.proto), p.conns, ts(p.first), ts(p.last), b.median, b.madm, b.skew, int64(b.sizeMode), p.out, p.in, b.score, b.ts, b.ds)
	d.report(newFinding(RuleBeacon, sev, conf, p.src, msg, ev))
}

// longConn reports one session lasting most of the capture: a persistent
// control channel needs no periodic reconnects to be a beacon.
func (d *Detector) longConn(k pairKey, p *pair, capSpan time.Duration) {
	c := p.longest
	if c.dur < longConnMin || float64(c.dur) < longConnCoverage*float64(capSpan) {
		return
	}
	sev := finding.Medium
	if !isRemote(k.dst) {
		sev = finding.Low
	}
	dst := label(k.dst, d.st.names.names(k.dst))
	msg := fmt.Sprintf("device %s kept one session to %s:%d/%s open for %s (%.0f%% of the capture), sending %s and receiving %s",
		k.dev, dst, k.port, protoName(k.proto), dur(c.dur), 100*float64(c.dur)/math.Max(1, float64(capSpan)), units.Bytes(c.out), units.Bytes(c.in))
	ev := fmt.Sprintf("%s -> %s:%d/%s %s..%s duration %s out %d B in %d B",
		k.dev, k.dst, k.port, protoName(k.proto), ts(c.start), ts(c.start.Add(c.dur)), c.dur, c.out, c.in)
	d.report(newFinding(RuleLongConn, sev, finding.ConfidenceMedium, p.src, msg, ev))
}
