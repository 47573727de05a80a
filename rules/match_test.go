package rules

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// mustRule parses one rule given as the fields of a YAML mapping.
func mustRule(t *testing.T, fields string) *Rule {
	t.Helper()
	src := "rules:\n  - " + strings.ReplaceAll(strings.TrimSpace(fields), "\n", "\n    ") + "\n"
	rs, errs := parseFile("test.yaml", []byte(src))
	if len(errs) > 0 {
		t.Fatalf("%v\n%s", errs, src)
	}
	return rs[0]
}

const tokenRule = `id: T-001
title: Test token
description: d
category: hardcoded-credential
cwe: [CWE-798]
severity: high
confidence: high
keywords: [tok_]
regex: '\b(?P<secret>tok_[a-z0-9]{8})\b'
secret_group: secret
window: {before: 4, after: 16}
tests:
  positive: ['x tok_ab12cd34']
  negative: ['tok_']`

func secretsOf(ms []Match) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Secret)
	}
	return out
}

func TestFindUsesWindowsOnly(t *testing.T) {
	r := mustRule(t, tokenRule)
	// The second token lies far from any keyword hit passed in: the regex
	// must not see it, which is what keeps the scan's cost per hit.
	text := "a tok_ab12cd34 " + strings.Repeat(".", 100) + " tok_ef56gh78 end"
	c := byteContent(text)
	ms := r.Find(c, []Hit{{Offset: 2, Len: 4}})
	if got := secretsOf(ms); !slices.Equal(got, []string{"tok_ab12cd34"}) {
		t.Errorf("secrets = %q", got)
	}
	m := ms[0]
	if m.SecretStart != 2 || m.SecretEnd != 14 || text[m.Start:m.End] != m.Text {
		t.Errorf("match = %+v", m)
	}
	// Both hits: both tokens, in order, each once even when hits repeat.
	second := int64(strings.LastIndex(text, "tok_"))
	ms = r.Find(c, []Hit{{second, 4}, {2, 4}, {2, 4}})
	if got := secretsOf(ms); !slices.Equal(got, []string{"tok_ab12cd34", "tok_ef56gh78"}) {
		t.Errorf("secrets = %q", got)
	}
}

func TestFindDropsTokensCutByTheWindow(t *testing.T) {
	r := mustRule(t, tokenRule)
	// The window ends 16 bytes after the keyword, inside this longer word:
	// a regex run on the window alone would see "tok_ab12cd34" followed by
	// the window's end, a word boundary that is not in the content.
	text := "tok_ab12cd34efgh5678 next"
	if ms := r.Find(byteContent(text), []Hit{{0, 4}}); len(ms) != 0 {
		t.Errorf("cut token reported: %q", secretsOf(ms))
	}
	// At the real end of the content, a token is whole.
	if ms := r.Find(byteContent("tok_ab12cd34"), []Hit{{0, 4}}); len(ms) != 1 {
		t.Errorf("token at the end of content missed")
	}
}

func TestFindFiltersEntropyAndAllow(t *testing.T) {
	r := mustRule(t, strings.Replace(tokenRule, "window:", "entropy: 2.5\nallow: ['^tok_dead']\nallow_match: ['0000$']\nwindow:", 1))
	cases := map[string]bool{
		"tok_ab12cd34": true,
		"tok_aaaaaaaa": false, // entropy 1.5
		"tok_deadbe3f": false, // allow on the secret
		"tok_9a8b0000": false, // allow_match on the whole match
	}
	for s, want := range cases {
		got := len(r.Find(byteContent(s), []Hit{{0, 4}})) == 1
		if got != want {
			t.Errorf("%s: matched = %v, want %v", s, got, want)
		}
	}
}

func TestFindKeywordOnly(t *testing.T) {
	r := mustRule(t, `id: K-001
title: Magic string
description: d
category: hidden-trigger
cwe: [CWE-912]
severity: high
confidence: high
keywords: [xmlset_roodkcableoj28840ybtide]
tests:
  positive: ['if (strstr(ua, "xmlset_roodkcableoj28840ybtide"))']
  negative: ['xmlset_']`)
	text := "ua=xmlset_roodkcableoj28840ybtide;"
	ms := r.Find(byteContent(text), KeywordHits(r.Keywords, []byte(text)))
	if len(ms) != 1 || ms[0].Text != "xmlset_roodkcableoj28840ybtide" || ms[0].Start != 3 || r.HasSecret() {
		t.Errorf("matches = %+v", ms)
	}
}

