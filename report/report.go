// Package report renders a finding.Report for people and programs.
//
// Four formats are provided, chosen by name with Write:
//
//   - "text": for a person at a terminal, grouped by severity then path,
//     optionally coloured with ANSI escapes.
//   - "json": exactly the JSON report of the public contract
//     (spec/interface.md), for scripts and baselines.
//   - "sarif": SARIF 2.1.0 for code-scanning platforms such as GitHub.
//   - "html": one self-contained page (no network fetches) for a person
//     who has never run doorman.
//
// Every format is deterministic: the same report renders to the same bytes.
// Writers never modify the report they are given; Options.MinSeverity is
// applied to a copy.
package report

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"

	"github.com/doorman-sec/doorman/finding"
)

// Options tune how a report is rendered.
type Options struct {
	// Color turns on ANSI colour in the text format; other formats ignore
	// it. The caller decides, from whether the output is a terminal and
	// from NO_COLOR, because only it knows where the bytes go.
	Color bool
	// MinSeverity drops findings below it from every format. The zero
	// value keeps everything.
	MinSeverity finding.Severity
}

// writer renders a prepared report into buf. Writers render into memory so
// that a failure half-way never leaves a truncated report behind in w.
type writer func(buf *bytes.Buffer, r *finding.Report, opt Options) error

// formats maps each format name to its writer, in the order Formats lists.
var formats = []struct {
	name  string
	write writer
}{
	{"text", writeText},
	{"json", writeJSON},
	{"sarif", writeSARIF},
	{"html", writeHTML},
}

// Formats lists the format names Write accepts: "text", "json", "sarif"
// and "html", with the default (text) first.
func Formats() []string {
	out := make([]string, len(formats))
	for i, f := range formats {
		out[i] = f.name
	}
	return out
}

// Write renders r in the named format to w. Format names are matched
// without regard to case. An unknown format is an error that names the
// valid ones, so a command line can pass it straight to the user.
func Write(w io.Writer, format string, r *finding.Report, opt Options) error {
	if r == nil {
		return fmt.Errorf("report: nil report")
	}
	name := strings.ToLower(strings.TrimSpace(format))
	for _, f := range formats {
		if f.name != name {
			continue
		}
		p := prepare(r, opt.MinSeverity)
		var buf bytes.Buffer
		if err := f.write(&buf, &p, opt); err != nil {
			return fmt.Errorf("report: %s: %w", f.name, err)
		}
		_, err := w.Write(buf.Bytes())
		return err
	}
	return fmt.Errorf("report: unknown format %q (valid formats: %s)", format, strings.Join(Formats(), ", "))
}

// prepare returns a shallow copy of r that the writers may rely on: the
// findings below min are gone, and the slices the contract requires to be
// arrays (targets, findings, errors) are never nil. Slices are copied, not
// aliased, so writers that sort cannot reorder the caller's report.
func prepare(r *finding.Report, min finding.Severity) finding.Report {
	p := *r
	if p.SchemaVersion == 0 {
		// 0 is never a valid schema version; a producer that left it unset
		// still means the current one.
		p.SchemaVersion = finding.SchemaVersion
	}
	p.Targets = append([]finding.Target{}, r.Targets...)
	p.Errors = append([]finding.Error{}, r.Errors...)
	p.Findings = keep(r.Findings, min)
	if r.Removed != nil {
		p.Removed = keep(r.Removed, min)
	}
	return p
}

// keep returns a new, non-nil slice of the findings at or above min, in
// their original order.
func keep(fs []finding.Finding, min finding.Severity) []finding.Finding {
	out := make([]finding.Finding, 0, len(fs))
	for _, f := range fs {
		if f.Severity >= min {
			out = append(out, f)
		}
	}
	return out
}

// severities lists the valid severities, most urgent first: the order in
// which people read a report.
var severities = []finding.Severity{finding.Critical, finding.High, finding.Medium, finding.Low, finding.Info}

