package signature

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/analyzertest"
	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/rules"
)

// Fake secrets made for these tests.
const (
	ghToken     = "ghp_zzgEOzdmenCkhvMdgaKjIg8xNbe3nNyjOq9w"
	stripeLive  = "sk_live_zh87mTa5Vsqxezy3Lex7BWr2"
	slackBot    = "xoxb-058770658948-1131144024264-zjI6GKFSufrdZSlB5er8bOfZ"
	strongPass  = "Xk9mQ2vL8pR4wZ"
	awsKeyID    = "AKIAUJZDEGXDNCF32EPF"
	awsExample  = "AKIAIOSFODNN7EXAMPLE"
	awsExampleS = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
)

// secretRules is the built-in secrets pack alone: these tests count
// findings, and other packs in builtin/ must not change the counts.
func secretRules(t testing.TB) *rules.Set {
	t.Helper()
	set, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return set.Select(func(r *rules.Rule) bool { return r.File == "builtin/secrets.yaml" })
}

func builtinAnalyzer(t testing.TB) *analyzer.Analyzer {
	t.Helper()
	return New(secretRules(t))
}

func scan(t testing.TB, files map[string]string) *finding.Report {
	t.Helper()
	return analyzertest.Scan(t, []*analyzer.Analyzer{builtinAnalyzer(t)}, files)
}

// noSecretLeaks fails when any secret appears in full anywhere in the
// report as a user would receive it.
func noSecretLeaks(t *testing.T, rep *finding.Report, secrets ...string) {
	t.Helper()
	js, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range secrets {
		if bytes.Contains(js, []byte(s)) {
			t.Errorf("report carries the secret %q in full:\n%s", s, js)
		}
	}
}

func TestEnvFileToken(t *testing.T) {
	rep := scan(t, map[string]string{
		"app/.env": "APP_ENV=production\nGITHUB_TOKEN=" + ghToken + "\n",
	})
	if len(rep.Findings) != 1 {
		t.Fatalf("findings = %+v, want one (the generic token rule gives way to the GitHub rule)", rep.Findings)
	}
	f := rep.Findings[0]
	if f.Rule != "DM-SEC-003" || f.Category != finding.HardcodedCredential || f.Severity != finding.Critical || f.Confidence != finding.ConfidenceHigh {
		t.Errorf("finding = %+v", f)
	}
	if f.Location.Line != 2 || f.Location.Column != 14 || f.Location.Offset != nil || !strings.HasSuffix(f.Location.Path, "app/.env") {
		t.Errorf("location = %+v, want line 2 column 14 of app/.env", f.Location)
	}
	if want := "GITHUB_TOKEN=" + finding.Mask(ghToken); f.Evidence != want {
		t.Errorf("evidence = %q, want %q", f.Evidence, want)
	}
	if want := "GitHub personal access token 'ghp_…(40 chars)' in app/.env, line 2"; f.Message != want {
		t.Errorf("message = %q, want %q", f.Message, want)
	}
	if f.ID == "" || len(f.CWE) == 0 || len(f.References) == 0 || f.Title == "" {
		t.Errorf("incomplete finding %+v", f)
	}
	noSecretLeaks(t, rep, ghToken)
}

func TestDocumentedExampleKeysAreQuiet(t *testing.T) {
	rep := scan(t, map[string]string{
		"docs/README.md": "Configure:\n\n    aws_access_key_id = " + awsExample + "\n    aws_secret_access_key = " + awsExampleS + "\n",
		"README.md":      "export AWS_ACCESS_KEY_ID=" + awsExample + "\n",
	})
	if len(rep.Findings) != 0 {
		t.Errorf("AWS documentation example keys reported: %+v", rep.Findings)
	}
}

func TestTestFixtureIsLowered(t *testing.T) {
	rep := scan(t, map[string]string{
		"lib/payments/tests/fixtures/config.json": `{"stripe_key": "` + stripeLive + `"}`,
		"lib/payments/config.json":                `{"stripe_key": "` + stripeLive + `"}`,
	})
	fixture := analyzertest.Find(rep, "DM-SEC-008", "tests/fixtures/config.json")
	shipped := analyzertest.Find(rep, "DM-SEC-008", "payments/config.json")
	if len(fixture) != 1 || len(shipped) != 1 {
		t.Fatalf("fixture %+v, shipped %+v", fixture, shipped)
	}
	f := fixture[0]
	if f.Severity != finding.Medium || f.Confidence != finding.ConfidenceLow || !strings.HasSuffix(f.Message, "(in test/docs folder)") {
		t.Errorf("fixture finding not lowered: %+v", f)
	}
	for _, s := range shipped {
		if s.Severity != finding.Critical || s.Confidence != finding.ConfidenceHigh || strings.Contains(s.Message, "test/docs") {
			t.Errorf("shipped finding lowered: %+v", s)
		}
	}
	noSecretLeaks(t, rep, stripeLive)
}

