package rules

import (
	"errors"
	"fmt"
	"strings"
)

// Check runs the rule's own samples through the matcher the scan uses
// (keyword hits, windows, regex, filters): every positive sample must
// match and no negative one may. The error lists each failing sample with
// its line in the rule file.
func Check(r *Rule) error {
	var errs []error
	for i, s := range r.Tests.Positive {
		if len(r.matchSample(s)) == 0 {
			errs = append(errs, &Error{File: r.File, Line: s.Line, Rule: r.ID,
				Msg: fmt.Sprintf("positive sample %d does not match", i+1)})
		}
	}
	for i, s := range r.Tests.Negative {
		if ms := r.matchSample(s); len(ms) > 0 {
			what := ms[0].Text
			if ms[0].Secret != "" {
				what = ms[0].Secret
			}
			errs = append(errs, &Error{File: r.File, Line: s.Line, Rule: r.ID,
				Msg: fmt.Sprintf("negative sample %d matches %q", i+1, what)})
		}
	}
	return errors.Join(errs...)
}

// Matches returns what the rule finds in a sample, as the scan would find
// it in an entry with the sample's name and kind.
func (r *Rule) Matches(s Sample) []Match { return r.matchSample(s) }

func (r *Rule) matchSample(s Sample) []Match {
	if s.Kind != "" && r.kinds != nil && !r.kinds[s.Kind] {
		return nil
	}
	if s.Path != "" && ((len(r.paths) > 0 && !matchAny(r.paths, s.Path)) || matchAny(r.exclude, s.Path)) {
		return nil
	}
	return r.Find(byteContent(s.Text), KeywordHits(r.Keywords, []byte(s.Text)))
}

// KeywordHits finds every occurrence of the keywords in b, overlapping
// ones included, as the scan's keyword pass reports them.
func KeywordHits(keywords []string, b []byte) []Hit {
	var hs []Hit
	text := string(b)
	for _, k := range keywords {
		for off := 0; ; off++ {
			i := strings.Index(text[off:], k)
			if i < 0 {
				break
			}
			off += i
			hs = append(hs, Hit{Offset: int64(off), Len: len(k)})
		}
	}
	return hs
}

// byteContent is in-memory content for samples.
type byteContent []byte

func (b byteContent) ReadAt(off int64, n int) []byte {
	if off < 0 || off >= int64(len(b)) {
		return nil
	}
	return b[off:min(off+int64(n), int64(len(b)))]
}

func (b byteContent) Size() int64 { return int64(len(b)) }
