// Package corpus runs the detection corpus: cases under testdata/corpus,
// each a target (a folder "target/" or a generator that builds it) and an
// expectations file listing the findings it must produce and the
// categories it must not. `go test` fails on a missed expectation or an
// unexpected high/critical finding; cmd/corpus prints recall and false
// positives over all cases.
package corpus

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/doorman-sec/doorman/analyzers"
	"github.com/doorman-sec/doorman/artifact"
	_ "github.com/doorman-sec/doorman/artifact/formats"
	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/rules"
	"github.com/doorman-sec/doorman/scan"
	"gopkg.in/yaml.v3"
)

// Expectation is one finding a case must produce.
type Expectation struct {
	Category string `yaml:"category"`
	Rule     string `yaml:"rule"`     // prefix of the rule id; empty: any
	Path     string `yaml:"path"`     // suffix of location.path; empty: any
	Severity string `yaml:"severity"` // minimum; empty: any
}

// Case is one corpus case.
type Case struct {
	Name        string
	Dir         string
	Description string        `yaml:"description"`
	Reference   string        `yaml:"reference"`
	Generator   string        `yaml:"generator"`
	Expect      []Expectation `yaml:"expect"`
	// Allow lists findings that may appear at high or above without being
	// required (same matching as Expect).
	Allow []Expectation `yaml:"allow"`
	// Forbid lists categories that must not appear at medium or above
	// (low and info findings are hints, e.g. a key in a test folder).
	Forbid []string `yaml:"forbid"`
}

// Load reads every case under dir (one folder each, with expect.yaml).
func Load(dir string) ([]*Case, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []*Case
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		p := filepath.Join(dir, e.Name(), "expect.yaml")
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("case %s: %w", e.Name(), err)
		}
		c := &Case{Name: e.Name(), Dir: filepath.Join(dir, e.Name())}
		dec := yaml.NewDecoder(strings.NewReader(string(b)))
		dec.KnownFields(true)
		if err := dec.Decode(c); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		if len(c.Expect) == 0 && len(c.Forbid) == 0 {
			return nil, fmt.Errorf("%s: a case needs expect or forbid entries", p)
		}
		out = append(out, c)
	}
	return out, nil
}

// Target builds (when it has a generator) or locates the case's target.
// tmp is a scratch folder the caller removes.
func (c *Case) Target(tmp string) (string, error) {
	if c.Generator == "" {
		return filepath.Join(c.Dir, "target"), nil
	}
	gen, ok := Generators[c.Generator]
	if !ok {
		return "", fmt.Errorf("case %s: unknown generator %q", c.Name, c.Generator)
	}
	return gen(tmp)
}

// Result is the outcome of one case.
type Result struct {
	Case       *Case
	Missed     []Expectation
	Found      int
	Unexpected []finding.Finding // high/critical, neither expected nor allowed
	Forbidden  []finding.Finding
	Report     *finding.Report
}

// OK reports whether the case passed.
func (r *Result) OK() bool {
	return len(r.Missed) == 0 && len(r.Unexpected) == 0 && len(r.Forbidden) == 0
}

// Run scans the case's target with every analyzer and built-in rule and
// compares the findings with the expectations.
func Run(c *Case, tmp string) (*Result, error) {
	target, err := c.Target(tmp)
	if err != nil {
		return nil, err
	}
	set, err := rules.Load()
	if err != nil {
		return nil, err
	}
	rep, err := scan.Run(context.Background(), []string{target}, scan.Options{
		Limits: artifact.DefaultLimits(), Analyzers: analyzers.New(set),
		Tool: finding.Tool{Name: "doorman", Version: "corpus"},
	})
	if err != nil {
		return nil, err
	}
	res := &Result{Case: c, Report: rep}
	for _, x := range c.Expect {
		if matchAny(rep.Findings, x) {
			res.Found++
		} else {
			res.Missed = append(res.Missed, x)
		}
	}
	for _, f := range rep.Findings {
		for _, cat := range c.Forbid {
			if string(f.Category) == cat && f.Severity >= finding.Medium {
				res.Forbidden = append(res.Forbidden, f)
			}
		}
		if f.Severity < finding.High {
			continue
		}
		if !matches(f, c.Expect) && !matches(f, c.Allow) {
			res.Unexpected = append(res.Unexpected, f)
		}
	}
	return res, nil
}

func matchAny(fs []finding.Finding, x Expectation) bool {
	for _, f := range fs {
		if match(f, x) {
			return true
		}
	}
	return false
}

func matches(f finding.Finding, xs []Expectation) bool {
	for _, x := range xs {
		if match(f, x) {
			return true
		}
	}
	return false
}

func match(f finding.Finding, x Expectation) bool {
	if x.Category != "" && string(f.Category) != x.Category {
		return false
	}
	if x.Rule != "" && !strings.HasPrefix(f.Rule, x.Rule) {
		return false
	}
	if x.Path != "" && !strings.HasSuffix(f.Location.Path, x.Path) {
		return false
	}
	if x.Severity != "" {
		min, ok := finding.ParseSeverity(x.Severity)
		if ok && f.Severity < min {
			return false
		}
	}
	return true
}

// Summary is recall and false positives over many results.
type Summary struct {
	Cases, Passed, Expected, Found, Unexpected, Forbidden int
}

// Summarize adds up results.
func Summarize(rs []*Result) Summary {
	var s Summary
	for _, r := range rs {
		s.Cases++
		if r.OK() {
			s.Passed++
		}
		s.Expected += len(r.Case.Expect)
		s.Found += r.Found
		s.Unexpected += len(r.Unexpected)
		s.Forbidden += len(r.Forbidden)
	}
	return s
}

// Recall is found / expected (1 when nothing is expected).
func (s Summary) Recall() float64 {
	if s.Expected == 0 {
		return 1
	}
	return float64(s.Found) / float64(s.Expected)
}

// Describe explains a failed result for a test log or the command.
func Describe(r *Result) string {
	var b strings.Builder
	for _, m := range r.Missed {
		fmt.Fprintf(&b, "  missed: category=%s rule=%s path=%s severity>=%s\n", m.Category, m.Rule, m.Path, m.Severity)
	}
	for _, f := range r.Unexpected {
		fmt.Fprintf(&b, "  unexpected %s: %s %s at %s: %s\n", f.Severity, f.Rule, f.Category, f.Location.Path, f.Message)
	}
	for _, f := range r.Forbidden {
		fmt.Fprintf(&b, "  forbidden category %s: %s at %s\n", f.Category, f.Rule, f.Location.Path)
	}
	if b.Len() > 0 && len(r.Report.Findings) > 0 {
		b.WriteString("  all findings:\n")
		fs := append([]finding.Finding(nil), r.Report.Findings...)
		sort.SliceStable(fs, func(i, j int) bool { return fs[i].Severity > fs[j].Severity })
		for _, f := range fs {
			fmt.Fprintf(&b, "    %s %s %s %s\n", f.Severity, f.Rule, f.Category, f.Location.Path)
		}
	}
	return b.String()
}
