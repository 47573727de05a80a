package updatediff

import (
	"context"
	"fmt"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/scan"
)

// Run scans OLD, then NEW, with the same options (analyzers, limits,
// workers) plus the probe, and compares them. The versions are scanned one
// after the other, not at once: each scan already uses every core, and a
// limit such as --max-total-size then means the same for both. The
// timeout, if any, applies to each scan. The error is non-nil only when a
// version cannot be read at all (it wraps scan.ErrTarget).
//
// onScan, when set, is called before each scan with "old" or "new" and
// the target, for progress output.
func Run(ctx context.Context, oldTarget, newTarget string, opt scan.Options, onScan func(which, target string)) (*Result, error) {
	opt.Analyzers = withProbe(opt.Analyzers)
	var reps [2]*finding.Report
	for i, t := range []string{oldTarget, newTarget} {
		which := [2]string{"old", "new"}[i]
		if onScan != nil {
			onScan(which, t)
		}
		r, err := scan.Run(ctx, []string{t}, opt)
		if err != nil {
			return nil, fmt.Errorf("%s version: %w", which, err)
		}
		reps[i] = r
	}
	return Compare(reps[0], reps[1]), nil
}

// withProbe returns the analyzers with Probe appended, once, without
// modifying the caller's slice.
func withProbe(as []*analyzer.Analyzer) []*analyzer.Analyzer {
	out := make([]*analyzer.Analyzer, 0, len(as)+1)
	for _, a := range as {
		if a != Probe {
			out = append(out, a)
		}
	}
	return append(out, Probe)
}
