package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode"

	sarif "github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/doorman-sec/doorman/finding"
)

const (
	// sarifSchema is the $schema URI of SARIF 2.1.0 that GitHub and the
	// Microsoft validator recognise as the final (OASIS standard) schema.
	sarifSchema = "https://json.schemastore.org/sarif-2.1.0.json"
	// informationURI points people from a SARIF viewer to the tool.
	informationURI = "https://github.com/doorman-sec/doorman"
	// fingerprintKey names doorman's finding id in partialFingerprints. The
	// "/v1" suffix lets the id's recipe change later without platforms
	// mistaking new ids for old ones.
	fingerprintKey = "doormanId/v1"
)

// sarifLevel maps a severity to a SARIF result level: critical and high are
// errors, medium a warning, low and info notes. An invalid severity is a
// warning so that a producer bug neither hides nor inflates a result.
func sarifLevel(s finding.Severity) string {
	switch s {
	case finding.Critical, finding.High:
		return "error"
	case finding.Medium:
		return "warning"
	case finding.Low, finding.Info:
		return "note"
	}
	return "warning"
}

// securitySeverity is the CVSS-like score GitHub code scanning uses to rank
// security alerts (>= 9.0 critical, >= 7.0 high, >= 4.0 medium, else low).
// GitHub reads it as a string holding a number, as CodeQL writes it.
func securitySeverity(s finding.Severity) string {
	score := map[finding.Severity]float64{
		finding.Critical: 9.5, finding.High: 8.0, finding.Medium: 5.5, finding.Low: 3.0, finding.Info: 0.0,
	}[s]
	return fmt.Sprintf("%.1f", score)
}

// writeSARIF writes the SARIF log of r (see buildSARIF), without the
// library's empty-array and sentinel noise (see compactSARIF).
func writeSARIF(buf *bytes.Buffer, r *finding.Report, _ Options) error {
	raw, err := json.Marshal(buildSARIF(r))
	if err != nil {
		return err
	}
	out, err := compactSARIF(raw)
	if err != nil {
		return err
	}
	buf.Write(out)
	return nil
}

// buildSARIF builds one SARIF 2.1.0 run: the tool with one rule per
// distinct rule id, one result per finding, and the report errors as tool
// execution notifications of a successful invocation (a part not examined
// does not make the scan fail).
func buildSARIF(r *finding.Report) *sarif.Report {
	log := sarif.NewReport()
	log.Schema = sarifSchema

	run := sarif.NewRunWithInformationURI(toolName(r), informationURI)
	if r.Tool.Version != "" {
		run.Tool.Driver.WithVersion(r.Tool.Version)
	}

	fs := byUrgency(r.Findings)
	rules, index := sarifRules(fs)
	run.Tool.Driver.WithRules(rules)
	if hasColumns(fs) {
		// Columns are taken to count characters (runes), which is what Go
		// scanners produce; without this SARIF readers would assume UTF-16
		// code units and misplace columns after non-BMP characters.
		run.WithColumnKind("unicodeCodePoints")
	}
	for i := range fs {
		run.AddResult(sarifResult(&fs[i], index[ruleID(&fs[i])]))
	}

	inv := sarif.NewInvocation().WithExecutionSuccessful(true)
	for _, e := range r.Errors {
		n := sarif.NewNotification().
			WithLevel("warning").
			WithMessage(sarif.NewTextMessage(fmt.Sprintf("not examined: %s: %s", e.Path, e.Error)))
		if loc := sarifLocation(finding.Location{Path: e.Path}); loc != nil {
			n.AddLocation(loc)
		}
		inv.AddToolExecutionNotification(n)
	}
	run.AddInvocation(inv)

	props := sarif.NewPropertyBag()
	props.Add("command", r.Command)
	props.Add("targets", r.Targets)
	props.Add("stats", r.Stats)
	run.WithProperties(props)

	log.AddRun(run)
	return log
}

