package rules

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/doorman-sec/doorman/finding"
)

// Rule is one compiled detection rule.
type Rule struct {
	ID          string
	Title       string
	Description string
	Category    finding.Category
	CWE         []string
	Severity    finding.Severity
	Confidence  finding.Confidence
	References  []string
	// Keywords are the literals given to the shared keyword pass, with the
	// case variants of keywords_nocase already added. A rule is only tried
	// where one of them occurs.
	Keywords []string
	// Regex confirms a keyword hit; nil when the keyword itself is the match.
	Regex *regexp.Regexp
	// Entropy is the minimum Shannon entropy, in bits per byte, of the
	// secret (of the whole match when the rule names no secret); 0: none.
	Entropy float64
	// Allow lists patterns of placeholders: a secret that matches one is
	// not reported. AllowMatch does the same on the whole match.
	Allow      []*regexp.Regexp
	AllowMatch []*regexp.Regexp
	// Requires lists literals that must all occur in a window before the
	// regex is tried there: a memchr-speed filter for rules whose keywords
	// are common (every URL holds "https://", few hold "@").
	Requires [][]byte
	// Paths and ExcludePaths are globs on the entry's name inside its
	// container, as written in the rule file.
	Paths        []string
	ExcludePaths []string
	// Kinds limits the rule to these artifact kinds; empty means all.
	Kinds []string
	// Before and After bound the window around a keyword hit, in bytes,
	// in which the regular expression runs.
	Before, After int
	// Anchored rules match where the keyword starts: the regex is tried
	// once per hit, anchored there, which is much cheaper than scanning a
	// window; Before is then unused.
	Anchored bool
	// SameLine further clips the window to the line holding the keyword,
	// for rules whose matches never span lines: the regex then scans a
	// line, not kilobytes of context.
	SameLine bool
	// Generic marks a rule that catches a broad shape (a password
	// assignment, any JWT). Where a specific rule reports the same secret,
	// the generic finding is dropped; among generic rules the most severe
	// one wins.
	Generic bool
	// Tests are the rule's own samples.
	Tests Tests
	// File and Line say where the rule is defined.
	File string
	Line int

	// secretGroups are the capture groups that may hold the secret: several
	// when alternatives reuse one group name. nil when the rule names no
	// secret.
	secretGroups []int
	anchored     *regexp.Regexp // "^(?:" + Regex + ")", for Anchored rules
	paths        []*glob
	exclude      []*glob
	kinds        map[string]bool
}

// Tests are a rule's samples: every positive one must match, no negative
// one may.
type Tests struct {
	Positive []Sample
	Negative []Sample
}

// Sample is a piece of content a rule is tested against.
type Sample struct {
	Text string
	// Path is the entry name the sample stands for. Empty: the rule's path
	// filters are not applied, so that a sample need not invent a name.
	Path string
	// Kind is the artifact kind the sample stands for. Empty: the kind
	// filter is not applied.
	Kind string
	// Line is where the sample is written in the rule file.
	Line int
}

// HasSecret reports whether the rule names a capture group holding a
// secret, which is then masked in evidence.
func (r *Rule) HasSecret() bool { return r.secretGroups != nil }

// Applies reports whether the rule looks at an entry with this name (its
// path inside its container) and kind at all.
func (r *Rule) Applies(name, kind string) bool {
	if r.kinds != nil && !r.kinds[kind] {
		return false
	}
	if len(r.paths) > 0 && !matchAny(r.paths, name) {
		return false
	}
	return !matchAny(r.exclude, name)
}

// Error is a problem in a rule file, located by file and line.
type Error struct {
	File string
	Line int // 0 when the problem has no line (an unreadable file)
	Rule string
	Msg  string
}

func (e *Error) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	if e.Rule != "" {
		return fmt.Sprintf("%s: rule %s: %s", loc, e.Rule, e.Msg)
	}
	return fmt.Sprintf("%s: %s", loc, e.Msg)
}

