package report

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"github.com/doorman-sec/doorman/internal/units"
	"html/template"
	"sort"
	"strings"

	"github.com/doorman-sec/doorman/finding"
)

// The page is assembled from three embedded files so that each can be read
// and edited as what it is.
var (
	//go:embed assets/page.tmpl
	pageTemplate string
	//go:embed assets/page.css
	pageCSS string
	//go:embed assets/page.js
	pageJS string
)

// pageTmpl is parsed once; a broken template is a programming error caught
// by every test, so it panics at start-up rather than on a user's report.
var pageTmpl = template.Must(template.New("page").Parse(pageTemplate))

// pageCSP is the page's Content-Security-Policy. It forbids every fetch
// (default-src 'none') and allows only the page's own style and script,
// pinned by hash: even if some text ever escaped html/template, an injected
// script would not run, and an injected image or stylesheet would not leak
// that the report was opened.
var pageCSP = fmt.Sprintf(
	"default-src 'none'; style-src '%s'; script-src '%s'; base-uri 'none'; form-action 'none'",
	cspHash(pageCSS), cspHash(pageJS))

// cspHash returns the CSP source expression for inline content.
func cspHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// htmlPage is everything the template shows. All strings from the report
// are passed through visible() first and are escaped by html/template.
type htmlPage struct {
	CSP        string
	CSS        template.CSS
	JS         template.JS
	Title      string
	Tool       string
	Command    string
	Targets    []htmlTarget
	Duration   string
	Files      string
	Bytes      string
	Total      int
	Badges     []htmlBadge
	Verdict    string
	MinNote    string
	Severities []htmlSeverity
	Categories []htmlCategory
	Groups     []htmlGroup
	Removed    []htmlFinding
	Diff       *htmlDiff // set for a diff report (see diff_html.go)
	Inventory  []invSection
	Errors     []finding.Error
}

// htmlTarget is one examined target.
type htmlTarget struct {
	Path   string
	Size   string
	SHA256 string
}

// htmlBadge is a coloured count for one severity.
type htmlBadge struct {
	Sev   string
	Label string
	Count int
}

// htmlSeverity explains one severity in the "what this means" section.
type htmlSeverity struct {
	Sev   string
	Label string
	Text  string
}

// htmlCategory explains one category present in the report.
type htmlCategory struct {
	Name  string
	Text  string
	Count int
}

// htmlGroup is the findings of one severity, split by path.
type htmlGroup struct {
	Sev   string
	Label string
	Count int
	Paths []htmlPath
}

// htmlPath is the findings of one severity at one path.
type htmlPath struct {
	Path     string
	Findings []htmlFinding
}

// htmlFinding is one finding, ready to show.
type htmlFinding struct {
	ID         string
	Sev        string
	SevLabel   string
	Title      string
	Message    string
	Location   string
	Evidence   string
	Rule       string
	Category   string
	CWE        string
	Confidence string
	Refs       []htmlRef
	// Query is what the free-text filter searches: path, title and rule,
	// lower-cased once here so the script does no per-finding work beyond
	// reading an attribute.
	Query string
}

// htmlRef is a reference; only absolute http(s) URLs become links.
type htmlRef struct {
	Text string
	Link bool
}

// sevLabel is the capitalised severity name shown on the page.
func sevLabel(s finding.Severity) string {
	n := s.String()
	return strings.ToUpper(n[:1]) + n[1:]
}