func TestFixtureArchiveIsLowered(t *testing.T) {
	dir := t.TempDir()
	fixtures := filepath.Join(dir, "lib", "testdata")
	if err := os.MkdirAll(fixtures, 0o755); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("files/api.go")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(w, "package api\n\nconst token = %q\n", ghToken)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(fixtures, "files.zip"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := analyzertest.ScanPath(t, []*analyzer.Analyzer{builtinAnalyzer(t)}, dir)
	fs := analyzertest.Find(rep, "DM-SEC-003", "files.zip!/files/api.go")
	if len(fs) != 1 {
		t.Fatalf("findings = %+v", rep.Findings)
	}
	if f := fs[0]; f.Severity != finding.Medium || f.Confidence != finding.ConfidenceLow || f.Location.Line != 3 {
		t.Errorf("finding inside a fixture archive = %+v", f)
	}
}

func TestPlaceholderPasswordsAreQuiet(t *testing.T) {
	rep := scan(t, map[string]string{
		"etc/app/config.ini": "[db]\nhost = db\npassword = \"\"\npassword = \"${DB_PASS}\"\npassword=\npassword = <your password>\n",
		"config.yaml":        "db:\n  password: ${DB_PASSWORD}\n  token: \"{{ .Values.token }}\"\n",
	})
	if len(rep.Findings) != 0 {
		t.Errorf("placeholders reported: %+v", rep.Findings)
	}
	// The same file with a real value is reported: the test above cannot
	// pass merely because config files are never looked at.
	rep = scan(t, map[string]string{"etc/app/config.ini": "[db]\npassword = \"" + strongPass + "\"\n"})
	if got := analyzertest.Rules(rep); len(got) != 1 || got[0] != "DM-SEC-052" {
		t.Errorf("rules = %v, want only DM-SEC-052 (the high-entropy rule outranks the medium one)", got)
	}
	noSecretLeaks(t, rep, strongPass)
}

func TestBinaryBlobGetsOffset(t *testing.T) {
	blob := bytes.Repeat([]byte{0x00, 0x01, 0x02, 0xff, 0x13, 0x37, 0x00, 0x80}, 1024)
	const at = 5000
	embedded := append([]byte("\x00\x00token="), []byte(slackBot)...)
	embedded = append(embedded, 0x00, 0x9c)
	copy(blob[at:], embedded)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "fw.bin"), blob, 0o644); err != nil {
		t.Fatal(err)
	}
	rep := analyzertest.ScanPath(t, []*analyzer.Analyzer{builtinAnalyzer(t)}, dir)
	fs := analyzertest.Find(rep, "DM-SEC-006", "fw.bin")
	if len(fs) != 1 {
		t.Fatalf("findings = %+v", rep.Findings)
	}
	f := fs[0]
	want := int64(at + len("\x00\x00token="))
	if f.Location.Offset == nil || *f.Location.Offset != want || f.Location.Line != 0 || f.Location.Column != 0 {
		t.Errorf("location = %+v, want offset %d and no line", f.Location, want)
	}
	if f.Evidence != "token="+finding.Mask(slackBot) {
		t.Errorf("evidence = %q", f.Evidence)
	}
	if !strings.Contains(f.Message, "fw.bin at offset 0x") {
		t.Errorf("message = %q", f.Message)
	}
	noSecretLeaks(t, rep, slackBot)
}

func TestEverySecretOnTheLineIsMasked(t *testing.T) {
	rep := scan(t, map[string]string{
		"deploy.sh": "curl -u " + stripeLive + ": -H 'X-GitHub: " + ghToken + "' https://api.acme-iot.com\n",
	})
	if got := analyzertest.Rules(rep); len(got) != 2 {
		t.Fatalf("rules = %v", got)
	}
	for _, f := range rep.Findings {
		if !strings.Contains(f.Evidence, "sk_l…(32 chars)") || !strings.Contains(f.Evidence, "ghp_…(40 chars)") {
			t.Errorf("%s evidence %q does not mask both secrets", f.Rule, f.Evidence)
		}
	}
	noSecretLeaks(t, rep, stripeLive, ghToken)
}

