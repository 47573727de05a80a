package scan

import (
	"github.com/coregx/ahocorasick"
	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/artifact"
)

// keywordIndex matches the keywords of every analyzer in one Aho-Corasick
// pass over an entry, then splits the hits per analyzer. This is the one
// read of the content that all literal signatures share.
type keywordIndex struct {
	ac      *ahocorasick.Automaton
	owners  [][]owner // per pattern: which analyzers asked for it
	longest int
}

type owner struct {
	analyzer int // index in the engine's analyzer list
	keyword  int // index in that analyzer's Keywords
}

func newKeywordIndex(as []*analyzer.Analyzer) (*keywordIndex, error) {
	ki := &keywordIndex{}
	ids := map[string]int{}
	var pats [][]byte
	for ai, a := range as {
		for ki2, k := range a.Keywords {
			if k == "" {
				continue
			}
			id, ok := ids[k]
			if !ok {
				id = len(pats)
				ids[k] = id
				pats = append(pats, []byte(k))
				ki.owners = append(ki.owners, nil)
				ki.longest = max(ki.longest, len(k))
			}
			ki.owners[id] = append(ki.owners[id], owner{ai, ki2})
		}
	}
	if len(pats) == 0 {
		return ki, nil
	}
	ac, err := ahocorasick.NewBuilder().AddPatterns(pats).Build()
	if err != nil {
		return nil, err
	}
	ki.ac = ac
	return ki, nil
}

// maxHitsPerEntry bounds the hits kept for one entry: a file made of one
// keyword repeated must not cost unbounded memory.
const maxHitsPerEntry = 100_000

// scan returns the hits of every analyzer in the entry: hits[a] for
// analyzer a. data is the whole content when small; otherwise src is read
// in chunks that overlap by the longest keyword.
func (ki *keywordIndex) scan(data []byte, src artifact.Source, n int) [][]analyzer.Hit {
	if ki.ac == nil {
		return nil
	}
	hits := make([][]analyzer.Hit, n)
	total := 0
	// add keeps the matches that start before limit: in chunked reading the
	// tail beyond limit is only there to complete matches that straddle.
	add := func(buf []byte, base int64, limit int) {
		for _, m := range ki.ac.FindAllOverlapping(buf) {
			if m.Start >= limit || total >= maxHitsPerEntry {
				continue
			}
			for _, o := range ki.owners[m.PatternID] {
				hits[o.analyzer] = append(hits[o.analyzer], analyzer.Hit{Keyword: o.keyword, Offset: base + int64(m.Start)})
				total++
			}
		}
	}
	if data != nil {
		add(data, 0, len(data))
		return hits
	}
	const chunk = 8 << 20
	buf := make([]byte, chunk+ki.longest-1)
	for pos := int64(0); pos < src.Size(); pos += chunk {
		k, _ := src.ReadAt(buf, pos)
		if k == 0 {
			break
		}
		add(buf[:k], pos, chunk)
	}
	return hits
}
