// Command fwfindings prints what bench/firmware.sh shows of a doorman JSON
// report: a count of findings per severity on the first line, then every
// finding at or above -min (default high), one per line:
//
//	SEVERITY  RULE  CATEGORY  PATH[:LINE]  TITLE [EVIDENCE]
//
// Evidence is printed as the report has it (masked by doorman).
//
// Usage:
//
//	fwfindings [-min high] report.json
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/doorman-sec/doorman/finding"
)

func main() {
	minS := flag.String("min", "high", "lowest `SEVERITY` listed (info, low, medium, high, critical)")
	flag.Parse()
	min, ok := finding.ParseSeverity(*minS)
	if !ok || flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: fwfindings [-min SEVERITY] REPORT.json")
		os.Exit(2)
	}
	data, err := os.ReadFile(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "fwfindings:", err)
		os.Exit(1)
	}
	var rep finding.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		fmt.Fprintf(os.Stderr, "fwfindings: %s is not a doorman JSON report: %v\n", flag.Arg(0), err)
		os.Exit(1)
	}
	count := map[finding.Severity]int{}
	for _, f := range rep.Findings {
		count[f.Severity]++
	}
	var parts []string
	for s := finding.Critical; s >= finding.Info; s-- {
		parts = append(parts, fmt.Sprintf("%d %s", count[s], s))
	}
	fmt.Printf("%d findings (%s), %d errors, %d entries examined\n", len(rep.Findings), strings.Join(parts, ", "), len(rep.Errors), rep.Stats.Files)
	for _, f := range rep.Findings {
		if f.Severity < min {
			continue
		}
		loc := f.Location.Path
		if f.Location.Line > 0 {
			loc = fmt.Sprintf("%s:%d", loc, f.Location.Line)
		}
		line := fmt.Sprintf("  %-8s %s  %s  %s  %s", f.Severity, f.Rule, f.Category, loc, f.Title)
		if f.Evidence != "" {
			line += "  [" + f.Evidence + "]"
		}
		fmt.Println(line)
	}
}
