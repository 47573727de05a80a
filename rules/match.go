package rules

import (
	"bytes"
	"math"
	"sort"
)

// Hit is one occurrence of one of a rule's keywords.
type Hit struct {
	Offset int64 // where the keyword starts
	Len    int   // the keyword's length
}

// Content is random access to the bytes a rule is matched against.
// *analyzer.Pass satisfies it, so the scan reads only the windows.
type Content interface {
	// ReadAt returns up to n bytes at off, fewer at the end.
	ReadAt(off int64, n int) []byte
	Size() int64
}

// Match is one place where a rule matched. Offsets are in the content.
type Match struct {
	Rule       *Rule
	Start, End int64
	// SecretStart and SecretEnd delimit the secret; they equal Start and
	// End when the rule names no secret.
	SecretStart, SecretEnd int64
	Text                   string // the whole match
	Secret                 string // "" when the rule names no secret
}

// maxSpan bounds one read: hits closer together than their windows are
// merged into one span for one regular-expression run, but a file dense
// with keywords must not turn that span into the whole (possibly huge)
// entry held in memory at once.
const maxSpan = 1 << 20

// Find returns the rule's matches in c around the given keyword hits,
// filtered by entropy and the allow lists, one per start offset, in order.
// The regular expression runs only over the windows around the hits: never
// over the whole content, which is what keeps rules cheap on large inputs.
func (r *Rule) Find(c Content, hits []Hit) []Match {
	if len(hits) == 0 {
		return nil
	}
	hs := make([]Hit, len(hits))
	copy(hs, hits)
	sort.Slice(hs, func(i, j int) bool { return hs[i].Offset < hs[j].Offset })
	size := c.Size()
	// One match per start offset, and one per secret: two keywords of an
	// anchored rule may start matches at different places that end on the
	// same secret ("sftp://" and the "ftp://" inside it).
	seen := map[int64]bool{}
	seenSecret := map[int64]bool{}
	var out []Match
	add := func(m Match, ok bool) {
		if !ok || seen[m.Start] || (r.secretGroups != nil && seenSecret[m.SecretStart]) || !r.accept(&m) {
			return
		}
		seen[m.Start] = true
		seenSecret[m.SecretStart] = true
		out = append(out, m)
	}

	switch {
	case r.Regex == nil:
		for _, h := range hs {
			b := c.ReadAt(h.Offset, h.Len)
			if len(b) == 0 {
				continue
			}
			m := Match{Rule: r, Start: h.Offset, End: h.Offset + int64(len(b)), Text: string(b)}
			m.SecretStart, m.SecretEnd = m.Start, m.End
			add(m, true)
		}
	case r.Anchored:
		// One anchored attempt per hit: it fails as soon as the text after
		// the keyword stops fitting, instead of scanning a window.
		for _, h := range hs {
			if seen[h.Offset] || h.Offset < 0 || h.Offset >= size {
				continue
			}
			end := min(size, h.Offset+int64(h.Len)+int64(r.After))
			buf := c.ReadAt(h.Offset, int(end-h.Offset))
			openEnd := h.Offset+int64(len(buf)) < size
			if r.SameLine {
				if i := bytes.IndexByte(buf[min(h.Len, len(buf)):], '\n'); i >= 0 {
					buf, openEnd = buf[:h.Len+i], false
				}
			}
			if !r.hasRequired(buf) {
				continue
			}
			if loc := r.anchored.FindSubmatchIndex(buf); loc != nil {
				add(r.match(buf, h.Offset, loc, false, openEnd))
			}
		}
	default:
		for _, w := range r.windows(c, hs, size) {
			buf := c.ReadAt(w.start, int(w.end-w.start))
			// A short read leaves the end open as well.
			openEnd := w.openEnd || w.start+int64(len(buf)) < w.end
			if !r.hasRequired(buf) {
				continue
			}
			for _, loc := range r.Regex.FindAllSubmatchIndex(buf, -1) {
				add(r.match(buf, w.start, loc, w.openStart, openEnd))
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// match turns a regex result on buf (at base in the content) into a Match.
// It refuses empty matches, matches without a secret, and matches touching
// an open edge of the window: those may be a longer token cut short by the
// window, and reporting a fragment would be wrong.
func (r *Rule) match(buf []byte, base int64, loc []int, openStart, openEnd bool) (Match, bool) {
	s, e := loc[0], loc[1]
	if s == e || (s == 0 && openStart) || (e == len(buf) && openEnd) {
		return Match{}, false
	}
	m := Match{Rule: r, Start: base + int64(s), End: base + int64(e), Text: string(buf[s:e])}
	m.SecretStart, m.SecretEnd = m.Start, m.End
	if r.secretGroups == nil {
		return m, true
	}
	for _, g := range r.secretGroups {
		if gs, ge := loc[2*g], loc[2*g+1]; gs >= 0 && ge > gs {
			m.Secret = string(buf[gs:ge])
			m.SecretStart, m.SecretEnd = base+int64(gs), base+int64(ge)
			return m, true
		}
	}
	return Match{}, false
}

// hasRequired reports whether every literal of Requires occurs in buf.
func (r *Rule) hasRequired(buf []byte) bool {
	for _, lit := range r.Requires {
		if !bytes.Contains(buf, lit) {
			return false
		}
	}
	return true
}

// accept applies the entropy and allow filters.
func (r *Rule) accept(m *Match) bool {
	s := m.Text
	if r.secretGroups != nil {
		s = m.Secret
	}
	if r.Entropy > 0 && Entropy(s) < r.Entropy {
		return false
	}
	for _, a := range r.Allow {
		if a.MatchString(s) {
			return false
		}
	}
	for _, a := range r.AllowMatch {
		if a.MatchString(m.Text) {
			return false
		}
	}
	return true
}

// span is a stretch of content the regex runs over. An open edge cuts the
// content at an arbitrary byte; a closed one is the start or end of the
// content or, for line windows, of the line.
type span struct {
	start, end         int64
	openStart, openEnd bool
}

// windows returns the windows around sorted hits, clipped to the hit's
// line for line rules, merged where they touch, each merged span at most
// maxSpan long unless a single window is longer.
func (r *Rule) windows(c Content, hs []Hit, size int64) []span {
	var out []span
	for _, h := range hs {
		if h.Offset < 0 || h.Offset >= size {
			continue
		}
		w := span{start: max(0, h.Offset-int64(r.Before)), end: min(size, h.Offset+int64(h.Len)+int64(r.After))}
		w.openStart, w.openEnd = w.start > 0, w.end < size
		if r.SameLine {
			// Finding the line ends costs a memchr over the window; the
			// regex then scans one line instead of kilobytes around it.
			base := w.start
			buf := c.ReadAt(base, int(w.end-base))
			kw := int(h.Offset - base)
			if kw > len(buf) {
				continue
			}
			if i := bytes.LastIndexByte(buf[:kw], '\n'); i >= 0 {
				w.start, w.openStart = base+int64(i+1), false
			}
			from := min(kw+h.Len, len(buf))
			if i := bytes.IndexByte(buf[from:], '\n'); i >= 0 {
				w.end, w.openEnd = base+int64(from+i), false
			}
		}
		if n := len(out); n > 0 && w.start <= out[n-1].end && max(w.end, out[n-1].end)-out[n-1].start <= maxSpan {
			last := &out[n-1]
			if w.end > last.end {
				last.end, last.openEnd = w.end, w.openEnd
			}
			continue
		}
		out = append(out, w)
	}
	return out
}

// Entropy returns the Shannon entropy of s in bits per byte: 0 for "aaaa",
// 2 for "abcd", about 4 to 6 for random tokens depending on their alphabet.
func Entropy(s string) float64 {
	if s == "" {
		return 0
	}
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	n := float64(len(s))
	h := 0.0
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / n
			h -= p * math.Log2(p)
		}
	}
	return h
}
