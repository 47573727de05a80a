// Package signature is the analyzer that applies the rules of package
// rules. Every rule keyword joins the scan's shared keyword pass; for each
// hit, the rules owning the keyword run their regular expression over a
// window around it (never over the whole entry), and what survives the
// rules' filters becomes a finding whose evidence shows the line with the
// secret masked.
package signature

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/rules"
)

const (
	// maxEvidence is the longest evidence, in characters.
	maxEvidence = 200
	// maxPerRule bounds the findings of one rule in one entry: a dump of
	// ten thousand keys is one problem to fix, not ten thousand.
	maxPerRule = 20
	// lineContext is how far evidence looks for the ends of the line.
	lineContext = 300
)

type engine struct {
	rules  []*rules.Rule
	owners [][]int // per keyword (Analyzer.Keywords index): indexes into rules
}

// New returns the signature analyzer for a rule set (nil: no rules).
func New(set *rules.Set) *analyzer.Analyzer {
	e, keywords := newEngine(set)
	return &analyzer.Analyzer{
		Name:     "signature",
		Doc:      "applies the rule files (built-in and --rules): secrets, tokens and other literal signatures",
		Keywords: keywords,
		Run:      e.run,
	}
}

// newEngine indexes the rules by keyword: each distinct keyword is given
// to the keyword pass once, however many rules share it.
func newEngine(set *rules.Set) (*engine, []string) {
	e := &engine{}
	if set != nil {
		e.rules = set.Rules()
	}
	index := map[string]int{}
	var keywords []string
	for ri, r := range e.rules {
		for _, k := range r.Keywords {
			i, ok := index[k]
			if !ok {
				i = len(keywords)
				index[k] = i
				keywords = append(keywords, k)
				e.owners = append(e.owners, nil)
			}
			e.owners[i] = append(e.owners[i], ri)
		}
	}
	return e, keywords
}

func (e *engine) run(p *analyzer.Pass) {
	hits := make([][]rules.Hit, len(e.rules))
	// applies caches each rule's path and kind filters for this entry, so
	// that the hits of rules that do not look at it (the configuration
	// rules on source files) are not even collected.
	applies := make([]int8, len(e.rules))
	for _, h := range p.Hits() {
		n := len(p.Keyword(h))
		for _, ri := range e.owners[h.Keyword] {
			if applies[ri] == 0 {
				applies[ri] = -1
				if e.rules[ri].Applies(p.Entry.Name, string(p.Entry.Kind)) {
					applies[ri] = 1
				}
			}
			if applies[ri] > 0 {
				hits[ri] = append(hits[ri], rules.Hit{Offset: h.Offset, Len: n})
			}
		}
	}
	var ms []rules.Match
	for ri, hs := range hits {
		if len(hs) > 0 {
			ms = append(ms, e.rules[ri].Find(p, hs)...)
		}
	}
	if len(ms) == 0 {
		return
	}
	sort.SliceStable(ms, func(i, j int) bool {
		if ms[i].SecretStart != ms[j].SecretStart {
			return ms[i].SecretStart < ms[j].SecretStart
		}
		return ms[i].Rule.ID < ms[j].Rule.ID
	})
	// Every secret is masked wherever it shows, including in the evidence
	// of another finding on the same line, and including secrets whose own
	// finding gives way to a more specific rule.
	var secrets []secretSpan
	for _, m := range ms {
		if m.Rule.HasSecret() {
			secrets = append(secrets, secretSpan{m.SecretStart, m.SecretEnd, m.Secret})
		}
	}
	keep := resolve(ms)
	total := map[*rules.Rule]int{}
	for i, m := range ms {
		if keep[i] {
			total[m.Rule]++
		}
	}
	done := map[*rules.Rule]int{}
	testOrDocs := analyzer.InTestOrDocs(p.Entry)
	for i, m := range ms {
		if !keep[i] || done[m.Rule] >= maxPerRule {
			continue
		}
		done[m.Rule]++
		more := 0
		if done[m.Rule] == maxPerRule {
			more = total[m.Rule] - maxPerRule
		}
		p.Report(e.finding(p, m, secrets, testOrDocs, more))
	}
}

