package finding

// SchemaVersion is the JSON report's schema version (spec/interface.md).
const SchemaVersion = 1

// Tool names the program that wrote a report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Target is one thing the user asked to examine.
type Target struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256,omitempty"`
	Size   int64  `json:"size"`
}

// Error names a part of a target that was not (fully) examined and why.
type Error struct {
	Path  string `json:"path"`
	Error string `json:"error"`
}

// Stats summarises the work done.
type Stats struct {
	Files      int64 `json:"files"`
	Bytes      int64 `json:"bytes"`
	DurationMS int64 `json:"duration_ms"`
}

// Report is the JSON report of the contract. Inventory is optional and
// filled by analyzers that collect one (accounts, services, executables…).
type Report struct {
	SchemaVersion int            `json:"schema_version"`
	Tool          Tool           `json:"tool"`
	Command       string         `json:"command"`
	Targets       []Target       `json:"targets"`
	Findings      []Finding      `json:"findings"`
	Removed       []Finding      `json:"removed,omitempty"`
	Errors        []Error        `json:"errors"`
	Stats         Stats          `json:"stats"`
	Inventory     map[string]any `json:"inventory,omitempty"`

	// Changes is what a diff saw change between the two versions
	// (accounts, services, executables, endpoints…), each with its own
	// severity; only "diff" reports have it.
	Changes []Change `json:"changes,omitempty"`
}

// Change is one difference between two versions of a target, written by
// `doorman diff`. Kind says what changed ("account", "service",
// "executable", "setuid", "endpoint", "key", "update-check", "os"), Action
// how ("added", "removed", "changed", "renamed"). Paths are display paths
// of the version that has the thing (NEW, or OLD for "removed"). Finding,
// when set, is the id of the finding in the report that judges the change.
type Change struct {
	Kind     string   `json:"kind"`
	Action   string   `json:"action"`
	Subject  string   `json:"subject"`
	Path     string   `json:"path,omitempty"`
	OldPath  string   `json:"old_path,omitempty"`
	Severity Severity `json:"severity"`
	Detail   string   `json:"detail"`
	Added    []string `json:"added,omitempty"`
	Removed  []string `json:"removed,omitempty"`
	Finding  string   `json:"finding,omitempty"`
}

// MaxSeverity returns the most urgent severity among findings, 0 if none.
func (r *Report) MaxSeverity() Severity {
	var m Severity
	for i := range r.Findings {
		if r.Findings[i].Severity > m {
			m = r.Findings[i].Severity
		}
	}
	return m
}

// CountBySeverity counts findings per severity.
func (r *Report) CountBySeverity() map[Severity]int {
	c := map[Severity]int{}
	for i := range r.Findings {
		c[r.Findings[i].Severity]++
	}
	return c
}
