// Package finding is the one model of what doorman reports: a finding with
// its rule, category, severity, location and masked evidence, plus the
// report envelope (targets, errors, stats) that every command fills.
package finding

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
)

// Severity orders how urgent a finding is. The zero value is invalid.
type Severity int

// Severities from least to most urgent.
const (
	Info Severity = iota + 1
	Low
	Medium
	High
	Critical
)

var severityNames = map[Severity]string{Info: "info", Low: "low", Medium: "medium", High: "high", Critical: "critical"}

// String returns the contract spelling ("critical", "high", ...).
func (s Severity) String() string {
	if n, ok := severityNames[s]; ok {
		return n
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseSeverity reads a contract spelling. "none" parses to 0 with ok=true:
// --fail-on none means no severity fails the run.
func ParseSeverity(s string) (Severity, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "none" {
		return 0, true
	}
	for k, v := range severityNames {
		if v == s {
			return k, true
		}
	}
	return 0, false
}

// MarshalText writes the contract spelling.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads the contract spelling.
func (s *Severity) UnmarshalText(b []byte) error {
	v, ok := ParseSeverity(string(b))
	if !ok || v == 0 {
		return fmt.Errorf("unknown severity %q (want critical, high, medium, low or info)", b)
	}
	*s = v
	return nil
}

// Confidence says how sure a detector is that the finding is real.
type Confidence string

// Confidence levels.
const (
	ConfidenceHigh   Confidence = "high"
	ConfidenceMedium Confidence = "medium"
	ConfidenceLow    Confidence = "low"
)

// Location says where a finding is. Path starts with the target as given,
// and every boundary into a nested container is written "!/".
type Location struct {
	Target string `json:"target"`
	Path   string `json:"path"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
	Offset *int64 `json:"offset,omitempty"`
}

// Finding is one reported problem.
type Finding struct {
	ID         string     `json:"id"`
	Rule       string     `json:"rule"`
	Category   Category   `json:"category"`
	CWE        []string   `json:"cwe,omitempty"`
	Severity   Severity   `json:"severity"`
	Confidence Confidence `json:"confidence"`
	Title      string     `json:"title"`
	Message    string     `json:"message"`
	Location   Location   `json:"location"`
	Evidence   string     `json:"evidence,omitempty"`
	References []string   `json:"references,omitempty"`
}

// Fingerprint computes the stable id of a finding from its rule, location
// path and evidence, so the same finding in a rescan keeps its id.
func Fingerprint(rule, path, evidence string) string {
	h := sha256.New()
	h.Write([]byte(rule))
	h.Write([]byte{0})
	h.Write([]byte(path))
	h.Write([]byte{0})
	h.Write([]byte(evidence))
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// SetID fills ID from the fingerprint when it is empty.
func (f *Finding) SetID() {
	if f.ID == "" {
		f.ID = Fingerprint(f.Rule, f.Location.Path, f.Evidence)
	}
}

// Less orders findings for a deterministic report: by location path, line,
// offset, then rule and id.
func Less(a, b *Finding) bool {
	if a.Location.Path != b.Location.Path {
		return a.Location.Path < b.Location.Path
	}
	if a.Location.Line != b.Location.Line {
		return a.Location.Line < b.Location.Line
	}
	ao, bo := int64(-1), int64(-1)
	if a.Location.Offset != nil {
		ao = *a.Location.Offset
	}
	if b.Location.Offset != nil {
		bo = *b.Location.Offset
	}
	if ao != bo {
		return ao < bo
	}
	if a.Rule != b.Rule {
		return a.Rule < b.Rule
	}
	return a.ID < b.ID
}

// Sort orders findings deterministically (see Less).
func Sort(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool { return Less(&fs[i], &fs[j]) })
}
