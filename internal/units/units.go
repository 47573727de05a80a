// Package units writes quantities for people. One copy for every package
// that prints sizes (the CLI's progress line, the reports, the traffic
// detectors' messages), so they all agree.
package units

import (
	"fmt"
	"strconv"
)

// Bytes writes a byte count with binary units ("39.3 MiB"), the way file
// sizes are usually read.
func Bytes(n int64) string {
	if n < 1024 {
		return strconv.FormatInt(n, 10) + " B"
	}
	names := []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	v := float64(n) / 1024
	u := 0
	for v >= 1024 && u < len(names)-1 {
		v /= 1024
		u++
	}
	return fmt.Sprintf("%.1f %s", v, names[u])
}