func TestWindowsMergeAndBound(t *testing.T) {
	r := &Rule{Before: 10, After: 10}
	c := byteContent(strings.Repeat("x", 120))
	got := r.windows(c, []Hit{{0, 3}, {15, 3}, {100, 3}}, 120)
	want := []span{{0, 28, false, true}, {90, 113, true, true}}
	if !slices.Equal(got, want) {
		t.Errorf("windows = %v, want %v", got, want)
	}
	// Dense hits in a huge entry are read in bounded spans.
	var hs []Hit
	for off := int64(0); off < 3*maxSpan; off += 8 {
		hs = append(hs, Hit{off, 3})
	}
	for _, w := range r.windows(byteContent(make([]byte, 4*maxSpan)), hs, 4*maxSpan) {
		if w.end-w.start > maxSpan {
			t.Fatalf("span %v longer than %d", w, maxSpan)
		}
	}
}

func TestSecretGroupSharedByAlternatives(t *testing.T) {
	r := mustRule(t, strings.Replace(tokenRule, `'\b(?P<secret>tok_[a-z0-9]{8})\b'`, `'"(?P<secret>[a-z0-9]{8})"|''(?P<secret>[A-Z0-9]{8})'''`, 1))
	text := `tok_ "ab12cd34" tok_ 'AB12CD34'`
	got := secretsOf(r.Find(byteContent(text), KeywordHits(r.Keywords, []byte(text))))
	if !slices.Equal(got, []string{"ab12cd34", "AB12CD34"}) {
		t.Errorf("secrets = %q", got)
	}
}

func TestExpandKeywords(t *testing.T) {
	got := expandKeywords([]string{"apiKey", "password", "Password"}, true)
	want := []string{"apiKey", "apikey", "APIKEY", "Apikey", "password", "PASSWORD", "Password"}
	if !slices.Equal(got, want) {
		t.Errorf("expand = %q, want %q", got, want)
	}
	if got := expandKeywords([]string{"AKIA"}, false); !slices.Equal(got, []string{"AKIA"}) {
		t.Errorf("case-sensitive keywords changed: %q", got)
	}
}

