package rules

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/finding"
)

// TestBuiltinSamples runs every built-in rule's own samples: each positive
// must match, no negative may. It also holds the pack to its standard: at
// least two samples of each kind, references, and masked secrets.
func TestBuiltinSamples(t *testing.T) {
	set, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if set.Len() < 40 {
		t.Errorf("built-in pack has %d rules, want the full secrets pack (40+)", set.Len())
	}
	for _, r := range set.Rules() {
		t.Run(r.ID, func(t *testing.T) {
			if err := Check(r); err != nil {
				t.Error(err)
			}
			if len(r.Tests.Positive) < 2 || len(r.Tests.Negative) < 2 {
				t.Errorf("%d positive and %d negative samples, want at least 2 of each", len(r.Tests.Positive), len(r.Tests.Negative))
			}
			if len(r.References) == 0 {
				t.Error("no references")
			}
			if r.Category == finding.HardcodedCredential && !r.HasSecret() {
				t.Error("a credential rule without secret_group would show the secret in evidence")
			}
		})
	}
}

func TestBuiltinSortedAndCached(t *testing.T) {
	a, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	b, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	ra, rb := a.Rules(), b.Rules()
	for i := range ra {
		if ra[i] != rb[i] {
			t.Fatalf("rule %s compiled twice", ra[i].ID)
		}
		if i > 0 && ra[i-1].ID >= ra[i].ID {
			t.Errorf("rules not sorted by id: %s before %s", ra[i-1].ID, ra[i].ID)
		}
	}
	if r := a.Rule("DM-SEC-001"); r == nil || r.File != "builtin/secrets.yaml" || r.Line == 0 {
		t.Errorf("DM-SEC-001 = %+v, want a rule located in builtin/secrets.yaml", r)
	}
	sec := a.Select(func(r *Rule) bool { return strings.HasPrefix(r.ID, "DM-SEC-") })
	if sec.Len() == 0 || sec.Len() > a.Len() || sec.Rule("DM-SEC-050") == nil {
		t.Errorf("Select kept %d of %d rules", sec.Len(), a.Len())
	}
	for _, r := range sec.Rules() {
		if !strings.HasPrefix(r.ID, "DM-SEC-") {
			t.Errorf("Select kept %s", r.ID)
		}
	}
}

// validRule is a well-formed user rule; tests break one field at a time.
const validRule = `rules:
  - id: ACME-001
    title: Acme debug backdoor string
    description: The magic string of Acme's debug backdoor.
    category: known-backdoor
    cwe: [CWE-912]
    severity: critical
    confidence: high
    references: [https://example.org/advisories/acme-2024-1]
    keywords: [acme_debug_unlock]
    tests:
      positive: ['strcmp(user, "acme_debug_unlock")']
      negative: ['acme_debug']
`

func writeRules(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadUserRules(t *testing.T) {
	dir := writeRules(t, map[string]string{
		"acme.yaml":     validRule,
		"notes.txt":     "not a rule file",
		".#acme.yaml":   "editor lock file: ignored",
		"second.yml":    strings.ReplaceAll(validRule, "ACME-001", "ACME-002"),
		"ignored.json":  "{}",
		"sub.yaml.orig": "x",
	})
	set, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"ACME-001", "ACME-002", "DM-SEC-001"} {
		if set.Rule(id) == nil {
			t.Errorf("rule %s not loaded", id)
		}
	}
	r := set.Rule("ACME-001")
	if err := Check(r); err != nil {
		t.Errorf("keyword-only rule: %v", err)
	}
	if r.File != filepath.Join(dir, "acme.yaml") || r.Line != 2 {
		t.Errorf("ACME-001 located at %s:%d, want acme.yaml:2", r.File, r.Line)
	}
	// A single file may be named instead of a folder.
	if _, err := Load(filepath.Join(dir, "acme.yaml")); err != nil {
		t.Errorf("loading one file: %v", err)
	}
}

func TestLoadFolderProblems(t *testing.T) {
	if _, err := Load(filepath.Join(t.TempDir(), "missing")); err == nil || !strings.Contains(err.Error(), "cannot read rules") {
		t.Errorf("missing folder: err = %v", err)
	}
	if _, err := Load(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no rule files") {
		t.Errorf("empty folder: err = %v", err)
	}
}