// Set is a loaded collection of rules with unique ids.
type Set struct {
	rules []*Rule
	byID  map[string]*Rule
}

// Rules returns the rules sorted by id.
func (s *Set) Rules() []*Rule { return slices.Clone(s.rules) }

// Rule returns the rule with the given id, or nil.
func (s *Set) Rule(id string) *Rule { return s.byID[id] }

// Len returns the number of rules.
func (s *Set) Len() int { return len(s.rules) }

// Select returns the set of the rules for which keep is true (to disable
// rules, or to run one pack alone).
func (s *Set) Select(keep func(*Rule) bool) *Set {
	out := &Set{byID: map[string]*Rule{}}
	for _, r := range s.rules {
		if keep(r) {
			out.rules = append(out.rules, r)
			out.byID[r.ID] = r
		}
	}
	return out
}

//go:embed builtin/*.yaml
var builtinFS embed.FS

// builtin parses the embedded pack once: its rules are immutable, so every
// Set can share them.
var builtin = sync.OnceValues(func() ([]*Rule, error) {
	names, err := fs.Glob(builtinFS, "builtin/*.yaml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var all []*Rule
	var errs []error
	for _, n := range names {
		data, err := builtinFS.ReadFile(n)
		if err != nil {
			return nil, err
		}
		rs, es := parseFile(n, data)
		all = append(all, rs...)
		errs = append(errs, es...)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return all, nil
})

// Builtin returns the rules embedded in doorman.
func Builtin() (*Set, error) {
	rs, err := builtin()
	if err != nil {
		return nil, fmt.Errorf("built-in rules: %w", err)
	}
	return newSet(rs)
}

// Load returns the built-in rules plus the rules of every *.yaml and *.yml
// file in each of dirs (a plain file may be named too). Every problem found
// is reported, each with its file and line.
func Load(dirs ...string) (*Set, error) {
	all, err := builtin()
	if err != nil {
		return nil, fmt.Errorf("built-in rules: %w", err)
	}
	all = slices.Clone(all)
	var errs []error
	for _, d := range dirs {
		files, err := ruleFiles(d)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				errs = append(errs, &Error{File: f, Msg: err.Error()})
				continue
			}
			rs, es := parseFile(f, data)
			all = append(all, rs...)
			errs = append(errs, es...)
		}
	}
	set, err := newSet(all)
	if err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return set, nil
}

// ruleFiles lists the rule files of a --rules argument: the file itself,
// or the folder's *.yaml and *.yml files (not its subfolders), sorted.
func ruleFiles(dir string) ([]string, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, &Error{File: dir, Msg: fmt.Sprintf("cannot read rules: %v", err)}
	}
	if !fi.IsDir() {
		return []string{dir}, nil
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, &Error{File: dir, Msg: fmt.Sprintf("cannot list rules: %v", err)}
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		ext := strings.ToLower(path.Ext(n))
		// Editors leave hidden backup files beside the ones being edited.
		if e.IsDir() || strings.HasPrefix(n, ".") || (ext != ".yaml" && ext != ".yml") {
			continue
		}
		out = append(out, filepath.Join(dir, n))
	}
	if len(out) == 0 {
		return nil, &Error{File: dir, Msg: "no rule files (*.yaml, *.yml) in this folder"}
	}
	sort.Strings(out)
	return out, nil
}

// newSet checks that ids are unique and sorts the rules by id.
func newSet(rs []*Rule) (*Set, error) {
	s := &Set{byID: make(map[string]*Rule, len(rs))}
	var errs []error
	for _, r := range rs {
		if first, dup := s.byID[r.ID]; dup {
			errs = append(errs, &Error{File: r.File, Line: r.Line, Rule: r.ID,
				Msg: fmt.Sprintf("duplicate id (first defined at %s:%d)", first.File, first.Line)})
			continue
		}
		s.byID[r.ID] = r
		s.rules = append(s.rules, r)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	sort.Slice(s.rules, func(i, j int) bool { return s.rules[i].ID < s.rules[j].ID })
	return s, nil
}
