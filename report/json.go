package report

import (
	"bytes"
	"encoding/json"

	"github.com/doorman-sec/doorman/finding"
)

// writeJSON writes the contract's JSON report: the finding.Report as
// prepared (targets, findings and errors never null), indented by two
// spaces, with a trailing newline. Findings keep the producer's order so
// that the output round-trips to the input; encoding/json sorts map keys
// (inventory), so the bytes are stable for the same report.
func writeJSON(buf *bytes.Buffer, r *finding.Report, _ Options) error {
	enc := json.NewEncoder(buf)
	enc.SetIndent("", "  ")
	// Evidence is full of shell and code ("a && b", "<script>"); \u0026
	// escapes would make it unreadable for a person using jq or less, and
	// JSON consumers decode both spellings the same.
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}