// resolve decides which matches are reported. A generic match gives way to
// any specific match whose secret overlaps it (a GitHub token assigned to
// "token =" is a GitHub token, not a generic secret); among overlapping
// generic matches the most severe, then most confident, one stays.
func resolve(ms []rules.Match) []bool {
	keep := make([]bool, len(ms))
	for i := range keep {
		keep[i] = true
	}
	// ms is sorted by SecretStart: only later matches starting before this
	// one ends can overlap it.
	for i := range ms {
		for j := i + 1; j < len(ms) && ms[j].SecretStart < ms[i].SecretEnd; j++ {
			a, b := ms[i].Rule, ms[j].Rule
			if (!a.Generic && !b.Generic) || a == b {
				continue
			}
			switch {
			case a.Generic && !b.Generic:
				keep[i] = false
			case b.Generic && !a.Generic:
				keep[j] = false
			case outranks(b, a):
				keep[i] = false
			default:
				keep[j] = false
			}
		}
	}
	return keep
}

var confidenceRank = map[finding.Confidence]int{finding.ConfidenceLow: 1, finding.ConfidenceMedium: 2, finding.ConfidenceHigh: 3}

// outranks orders generic rules reporting the same secret.
func outranks(a, b *rules.Rule) bool {
	if a.Severity != b.Severity {
		return a.Severity > b.Severity
	}
	if confidenceRank[a.Confidence] != confidenceRank[b.Confidence] {
		return confidenceRank[a.Confidence] > confidenceRank[b.Confidence]
	}
	return a.ID < b.ID
}

// finding builds the report for one match.
func (e *engine) finding(p *analyzer.Pass, m rules.Match, secrets []secretSpan, testOrDocs bool, more int) finding.Finding {
	r := m.Rule
	f := finding.Finding{
		Rule:       r.ID,
		Category:   r.Category,
		CWE:        slices.Clone(r.CWE),
		Severity:   r.Severity,
		Confidence: r.Confidence,
		Title:      r.Title,
		References: slices.Clone(r.References),
	}
	name := p.Entry.Name
	if name == "" {
		name = p.Entry.Path
	}
	text := isText(p, m.SecretStart)
	var where string
	if line, col := p.Line(m.SecretStart); text && line > 0 {
		f.Location.Line, f.Location.Column = line, col
		where = fmt.Sprintf("%s, line %d", name, line)
	} else {
		text = false
		off := m.SecretStart
		f.Location.Offset = &off
		where = fmt.Sprintf("%s at offset %#x", name, off)
	}
	f.Evidence = evidence(p, m, secrets, text)
	// The masked evidence of two different keys is often identical
	// ("AKIA…(20 chars)"), and so would be their ids: the secret's position
	// joins the fingerprint, so each key is its own finding while a rescan
	// keeps the ids. Not the secret itself: an id must not let someone
	// holding the report confirm a guessed password offline.
	f.ID = finding.Fingerprint(r.ID, p.Entry.Path, fmt.Sprintf("%s\x00%d", f.Evidence, m.SecretStart))

	what := r.Title
	if r.HasSecret() {
		what += " '" + finding.Mask(m.Secret) + "'"
	} else {
		what += " (matched '" + clip(clean([]byte(m.Text)), 60) + "')"
	}
	f.Message = what + " in " + where
	if testOrDocs {
		// A token in a library's test fixtures or documentation is most
		// likely a sample, not a secret shipped to devices.
		f.Severity = max(finding.Info, f.Severity-2)
		f.Confidence = finding.ConfidenceLow
		f.Message += " (in test/docs folder)"
	}
	if more > 0 {
		f.Message += fmt.Sprintf(" (%d more matches of this rule in this file not reported)", more)
	}
	return f
}