func TestLongLineEvidenceIsTrimmed(t *testing.T) {
	line := "var cfg={" + strings.Repeat(`"k":"vvvvvvvv",`, 300) + `"gh":"` + ghToken + `",` + strings.Repeat(`"é":"ü",`, 400) + "};\n"
	rep := scan(t, map[string]string{"static/app.min.js": line})
	fs := analyzertest.Find(rep, "DM-SEC-003", "app.min.js")
	if len(fs) != 1 {
		t.Fatalf("findings = %+v", rep.Findings)
	}
	ev := fs[0].Evidence
	if n := utf8.RuneCountInString(ev); n > maxEvidence || n < maxEvidence-2 {
		t.Errorf("evidence has %d characters, want about %d: %q", n, maxEvidence, ev)
	}
	if !strings.HasPrefix(ev, "…") || !strings.HasSuffix(ev, "…") || !strings.Contains(ev, `"gh":"ghp_…(40 chars)"`) || !utf8.ValidString(ev) {
		t.Errorf("evidence = %q", ev)
	}
}

func TestFindingsPerRuleAreCapped(t *testing.T) {
	var b strings.Builder
	r := rand.New(rand.NewPCG(1, 2))
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	for i := 0; i < maxPerRule+7; i++ {
		b.WriteString("AKIA")
		for j := 0; j < 16; j++ {
			b.WriteByte(alphabet[r.IntN(len(alphabet))])
		}
		b.WriteString("\n")
	}
	rep := scan(t, map[string]string{"dump/keys.txt": b.String()})
	fs := analyzertest.Find(rep, "DM-SEC-001", "keys.txt")
	if len(fs) != maxPerRule {
		t.Fatalf("%d findings, want %d", len(fs), maxPerRule)
	}
	notes := 0
	for _, f := range fs {
		if strings.Contains(f.Message, "(7 more matches of this rule in this file not reported)") {
			notes++
		}
	}
	if notes != 1 {
		t.Errorf("%d findings say how many were left out, want 1", notes)
	}
}

func TestUserRuleWithoutSecret(t *testing.T) {
	dir := t.TempDir()
	rule := `rules:
  - id: ACME-BD-001
    title: D-Link thttpd user-agent backdoor
    description: The user agent that bypasses authentication in some D-Link routers.
    category: known-backdoor
    cwe: [CWE-912]
    severity: critical
    confidence: high
    references: [https://nvd.nist.gov/vuln/detail/CVE-2013-6026]
    keywords: [xmlset_roodkcableoj28840ybtide]
    tests:
      positive: ['if (strstr(ua, "xmlset_roodkcableoj28840ybtide")) auth = 1;']
      negative: ['xmlset_roodkcable']
`
	if err := os.WriteFile(filepath.Join(dir, "acme.yaml"), []byte(rule), 0o644); err != nil {
		t.Fatal(err)
	}
	set, err := rules.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	rep := analyzertest.Scan(t, []*analyzer.Analyzer{New(set)}, map[string]string{
		"src/httpd.c": "int check(char *ua) {\n\tif (strstr(ua, \"xmlset_roodkcableoj28840ybtide\")) return 1;\n}\n",
	})
	fs := analyzertest.Find(rep, "ACME-BD-001", "httpd.c")
	if len(fs) != 1 {
		t.Fatalf("findings = %+v", rep.Findings)
	}
	f := fs[0]
	if f.Category != finding.KnownBackdoor || f.Location.Line != 2 || f.Location.Column != 18 ||
		f.Evidence != `if (strstr(ua, "xmlset_roodkcableoj28840ybtide")) return 1;` ||
		!strings.Contains(f.Message, "(matched 'xmlset_roodkcableoj28840ybtide')") {
		t.Errorf("finding = %+v", f)
	}
}

