package artifact

import "time"

// Limits bound the work done on one scan, so that a crafted target (a zip
// bomb, a 10 000-level nest, a lying size field) cannot exhaust the machine.
// Reaching a limit skips that part and is reported as an error; the rest of
// the scan goes on.
type Limits struct {
	MaxDepth     int           // containers nested inside each other
	MaxFileSize  int64         // bytes unpacked for one entry
	MaxTotalSize int64         // bytes unpacked in all (folder files read in place do not count)
	MaxRatio     int64         // unpacked/compressed bytes of one stream, beyond RatioFloor
	RatioFloor   int64         // a stream may always unpack this much, whatever its ratio
	MaxEntries   int64         // entries in all
	Timeout      time.Duration // whole walk; 0 means none
	// MemoryBuffer is the largest unpacked entry kept in memory; larger ones
	// are spooled to the private temporary directory.
	MemoryBuffer int64
}

// DefaultLimits are generous for real firmware and packages and still stop
// known bombs: 42.zip and overlapping-entry zips hit MaxTotalSize or
// MaxRatio long before memory or disk fill.
func DefaultLimits() Limits {
	return Limits{
		MaxDepth:     24,
		MaxFileSize:  1 << 30,
		MaxTotalSize: 8 << 30,
		MaxRatio:     1000,
		RatioFloor:   4 << 20,
		MaxEntries:   2_000_000,
		Timeout:      60 * time.Minute,
		MemoryBuffer: 16 << 20,
	}
}
