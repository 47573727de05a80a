package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"sort"
	"text/tabwriter"

	"github.com/doorman-sec/doorman/analyzers"
	"github.com/doorman-sec/doorman/rules"
	"github.com/doorman-sec/doorman/traffic/detect"
	"github.com/doorman-sec/doorman/updatecheck"
	"github.com/doorman-sec/doorman/updatediff"
	"github.com/doorman-sec/doorman/verifysource"
)

// commandRule is a rule of a command other than scan (diff, verify-source,
// verify-update, traffic): logic in code, listed so that every rule id a
// report can carry is looked up in one place.
type commandRule struct {
	Command string `json:"command"`
	ID      string `json:"id"`
	Title   string `json:"title"`
}

func commandRules() []commandRule {
	var out []commandRule
	add := func(cmd string, m map[string]string) {
		ids := make([]string, 0, len(m))
		for id := range m {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			out = append(out, commandRule{cmd, id, m[id]})
		}
	}
	add("diff", updatediff.Rules())
	add("verify-source", verifysource.Rules())
	add("verify-update", updatecheck.Rules())
	net := map[string]string{}
	for _, r := range detect.Rules {
		net[r.ID] = r.Title
	}
	add("traffic", net)
	return out
}

// ruleInfo is one rule as `doorman rules --format json` prints it; the
// benchmark turns the keywords into an equivalent YARA rule file.
type ruleInfo struct {
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Category   string   `json:"category"`
	Severity   string   `json:"severity"`
	CWE        []string `json:"cwe,omitempty"`
	Keywords   []string `json:"keywords"`
	Regex      string   `json:"regex,omitempty"`
	References []string `json:"references,omitempty"`
	File       string   `json:"file"`
}

func runRules(e *env, args []string) int {
	fs := flag.NewFlagSet("rules", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	format := fs.String("format", "text", "text or json")
	var dirs listFlag
	fs.Var(&dirs, "rules", "also load rule files from `DIR` (repeatable); malformed files are refused with file:line")
	test := fs.Bool("test", false, "run every rule's own positive and negative samples; exit 1 if one fails")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: doorman rules [--format text|json] [--rules DIR]... [--test]

List the signature rules (built in, plus those in --rules folders) and the
analyzers whose logic is code rather than data.

Examples:
  doorman rules
  doorman rules --rules ./my-rules --test
  doorman rules --format json | jq '.rules[].id'

Flags:
`)
		fs.PrintDefaults()
	}
	if wantsHelp(args) {
		fs.SetOutput(e.stdout)
		fs.Usage()
		return ExitClean
	}
	if _, err := parseArgs(fs, args); err != nil {
		return ExitError
	}
	set, err := rules.Load(dirs...)
	if err != nil {
		return e.errorf("%v", err)
	}
	if *test {
		failed := 0
		for _, r := range set.Rules() {
			if err := rules.Check(r); err != nil {
				failed++
				fmt.Fprintf(e.stdout, "FAIL %s (%s:%d): %v\n", r.ID, r.File, r.Line, err)
			}
		}
		fmt.Fprintf(e.stdout, "%d rules, %d failed their samples\n", set.Len(), failed)
		if failed > 0 {
			return ExitFindings
		}
		return ExitClean
	}
	var infos []ruleInfo
	for _, r := range set.Rules() {
		ri := ruleInfo{ID: r.ID, Title: r.Title, Category: string(r.Category), Severity: r.Severity.String(), CWE: r.CWE, Keywords: r.Keywords, References: r.References, File: r.File}
		if r.Regex != nil {
			ri.Regex = r.Regex.String()
		}
		infos = append(infos, ri)
	}
	type analyzerInfo struct {
		Name string `json:"name"`
		Doc  string `json:"doc"`
	}
	var as []analyzerInfo
	for _, a := range analyzers.New(set) {
		as = append(as, analyzerInfo{a.Name, a.Doc})
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(struct {
			Rules        []ruleInfo     `json:"rules"`
			Analyzers    []analyzerInfo `json:"analyzers"`
			CommandRules []commandRule  `json:"command_rules"`
		}{infos, as, commandRules()}); err != nil {
			return e.errorf("%v", err)
		}
	case "text":
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSEVERITY\tCATEGORY\tTITLE")
		for _, r := range infos {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Severity, r.Category, r.Title)
		}
		tw.Flush()
		fmt.Fprintf(e.stdout, "\n%s. Analyzers (logic in code):\n", plural(len(infos), "rule", "rules"))
		for _, a := range as {
			fmt.Fprintf(e.stdout, "  %-12s %s\n", a.Name, a.Doc)
		}
		fmt.Fprintln(e.stdout, "\nRules of the other commands:")
		tw = tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		for _, r := range commandRules() {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", r.Command, r.ID, r.Title)
		}
		tw.Flush()
	default:
		return e.errorf("unknown --format %q: want text or json", *format)
	}
	return ExitClean
}