// ruleID is the finding's rule id, or "unknown" when a producer left it
// empty: SARIF consumers such as GitHub require every result to have one.
func ruleID(f *finding.Finding) string {
	if f.Rule == "" {
		return "unknown"
	}
	return f.Rule
}

// hasColumns reports whether any finding gives a column.
func hasColumns(fs []finding.Finding) bool {
	for i := range fs {
		if fs[i].Location.Line > 0 && fs[i].Location.Column > 0 {
			return true
		}
	}
	return false
}

// sarifRules builds one reportingDescriptor per distinct rule id, sorted by
// id, and returns the index of each id in that list. fs must already be in
// urgency order, so a rule's title, category and reference come from its
// most urgent finding; its security-severity is the highest severity seen,
// because GitHub ranks alerts by the rule and must not under-rank any.
func sarifRules(fs []finding.Finding) ([]*sarif.ReportingDescriptor, map[string]int) {
	type agg struct {
		first *finding.Finding
		max   finding.Severity
		cwe   map[string]bool
		refs  []string
		seen  map[string]bool
	}
	byID := map[string]*agg{}
	var ids []string
	for i := range fs {
		f := &fs[i]
		id := ruleID(f)
		a := byID[id]
		if a == nil {
			a = &agg{first: f, cwe: map[string]bool{}, seen: map[string]bool{}}
			byID[id] = a
			ids = append(ids, id)
		}
		if validSeverity(f.Severity) && f.Severity > a.max {
			a.max = f.Severity
		}
		for _, c := range f.CWE {
			a.cwe[c] = true
		}
		for _, ref := range f.References {
			if !a.seen[ref] {
				a.seen[ref] = true
				a.refs = append(a.refs, ref)
			}
		}
	}
	sort.Strings(ids)

	rules := make([]*sarif.ReportingDescriptor, 0, len(ids))
	index := make(map[string]int, len(ids))
	for i, id := range ids {
		a := byID[id]
		f := a.first
		title := f.Title
		if title == "" {
			title = id
		}
		cwes := make([]string, 0, len(a.cwe))
		for c := range a.cwe {
			cwes = append(cwes, c)
		}
		sort.Strings(cwes)
		rule := sarif.NewRule(id).
			WithName(ruleName(title, id)).
			WithShortDescription(sarif.NewMultiformatMessageString().WithText(title)).
			WithFullDescription(sarif.NewMultiformatMessageString().WithText(
				fmt.Sprintf("%s: %s", f.Category, CategoryExplanation(f.Category)))).
			WithHelp(sarif.NewMultiformatMessageString().WithText(ruleHelp(title, f.Category, cwes, a.refs)))
		if link := firstLink(a.refs); link != "" {
			rule.WithHelpURI(link)
		}
		if a.max != 0 {
			rule.WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel(a.max)))
		}

		props := sarif.NewPropertyBag()
		props.Add("category", string(f.Category))
		if a.max != 0 {
			props.Add("security-severity", securitySeverity(a.max))
		}
		// GitHub only honours security-severity for rules tagged
		// "security"; the CWE tags make alerts searchable by weakness.
		props.AddTag("security")
		if f.Category != "" {
			props.AddTag(string(f.Category))
		}
		for _, c := range cwes {
			props.AddTag(c)
		}
		rule.WithProperties(props)

		rules = append(rules, rule)
		index[id] = i
	}
	return rules, index
}

// ruleName turns a title into the identifier-like name SARIF expects
// ("Account with a default password" -> "AccountWithADefaultPassword").
// It falls back to the rule id when the title has no letters or digits.
func ruleName(title, id string) string {
	var b strings.Builder
	up := true
	for _, r := range title {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			up = true
			continue
		}
		if up {
			r = unicode.ToUpper(r)
			up = false
		}
		b.WriteRune(r)
	}
	if b.Len() == 0 {
		return id
	}
	return b.String()
}