func TestEntropy(t *testing.T) {
	for s, want := range map[string]float64{"": 0, "aaaa": 0, "abab": 1, "abcd": 2, "0123456789abcdef": 4} {
		if got := Entropy(s); math.Abs(got-want) > 1e-9 {
			t.Errorf("Entropy(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestGlob(t *testing.T) {
	cases := []struct {
		pat  string
		name string
		want bool
	}{
		{".env", ".env", true},
		{".env", "app/.env", true}, // no slash: the base name, at any depth
		{".env", "app/.env.local", false},
		{".env.*", "app/.env.local", true},
		{"*.{yaml,yml}", "deploy/k8s/app.yml", true},
		{"*.{yaml,yml}", "deploy/k8s/app.yaml.bak", false},
		{"**/etc/**", "etc/config/network", true},
		{"**/etc/**", "squashfs-root/etc/shadow", true},
		{"**/etc/**", "usr/etcetera/x", false},
		{"**/etc/config/wireless", "etc/config/wireless", true},
		{"**/etc/config/wireless", "rootfs/etc/config/wireless", true},
		{"etc/*.conf", "etc/app.conf", true},
		{"etc/*.conf", "etc/sub/app.conf", false},
		{"/etc/*.conf", "etc/app.conf", true},
		{"[a-z][a-z].json", "web/locales/de.json", true},
		{"[a-z][a-z].json", "web/app.json", false},
		{"[!.]*.json", "web/app.json", true},
		{"[!.]*.json", "web/.app.json", false},
		{"**/{i18n,locales}/**", "web/locales/de/common.json", true},
		{"file?.txt", "file1.txt", true},
		{"file?.txt", "file/.txt", false},
		{`a\*b`, "a*b", true},
		{`a\*b`, "axb", false},
	}
	for _, c := range cases {
		g, err := compileGlob(c.pat)
		if err != nil {
			t.Errorf("%s: %v", c.pat, err)
			continue
		}
		if got := g.match(c.name); got != c.want {
			t.Errorf("glob %q on %q = %v, want %v", c.pat, c.name, got, c.want)
		}
	}
	for _, bad := range []string{"", "a[b", "{a,b", "a}"} {
		if _, err := compileGlob(bad); err == nil {
			t.Errorf("glob %q accepted", bad)
		}
	}
}

func TestAppliesPathsAndKinds(t *testing.T) {
	r := mustRule(t, strings.Replace(tokenRule, "window:", "paths: ['*.env', '**/etc/**']\nexclude_paths: ['**/etc/skel/**']\nkinds: [text]\nwindow:", 1))
	cases := []struct {
		name, kind string
		want       bool
	}{
		{"app/prod.env", "text", true},
		{"etc/app.conf", "text", true},
		{"etc/skel/.env", "text", false},
		{"src/main.go", "text", false},
		{"app/prod.env", "elf", false},
	}
	for _, c := range cases {
		if got := r.Applies(c.name, c.kind); got != c.want {
			t.Errorf("Applies(%q, %q) = %v, want %v", c.name, c.kind, got, c.want)
		}
	}
}

// TestCheckReportsFailingSamples makes sure Check is not a rubber stamp: a
// rule whose samples contradict it fails, naming each bad sample's line.
func TestCheckReportsFailingSamples(t *testing.T) {
	r := mustRule(t, strings.Replace(tokenRule,
		"  positive: ['x tok_ab12cd34']\n  negative: ['tok_']",
		"  positive: ['x tok_ab12cd34', 'tok_short']\n  negative: ['tok_', 'y tok_ef56gh78']", 1))
	err := Check(r)
	if err == nil {
		t.Fatal("Check passed a rule with a failing positive and negative")
	}
	msg := err.Error()
	for _, want := range []string{"test.yaml:14: rule T-001: positive sample 2 does not match", `test.yaml:15: rule T-001: negative sample 2 matches "tok_ef56gh78"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("Check error %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "sample 1") {
		t.Errorf("Check blames a good sample: %q", msg)
	}
}

func TestSamplePathFilter(t *testing.T) {
	r := mustRule(t, strings.Replace(tokenRule, "window:", "paths: ['.netrc']\nwindow:", 1))
	if len(r.Matches(Sample{Text: "tok_ab12cd34"})) != 1 {
		t.Error("a sample without path skips the path filter")
	}
	if len(r.Matches(Sample{Text: "tok_ab12cd34", Path: "home/u/.netrc"})) != 1 {
		t.Error("sample at a matching path")
	}
	if len(r.Matches(Sample{Text: "tok_ab12cd34", Path: "README.md"})) != 0 {
		t.Error("sample at another path matched")
	}
}

func TestAnchoredRules(t *testing.T) {
	set, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	r := set.Rule("DM-SEC-040")
	if !r.Anchored || len(r.Requires) == 0 {
		t.Fatalf("DM-SEC-040 anchored=%v requires=%q", r.Anchored, r.Requires)
	}
	// "ftp://" inside "sftp://" is a second hit on the same URL: one match.
	text := "backup: sftp://backup:Sf7pBk9q@10.1.1.2/backups\nmirror: https://mirror.acme-iot.com/ sftp://x"
	ms := r.Find(byteContent(text), KeywordHits(r.Keywords, []byte(text)))
	if len(ms) != 1 || !strings.HasPrefix(ms[0].Text, "sftp://") || ms[0].Secret != "Sf7pBk9q" {
		t.Errorf("matches = %+v", ms)
	}
	// An anchored rule matches only where its hit is, not further on in
	// the window as an unanchored one does.
	text = "k = tok_ab12cd34"
	u := mustRule(t, strings.Replace(tokenRule, "window:", "anchored: true\nwindow:", 1))
	w := mustRule(t, tokenRule)
	if got := u.Find(byteContent(text), []Hit{{0, 4}}); len(got) != 0 {
		t.Errorf("anchored rule matched away from its hit: %+v", got)
	}
	if got := w.Find(byteContent(text), []Hit{{0, 4}}); len(got) != 1 {
		t.Errorf("window rule: %+v", got)
	}
	if got := secretsOf(u.Find(byteContent(text), []Hit{{4, 4}})); !slices.Equal(got, []string{"tok_ab12cd34"}) {
		t.Errorf("anchored secrets = %q", got)
	}
}

func TestRequiresSkipsWindows(t *testing.T) {
	r := mustRule(t, strings.Replace(tokenRule, "window:", "requires: ['=']\nwindow:", 1))
	for text, want := range map[string]int{"k=tok_ab12cd34": 1, "k tok_ab12cd34": 0} {
		if got := len(r.Find(byteContent(text), KeywordHits(r.Keywords, []byte(text)))); got != want {
			t.Errorf("%q: %d matches, want %d", text, got, want)
		}
	}
}

// TestFindIgnoresHitsOutsideContent: hits come from another package; a
// stale or wrong offset must not crash the scan.
func TestFindIgnoresHitsOutsideContent(t *testing.T) {
	for _, fields := range []string{tokenRule, strings.Replace(tokenRule, "window:", "anchored: true\nwindow:", 1)} {
		r := mustRule(t, fields)
		if ms := r.Find(byteContent("tok_ab12cd34"), []Hit{{-5, 4}, {12, 4}, {400, 4}}); len(ms) != 0 {
			t.Errorf("matches = %+v", ms)
		}
	}
}