// validSeverity reports whether s is one of the contract's five severities.
func validSeverity(s finding.Severity) bool {
	return s >= finding.Info && s <= finding.Critical
}

// byUrgency returns a sorted copy of fs: most urgent severity first, then
// the deterministic order of finding.Less (path, line, offset, rule, id).
// Findings with an invalid severity go last rather than being dropped, so
// a producer bug is visible instead of silent.
func byUrgency(fs []finding.Finding) []finding.Finding {
	out := append([]finding.Finding(nil), fs...)
	rank := func(s finding.Severity) int {
		if validSeverity(s) {
			return int(s)
		}
		return 0
	}
	sort.SliceStable(out, func(i, j int) bool {
		ri, rj := rank(out[i].Severity), rank(out[j].Severity)
		if ri != rj {
			return ri > rj
		}
		if out[i].Severity != out[j].Severity {
			return out[i].Severity < out[j].Severity
		}
		return finding.Less(&out[i], &out[j])
	})
	return out
}

// sevGroup is a run of findings of one severity, split by location path.
type sevGroup struct {
	Severity finding.Severity
	Count    int
	Paths    []pathGroup
}

// pathGroup is a run of findings of one severity at one location path.
type pathGroup struct {
	Path     string
	Findings []finding.Finding
}

// group splits findings into severity groups (most urgent first) and, inside
// each, path groups in path order. Only non-empty groups are returned.
func group(fs []finding.Finding) []sevGroup {
	var out []sevGroup
	for _, f := range byUrgency(fs) {
		if len(out) == 0 || out[len(out)-1].Severity != f.Severity {
			out = append(out, sevGroup{Severity: f.Severity})
		}
		g := &out[len(out)-1]
		g.Count++
		if len(g.Paths) == 0 || g.Paths[len(g.Paths)-1].Path != f.Location.Path {
			g.Paths = append(g.Paths, pathGroup{Path: f.Location.Path})
		}
		p := &g.Paths[len(g.Paths)-1]
		p.Findings = append(p.Findings, f)
	}
	return out
}

// countBySeverity counts findings per severity.
func countBySeverity(fs []finding.Finding) map[finding.Severity]int {
	c := map[finding.Severity]int{}
	for i := range fs {
		c[fs[i].Severity]++
	}
	return c
}

// locationString writes a location the way people quote it: "path:line",
// "path:line:column", or "path (offset 0x1a0)" for a binary position.
func locationString(l finding.Location) string {
	p := l.Path
	if p == "" {
		p = l.Target
	}
	switch {
	case l.Line > 0 && l.Column > 0:
		return fmt.Sprintf("%s:%d:%d", p, l.Line, l.Column)
	case l.Line > 0:
		return fmt.Sprintf("%s:%d", p, l.Line)
	case l.Offset != nil:
		return fmt.Sprintf("%s (offset %#x)", p, *l.Offset)
	}
	return p
}

// firstLink returns the first reference that is an absolute http(s) URL,
// or "" if there is none. Only such references become links (HTML) or a
// helpUri (SARIF); others are shown as plain text.
func firstLink(refs []string) string {
	for _, ref := range refs {
		if isWebURL(ref) {
			return ref
		}
	}
	return ""
}

// isWebURL reports whether s is an absolute http or https URL without
// characters that would make it ambiguous when embedded.
func isWebURL(s string) bool {
	// Invisible characters (bidi overrides, zero-width) would let a link
	// read differently from where it goes; such a reference stays text.
	if strings.ContainsAny(s, " \t\r\n\"<>\\^`{|}") || visible(s, false) != s {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return false
	}
	return u.Scheme == "https" || u.Scheme == "http"
}

// toolName returns the reporting tool's name, "doorman" when unset.
func toolName(r *finding.Report) string {
	if r.Tool.Name != "" {
		return r.Tool.Name
	}
	return "doorman"
}

// targetNames returns the target paths in report order.
func targetNames(r *finding.Report) []string {
	out := make([]string, len(r.Targets))
	for i, t := range r.Targets {
		out[i] = t.Path
	}
	return out
}