// TestLoadErrors breaks a valid rule in one way per case and checks that
// the error names the file, the line of the culprit and the reason.
func TestLoadErrors(t *testing.T) {
	cases := []struct {
		name    string
		rules   string
		line    int
		message string
	}{
		{"unknown field", strings.Replace(validRule, "    keywords:", "    keywordz: [x]\n    keywords:", 1), 10, `unknown field "keywordz"`},
		{"bad category", strings.Replace(validRule, "known-backdoor", "backdoor", 1), 5, `unknown category "backdoor"`},
		{"bad severity", strings.Replace(validRule, "severity: critical", "severity: severe", 1), 7, `unknown severity "severe"`},
		{"bad confidence", strings.Replace(validRule, "confidence: high", "confidence: sure", 1), 8, `unknown confidence "sure"`},
		{"regex does not compile", strings.Replace(validRule, "    tests:", "    regex: 'acme_(debug'\n    tests:", 1), 11, "regex does not compile: missing closing )"},
		{"keyword not in positives", strings.Replace(validRule, "keywords: [acme_debug_unlock]", "keywords: [acme_debug_unlock, acme_root_unlock]", 1), 10, `keyword "acme_root_unlock" is not found in any positive sample`},
		{"missing tests", validRule[:strings.Index(validRule, "    tests:")], 2, "missing tests"},
		{"missing negatives", strings.Replace(validRule, "      negative: ['acme_debug']\n", "", 1), 11, "tests.negative needs at least one sample"},
		{"short keyword", strings.Replace(validRule, "keywords: [acme_debug_unlock]", "keywords: [ac]", 1), 10, `keyword "ac" is shorter than 3 bytes`},
		{"known backdoor without references", strings.Replace(validRule, "    references: [https://example.org/advisories/acme-2024-1]\n", "", 1), 2, "needs references"},
		{"reference not a URL", strings.Replace(validRule, "https://example.org/advisories/acme-2024-1", "see the advisory", 1), 9, "is not an http(s) URL"},
		{"bad cwe", strings.Replace(validRule, "CWE-912", "912", 1), 6, `cwe "912" must look like CWE-798`},
		{"bad id", strings.Replace(validRule, "ACME-001", "acme 1", 1), 2, "must look like DM-SEC-001"},
		{"secret group beyond the regex", strings.Replace(validRule, "    tests:", "    regex: 'acme_(debug)_unlock'\n    secret_group: 2\n    tests:", 1), 12, "secret_group 2: the regex has 1 groups"},
		{"secret group name unknown", strings.Replace(validRule, "    tests:", "    regex: 'acme_(?P<word>debug)_unlock'\n    secret_group: secret\n    tests:", 1), 12, `secret_group "secret": the regex has no group`},
		{"secret group without regex", strings.Replace(validRule, "    tests:", "    secret_group: 1\n    tests:", 1), 11, "secret_group needs a regex"},
		{"credential without secret", strings.Replace(validRule, "known-backdoor", "hardcoded-credential", 1), 2, "needs regex and secret_group"},
		{"bad glob", strings.Replace(validRule, "    tests:", "    paths: ['**/{a,b']\n    tests:", 1), 11, "unclosed '{'"},
		{"bad window", strings.Replace(validRule, "    tests:", "    window: {before: 10, ahead: 5}\n    tests:", 1), 11, `unknown window field "ahead"`},
		{"merge key", strings.Replace(validRule, "    tests:", "    <<: {generic: true}\n    tests:", 1), 11, "merge keys (<<) are not supported"},
		{"field twice", strings.Replace(validRule, "    tests:", "    title: again\n    tests:", 1), 11, `field "title" given twice`},
		{"invalid YAML", strings.Replace(validRule, "title: Acme debug", "title: Acme: debug", 1), 3, "invalid YAML: mapping values are not allowed"},
		{"no rules list", "rule:\n  - id: X\n", 1, `unknown top-level field "rule"`},
		{"duplicate id", validRule + strings.TrimPrefix(validRule, "rules:\n"), 14, "duplicate id (first defined at"},
		{"duplicate of a built-in id", strings.Replace(validRule, "ACME-001", "DM-SEC-001", 1), 2, "duplicate id (first defined at builtin/secrets.yaml:"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := writeRules(t, map[string]string{"acme.yaml": c.rules})
			_, err := Load(dir)
			if err == nil {
				t.Fatalf("rule file accepted:\n%s", c.rules)
			}
			want := filepath.Join(dir, "acme.yaml") + ":" + strconv.Itoa(c.line) + ":"
			found := false
			for _, line := range strings.Split(err.Error(), "\n") {
				if strings.HasPrefix(line, want) && strings.Contains(line, c.message) {
					found = true
				}
			}
			if !found {
				t.Errorf("error %q\nwant a line starting %q containing %q", err, want, c.message)
			}
			var re *Error
			if !errors.As(err, &re) || re.File == "" {
				t.Errorf("error %v is not a *rules.Error", err)
			}
		})
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	bad := strings.Replace(strings.Replace(validRule, "known-backdoor", "nope", 1), "severity: critical", "severity: huge", 1)
	dir := writeRules(t, map[string]string{"a.yaml": bad, "b.yaml": strings.Replace(validRule, "ACME-001", "ACME-009", 1) + "    extra: 1\n"})
	_, err := Load(dir)
	if err == nil {
		t.Fatal("accepted")
	}
	for _, want := range []string{"a.yaml:5:", "a.yaml:7:", "b.yaml:14:"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

// TestReadmeExample keeps the example in README.md working: it loads and
// its samples pass.
func TestReadmeExample(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	start := strings.Index(s, "```yaml\n")
	end := strings.Index(s[start+8:], "```")
	if start < 0 || end < 0 {
		t.Fatal("no yaml example in README.md")
	}
	dir := writeRules(t, map[string]string{"example.yaml": s[start+8 : start+8+end]})
	set, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := set.Rule("ACME-SEC-001")
	if r == nil {
		t.Fatal("example rule not loaded")
	}
	if err := Check(r); err != nil {
		t.Error(err)
	}
}
