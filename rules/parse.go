package rules

import (
	"fmt"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/doorman-sec/doorman/finding"
	"gopkg.in/yaml.v3"
)

// Default window around a keyword hit: rules that need context (a key id
// a few lines away from the word that identifies the file) get it, while a
// hit never costs more than a few kilobytes of regular-expression work.
const (
	DefaultBefore = 512
	DefaultAfter  = 4096
	// maxWindow bounds a rule's window so a typo cannot make every hit
	// read megabytes.
	maxWindow = 1 << 20
)

// minKeyword is the shortest keyword accepted: shorter literals occur
// everywhere and would run the rule's regular expression on every entry.
const minKeyword = 3

var (
	idRe   = regexp.MustCompile(`^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+$`)
	cweRe  = regexp.MustCompile(`^CWE-[0-9]+$`)
	kindRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]*$`)
	// yamlLineRe pulls the line out of yaml.v3's syntax errors.
	yamlLineRe = regexp.MustCompile(`^yaml: line ([0-9]+): (.*)$`)
)

// ruleFields are the keys a rule may have, for the unknown-field error.
var ruleFields = []string{
	"id", "title", "description", "category", "cwe", "severity", "confidence",
	"references", "keywords", "keywords_nocase", "regex", "secret_group",
	"entropy", "allow", "allow_match", "requires", "paths", "exclude_paths", "kinds",
	"window", "anchored", "generic", "tests",
}

// parser collects every problem of one file, so that a user fixes them all
// in one go.
type parser struct {
	file string
	errs []error
}

func (p *parser) errorf(n *yaml.Node, rule, format string, args ...any) {
	line := 0
	if n != nil {
		line = n.Line
	}
	p.errs = append(p.errs, &Error{File: p.file, Line: line, Rule: rule, Msg: fmt.Sprintf(format, args...)})
}

// parseFile reads one rule file. The top level is a mapping with "rules"
// (the list of rules) and, optionally, "shared": values the rules refer to
// through YAML anchors and aliases, not read otherwise.
func parseFile(file string, data []byte) ([]*Rule, []error) {
	p := &parser{file: file}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := err.Error()
		line := 0
		if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = m[2]
		}
		return nil, []error{&Error{File: file, Line: line, Msg: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")}}
	}
	if len(doc.Content) == 0 {
		return nil, []error{&Error{File: file, Line: 1, Msg: "empty rule file: want a top-level 'rules:' list"}}
	}
	root := resolve(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		p.errorf(root, "", "the top level must be a mapping with a 'rules:' list")
		return nil, p.errs
	}
	var list *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "rules":
			list = resolve(v)
		case "shared":
			// Anchors only; yaml.v3 has already resolved the aliases.
		default:
			p.errorf(k, "", "unknown top-level field %q (want rules, shared)", k.Value)
		}
	}
	if list == nil {
		p.errorf(root, "", "no 'rules:' list")
		return nil, p.errs
	}
	if list.Kind != yaml.SequenceNode {
		p.errorf(list, "", "'rules' must be a list of rules")
		return nil, p.errs
	}
	var out []*Rule
	for _, n := range list.Content {
		if r := p.rule(resolve(n)); r != nil {
			out = append(out, r)
		}
	}
	return out, p.errs
}

// resolve follows YAML aliases to the node they name.
func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// rawRule keeps a rule's fields as nodes until all are read, so that
// checks spanning fields can point at the right line.
type rawRule struct {
	node   *yaml.Node
	fields map[string]*yaml.Node // value nodes
	keys   map[string]*yaml.Node // key nodes
}

// rule reads and checks one rule; nil when it has errors (recorded).
func (p *parser) rule(n *yaml.Node) *Rule {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "", "a rule must be a mapping of fields")
		return nil
	}
	raw := rawRule{node: n, fields: map[string]*yaml.Node{}, keys: map[string]*yaml.Node{}}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if _, dup := raw.fields[k.Value]; dup {
			p.errorf(k, "", "field %q given twice", k.Value)
			continue
		}
		raw.fields[k.Value] = resolve(n.Content[i+1])
		raw.keys[k.Value] = k
	}
	id := ""
	if v, ok := raw.fields["id"]; ok && v.Kind == yaml.ScalarNode {
		id = v.Value
	}
	before := len(p.errs)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !isRuleField(k.Value) {
			if k.Value == "<<" {
				p.errorf(k, id, "merge keys (<<) are not supported: put anchors on single values instead")
				continue
			}
			p.errorf(k, id, "unknown field %q", k.Value)
		}
	}
	r := &Rule{File: p.file, Line: n.Line, Before: DefaultBefore, After: DefaultAfter}
	p.fill(r, raw, id)
	if len(p.errs) > before {
		return nil
	}
	return r
}

func isRuleField(k string) bool {
	for _, f := range ruleFields {
		if f == k {
			return true
		}
	}
	return false
}

// fill reads the fields into r and checks them one by one and together.
func (p *parser) fill(r *Rule, raw rawRule, id string) {
	req := func(name string) *yaml.Node {
		v, ok := raw.fields[name]
		if !ok {
			p.errorf(raw.node, id, "missing field %q", name)
			return nil
		}
		return v
	}

	if v := req("id"); v != nil {
		r.ID = p.str(v, id, "id")
		if r.ID != "" && !idRe.MatchString(r.ID) {
			p.errorf(v, id, "id %q must look like DM-SEC-001: upper-case words and digits joined by '-'", r.ID)
		}
	}
	if v := req("title"); v != nil {
		r.Title = p.str(v, id, "title")
	}
	if v := req("description"); v != nil {
		r.Description = strings.TrimSpace(p.str(v, id, "description"))
	}
	if v := req("category"); v != nil {
		r.Category = finding.Category(p.str(v, id, "category"))
		if r.Category != "" && !r.Category.Valid() {
			p.errorf(v, id, "unknown category %q (see spec/interface.md for the list)", r.Category)
		}
	}
	if v := req("cwe"); v != nil {
		r.CWE = p.strs(v, id, "cwe")
		for _, c := range r.CWE {
			if !cweRe.MatchString(c) {
				p.errorf(v, id, "cwe %q must look like CWE-798", c)
			}
		}
		if len(r.CWE) == 0 {
			p.errorf(v, id, "cwe needs at least one entry")
		}
	}
	if v := req("severity"); v != nil {
		s := p.str(v, id, "severity")
		sev, ok := finding.ParseSeverity(s)
		if !ok || sev == 0 {
			p.errorf(v, id, "unknown severity %q (want critical, high, medium, low or info)", s)
		}
		r.Severity = sev
	}
	if v := req("confidence"); v != nil {
		c := finding.Confidence(p.str(v, id, "confidence"))
		switch c {
		case finding.ConfidenceHigh, finding.ConfidenceMedium, finding.ConfidenceLow:
		default:
			p.errorf(v, id, "unknown confidence %q (want high, medium or low)", c)
		}
		r.Confidence = c
	}
	if v, ok := raw.fields["references"]; ok {
		r.References = p.strs(v, id, "references")
		for _, ref := range r.References {
			u, err := url.Parse(ref)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				p.errorf(v, id, "reference %q is not an http(s) URL", ref)
			}
		}
	}
	if r.Category == finding.KnownBackdoor && len(r.References) == 0 {
		p.errorf(raw.node, id, "a known-backdoor rule needs references: the public report of the backdoor")
	}

	nocase := false
	if v, ok := raw.fields["keywords_nocase"]; ok {
		nocase = p.boolean(v, id, "keywords_nocase")
	}
	var written []string // keywords as written, for the sample check
	kwNode := req("keywords")
	if kwNode != nil {
		written = p.strs(kwNode, id, "keywords")
		if len(written) == 0 {
			p.errorf(kwNode, id, "keywords needs at least one literal")
		}
		for _, k := range written {
			if len(k) < minKeyword {
				p.errorf(kwNode, id, "keyword %q is shorter than %d bytes: it would match almost everywhere", k, minKeyword)
			}
		}
		r.Keywords = expandKeywords(written, nocase)
	}

	if v, ok := raw.fields["regex"]; ok {
		src := p.str(v, id, "regex")
		re, err := regexp.Compile(src)
		switch {
		case err != nil:
			p.errorf(v, id, "regex does not compile: %v", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		case src == "":
			p.errorf(v, id, "regex is empty (leave it out to match the keyword itself)")
		default:
			r.Regex = re
		}
	}
	if v, ok := raw.fields["secret_group"]; ok {
		p.secretGroup(r, v, id, raw.fields["regex"] != nil)
	}
	if r.Category == finding.HardcodedCredential && r.secretGroups == nil && raw.fields["secret_group"] == nil {
		// Without it the evidence would carry the credential in full.
		p.errorf(raw.node, id, "a hardcoded-credential rule needs regex and secret_group, so that the secret is masked in evidence")
	}
	if v, ok := raw.fields["entropy"]; ok {
		r.Entropy = p.float(v, id, "entropy")
		if r.Entropy < 0 || r.Entropy > 8 {
			p.errorf(v, id, "entropy %v is outside 0..8 bits per byte", r.Entropy)
		}
	}
	if v, ok := raw.fields["requires"]; ok {
		if raw.fields["regex"] == nil {
			p.errorf(v, id, "requires needs a regex: without one the keyword is the match")
		}
		for _, lit := range p.strs(v, id, "requires") {
			if lit == "" {
				p.errorf(v, id, "requires: empty literal")
				continue
			}
			r.Requires = append(r.Requires, []byte(lit))
		}
	}
	r.Allow = p.regexps(raw.fields["allow"], id, "allow")
	r.AllowMatch = p.regexps(raw.fields["allow_match"], id, "allow_match")
	if v, ok := raw.fields["paths"]; ok {
		r.Paths = p.strs(v, id, "paths")
		r.paths = p.globs(v, id, r.Paths)
	}
	if v, ok := raw.fields["exclude_paths"]; ok {
		r.ExcludePaths = p.strs(v, id, "exclude_paths")
		r.exclude = p.globs(v, id, r.ExcludePaths)
	}
	if v, ok := raw.fields["kinds"]; ok {
		r.Kinds = p.strs(v, id, "kinds")
		r.kinds = map[string]bool{}
		for _, k := range r.Kinds {
			if !kindRe.MatchString(k) {
				p.errorf(v, id, "kind %q is not an artifact kind (text, data, elf, ...)", k)
			}
			r.kinds[k] = true
		}
	}
	if v, ok := raw.fields["window"]; ok {
		p.window(r, v, id)
	}
	if v, ok := raw.fields["anchored"]; ok {
		r.Anchored = p.boolean(v, id, "anchored")
		switch {
		case !r.Anchored:
		case raw.fields["regex"] == nil:
			p.errorf(v, id, "anchored needs a regex")
		case r.Regex != nil:
			// The group keeps the rule's flags and alternatives inside the
			// anchor, and its capture groups at the same numbers.
			r.anchored = regexp.MustCompile("^(?:" + r.Regex.String() + ")")
		}
	}
	if v, ok := raw.fields["generic"]; ok {
		r.Generic = p.boolean(v, id, "generic")
	}

	tn, ok := raw.fields["tests"]
	if !ok {
		p.errorf(raw.node, id, "missing tests: give tests.positive and tests.negative samples, so the rule shows it fires and stays quiet")
		return
	}
	p.tests(r, raw.keys["tests"], tn, id)
	// Each keyword must be exercised by a positive sample: a keyword no
	// sample contains is untested, and often a typo.
	for _, k := range written {
		found := false
		for _, s := range r.Tests.Positive {
			if strings.Contains(s.Text, k) || (nocase && strings.Contains(strings.ToLower(s.Text), strings.ToLower(k))) {
				found = true
				break
			}
		}
		if !found && len(r.Tests.Positive) > 0 {
			p.errorf(kwNode, id, "keyword %q is not found in any positive sample", k)
		}
	}
}

// expandKeywords adds, for keywords_nocase, the lower, UPPER and Title
// spellings of each keyword (the keyword pass is case-sensitive), and
// removes duplicates.
func expandKeywords(ks []string, nocase bool) []string {
	var out []string
	seen := map[string]bool{}
	add := func(k string) {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	for _, k := range ks {
		add(k)
		if nocase {
			lower := strings.ToLower(k)
			add(lower)
			add(strings.ToUpper(k))
			if r, n := utf8.DecodeRuneInString(lower); n > 0 {
				add(string(unicode.ToUpper(r)) + lower[n:])
			}
		}
	}
	return out
}

func (p *parser) str(n *yaml.Node, id, field string) string {
	if n.Kind != yaml.ScalarNode {
		p.errorf(n, id, "%s must be a single value", field)
		return ""
	}
	if n.Tag == "!!null" {
		p.errorf(n, id, "%s is empty", field)
		return ""
	}
	return n.Value
}

// strs reads a list of values; a single value counts as a list of one, and
// nested lists are flattened so that an anchored list can be reused inside
// another ("allow: [*placeholders, '^foo$']").
func (p *parser) strs(n *yaml.Node, id, field string) []string {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return nil
		}
		return []string{n.Value}
	case yaml.SequenceNode:
		var out []string
		for _, c := range n.Content {
			out = append(out, p.strs(resolve(c), id, field)...)
		}
		return out
	}
	p.errorf(n, id, "%s must be a list of values", field)
	return nil
}

func (p *parser) boolean(n *yaml.Node, id, field string) bool {
	var b bool
	if n.Kind != yaml.ScalarNode || n.Decode(&b) != nil {
		p.errorf(n, id, "%s must be true or false", field)
	}
	return b
}

func (p *parser) integer(n *yaml.Node, id, field string) int {
	var i int
	if n.Kind != yaml.ScalarNode || n.Decode(&i) != nil {
		p.errorf(n, id, "%s must be a whole number", field)
	}
	return i
}

func (p *parser) float(n *yaml.Node, id, field string) float64 {
	var f float64
	if n.Kind != yaml.ScalarNode || n.Decode(&f) != nil || math.IsNaN(f) {
		p.errorf(n, id, "%s must be a number", field)
	}
	return f
}

func (p *parser) regexps(n *yaml.Node, id, field string) []*regexp.Regexp {
	if n == nil {
		return nil
	}
	var out []*regexp.Regexp
	for _, s := range p.strs(n, id, field) {
		re, err := regexp.Compile(s)
		if err != nil {
			p.errorf(n, id, "%s pattern %q does not compile: %v", field, s, strings.TrimPrefix(err.Error(), "error parsing regexp: "))
			continue
		}
		out = append(out, re)
	}
	return out
}

func (p *parser) globs(n *yaml.Node, id string, pats []string) []*glob {
	var out []*glob
	for _, s := range pats {
		g, err := compileGlob(s)
		if err != nil {
			p.errorf(n, id, "%v", err)
			continue
		}
		out = append(out, g)
	}
	return out
}

// secretGroup reads secret_group: a group number (0 is the whole match) or
// a group name, which alternatives of the regex may share.
func (p *parser) secretGroup(r *Rule, n *yaml.Node, id string, hasRegex bool) {
	if !hasRegex {
		p.errorf(n, id, "secret_group needs a regex")
		return
	}
	if r.Regex == nil {
		return // the regex error is already reported
	}
	s := p.str(n, id, "secret_group")
	if s == "" {
		return
	}
	if i, err := strconv.Atoi(s); err == nil {
		if i < 0 || i > r.Regex.NumSubexp() {
			p.errorf(n, id, "secret_group %d: the regex has %d groups", i, r.Regex.NumSubexp())
			return
		}
		r.secretGroups = []int{i}
		return
	}
	for i, name := range r.Regex.SubexpNames() {
		if name == s {
			r.secretGroups = append(r.secretGroups, i)
		}
	}
	if r.secretGroups == nil {
		p.errorf(n, id, "secret_group %q: the regex has no group (?P<%s>...)", s, s)
	}
}

func (p *parser) window(r *Rule, n *yaml.Node, id string) {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, id, "window must be a mapping: {before: BYTES, after: BYTES, line: BOOL}")
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolve(n.Content[i+1])
		var dst *int
		switch k.Value {
		case "before":
			dst = &r.Before
		case "after":
			dst = &r.After
		case "line":
			r.SameLine = p.boolean(v, id, "window.line")
			continue
		default:
			p.errorf(k, id, "unknown window field %q (want before, after, line)", k.Value)
			continue
		}
		*dst = p.integer(v, id, "window."+k.Value)
		if *dst < 0 || *dst > maxWindow {
			p.errorf(v, id, "window.%s %d is outside 0..%d", k.Value, *dst, maxWindow)
		}
	}
}

// tests reads the samples; key is the "tests:" key, where problems with
// the lists as a whole are reported.
func (p *parser) tests(r *Rule, key, n *yaml.Node, id string) {
	if n.Kind != yaml.MappingNode {
		p.errorf(key, id, "tests must be a mapping with positive and negative lists")
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolve(n.Content[i+1])
		switch k.Value {
		case "positive":
			r.Tests.Positive = p.samples(v, id, "tests.positive")
		case "negative":
			r.Tests.Negative = p.samples(v, id, "tests.negative")
		default:
			p.errorf(k, id, "unknown tests field %q (want positive, negative)", k.Value)
		}
	}
	if len(r.Tests.Positive) == 0 {
		p.errorf(key, id, "missing tests: tests.positive needs at least one sample the rule must match")
	}
	if len(r.Tests.Negative) == 0 {
		p.errorf(key, id, "missing tests: tests.negative needs at least one sample the rule must not match")
	}
}

// samples reads a list whose items are either the text itself or a
// mapping {text, path, kind}.
func (p *parser) samples(n *yaml.Node, id, field string) []Sample {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, id, "%s must be a list of samples", field)
		return nil
	}
	var out []Sample
	for _, c := range n.Content {
		c = resolve(c)
		s := Sample{Line: c.Line}
		switch c.Kind {
		case yaml.ScalarNode:
			s.Text = c.Value
		case yaml.MappingNode:
			for i := 0; i+1 < len(c.Content); i += 2 {
				k, v := c.Content[i], resolve(c.Content[i+1])
				switch k.Value {
				case "text":
					s.Text = p.str(v, id, field+".text")
				case "path":
					s.Path = p.str(v, id, field+".path")
				case "kind":
					s.Kind = p.str(v, id, field+".kind")
				default:
					p.errorf(k, id, "unknown sample field %q (want text, path, kind)", k.Value)
				}
			}
		default:
			p.errorf(c, id, "a sample is a text or a mapping {text, path, kind}")
			continue
		}
		if s.Text == "" {
			p.errorf(c, id, "%s: empty sample", field)
			continue
		}
		out = append(out, s)
	}
	return out
}