// isText reports whether offsets in the entry are best shown as lines:
// plain text, or an entry of a kind no format claims whose bytes around
// off read as text. Binaries (ELF, raw blobs) get byte offsets, since
// their "lines" mean nothing.
func isText(p *analyzer.Pass, off int64) bool {
	k := p.Entry.Kind
	switch {
	case k == artifact.KindText:
		return true
	case k == artifact.KindData || artifact.FormatOf(k) != nil:
		return false
	}
	start := max(0, off-256)
	return artifact.LooksText(p.ReadAt(start, 512))
}

type secretSpan struct {
	start, end int64
	text       string
}

// evidence returns the line holding the match's secret (in binary content:
// the run of printable bytes around it) with every secret on it masked,
// cut to maxEvidence characters around the secret.
func evidence(p *analyzer.Pass, m rules.Match, secrets []secretSpan, text bool) string {
	base := max(0, m.SecretStart-lineContext)
	region := p.ReadAt(base, int(m.SecretEnd-base)+lineContext)
	s := int(min(m.SecretStart-base, int64(len(region))))
	e := int(min(m.SecretEnd-base, int64(len(region))))
	var ls, le int
	if text {
		ls = bytes.LastIndexByte(region[:s], '\n') + 1
		le = len(region)
		if i := bytes.IndexByte(region[e:], '\n'); i >= 0 {
			le = e + i
		}
	} else {
		ls, le = s, e
		for ls > 0 && printable(region[ls-1]) {
			ls--
		}
		for le < len(region) && printable(region[le]) {
			le++
		}
	}
	cutLeft := ls == 0 && base > 0
	cutRight := le == len(region) && base+int64(len(region)) < p.Size()

	var mid string
	if m.Rule.HasSecret() {
		mid = finding.Mask(m.Secret)
	} else {
		mid = clip(render(region, base, s, e, secrets), maxEvidence/2)
	}
	prefix := strings.TrimLeft(render(region, base, ls, s, secrets), " ")
	suffix := strings.TrimRight(render(region, base, e, le, secrets), " ")
	return fit(prefix, mid, suffix, cutLeft, cutRight)
}

// render returns region[lo:hi] as clean text with every secret in it
// masked; base is region's offset in the entry.
func render(region []byte, base int64, lo, hi int, secrets []secretSpan) string {
	var b strings.Builder
	pos := lo
	for _, sp := range secrets {
		ss, se := int(sp.start-base), int(sp.end-base)
		if se <= pos || ss >= hi {
			continue
		}
		ss = max(ss, pos)
		b.WriteString(clean(region[pos:ss]))
		b.WriteString(finding.Mask(sp.text))
		pos = min(se, hi)
	}
	if pos < hi {
		b.WriteString(clean(region[pos:hi]))
	}
	return b.String()
}

// fit joins the parts, trimming prefix and suffix evenly so that the whole
// holds at most maxEvidence characters with the masked secret in view; an
// ellipsis marks each cut.
func fit(prefix, mid, suffix string, cutLeft, cutRight bool) string {
	pr, sr := []rune(prefix), []rune(suffix)
	room := maxEvidence - utf8.RuneCountInString(mid)
	left, right := len(pr), len(sr)
	need := func() int {
		n := left + right
		if cutLeft || left < len(pr) {
			n++
		}
		if cutRight || right < len(sr) {
			n++
		}
		return n
	}
	for need() > room && (left > 0 || right > 0) {
		if left >= right {
			left--
		} else {
			right--
		}
	}
	var b strings.Builder
	if cutLeft || left < len(pr) {
		b.WriteString("…")
	}
	b.WriteString(string(pr[len(pr)-left:]))
	b.WriteString(mid)
	b.WriteString(string(sr[:right]))
	if cutRight || right < len(sr) {
		b.WriteString("…")
	}
	return b.String()
}

func printable(c byte) bool { return c >= 0x20 && c < 0x7f || c == '\t' }

// clean makes bytes safe to show on one line: valid UTF-8, tabs as
// spaces, other control characters as '.'.
func clean(b []byte) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t':
			return ' '
		case r == '\r':
			return -1
		case r < 0x20 || r == 0x7f:
			return '.'
		}
		return r
	}, strings.ToValidUTF8(string(b), "?"))
}

// clip cuts s to n characters, marking the cut.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
