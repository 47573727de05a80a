package report

import (
	"bytes"
	"fmt"
	"github.com/doorman-sec/doorman/internal/units"
	"strings"
	"unicode/utf8"

	"github.com/doorman-sec/doorman/finding"
)

// Layout of the text format. Lines are kept within textWidth columns where
// the content allows it; paths are never broken because people copy them.
const (
	textWidth = 100
	// textIndent is where a finding's labelled lines start, and textLabel
	// the width of the label column after it.
	textIndent = 4
	textLabel  = 10
	// maxEvidenceLines caps evidence on a terminal: a minified script or a
	// base64 blob would otherwise push everything else off the screen.
	// The JSON report keeps it whole.
	maxEvidenceLines = 6
)

// ANSI escapes used when Options.Color is set.
const (
	ansiReset = "\x1b[0m"
	ansiBold  = "\x1b[1m"
	ansiDim   = "\x1b[2m"
)

// severityColors gives each severity an ANSI style: critical stands out
// with a background, then red, yellow, cyan and dim grey.
var severityColors = map[finding.Severity]string{
	finding.Critical: "\x1b[1;97;41m",
	finding.High:     "\x1b[1;31m",
	finding.Medium:   "\x1b[1;33m",
	finding.Low:      "\x1b[36m",
	finding.Info:     "\x1b[2m",
}

// textWriter accumulates text output, applying colour only when asked.
type textWriter struct {
	buf   *bytes.Buffer
	color bool
}

// paint wraps s in an ANSI style when colour is on.
func (t *textWriter) paint(style, s string) string {
	if !t.color || style == "" || s == "" {
		return s
	}
	return style + s + ansiReset
}

// line writes one line.
func (t *textWriter) line(s string) {
	t.buf.WriteString(s)
	t.buf.WriteByte('\n')
}

// field writes a labelled, indented value, wrapping continuation lines
// under the value column.
func (t *textWriter) field(label string, lines []string) {
	pad := strings.Repeat(" ", textIndent)
	cont := strings.Repeat(" ", textIndent+textLabel)
	for i, l := range lines {
		if i == 0 {
			t.line(pad + t.paint(ansiDim, fmt.Sprintf("%-*s", textLabel, label)) + l)
			continue
		}
		t.line(cont + l)
	}
}

// sevName is the upper-case severity name used in tags and headings.
func sevName(s finding.Severity) string {
	return strings.ToUpper(s.String())
}

// writeText writes the report for a person at a terminal: a header line,
// findings grouped by severity (most urgent first) then path, a summary of
// the inventory, the parts not examined, and a summary line.
func writeText(buf *bytes.Buffer, r *finding.Report, opt Options) error {
	t := &textWriter{buf: buf, color: opt.Color}
	t.header(r)
	t.line("")
	if isDiff(r) {
		t.introducedHeading(r)
	}

	groups := group(r.Findings)
	if len(groups) == 0 {
		msg := "No findings."
		if opt.MinSeverity > finding.Info {
			msg = fmt.Sprintf("No findings at or above %s.", opt.MinSeverity)
		}
		if isDiff(r) {
			msg = noneIntroduced(opt.MinSeverity)
		}
		if len(r.Errors) > 0 {
			msg += " Some parts could not be examined; see below."
		}
		t.line(t.paint(ansiBold, msg))
		t.line("")
	}
	for _, g := range groups {
		head := fmt.Sprintf("%s: %s", sevName(g.Severity), plural(g.Count, "finding", "findings"))
		t.line(t.paint(severityColors[g.Severity], head))
		t.line("")
		for _, p := range g.Paths {
			for i := range p.Findings {
				t.finding(&p.Findings[i])
				t.line("")
			}
		}
	}

	if len(r.Removed) > 0 {
		t.removed(r.Removed)
	}
	if len(r.Changes) > 0 {
		t.changes(r.Changes)
	}
	t.inventory(r.Inventory)
	if len(r.Errors) > 0 {
		t.errors(r.Errors)
	}
	t.summary(r)
	return nil
}

// header writes "doorman 0.3.0 · scan · a.bin, b.bin · 812 ms", shortening
// the target list so the line stays within the width.
func (t *textWriter) header(r *finding.Report) {
	tool := toolName(r)
	if r.Tool.Version != "" {
		tool += " " + r.Tool.Version
	}
	parts := []string{visible(tool, false)}
	if r.Command != "" {
		parts = append(parts, visible(r.Command, false))
	}
	dur := humanDuration(r.Stats.DurationMS)
	// Room left for targets once the other parts and two separators are in.
	fixed := utf8.RuneCountInString(strings.Join(parts, " · ") + " ·  · " + dur)
	names := targetNames(r)
	if len(names) > 0 {
		parts = append(parts, fitList(names, textWidth-fixed))
	}
	parts = append(parts, dur)
	t.line(t.paint(ansiBold, strings.Join(parts, " · ")))
}

// fitList joins names with ", " and, when that is wider than width, keeps
// as many as fit followed by "and N more". The first name is always kept,
// even when it alone is too wide.
func fitList(names []string, width int) string {
	all := make([]string, len(names))
	for i, n := range names {
		all[i] = visible(n, false)
	}
	if joined := strings.Join(all, ", "); len([]rune(joined)) <= width {
		return joined
	}
	n := 1
	for n < len(all) {
		more := fmt.Sprintf(" and %d more", len(all)-n-1)
		if len([]rune(strings.Join(all[:n+1], ", ")+more)) > width {
			break
		}
		n++
	}
	return strings.Join(all[:n], ", ") + fmt.Sprintf(" and %d more", len(all)-n)
}