func TestKeywordsAreShared(t *testing.T) {
	set := secretRules(t)
	e, keywords := newEngine(set)
	seen := map[string]bool{}
	for i, k := range keywords {
		if seen[k] {
			t.Errorf("keyword %q listed twice", k)
		}
		seen[k] = true
		if k == "password" {
			var owners []string
			for _, ri := range e.owners[i] {
				owners = append(owners, e.rules[ri].ID)
			}
			// The configuration rules and the .netrc rule share it.
			if got := strings.Join(owners, " "); got != "DM-SEC-043 DM-SEC-050 DM-SEC-052" {
				t.Errorf("owners of \"password\" = %s", got)
			}
		}
	}
	if !seen["password"] || !seen["AKIA"] {
		t.Error("built-in keywords missing")
	}
	a := New(set)
	if a.Name != "signature" || a.Wants != nil || len(a.Keywords) != len(keywords) {
		t.Errorf("analyzer %q, Wants set %v, %d keywords", a.Name, a.Wants != nil, len(a.Keywords))
	}
	if New(nil).Keywords != nil {
		t.Error("an analyzer without rules has keywords")
	}
}

func TestFit(t *testing.T) {
	cases := []struct {
		prefix, mid, suffix string
		cutL, cutR          bool
		want                string
	}{
		{"key=", "ab**", "", false, false, "key=ab**"},
		{"key=", "ab**", ";", true, false, "…key=ab**;"},
		{strings.Repeat("a", 150), "M", strings.Repeat("b", 150), false, false, "…" + strings.Repeat("a", 98) + "M" + strings.Repeat("b", 99) + "…"},
		{"", "M", strings.Repeat("b", 300), false, false, "M" + strings.Repeat("b", 198) + "…"},
	}
	for _, c := range cases {
		got := fit(c.prefix, c.mid, c.suffix, c.cutL, c.cutR)
		if got != c.want {
			t.Errorf("fit(%d, %q, %d) = %q, want %q", len(c.prefix), c.mid, len(c.suffix), got, c.want)
		}
		if n := utf8.RuneCountInString(got); n > maxEvidence {
			t.Errorf("fit gave %d characters", n)
		}
	}
}

// BenchmarkSignature scans a few megabytes of realistic mixed text (source,
// configuration, logs, documentation, minified JavaScript, a handful of
// planted secrets) through the real pipeline with the secrets pack, and
// reports the throughput in MB/s. The all-builtin case adds the other
// built-in packs; the no-rules case is the same pipeline without any
// keyword or rule, for comparison.
func BenchmarkSignature(b *testing.B) {
	dir := b.TempDir()
	total := writeCorpus(b, dir, 4<<20)
	all, err := rules.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		a    *analyzer.Analyzer
	}{{"secrets", builtinAnalyzer(b)}, {"all-builtin", New(all)}, {"no-rules", New(nil)}} {
		b.Run(c.name, func(b *testing.B) {
			as := []*analyzer.Analyzer{c.a}
			var findings int
			b.SetBytes(total)
			for b.Loop() {
				findings = len(analyzertest.ScanPath(b, as, dir).Findings)
			}
			b.ReportMetric(float64(findings), "findings")
		})
	}
}

