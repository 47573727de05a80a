package exe

import (
	"cmp"
	"encoding/binary"
	"slices"
	"sync"
	"unicode/utf16"

	"github.com/coregx/ahocorasick"
)

// The string scan reads the file once, in chunks, up to maxScan bytes. In
// one pass it finds the marker strings capability rules ask about (one
// Aho-Corasick automaton for all of them, plus the first instructions of
// a classic BPF program), collects the printable runs that look like
// endpoints, and counts bytes for the entropy of the file and of each
// section that lies in the scanned part: every byte is read once.

// marker is one string a capability rule looks for.
type marker struct {
	needle string
	// word: the byte after the needle must not continue a name, so that
	// "/bin/sh" does not match "/bin/shutdown".
	word bool
}

// scanResult is what the scan found.
type scanResult struct {
	// hits maps a needle to the printable strings it was found in (a few).
	hits      map[string][]string
	endpoints map[string]bool
	hist      [256]uint64
	scanned   int64
	// bpf is the BPF program found in read-only data; bpfDone says the
	// scan looked (else scanBPF reads the ranges itself).
	bpf     *bpfFound
	bpfDone bool
}

const (
	scanChunk       = 1 << 20
	scanOverlap     = 4 << 10
	maxHitsPerMark  = 3
	maxEvidenceLen  = 96
	maxEndpointsOut = 256
	minRun          = 4
)

// printableTab is printable as a table: the run loop tests every byte.
var printableTab = func() (t [256]bool) {
	for c := range t {
		t[c] = c >= 0x20 && c < 0x7f || c == '\t'
	}
	return t
}()

func printable(c byte) bool { return printableTab[c] }

// bpfFirst are the first instructions a classic BPF program is
// recognised by, in the order scanBPF tries them.
var bpfFirst = []struct {
	code uint16
	k    uint32
	link bool
	asm  string
}{{bpfLdhAbs, 12, true, "ldh [12]"}, {bpfLdbAbs, 9, false, "ldb [9]"}}

// pattern is what one automaton pattern stands for.
type pattern struct {
	// order is the needle's place in the order the markers were first
	// searched one by one (marker, then its UTF-16 form): hits are
	// recorded in that order so that the evidence kept is the same.
	order  int
	marker int  // index in markers
	wide   bool // UTF-16LE form of the marker
	n      int  // length in bytes
}

// bpfWords are a BPF program's first instruction (8 bytes) as a
// little-endian word, for every byte order and first instruction:
// bpfWords[byte order][index in bpfFirst].
var bpfWords = func() (w [2][2]uint64) {
	for bo, order := range bpfOrders {
		for k, f := range bpfFirst {
			var pat [8]byte
			order.PutUint16(pat[:], f.code)
			order.PutUint32(pat[4:], f.k)
			w[bo][k] = binary.LittleEndian.Uint64(pat[:])
		}
	}
	return w
}()

// scanAutomaton matches every marker, in plain and UTF-16 form (wide is
// false: plain only, for formats where UTF-16 does not matter). Built once: building costs
// far more than a scan.
type scanAutomaton struct {
	ac   *ahocorasick.Automaton
	pats []pattern
	// minLen is the shortest pattern; printable says every pattern is
	// printable text, so that only printable runs need searching.
	minLen    int
	printable bool
}

var markerAutomata [2]func() *scanAutomaton

func init() {
	for i, wide := range []bool{false, true} {
		markerAutomata[i] = sync.OnceValue(func() *scanAutomaton { return buildScanAutomaton(wide) })
	}
}

