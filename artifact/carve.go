package artifact

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"

	"github.com/coregx/ahocorasick"
)

// MaxCarveCandidates bounds the signature hits examined in one blob, so a
// blob made of repeated magic bytes costs bounded time.
const MaxCarveCandidates = 20000

// carveCheckFactor and carveCheckFloor bound the bytes that the checks of
// all candidates in one blob may read: factor × the carved size, plus the
// floor. A check may read far ahead (zip looks for its end record up to
// 64 MiB on, cpio follows its chain of headers), so a blob of repeated
// signatures would otherwise cost candidates × size: minutes for 4 MiB of
// "PK\x03\x04". Real blobs use a small part of it.
const (
	carveCheckFactor = 4
	carveCheckFloor  = 64 << 20
)

type carver struct {
	ac      *ahocorasick.Automaton
	formats []*Format // per pattern
	maxLen  int       // longest magic + its offset, for chunk overlap
}

var (
	carverOnce sync.Once
	theCarver  *carver
)

func getCarver() *carver {
	carverOnce.Do(func() {
		c := &carver{}
		b := ahocorasick.NewBuilder().SetMatchKind(ahocorasick.LeftmostFirst)
		for _, f := range Formats() {
			for _, m := range f.Magic {
				b.AddPattern(m)
				c.formats = append(c.formats, f)
				if l := len(m) + f.MagicOffset; l > c.maxLen {
					c.maxLen = l
				}
			}
		}
		if len(c.formats) > 0 {
			ac, err := b.Build()
			if err == nil {
				c.ac = ac
			}
		}
		theCarver = c
	})
	return theCarver
}

type candidate struct {
	off int64
	f   *Format
}

// carve looks for embedded images and streams in src from offset `from`,
// and processes each as a child named KIND@0xOFFSET. The same read of the
// blob measures its entropy, and the high-entropy regions that no carved
// child explains are reported (reportRegion): never skipped in silence.
func (w *Walker) carve(ctx context.Context, e *Entry, src Source, from int64, g *group) {
	c := getCarver()
	var es *entropyScan
	if w.cfg.Regions {
		es = &entropyScan{}
	}
	if c.ac == nil && es == nil {
		return
	}
	cands := c.find(ctx, src, from, es)
	claims, ok := w.carveCandidates(ctx, e, src, from, cands, g)
	if es == nil || !ok || ctxDone(ctx) {
		return
	}
	if n := len(claims); n > 0 && claims[n-1].end < 0 {
		claims[n-1].end = src.Size() // the last unknown length runs to the end
	}
	for _, r := range es.regions(src, from, src.Size(), claims) {
		w.reportRegion(e, r)
	}
}

