package artifact

import (
	"context"
	"fmt"
	"io"
	"sort"
	"sync"

	"github.com/coregx/ahocorasick"
)

// MaxCarveCandidates bounds the signature hits examined in one blob, so a
// blob made of repeated magic bytes costs bounded time.
const MaxCarveCandidates = 20000

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
// and processes each as a child named KIND@0xOFFSET.
func (w *Walker) carve(ctx context.Context, e *Entry, src Source, from int64, g *group) {
	c := getCarver()
	if c.ac == nil {
		return
	}
	cands := c.find(src, from)
	if len(cands) >= MaxCarveCandidates {
		w.cfg.OnError(e.Path, fmt.Errorf("%w: over %d carving candidates; the rest of the blob not carved", ErrLimit, MaxCarveCandidates))
	}
	next := from // regions already claimed end here
	head := make([]byte, HeadSize)
	for _, cd := range cands {
		if ctxDone(ctx) {
			w.noteTimeout(e.Path, ctx)
			return
		}
		if cd.off < next || cd.off == 0 { // offset 0 is the entry's own detection
			continue
		}
		rest := io.NewSectionReader(src, cd.off, src.Size()-cd.off)
		n, _ := rest.ReadAt(head, 0)
		if !cd.f.Detect(head[:n], rest.Size()) {
			continue
		}
		length := int64(-1)
		if cd.f.CarveCheck != nil {
			l, ok := cd.f.CarveCheck(rest)
			if !ok {
				continue
			}
			length = l
		} else if cd.f.Length != nil {
			length = cd.f.Length(rest)
		}
		sec := rest
		if length > 0 && length <= rest.Size() {
			sec = io.NewSectionReader(src, cd.off, length)
			next = cd.off + length
		} else {
			next = cd.off + 1
		}
		name := fmt.Sprintf("%s@0x%x", cd.f.Kind, cd.off)
		if err := w.child(ctx, e, Child{Name: name, Section: sec, Kind: cd.f.Kind, Carved: true, Size: sec.Size()}, g); err != nil {
			return
		}
	}
}

// find returns the candidate offsets of every magic in src[from:], sorted,
// one per offset (the highest-priority format wins).
func (c *carver) find(src Source, from int64) []candidate {
	const chunk = 4 << 20
	buf := make([]byte, chunk+c.maxLen)
	seen := map[candidate]bool{}
	var out []candidate
	for pos := from; pos < src.Size() && len(out) < MaxCarveCandidates; pos += chunk {
		n, _ := src.ReadAt(buf, pos)
		if n == 0 {
			break
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
