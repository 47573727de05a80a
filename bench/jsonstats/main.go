// Command jsonstats prints what bench/run.sh needs from a doorman JSON
// report: "FILES BYTES FINDINGS ERRORS" on one line (stats.files,
// stats.bytes, the number of findings and of errors).
//
// Usage:
//
//	jsonstats report.json
package main

import (
	"encoding/json"
	"fmt"
	"os"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: jsonstats REPORT.json")
		os.Exit(2)
	}
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "jsonstats:", err)
		os.Exit(1)
	}
	var rep struct {
		Stats *struct {
			Files int64 `json:"files"`
			Bytes int64 `json:"bytes"`
		} `json:"stats"`
		Findings []json.RawMessage `json:"findings"`
		Errors   []json.RawMessage `json:"errors"`
	}
	if err := json.Unmarshal(data, &rep); err != nil || rep.Stats == nil {
		fmt.Fprintf(os.Stderr, "jsonstats: %s is not a doorman JSON report with stats (%v)\n", os.Args[1], err)
		os.Exit(1)
	}
	fmt.Println(rep.Stats.Files, rep.Stats.Bytes, len(rep.Findings), len(rep.Errors))
}
