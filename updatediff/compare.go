package updatediff

import (
	"sort"

	"github.com/doorman-sec/doorman/finding"
)

// Result is what an update changed.
type Result struct {
	Tool     finding.Tool
	Old, New finding.Target
	// Introduced are the findings of NEW that OLD does not have, the
	// analyzers' and the diff's own (DM-DIFF-*), sorted. Only these
	// decide the exit code.
	Introduced []finding.Finding
	// Removed are the findings of OLD that NEW no longer has.
	Removed []finding.Finding
	// Changes are every difference of the inventories, judged or not.
	Changes []finding.Change
	// Errors are both scans' errors; their paths name the version.
	Errors []finding.Error
	// Stats add up both scans.
	Stats finding.Stats
}

// Compare compares the reports of two scans of the same product, OLD
// before the update and NEW after it. It does not modify them. Either may
// be nil (treated as empty). Reports without the probe's inventory
// (Probe) are compared on what they have: no renamed-file matching, no
// setuid or password changes.
func Compare(old, new *finding.Report) *Result {
	if old == nil {
		old = &finding.Report{}
	}
	if new == nil {
		new = &finding.Report{}
	}
	res := &Result{Tool: new.Tool, Errors: []finding.Error{}}
	if len(old.Targets) > 0 {
		res.Old = old.Targets[0]
	}
	if len(new.Targets) > 0 {
		res.New = new.Targets[0]
	}
	d := &differ{old: newSnapshot(old), new: newSnapshot(new)}
	d.introduced, res.Removed = matchFindings(old.Findings, d.old.target, new.Findings, d.new.target)
	d.removed = res.Removed

	d.accounts()
	d.services()
	d.executables()
	d.setuid()
	d.endpoints()
	d.keys()
	d.updateChecks()
	d.oses()

	res.Introduced = append(append([]finding.Finding{}, d.introduced...), d.added...)
	finding.Sort(res.Introduced)
	finding.Sort(res.Removed)
	sortChanges(d.changes)
	res.Changes = d.changes
	if res.Changes == nil {
		res.Changes = []finding.Change{}
	}
	res.Errors = append(append(res.Errors, old.Errors...), new.Errors...)
	res.Stats = finding.Stats{
		Files:      old.Stats.Files + new.Stats.Files,
		Bytes:      old.Stats.Bytes + new.Stats.Bytes,
		DurationMS: old.Stats.DurationMS + new.Stats.DurationMS,
	}
	return res
}

// Report writes the result as the contract's JSON report of a diff:
// command "diff", targets OLD then NEW, the introduced findings as
// "findings", then "removed" and "changes".
func (r *Result) Report() *finding.Report {
	rep := &finding.Report{
		SchemaVersion: finding.SchemaVersion,
		Tool:          r.Tool,
		Command:       "diff",
		Targets:       []finding.Target{r.Old, r.New},
		Findings:      append([]finding.Finding{}, r.Introduced...),
		Removed:       append([]finding.Finding{}, r.Removed...),
		Changes:       append([]finding.Change{}, r.Changes...),
		Errors:        append([]finding.Error{}, r.Errors...),
		Stats:         r.Stats,
	}
	return rep
}

// differ holds one comparison in progress.
type differ struct {
	old, new   *snapshot
	introduced []finding.Finding // the analyzers' findings only NEW has
	removed    []finding.Finding
	added      []finding.Finding // the diff's own findings
	changes    []finding.Change
}

// change records a change; when f is not nil it is a finding of the
// diff's own, which is added and linked.
func (d *differ) change(c finding.Change, f *finding.Finding) {
	if f != nil {
		f.SetID()
		d.added = append(d.added, *f)
		c.Finding = f.ID
		if f.Severity > c.Severity {
			c.Severity = f.Severity
		}
	}
	if c.Severity == 0 {
		c.Severity = finding.Info
	}
	d.changes = append(d.changes, c)
}

// reported returns the introduced analyzer finding that already says what
// a change would, or nil: one whose normalised location is path (any path
// when path is "") in one of the categories and for which match, when
// given, holds. The diff then links the change to it instead of
// reporting the same thing twice.
func (d *differ) reported(path string, cats []finding.Category, match func(*finding.Finding) bool) *finding.Finding {
	for i := range d.introduced {
		f := &d.introduced[i]
		if path != "" && KeyOf(f, d.new.target).Path != path {
			continue
		}
		ok := len(cats) == 0
		for _, c := range cats {
			ok = ok || f.Category == c
		}
		if ok && (match == nil || match(f)) {
			return f
		}
	}
	return nil
}

// link sets a change's finding and severity from an analyzer's finding.
func link(c *finding.Change, f *finding.Finding) {
	if f == nil {
		return
	}
	c.Finding = f.ID
	if f.Severity > c.Severity {
		c.Severity = f.Severity
	}
}

// newFinding starts a finding of the diff at a normalised path of NEW.
func (d *differ) newFinding(rule string, path string) *finding.Finding {
	r := diffRules[rule]
	return &finding.Finding{
		Rule: rule, Category: r.category, CWE: r.cwe, Title: r.title,
		Confidence: finding.ConfidenceMedium,
		Location:   finding.Location{Target: d.new.target, Path: d.new.displayPath(path)},
	}
}

// kindOrder sorts the changes section the way a reviewer reads it: ways
// in first, then what runs, then the rest.
var kindOrder = map[string]int{
	KindAccount: 0, KindService: 1, KindSetuid: 2, KindUpdateCheck: 3,
	KindExecutable: 4, KindEndpoint: 5, KindKey: 6, KindOS: 7,
}

// sortChanges orders changes by kind, then severity (most urgent first),
// subject, path and action, so that the report is deterministic.
func sortChanges(cs []finding.Change) {
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if kindOrder[a.Kind] != kindOrder[b.Kind] {
			return kindOrder[a.Kind] < kindOrder[b.Kind]
		}
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		if a.Subject != b.Subject {
			return a.Subject < b.Subject
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Action < b.Action
	})
}