// ruleHelp is the plain-text help a SARIF viewer shows for a rule: what the
// category means, the weaknesses and where to read more.
func ruleHelp(title string, cat finding.Category, cwes, refs []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\nCategory %s: %s", title, cat, CategoryExplanation(cat))
	if len(cwes) > 0 {
		fmt.Fprintf(&b, "\nWeaknesses: %s", strings.Join(cwes, ", "))
	}
	if len(refs) > 0 {
		b.WriteString("\n\nReferences:")
		for _, ref := range refs {
			b.WriteString("\n- " + ref)
		}
	}
	return b.String()
}

// sarifResult converts one finding.
func sarifResult(f *finding.Finding, ruleIndex int) *sarif.Result {
	msg := f.Message
	if msg == "" {
		msg = f.Title
	}
	if msg == "" {
		msg = ruleID(f)
	}
	res := sarif.NewRuleResult(ruleID(f)).
		WithRuleIndex(ruleIndex).
		WithLevel(sarifLevel(f.Severity)).
		WithMessage(sarif.NewTextMessage(msg))
	if loc := sarifLocation(f.Location); loc != nil {
		res.AddLocation(loc)
	}
	id := f.ID
	if id == "" {
		// Without a stable fingerprint every rescan would open new alerts;
		// compute the same id the producers would have.
		id = finding.Fingerprint(f.Rule, f.Location.Path, f.Evidence)
	}
	res.WithPartialFingerprints(map[string]string{fingerprintKey: id})

	props := sarif.NewPropertyBag()
	props.Add("category", string(f.Category))
	props.Add("severity", f.Severity.String())
	if f.Confidence != "" {
		props.Add("confidence", string(f.Confidence))
	}
	if f.Evidence != "" {
		props.Add("evidence", f.Evidence)
	}
	res.WithProperties(props)
	return res
}

// sarifLocation converts a location, or returns nil when it names nothing.
// A text position becomes startLine (and startColumn); a byte offset
// without a line becomes byteOffset.
func sarifLocation(l finding.Location) *sarif.Location {
	p := l.Path
	if p == "" {
		p = l.Target
	}
	if p == "" {
		return nil
	}
	phys := sarif.NewPhysicalLocation().WithArtifactLocation(sarif.NewSimpleArtifactLocation(artifactURI(p)))
	switch {
	case l.Line > 0:
		reg := sarif.NewRegion().WithStartLine(l.Line)
		if l.Column > 0 {
			reg.WithStartColumn(l.Column)
		}
		phys.WithRegion(reg)
	case l.Offset != nil && *l.Offset >= 0 && *l.Offset <= math.MaxInt:
		phys.WithRegion(sarif.NewRegion().WithByteOffset(int(*l.Offset)))
	}
	return sarif.NewLocationWithPhysicalLocation(phys)
}

// artifactURI turns a location path into a valid URI reference (RFC 3986)
// while keeping it recognisable: "/" and the "!/" container boundaries stay
// as they are, and every byte a path segment may not hold (space, "#", "?",
// "%", "\", non-ASCII) is percent-encoded. A ":" in the first segment is
// encoded too, or "C:/x" and "a:b" would read as URI schemes. An absolute
// path becomes a file:// URI, which code-scanning platforms map back to the
// checkout; relative paths stay relative, resolved against the repository
// root.
func artifactURI(p string) string {
	var b strings.Builder
	first := true
	if strings.HasPrefix(p, "/") {
		b.WriteString("file://")
		first = false
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '/':
			first = false
			b.WriteByte(c)
		case c == ':' && first:
			b.WriteString("%3A")
		case uriPathByte(c):
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// uriPathByte reports whether c may appear unencoded in a URI path segment
// (RFC 3986 pchar: unreserved, sub-delims, ":" and "@").
func uriPathByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~!$&'()*+,;=:@", c) >= 0
}
