package analyzer

import (
	"bytes"
	"io"
	"sort"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/finding"
)

// MaxData is the largest entry whose whole content Data returns. Larger
// entries are examined through keyword hits and ReadAt windows, so memory
// stays bounded whatever the target's size.
const MaxData = 16 << 20

// Hit is one occurrence of one of the analyzer's keywords.
type Hit struct {
	Keyword int   // index into Analyzer.Keywords
	Offset  int64 // byte offset in the entry
}

// Shared is the per-entry work computed once and shared by all analyzers
// that look at the entry. The scan engine creates it; analyzers reach it
// through their Pass.
type Shared struct {
	Entry *artifact.Entry
	Src   artifact.Source // nil for entries without content
	data  []byte
	read  bool
	lines []int // offsets where lines start
}

// NewShared prepares the shared work for one entry; data may be given when
// the engine already holds the whole content.
func NewShared(e *artifact.Entry, src artifact.Source, data []byte) *Shared {
	return &Shared{Entry: e, Src: src, data: data, read: data != nil}
}

// Data returns the entry's whole content, or nil when it is larger than
// MaxData or has none. Read once, then cached.
func (s *Shared) Data() []byte {
	if s.read {
		return s.data
	}
	s.read = true
	if s.Src == nil || s.Src.Size() > MaxData {
		return nil
	}
	if m, ok := s.Src.(interface{ Bytes() []byte }); ok {
		s.data = m.Bytes() // already in memory: no copy
		return s.data
	}
	b := make([]byte, s.Src.Size())
	n, err := s.Src.ReadAt(b, 0)
	if err != nil && err != io.EOF {
		b = b[:n]
	}
	s.data = b[:n]
	return s.data
}

// Pass is one analyzer's view of one entry.
type Pass struct {
	Analyzer *Analyzer
	Entry    *artifact.Entry
	shared   *Shared
	hits     []Hit
	report   func(finding.Finding)
	fact     func(Fact)
}

// NewPass is used by the scan engine.
func NewPass(a *Analyzer, s *Shared, hits []Hit, report func(finding.Finding), fact func(Fact)) *Pass {
	return &Pass{Analyzer: a, Entry: s.Entry, shared: s, hits: hits, report: report, fact: fact}
}

// Hits returns the analyzer's keyword hits in this entry, by offset.
func (p *Pass) Hits() []Hit { return p.hits }

// Keyword returns the text of a hit's keyword.
func (p *Pass) Keyword(h Hit) string { return p.Analyzer.Keywords[h.Keyword] }

// Data returns the entry's whole content (nil above MaxData; see ReadAt).
func (p *Pass) Data() []byte { return p.shared.Data() }

// Size returns the entry's size.
func (p *Pass) Size() int64 {
	if p.shared.Src == nil {
		return 0
	}
	return p.shared.Src.Size()
}

// ReadAt returns up to n bytes at off (fewer at the end of the entry).
func (p *Pass) ReadAt(off int64, n int) []byte {
	if d := p.shared.Data(); d != nil {
		if off < 0 || off >= int64(len(d)) {
			return nil
		}
		end := min(off+int64(n), int64(len(d)))
		return d[off:end]
	}
	if p.shared.Src == nil || off < 0 {
		return nil
	}
	b := make([]byte, n)
	m, _ := p.shared.Src.ReadAt(b, off)
	return b[:m]
}

// Source returns the entry's content for streaming readers; nil if none.
func (p *Pass) Source() artifact.Source { return p.shared.Src }

// Line returns the 1-based line number and column of a byte offset, for
// entries small enough for Data; (0, 0) otherwise.
func (p *Pass) Line(off int64) (line, col int) {
	d := p.shared.Data()
	if d == nil || off < 0 || off > int64(len(d)) {
		return 0, 0
	}
	if p.shared.lines == nil {
		starts := []int{0}
		for i := 0; ; {
			j := bytes.IndexByte(d[i:], '\n')
			if j < 0 {
				break
			}
			i += j + 1
			starts = append(starts, i)
		}
		p.shared.lines = starts
	}
	i := sort.SearchInts(p.shared.lines, int(off)+1) - 1
	return i + 1, int(off) - p.shared.lines[i] + 1
}

// LineText returns the text of the line containing off (without newline),
// capped at 400 bytes around off.
func (p *Pass) LineText(off int64) string {
	w := p.ReadAt(max(0, off-200), 400)
	rel := int(off - max(0, off-200))
	if rel > len(w) {
		return ""
	}
	start := bytes.LastIndexByte(w[:rel], '\n') + 1
	end := bytes.IndexByte(w[rel:], '\n')
	if end < 0 {
		end = len(w)
	} else {
		end += rel
	}
	return string(bytes.TrimRight(w[start:end], "\r"))
}

// Report emits a finding. Location target and path default to the entry's;
// the id is the stable fingerprint.
func (p *Pass) Report(f finding.Finding) {
	if f.Location.Target == "" {
		f.Location.Target = p.Entry.Target
	}
	if f.Location.Path == "" {
		f.Location.Path = p.Entry.Path
	}
	f.SetID()
	p.report(f)
}

// AddFact records something learned about this entry for Finish.
func (p *Pass) AddFact(kind string, value any) {
	p.fact(Fact{Analyzer: p.Analyzer.Name, Kind: kind, Target: p.Entry.Target, Path: p.Entry.Path, Name: p.Entry.Name, Value: value})
}