// writeCorpus writes about size bytes of mixed text files into dir and
// returns their total size.
func writeCorpus(tb testing.TB, dir string, size int) int64 {
	tb.Helper()
	r := rand.New(rand.NewPCG(42, 7))
	word := func() string {
		ws := []string{"token", "password", "config", "user", "request", "value", "secret", "key", "handler", "session",
			"device", "firmware", "update", "buffer", "client", "server", "Authorization", "apiKey", "status", "message",
			"index", "count", "result", "error", "context", "path", "name", "data", "offset", "length", "reader", "writer",
			"table", "row", "column", "event", "queue", "worker", "timer", "channel", "packet", "header", "payload", "route",
			"schema", "cache", "store", "image", "layer", "module", "option", "flag", "target", "source", "entry", "node"}
		return ws[r.IntN(len(ws))]
	}
	hex := func(n int) string {
		const h = "0123456789abcdef"
		b := make([]byte, n)
		for i := range b {
			b[i] = h[r.IntN(16)]
		}
		return string(b)
	}
	gens := []struct {
		name string
		line func(i int) string
	}{
		{"src/pkg%d/handler.go", func(i int) string {
			switch i % 6 {
			case 0:
				return fmt.Sprintf("func (s *Server) %sHandler(w http.ResponseWriter, r *http.Request) {", word())
			case 1:
				return fmt.Sprintf("\t%s := r.Header.Get(\"Authorization\") // check the %s", word(), word())
			case 2:
				return fmt.Sprintf("\tif err := s.store.Put(ctx, %q, %s); err != nil { return fmt.Errorf(\"put: %%w\", err) }", word(), word())
			case 3:
				return fmt.Sprintf("\tlog.Printf(\"%s %s for %%s: %%v\", id, err) // see https://pkg.go.dev/%s", word(), word(), word())
			case 4:
				return fmt.Sprintf("\tpassword := os.Getenv(\"DB_PASSWORD\"); token := cfg.%s", word())
			}
			return "}"
		}},
		{"etc/service%d/config.yaml", func(i int) string {
			switch i % 7 {
			case 0:
				return fmt.Sprintf("%s:", word())
			case 1:
				return fmt.Sprintf("  endpoint: https://%s.acme-iot.com/v2/%s", word(), word())
			case 2:
				return "  password: ${DB_PASSWORD}"
			case 3:
				return fmt.Sprintf("  token: \"{{ .Values.%s }}\"", word())
			case 4:
				return fmt.Sprintf("  timeout: %ds", r.IntN(120))
			case 5:
				return fmt.Sprintf("  checksum: sha256:%s", hex(64))
			}
			return fmt.Sprintf("  url: postgres://app:${DB_PASS}@db%d:5432/app", r.IntN(9))
		}},
		{"var/log/app%d.log", func(i int) string {
			return fmt.Sprintf("2024-05-%02d 12:%02d:%02d INFO %s %s from 10.0.%d.%d: GET https://api.acme-iot.com/%s?id=%s 200",
				r.IntN(28)+1, r.IntN(60), r.IntN(60), word(), word(), r.IntN(255), r.IntN(255), word(), hex(12))
		}},
		{"docs/guide%d.md", func(i int) string {
			switch {
			case i%5 == 0:
				return fmt.Sprintf("## The %s %s", word(), word())
			case i%20 == 1:
				return fmt.Sprintf("Set the %s in `config.yaml`; it is sent in the Authorization header (see https://docs.acme-iot.com/%s). AWS keys look like AKIA..., tokens like ghp_....", word(), word())
			}
			return fmt.Sprintf("The %s keeps the %s of each %s until the %s is written; see https://docs.acme-iot.com/%s/%s.", word(), word(), word(), word(), word(), word())
		}},
		{"www/static/app%d.min.js", func(i int) string {
			var b strings.Builder
			for j := 0; j < 20; j++ {
				fmt.Fprintf(&b, `function %s%d(e){return e.%s?e.key-1:"%s"};`, word(), j, word(), hex(8))
			}
			return b.String()
		}},
	}
	planted := []string{
		"GITHUB_TOKEN=" + ghToken,
		"STRIPE_KEY=" + stripeLive,
		"aws_access_key_id = " + awsKeyID,
		"DB_PASSWORD=" + strongPass,
		"SLACK=" + slackBot,
	}
	var total int64
	per := size / 64
	for f := 0; f < 64; f++ {
		g := gens[f%len(gens)]
		name := fmt.Sprintf(g.name, f)
		var b strings.Builder
		for i := 0; b.Len() < per; i++ {
			b.WriteString(g.line(i))
			b.WriteByte('\n')
			if i == 3 && f < len(planted)*3 && f%3 == 0 {
				b.WriteString(planted[f/3] + "\n")
			}
		}
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			tb.Fatal(err)
		}
		total += int64(b.Len())
	}
	return total
}

// TestCorpusFindings checks the benchmark's corpus: the planted secrets are
// found and the realistic noise around them stays quiet, so the benchmark
// measures a precise scan, not a noisy one.
func TestCorpusFindings(t *testing.T) {
	dir := t.TempDir()
	writeCorpus(t, dir, 1<<20)
	rep := analyzertest.ScanPath(t, []*analyzer.Analyzer{builtinAnalyzer(t)}, dir)
	got := map[string]int{}
	for _, f := range rep.Findings {
		got[f.Rule]++
	}
	want := map[string]int{"DM-SEC-003": 1, "DM-SEC-008": 1, "DM-SEC-001": 1, "DM-SEC-006": 1}
	for rule, n := range want {
		if got[rule] != n {
			t.Errorf("%s: %d findings, want %d", rule, got[rule], n)
		}
	}
	if len(rep.Findings) != len(want) {
		var lines []string
		for _, f := range rep.Findings {
			lines = append(lines, f.Rule+" "+f.Location.Path+": "+f.Evidence)
		}
		t.Errorf("findings:\n%s", strings.Join(lines, "\n"))
	}
}
