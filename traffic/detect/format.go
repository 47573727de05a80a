package detect

import (
	"fmt"
	"time"

	"github.com/doorman-sec/doorman/traffic/event"
)

// ts writes a time for evidence: UTC, millisecond precision.
func ts(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func protoName(p uint8) string {
	switch p {
	case event.TCP:
		return "tcp"
	case event.UDP:
		return "udp"
	case event.ICMP:
		return "icmp"
	case event.ICMPv6:
		return "icmpv6"
	}
	return fmt.Sprintf("proto%d", p)
}

// bytesStr writes a byte count for people: "1.5 MiB".
func bytesStr(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// dur writes a duration rounded for people.
func dur(d time.Duration) string {
	switch {
	case d >= time.Hour:
		return d.Round(time.Minute).String()
	case d >= time.Minute:
		return d.Round(time.Second).String()
	}
	return d.Round(time.Millisecond).String()
}