func buildScanAutomaton(wide bool) *scanAutomaton {
	sa := &scanAutomaton{}
	var bs [][]byte
	for i, m := range markers {
		bs = append(bs, []byte(m.needle))
		sa.pats = append(sa.pats, pattern{order: 2 * i, marker: i, n: len(m.needle)})
		if wide {
			w := utf16le(m.needle)
			bs = append(bs, w)
			sa.pats = append(sa.pats, pattern{order: 2*i + 1, marker: i, wide: true, n: len(w)})
		}
	}
	sa.minLen, sa.printable = len(bs[0]), true
	for _, b := range bs {
		sa.minLen = min(sa.minLen, len(b))
		for _, c := range b {
			sa.printable = sa.printable && printable(c)
		}
	}
	ac, err := ahocorasick.NewBuilder().AddPatterns(bs).Build()
	if err != nil {
		panic("exe: building the string automaton: " + err.Error())
	}
	sa.ac = ac
	return sa
}

// scanScratch is what a scan needs and gives back: a file's worth of
// buffers and histograms is reused by the next file.
type scanScratch struct {
	buf   []byte
	marks []markHit
	hists [][256]uint64
	cuts  []int64
}

type markHit struct {
	order, pat, at int
}

var scratchPool = sync.Pool{New: func() any { return new(scanScratch) }}

// measure is a section whose entropy is counted during the scan.
type measure struct {
	idx      int   // index in p.pending
	off, end int64 // the bytes counted
	counted  int64
}

// bpfRange is a read-only data range searched for a BPF program.
type bpfRange struct {
	idx      int // order in p.dataRanges: the first range wins
	off, end int64
}

