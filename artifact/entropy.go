package artifact

import (
	"fmt"
	"math"
	"sort"
)

// Region is a part of an entry the walker could not explain: bytes that
// no carved format claims and that look like encrypted data or a stream
// compressed with a format doorman does not read. It is reported (as an
// error and through Config.OnRegion) rather than skipped in silence, so a
// clean report never hides an encrypted payload.
type Region struct {
	// Offset and Length locate the region in its entry's content.
	Offset, Length int64
	// Entropy is the mean Shannon entropy of the region in bits per byte
	// (8 is the maximum: every byte value equally likely).
	Entropy float64
	// Kind says why the region is reported; "high-entropy" for now.
	Kind string
}

// RegionHighEntropy is the Kind of a region whose bytes look random.
const RegionHighEntropy = "high-entropy"

// Entropy thresholds. Random bytes measured over 64 KiB score about 7.997
// bits/byte; machine code scores 5–6.5, text 4–5, compressed file
// systems and streams 7.9–8. A window is high when it scores over
// highEntropy; a run of high windows is reported when no carved format
// explains it and it is at least minRegion long, so a stray compressed
// icon or certificate never makes a line.
const (
	entropyWindow = 64 << 10
	highEntropy   = 7.95
	minRegion     = 256 << 10
	// entropyTail is the shortest window measured: below it the estimate
	// is biased too low to compare with highEntropy (4 KiB of random
	// bytes scores only about 7.955), so a shorter tail at the end of the
	// entry just extends a run that reaches it.
	entropyTail = 16 << 10
	// edgeBlock and edgeEntropy refine a run's ends to 4 KiB: the window
	// beside a run is low as a whole but may end or start with random
	// bytes. 4 KiB of random bytes scores 7.955 ± 0.004; plain data in
	// part of a block pulls it far below 7.9.
	edgeBlock   = 4 << 10
	edgeEntropy = 7.9
	// regionLines is how many regions of one target get a line of their
	// own in the errors; the rest are counted in one more line.
	regionLines = 8
)

// span is a run of consecutive high-entropy bytes [start, end) with the
// sum of entropy × bytes of its windows, for the mean.
type span struct {
	start, end int64
	weighted   float64
}

// entropyScan measures entropy over fixed windows while the carver reads
// the blob, keeping only the runs of high windows: memory grows with the
// number of runs, not with the size of the blob.
type entropyScan struct {
	runs []span
}

// add measures the bytes p found at off. Windows are measured whole: the
// caller passes window-aligned slices (the carver's chunks are a multiple
// of entropyWindow).
func (s *entropyScan) add(off int64, p []byte) {
	for i := 0; i < len(p); i += entropyWindow {
		win := p[i:min(i+entropyWindow, len(p))]
		s.window(off+int64(i), win)
	}
}

func (s *entropyScan) window(off int64, p []byte) {
	last := len(s.runs) - 1
	touching := last >= 0 && s.runs[last].end == off
	if len(p) < entropyTail {
		if touching {
			s.runs[last].end += int64(len(p))
			s.runs[last].weighted += highEntropy * float64(len(p))
		}
		return
	}
	h := shannon(p)
	if h <= highEntropy {
		return
	}
	if touching {
		s.runs[last].end += int64(len(p))
		s.runs[last].weighted += h * float64(len(p))
		return
	}
	s.runs = append(s.runs, span{off, off + int64(len(p)), h * float64(len(p))})
}

// shannon returns the Shannon entropy of p in bits per byte. Four
// histograms, summed at the end, let consecutive bytes of equal value
// count without waiting on each other: the pass runs at several GB/s.
func shannon(p []byte) float64 {
	if len(p) == 0 {
		return 0
	}
	var h [4][256]uint32
	i := 0
	for ; i+4 <= len(p); i += 4 {
		h[0][p[i]]++
		h[1][p[i+1]]++
		h[2][p[i+2]]++
		h[3][p[i+3]]++
	}
	for ; i < len(p); i++ {
		h[0][p[i]]++
	}
	n := float64(len(p))
	var e float64
	for b := range 256 {
		if c := h[0][b] + h[1][b] + h[2][b] + h[3][b]; c > 0 {
			q := float64(c) / n
			e -= q * math.Log2(q)
		}
	}
	return e
}