// writeHTML writes the self-contained HTML page.
func writeHTML(buf *bytes.Buffer, r *finding.Report, opt Options) error {
	p := htmlPage{
		CSP:      pageCSP,
		CSS:      template.CSS(pageCSS),
		JS:       template.JS(pageJS),
		Tool:     visible(strings.TrimSpace(toolName(r)+" "+r.Tool.Version), false),
		Command:  visible(r.Command, false),
		Duration: humanDuration(r.Stats.DurationMS),
		Files:    humanInt(r.Stats.Files),
		Bytes:    units.Bytes(r.Stats.Bytes),
		Total:    len(r.Findings),
	}
	names := targetNames(r)
	for i := range names {
		names[i] = visible(names[i], false)
	}
	p.Title = "doorman report"
	if len(names) > 0 {
		p.Title += ": " + fitList(names, 80)
	}
	for _, t := range r.Targets {
		p.Targets = append(p.Targets, htmlTarget{Path: visible(t.Path, false), Size: units.Bytes(t.Size), SHA256: visible(t.SHA256, false)})
	}

	counts := countBySeverity(r.Findings)
	var present []string
	for _, s := range severities {
		p.Badges = append(p.Badges, htmlBadge{Sev: s.String(), Label: sevLabel(s), Count: counts[s]})
		p.Severities = append(p.Severities, htmlSeverity{Sev: s.String(), Label: sevLabel(s), Text: severityExplanation(s)})
		if counts[s] > 0 {
			present = append(present, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	if opt.MinSeverity > finding.Info {
		p.MinNote = fmt.Sprintf("Only findings at or above %s are shown.", opt.MinSeverity)
	}
	p.Verdict = verdict(r, present)
	p.Categories = htmlCategories(r.Findings)

	for _, g := range group(r.Findings) {
		hg := htmlGroup{Sev: g.Severity.String(), Label: sevLabel(g.Severity), Count: g.Count}
		for _, pg := range g.Paths {
			hp := htmlPath{Path: visible(pg.Path, false)}
			for i := range pg.Findings {
				hp.Findings = append(hp.Findings, htmlFindingOf(&pg.Findings[i]))
			}
			hg.Paths = append(hg.Paths, hp)
		}
		p.Groups = append(p.Groups, hg)
	}
	for _, f := range byUrgency(r.Removed) {
		p.Removed = append(p.Removed, htmlFindingOf(&f))
	}
	if isDiff(r) {
		p.Diff = htmlDiffOf(r, present)
		p.Verdict = p.Diff.Verdict
	}
	p.Inventory = inventorySections(r.Inventory)
	for _, e := range r.Errors {
		p.Errors = append(p.Errors, finding.Error{Path: visible(e.Path, false), Error: visible(e.Error, true)})
	}
	return pageTmpl.Execute(buf, &p)
}

// verdict is the one-paragraph answer to "so, is there a problem?" that a
// newcomer reads first. It never claims more than the checks can show.
func verdict(r *finding.Report, present []string) string {
	var s string
	if len(r.Findings) == 0 {
		s = "doorman found nothing that matches its checks for backdoors. That is not proof that none exists, only that none of its rules fired."
	} else {
		s = fmt.Sprintf("doorman found %s worth a look (%s). Findings are listed most urgent first; start at the top.",
			plural(len(r.Findings), "thing", "things"), strings.Join(present, ", "))
	}
	if n := len(r.Errors); n > 0 {
		s += fmt.Sprintf(" %s could not be examined, so the report says nothing about %s; see “Not examined” at the end.",
			plural(n, "part", "parts"), map[bool]string{true: "it", false: "them"}[n == 1])
	}
	return s
}

// htmlCategories explains each category present, in contract order, then
// any category added later, by name.
func htmlCategories(fs []finding.Finding) []htmlCategory {
	count := map[finding.Category]int{}
	for i := range fs {
		count[fs[i].Category]++
	}
	var out []htmlCategory
	for _, c := range finding.Categories {
		if n := count[c]; n > 0 {
			out = append(out, htmlCategory{Name: string(c), Text: CategoryExplanation(c), Count: n})
			delete(count, c)
		}
	}
	var rest []string
	for c := range count {
		rest = append(rest, string(c))
	}
	sort.Strings(rest)
	for _, c := range rest {
		cat := finding.Category(c)
		out = append(out, htmlCategory{Name: visible(c, false), Text: CategoryExplanation(cat), Count: count[cat]})
	}
	return out
}

// htmlFindingOf prepares one finding for the page.
func htmlFindingOf(f *finding.Finding) htmlFinding {
	h := htmlFinding{
		ID:         visible(f.ID, false),
		Sev:        f.Severity.String(),
		SevLabel:   sevLabel(f.Severity),
		Title:      visible(f.Title, false),
		Message:    visible(f.Message, true),
		Location:   visible(locationString(f.Location), false),
		Evidence:   visible(f.Evidence, true),
		Rule:       visible(f.Rule, false),
		Category:   visible(string(f.Category), false),
		CWE:        visible(strings.Join(f.CWE, ", "), false),
		Confidence: visible(string(f.Confidence), false),
	}
	for _, ref := range f.References {
		h.Refs = append(h.Refs, htmlRef{Text: visible(ref, false), Link: isWebURL(ref)})
	}
	h.Query = strings.ToLower(visible(f.Location.Path, false) + "\n" + h.Title + "\n" + h.Rule)
	return h
}
