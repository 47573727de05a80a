// Command corpus runs doorman's detection corpus (testdata/corpus) and
// prints, per case and in total, what was expected, what was found, what
// was missed and which high/critical findings nobody expected: recall and
// false positives in one table.
//
//	go run ./cmd/corpus [-dir testdata/corpus] [-v]
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/doorman-sec/doorman/internal/corpus"
)

func main() {
	dir := flag.String("dir", "testdata/corpus", "folder of corpus cases")
	verbose := flag.Bool("v", false, "explain every failed case")
	flag.Parse()
	cases, err := corpus.Load(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "corpus:", err)
		os.Exit(2)
	}
	tmp, err := os.MkdirTemp("", "doorman-corpus-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "corpus:", err)
		os.Exit(2)
	}
	defer os.RemoveAll(tmp)
	var results []*corpus.Result
	fmt.Printf("%-28s %8s %6s %7s %11s %9s\n", "case", "expected", "found", "missed", "unexpected", "forbidden")
	for _, c := range cases {
		r, err := corpus.Run(c, tmp)
		if err != nil {
			fmt.Fprintf(os.Stderr, "corpus: %s: %v\n", c.Name, err)
			os.Exit(2)
		}
		results = append(results, r)
		fmt.Printf("%-28s %8d %6d %7d %11d %9d\n", c.Name, len(c.Expect), r.Found, len(r.Missed), len(r.Unexpected), len(r.Forbidden))
		if *verbose && !r.OK() {
			fmt.Print(corpus.Describe(r))
		}
	}
	s := corpus.Summarize(results)
	fmt.Printf("\n%d/%d cases pass; recall %.1f%% (%d/%d expected findings); %d unexpected high/critical; %d forbidden\n",
		s.Passed, s.Cases, 100*s.Recall(), s.Found, s.Expected, s.Unexpected, s.Forbidden)
	if s.Passed != s.Cases {
		os.Exit(1)
	}
}