// regions returns the runs that no claim covers, at least minRegion long,
// with their ends refined to edgeBlock by reading at most one window on
// each side. lo and hi bound the part of src that was measured; claims
// are the carved regions, [start, end), in any order.
func (s *entropyScan) regions(src Source, lo, hi int64, claims []span) []Region {
	var out []Region
	buf := make([]byte, entropyWindow)
	for _, r := range s.runs {
		if r.end-r.start+2*entropyWindow < minRegion {
			continue // cannot reach minRegion even when both ends grow
		}
		mean := r.weighted / float64(r.end-r.start)
		r.start = extendBack(src, r.start, lo, buf)
		r.end = extendForward(src, r.end, hi, buf)
		for _, u := range unclaimed(r, claims) {
			if u.end-u.start >= minRegion {
				out = append(out, Region{Offset: u.start, Length: u.end - u.start, Entropy: mean, Kind: RegionHighEntropy})
			}
		}
	}
	return out
}

// extendBack moves a run's start back over the high edgeBlocks that end
// the window before it.
func extendBack(src Source, start, lo int64, buf []byte) int64 {
	from := max(lo, start-entropyWindow)
	n, _ := src.ReadAt(buf[:start-from], from)
	b := buf[:n]
	for len(b) >= edgeBlock && shannon(b[len(b)-edgeBlock:]) > edgeEntropy {
		b = b[:len(b)-edgeBlock]
		start -= edgeBlock
	}
	return start
}

// extendForward moves a run's end on over the high edgeBlocks that start
// the window after it.
func extendForward(src Source, end, hi int64, buf []byte) int64 {
	to := min(hi, end+entropyWindow)
	n, _ := src.ReadAt(buf[:to-end], end)
	b := buf[:n]
	for len(b) >= edgeBlock && shannon(b[:edgeBlock]) > edgeEntropy {
		b = b[edgeBlock:]
		end += edgeBlock
	}
	return end
}

// unclaimed returns the parts of r that no claim covers, in order.
func unclaimed(r span, claims []span) []span {
	cs := append([]span(nil), claims...)
	sort.Slice(cs, func(i, j int) bool { return cs[i].start < cs[j].start })
	var out []span
	pos := r.start
	for _, c := range cs {
		if c.end <= pos || c.start >= r.end {
			continue
		}
		if c.start > pos {
			out = append(out, span{start: pos, end: c.start})
		}
		pos = max(pos, c.end)
		if pos >= r.end {
			return out
		}
	}
	return append(out, span{start: pos, end: r.end})
}

// reportRegion tells the caller about one unexplained region: through
// OnRegion always, and as an error line for the first regionLines
// regions of the target; later ones are grouped into one line, like a
// repeated limit, so a target full of encrypted blobs stays readable.
func (w *Walker) reportRegion(e *Entry, r Region) {
	if w.cfg.OnRegion != nil {
		w.safely(e.Path, "region callback", func() { w.cfg.OnRegion(e, r) })
	}
	err := fmt.Errorf("high-entropy region %#x–%#x (%d bytes, %.2f bits/byte): encrypted or compressed with an unknown format; not examined",
		r.Offset, r.Offset+r.Length, r.Length, math.Floor(r.Entropy*100)/100)
	l := &w.errs
	l.mu.Lock()
	n := l.regions
	l.regions++
	l.mu.Unlock()
	if n >= regionLines {
		err = &repeatable{key: "high-entropy region", err: err}
	}
	w.report(e.Path, err)
}