// scanStrings runs the scan over the file. entropies receives the
// entropy of the pending sections the scan measured (measured[i] set).
func (p *parser) scanStrings(entropies []float64, measured []bool) *scanResult {
	res := &scanResult{hits: map[string][]string{}, endpoints: map[string]bool{}}
	sa := markerAutomata[0]()
	if p.scanWide {
		sa = markerAutomata[1]()
	}
	// Plain markers are printable text: they can only be inside the
	// printable runs, which the endpoint search finds anyway, so the
	// automaton reads only those (a third of a typical binary).
	inRuns := sa.printable
	runMin := 7 // the shortest run worth an endpoint search
	if inRuns {
		runMin = min(runMin, sa.minLen)
	}
	sc := scratchPool.Get().(*scanScratch)
	defer scratchPool.Put(sc)
	// Go packs its string literals end to end without terminators: a
	// match cannot be told from its neighbours, so no word boundary is
	// asked for and the evidence is the needle alone.
	packed := p.goInfo != nil
	limit := min(p.size, maxScan)

	// Sections whose measured bytes lie in the scanned part are counted
	// here; the others are read by measureSections as before.
	var ms []measure
	for i, s := range p.entropyPlan() {
		if s.n > 0 && s.off+s.n <= limit {
			ms = append(ms, measure{idx: i, off: s.off, end: s.off + s.n})
		}
	}
	if cap(sc.hists) < len(ms) {
		sc.hists = make([][256]uint64, len(ms))
	}
	hists := sc.hists[:len(ms)]
	clear(hists)
	// Cut points: where a measured section starts or ends, a chunk's
	// bytes are counted in separate pieces.
	cuts := sc.cuts[:0]
	for _, m := range ms {
		cuts = append(cuts, m.off, m.end)
	}
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)
	sc.cuts = cuts

	bpfs, bpfOK := p.bpfPlan(limit)
	res.bpfDone = bpfOK
	var bpfBest [4]int // key of the best BPF program so far
	bpfBest[0] = -1

	want := min(int64(scanChunk+scanOverlap), p.size)
	if int64(cap(sc.buf)) < want {
		sc.buf = make([]byte, want)
	}
	buf := sc.buf[:want]
	prevPrintable := false
	var seg [256]uint64
	for off := int64(0); off < limit; off += scanChunk {
		n, _ := p.r.ReadAt(buf[:min(int64(len(buf)), p.size-off)], off)
		if n <= 0 {
			break
		}
		b := buf[:n]
		own := min(n, scanChunk, int(limit-off))

		// Byte counts, piece by piece between cut points.
		for from := off; from < off+int64(own); {
			to := off + int64(own)
			if k, _ := slices.BinarySearch(cuts, from+1); k < len(cuts) && cuts[k] < to {
				to = cuts[k]
			}
			clear(seg[:])
			countBytes(b[from-off:to-off], &seg)
			addHist(&res.hist, &seg)
			for i := range ms {
				if m := &ms[i]; m.off <= from && to <= m.end {
					addHist(&hists[i], &seg)
					m.counted += to - from
				}
			}
			from = to
		}
		res.scanned += int64(own)

		// BPF programs, in the planned data ranges. A program is an
		// array of 8-byte instructions aligned on 4 from the range's
		// start: only those offsets are looked at.
		if bpfOK {
			for _, r := range bpfs {
				pos := max(r.off, off)
				pos += (4 - (pos-r.off)%4) % 4
				for ; pos < off+int64(own) && pos+8 <= r.end && pos+8 <= off+int64(n); pos += 4 {
					w := binary.LittleEndian.Uint64(b[pos-off:])
					for bo := range bpfWords {
						for k := range bpfWords[bo] {
							if w == bpfWords[bo][k] {
								p.bpfMatch(b, off, r, pos, bo, k, &bpfBest, res)
							}
						}
					}
				}
			}
		}

		// Markers, in the whole chunk or in the printable runs (below).
		marks := sc.marks[:0]
		addMarks := func(base int, text []byte) {
			for _, m := range sa.ac.FindAllOverlapping(text) {
				if at := base + m.Start; at < own {
					pt := &sa.pats[m.PatternID]
					marks = append(marks, markHit{pt.order, m.PatternID, at})
				}
			}
		}
		if !inRuns {
			addMarks(0, b)
		}

		// Printable runs: endpoints (and markers). s is where a run
		// starts; a run of fewer than runMin bytes is of no interest, so
		// when the byte runMin-1 ahead is not printable none starts
		// before it.
		for s := 0; s < own; {
			if t := s + runMin - 1; t < len(b) && !printableTab[b[t]] {
				s = t + 1
				continue
			}
			if !printableTab[b[s]] {
				s++
				continue
			}
			e := printableEnd(b, s)
			if inRuns && e-s >= sa.minLen {
				addMarks(s, b[s:e])
			}
			// Endpoints are looked for in pieces of at most scanOverlap
			// bytes; a run that goes on from the chunk before was
			// searched there.
			if !(s == 0 && prevPrintable) {
				for i := s; i < own && i < e; {
					j := min(e, i+scanOverlap)
					if j-i >= 7 && len(res.endpoints) < maxEndpointsOut {
						findEndpoints(b[i:j], res.endpoints)
					}
					i = j
				}
			}
			s = e
		}
		prevPrintable = own > 0 && printable(b[own-1])

		// Matches come in the order they end; the needles were searched
		// one after the other, each from the start of the chunk.
		slices.SortStableFunc(marks, func(a, b markHit) int { return cmp.Compare(a.order, b.order) })
		sc.marks = marks
		for i := 0; i < len(marks); {
			j := i
			for j < len(marks) && marks[j].order == marks[i].order {
				j++
			}
			pt := &sa.pats[marks[i].pat]
			mk := markers[pt.marker]
			if len(res.hits[mk.needle]) < maxHitsPerMark {
				// from: occurrences of one needle do not overlap, as
				// with a search that goes on after each match.
				from := 0
				for _, h := range marks[i:j] {
					if h.at < from {
						continue
					}
					at := h.at
					from = at + pt.n
					if mk.word && !packed && from < len(b) && nameByte(b[from]) {
						continue
					}
					if !pt.wide && !packed {
						res.addHitRun(mk.needle, b, at, pt.n)
					} else {
						res.addHit(mk.needle, mk.needle)
					}
					if len(res.hits[mk.needle]) >= maxHitsPerMark {
						break
					}
				}
			}
			i = j
		}

	}
	for i, m := range ms {
		if m.counted == m.end-m.off {
			entropies[m.idx] = histEntropy(&hists[i], uint64(m.counted))
			measured[m.idx] = true
		}
	}
	return res
}

