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