// finding writes one finding block:
//
//	[CRITICAL] Account with a published default password
//	    where     router.bin!/squashfs@0x1a0000!/etc/shadow:2
//	    rule      DM-ACCT-002 · backdoor-account · CWE-798 · confidence high
//	    message   account 'admin' in /etc/shadow has the password '1***'
//	    evidence  admin:$1$…:0:0:99999:7:::
//	    see       https://nvd.nist.gov/vuln/detail/CVE-…
func (t *textWriter) finding(f *finding.Finding) {
	valueWidth := textWidth - textIndent - textLabel
	tag := "[" + sevName(f.Severity) + "]"
	title := wrap(visible(f.Title, false), textWidth-len(tag)-1)
	t.line(t.paint(severityColors[f.Severity], tag) + " " + t.paint(ansiBold, title[0]))
	for _, l := range title[1:] {
		t.line(strings.Repeat(" ", len(tag)+1) + t.paint(ansiBold, l))
	}
	t.field("where", []string{visible(locationString(f.Location), false)})

	meta := []string{visible(f.Rule, false), visible(string(f.Category), false)}
	if len(f.CWE) > 0 {
		meta = append(meta, visible(strings.Join(f.CWE, ", "), false))
	}
	if f.Confidence != "" {
		meta = append(meta, "confidence "+visible(string(f.Confidence), false))
	}
	t.field("rule", wrap(strings.Join(meta, " · "), valueWidth))

	if f.Message != "" {
		t.field("message", wrap(visible(f.Message, true), valueWidth))
	}
	if f.Evidence != "" {
		t.field("evidence", evidenceLines(f.Evidence, valueWidth))
	}
	if len(f.References) > 0 {
		ref := visible(f.References[0], false)
		if n := len(f.References) - 1; n > 0 {
			ref += fmt.Sprintf(" (+%d more)", n)
		}
		t.field("see", []string{ref})
	}
}

// evidenceLines breaks evidence into at most maxEvidenceLines lines of the
// given width, cutting words only where they are too long, and says how much
// was left out.
func evidenceLines(ev string, width int) []string {
	lines := wrap(visible(ev, true), width)
	if len(lines) <= maxEvidenceLines {
		return lines
	}
	rest := 0
	for _, l := range lines[maxEvidenceLines-1:] {
		rest += len([]rune(l))
	}
	out := append([]string(nil), lines[:maxEvidenceLines-1]...)
	return append(out, fmt.Sprintf("… %s more characters (see --format json)", humanInt(int64(rest))))
}

// removed lists, one line each, the findings a diff found in the old
// version and not in the new one.
func (t *textWriter) removed(fs []finding.Finding) {
	t.line(t.paint(ansiBold, fmt.Sprintf("No longer present (%s)", plural(len(fs), "finding", "findings"))))
	for _, f := range byUrgency(fs) {
		s := fmt.Sprintf("[%s] %s · %s · %s", sevName(f.Severity), visible(f.Title, false),
			visible(f.Rule, false), visible(locationString(f.Location), false))
		for i, l := range wrap(s, textWidth-textIndent) {
			if i > 0 {
				l = "    " + l
			}
			t.line(strings.Repeat(" ", textIndent) + l)
		}
	}
	t.line("")
}

// errors lists the parts that were not (fully) examined and why: a reader
// must know what the absence of findings does not cover.
func (t *textWriter) errors(es []finding.Error) {
	t.line(t.paint(ansiBold, fmt.Sprintf("Not examined (%d): these parts were skipped or only partly read", len(es))))
	pad := strings.Repeat(" ", textIndent)
	for _, e := range es {
		t.line(pad + visible(e.Path, false))
		for _, l := range wrap(visible(e.Error, true), textWidth-2*textIndent) {
			t.line(pad + pad + l)
		}
	}
	t.line("")
}

// summary writes the closing line: counts by severity and the work done.
// It moves the work done to a second line only when one line would be
// wider than the layout (very large counts).
func (t *textWriter) summary(r *finding.Report) {
	counts := countBySeverity(r.Findings)
	var plain, painted []string
	for _, s := range severities {
		p := fmt.Sprintf("%d %s", counts[s], s)
		plain = append(plain, p)
		if counts[s] > 0 {
			p = t.paint(severityColors[s], p)
		}
		painted = append(painted, p)
	}
	total := plural(len(r.Findings), "finding", "findings")
	work := fmt.Sprintf("scanned %s, %s", plural64(r.Stats.Files, "file", "files"), units.Bytes(r.Stats.Bytes))
	if len(r.Errors) > 0 {
		work += fmt.Sprintf("; %s not examined", plural(len(r.Errors), "part", "parts"))
	}
	head := "Summary: "
	// Measure without colour codes, which take no columns.
	width := len([]rune(fmt.Sprintf("%s%s (%s); %s", head, total, strings.Join(plain, ", "), work)))
	counted := fmt.Sprintf("%s%s (%s)", head, total, strings.Join(painted, ", "))
	if width <= textWidth {
		t.line(counted + "; " + work)
		return
	}
	t.line(counted + ";")
	t.line(strings.Repeat(" ", len(head)) + work)
}