// printableEnd is the end of the printable run at b[s], eight bytes at
// a time while all eight are in 0x20-0x7e.
func printableEnd(b []byte, s int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	e := s
	for e+8 <= len(b) {
		x := binary.LittleEndian.Uint64(b[e:])
		// A byte below 0x20, or above 0x7e, sets its high bit here.
		if ((x-0x20*ones)&^x|(x+ones)|x)&highs != 0 {
			break
		}
		e += 8
	}
	for e < len(b) && printableTab[b[e]] {
		e++
	}
	return e
}

// countBytes adds the byte counts of b to h. Four tables: runs of one
// byte value (zero pages) would otherwise make every increment wait for
// the one before.
func countBytes(b []byte, h *[256]uint64) {
	var t [4][256]uint32
	for len(b) >= 4 {
		t[0][b[0]]++
		t[1][b[1]]++
		t[2][b[2]]++
		t[3][b[3]]++
		b = b[4:]
	}
	for _, c := range b {
		t[0][c]++
	}
	for c := range h {
		h[c] += uint64(t[0][c]) + uint64(t[1][c]) + uint64(t[2][c]) + uint64(t[3][c])
	}
}

func addHist(dst, src *[256]uint64) {
	for c := range dst {
		dst[c] += src[c]
	}
}

// bpfMatch judges the BPF first instruction bpfFirst[k] in byte order
// bo at file offset pos of range r, keeping the program scanBPF would
// have returned first: earliest range, then byte order, then first
// instruction, then offset.
func (p *parser) bpfMatch(b []byte, off int64, r bpfRange, pos int64, bo, k int, best *[4]int, res *scanResult) {
	key := [4]int{r.idx, bo, k, int(pos)}
	if best[0] >= 0 && slices.Compare(key[:], best[:]) >= 0 {
		return
	}
	end := min(r.end-off, int64(len(b)))
	if n, ok := bpfProgram(b[pos-off:end], bpfOrders[bo]); ok {
		f := bpfFirst[k]
		*best = key
		res.bpf = &bpfFound{evidence: bpfEvidence(f.asm, n), linkLayer: f.link}
	}
}

// bpfPlan is the data ranges scanBPF would search, with the same budget;
// ok is false when one extends past the scanned part (scanBPF then reads
// them itself).
func (p *parser) bpfPlan(limit int64) (rs []bpfRange, ok bool) {
	budget := int64(maxBPFScan)
	for i, r := range p.dataRanges {
		n := min(r.n, budget)
		if n <= 0 {
			break
		}
		budget -= n
		if r.off < 0 || r.off > p.size || n > p.size-r.off {
			continue // p.read fails: scanBPF skips it
		}
		if r.off+n > limit {
			return nil, false
		}
		rs = append(rs, bpfRange{idx: i, off: r.off, end: r.off + n})
	}
	return rs, true
}

func (r *scanResult) addHit(needle, ev string) {
	for _, e := range r.hits[needle] {
		if e == ev {
			return
		}
	}
	r.hits[needle] = append(r.hits[needle], ev)
}

// addHitRun adds the printable run around a match as evidence; the
// string is made only when it is new.
func (r *scanResult) addHitRun(needle string, b []byte, at, n int) {
	s, e := runBounds(b, at, n)
	for _, x := range r.hits[needle] {
		if x == string(b[s:e]) {
			return
		}
	}
	r.hits[needle] = append(r.hits[needle], string(b[s:e]))
}

func nameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// runBounds is where the printable string a match at b[at:at+n] is part
// of starts and ends, cut to maxEvidenceLen around the match.
func runBounds(b []byte, at, n int) (s, e int) {
	s, e = at, at+n
	for s > 0 && at-s < maxEvidenceLen/2 && printable(b[s-1]) {
		s--
	}
	for e < len(b) && e-s < maxEvidenceLen && printable(b[e]) {
		e++
	}
	return s, e
}

func utf16le(s string) []byte {
	u := utf16.Encode([]rune(s))
	out := make([]byte, 0, 2*len(u))
	for _, c := range u {
		out = append(out, byte(c), byte(c>>8))
	}
	return out
}