// carveCandidates checks each candidate and processes those that hold as
// children. It returns the regions the children claim, and false when the
// walk stopped (timeout, a failing parent): the regions are then unknown.
// A child of unknown length (a gzip stream) claims up to the next child
// or the end of the blob: where it ends is known only once unpacked.
func (w *Walker) carveCandidates(ctx context.Context, e *Entry, src Source, from int64, cands []candidate, g *group) ([]span, bool) {
	budget := carveCheckFactor*(src.Size()-from) + carveCheckFloor
	checked := &budgetedSource{Source: src, left: budget}
	next := from // regions already claimed end here
	head := make([]byte, HeadSize)
	var claims []span
	claim := func(s span) {
		if n := len(claims); n > 0 && claims[n-1].end < 0 {
			claims[n-1].end = s.start // an unknown length ends where this begins
		}
		claims = append(claims, s)
	}
	for _, cd := range cands {
		if ctxDone(ctx) {
			w.noteTimeout(e.Path, ctx)
			return nil, false
		}
		if cd.off < next || cd.off == 0 { // offset 0 is the entry's own detection
			continue
		}
		if checked.left <= 0 {
			w.report(e.Path, limitErr("carve", "carving checks read over %d bytes (repeated signatures?); the blob not carved beyond 0x%x", budget, cd.off))
			return claims, true
		}
		rest := io.NewSectionReader(src, cd.off, src.Size()-cd.off)
		n, _ := rest.ReadAt(head, 0)
		if !cd.f.Detect(head[:n], rest.Size()) {
			continue
		}
		// Checks read through the budget; the region handed on does not.
		restChecked := io.NewSectionReader(checked, cd.off, src.Size()-cd.off)
		length := int64(-1)
		if cd.f.CarveCheck != nil {
			l, ok := cd.f.CarveCheck(restChecked)
			if !ok {
				continue
			}
			length = l
		} else if cd.f.Length != nil {
			length = cd.f.Length(restChecked)
		}
		sec := rest
		if length > 0 && length <= rest.Size() {
			sec = io.NewSectionReader(src, cd.off, length)
			next = cd.off + length
			claim(span{start: cd.off, end: next})
		} else {
			next = cd.off + 1
			claim(span{start: cd.off, end: -1})
		}
		name := fmt.Sprintf("%s@0x%x", cd.f.Kind, cd.off)
		if err := w.child(ctx, e, Child{Name: name, Section: sec, Kind: cd.f.Kind, Carved: true, Size: sec.Size()}, g); err != nil && !errors.Is(err, errEmpty) {
			return nil, false
		}
	}
	if len(cands) >= MaxCarveCandidates && next < src.Size() { // unless a region found covers the rest
		w.report(e.Path, limitErr("carve", "over %d carving candidates; the blob not carved beyond 0x%x", MaxCarveCandidates, cands[len(cands)-1].off))
	}
	return claims, true
}

// budgetedSource reads from Source until left bytes have been read, then
// fails every read: a check that runs out of budget sees a short source
// and gives up.
type budgetedSource struct {
	Source
	left int64
}

func (b *budgetedSource) ReadAt(p []byte, off int64) (int, error) {
	if b.left <= 0 {
		return 0, errCarveBudget
	}
	short := int64(len(p)) > b.left
	if short {
		p = p[:b.left]
	}
	n, err := b.Source.ReadAt(p, off)
	b.left -= int64(n)
	if short && err == nil {
		err = errCarveBudget
	}
	return n, err
}

var errCarveBudget = errors.New("carving check budget spent")

// find returns the candidate offsets of every magic in src[from:], sorted,
// one per offset (the highest-priority format wins), and feeds every byte
// it reads to es, when not nil. Past MaxCarveCandidates it stops matching
// but reads on for es, so the entropy of the whole blob is known.
func (c *carver) find(ctx context.Context, src Source, from int64, es *entropyScan) []candidate {
	// Small chunks: a chunk made of signatures yields a match every few
	// bytes, and all matches of a chunk are held at once. A multiple of
	// entropyWindow, so that entropy windows stay aligned on from.
	const chunk = 256 << 10
	buf := make([]byte, min(chunk+int64(c.maxLen), src.Size()-from))
	seen := map[candidate]bool{}
	var out []candidate
	for pos := from; pos < src.Size(); pos += chunk {
		if ctxDone(ctx) || (es == nil && len(out) >= MaxCarveCandidates) {
			break
		}
		n, _ := src.ReadAt(buf, pos)
		if n == 0 {
			break
		}
		if es != nil {
			es.add(pos, buf[:min(n, chunk)])
		}
		if c.ac == nil || len(out) >= MaxCarveCandidates {
			if es == nil {
				break
			}
			continue
		}
		for _, m := range c.ac.FindAllOverlapping(buf[:n]) {
			f := c.formats[m.PatternID]
			off := pos + int64(m.Start) - int64(f.MagicOffset)
			cd := candidate{off, f}
			if off < from || seen[cd] {
				continue
			}
			seen[cd] = true
			out = append(out, cd)
			if len(out) >= MaxCarveCandidates {
				break
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].off != out[j].off {
			return out[i].off < out[j].off
		}
		return out[i].f.Priority > out[j].f.Priority
	})
	return out
}
