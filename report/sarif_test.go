package report

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/doorman-sec/doorman/finding"
)

// sarifLog is the part of a SARIF log the tests look at.
type sarifLog struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name           string `json:"name"`
				Version        string `json:"version"`
				InformationURI string `json:"informationUri"`
				Rules          []struct {
					ID               string `json:"id"`
					Name             string `json:"name"`
					ShortDescription struct {
						Text string `json:"text"`
					} `json:"shortDescription"`
					FullDescription struct {
						Text string `json:"text"`
					} `json:"fullDescription"`
					Help struct {
						Text string `json:"text"`
					} `json:"help"`
					HelpURI    string         `json:"helpUri"`
					Properties map[string]any `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Invocations []struct {
			ExecutionSuccessful        bool `json:"executionSuccessful"`
			ToolExecutionNotifications []struct {
				Level   string `json:"level"`
				Message struct {
					Text string `json:"text"`
				} `json:"message"`
				Locations []sarifTestLocation `json:"locations"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		Results []struct {
			RuleID              string                `json:"ruleId"`
			RuleIndex           *int                  `json:"ruleIndex"`
			Level               string                `json:"level"`
			Message             struct{ Text string } `json:"message"`
			Locations           []sarifTestLocation   `json:"locations"`
			PartialFingerprints map[string]string     `json:"partialFingerprints"`
			Properties          map[string]any        `json:"properties"`
		} `json:"results"`
		Properties map[string]any `json:"properties"`
	} `json:"runs"`
}

type sarifTestLocation struct {
	PhysicalLocation struct {
		ArtifactLocation struct {
			URI string `json:"uri"`
		} `json:"artifactLocation"`
		Region *struct {
			StartLine   int    `json:"startLine"`
			StartColumn int    `json:"startColumn"`
			ByteOffset  *int64 `json:"byteOffset"`
		} `json:"region"`
	} `json:"physicalLocation"`
}

// decodeSARIF renders r as SARIF and decodes it.
func decodeSARIF(t *testing.T, r *finding.Report, opt Options) (sarifLog, string) {
	t.Helper()
	out := render(t, "sarif", r, opt)
	var log sarifLog
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatalf("SARIF does not decode: %v\n%s", err, out)
	}
	return log, out
}

func TestSARIFRich(t *testing.T) {
	r := richReport()
	log, out := decodeSARIF(t, r, Options{})
	if log.Version != "2.1.0" || log.Schema != sarifSchema || len(log.Runs) != 1 {
		t.Fatalf("version %q schema %q runs %d", log.Version, log.Schema, len(log.Runs))
	}
	run := log.Runs[0]
	d := run.Tool.Driver
	if d.Name != "doorman" || d.Version != "0.3.0" || d.InformationURI != informationURI {
		t.Errorf("driver %q %q %q", d.Name, d.Version, d.InformationURI)
	}

	// One rule per distinct id, sorted.
	wantRules := []string{"DM-ACCT-002", "DM-DL-001", "DM-INFO-001", "DM-RCE-004", "DM-SVC-001", "DM-TRIG-003", "DM-TS-001"}
	if len(d.Rules) != len(wantRules) {
		t.Fatalf("%d rules, want %d", len(d.Rules), len(wantRules))
	}
	rules := map[string]int{}
	for i, rule := range d.Rules {
		if rule.ID != wantRules[i] {
			t.Errorf("rule %d is %q, want %q", i, rule.ID, wantRules[i])
		}
		rules[rule.ID] = i
		if strings.ContainsAny(rule.Name, " -") || rule.Name == "" {
			t.Errorf("rule %s name %q is not an identifier", rule.ID, rule.Name)
		}
		if rule.ShortDescription.Text == "" || rule.FullDescription.Text == "" || rule.Help.Text == "" {
			t.Errorf("rule %s lacks descriptions", rule.ID)
		}
	}
	acct := d.Rules[rules["DM-ACCT-002"]]
	if acct.ShortDescription.Text != "Account with a published default password" || acct.Name != "AccountWithAPublishedDefaultPassword" {
		t.Errorf("DM-ACCT-002 title %q name %q", acct.ShortDescription.Text, acct.Name)
	}
	if acct.HelpURI != "https://nvd.nist.gov/vuln/detail/CVE-2019-0001" {
		t.Errorf("helpUri %q", acct.HelpURI)
	}
	if acct.Properties["category"] != "backdoor-account" || acct.Properties["security-severity"] != "9.5" {
		t.Errorf("DM-ACCT-002 properties %v", acct.Properties)
	}
	tags, _ := acct.Properties["tags"].([]any)
	for _, want := range []string{"security", "CWE-798", "CWE-1392"} {
		found := false
		for _, tag := range tags {
			found = found || tag == want
		}
		if !found {
			t.Errorf("DM-ACCT-002 tags %v lack %s (CWEs from every finding of the rule)", tags, want)
		}
	}
	// A "javascript:" reference is never a helpUri; the next web one is.
	if got := d.Rules[rules["DM-RCE-004"]].HelpURI; got != "https://cwe.mitre.org/data/definitions/78.html" {
		t.Errorf("DM-RCE-004 helpUri %q", got)
	}
	if got := d.Rules[rules["DM-INFO-001"]].HelpURI; got != "" {
		t.Errorf("DM-INFO-001 has no references but helpUri %q", got)
	}
	for id, want := range map[string]string{"DM-SVC-001": "8.0", "DM-TRIG-003": "5.5", "DM-DL-001": "3.0", "DM-INFO-001": "0.0"} {
		if got := d.Rules[rules[id]].Properties["security-severity"]; got != want {
			t.Errorf("%s security-severity %v, want %s", id, got, want)
		}
	}

	// Results.
	if len(run.Results) != len(r.Findings) {
		t.Fatalf("%d results, want %d", len(run.Results), len(r.Findings))
	}
	byFingerprint := map[string]finding.Finding{}
	for _, f := range r.Findings {
		byFingerprint[f.ID] = f
	}
	levels := map[finding.Severity]string{finding.Critical: "error", finding.High: "error", finding.Medium: "warning", finding.Low: "note", finding.Info: "note"}
	for _, res := range run.Results {
		f, ok := byFingerprint[res.PartialFingerprints[fingerprintKey]]
		if !ok {
			t.Errorf("result %s: fingerprint %v matches no finding", res.RuleID, res.PartialFingerprints)
			continue
		}
		if res.RuleID != f.Rule || res.RuleIndex == nil || d.Rules[*res.RuleIndex].ID != f.Rule {
			t.Errorf("result %s: ruleIndex does not point at its rule", f.Rule)
		}
		if res.Level != levels[f.Severity] {
			t.Errorf("%s: level %q for %s", f.Rule, res.Level, f.Severity)
		}
		if res.Message.Text != f.Message {
			t.Errorf("%s: message %q", f.Rule, res.Message.Text)
		}
		if res.Properties["category"] != string(f.Category) || res.Properties["confidence"] != string(f.Confidence) ||
			res.Properties["evidence"] != f.Evidence || res.Properties["severity"] != f.Severity.String() {
			t.Errorf("%s: properties %v", f.Rule, res.Properties)
		}
		if len(res.Locations) != 1 {
			t.Errorf("%s: %d locations", f.Rule, len(res.Locations))
			continue
		}
		pl := res.Locations[0].PhysicalLocation
		if pl.ArtifactLocation.URI != artifactURI(f.Location.Path) {
			t.Errorf("%s: uri %q", f.Rule, pl.ArtifactLocation.URI)
		}
		switch {
		case f.Location.Line > 0:
			if pl.Region == nil || pl.Region.StartLine != f.Location.Line || pl.Region.StartColumn != f.Location.Column || pl.Region.ByteOffset != nil {
				t.Errorf("%s: region %+v for line %d column %d", f.Rule, pl.Region, f.Location.Line, f.Location.Column)
			}
		case f.Location.Offset != nil:
			if pl.Region == nil || pl.Region.StartLine != 0 || pl.Region.ByteOffset == nil || *pl.Region.ByteOffset != *f.Location.Offset {
				t.Errorf("%s: region %+v for offset %d", f.Rule, pl.Region, *f.Location.Offset)
			}
		default:
			if pl.Region != nil {
				t.Errorf("%s: region without a position", f.Rule)
			}
		}
	}
	// Results come most urgent first.
	if run.Results[0].Level != "error" || run.Results[len(run.Results)-1].RuleID != "DM-INFO-001" {
		t.Error("results not in urgency order")
	}

	// Errors are notifications of a successful run.
	if len(run.Invocations) != 1 || !run.Invocations[0].ExecutionSuccessful {
		t.Fatalf("invocations %+v", run.Invocations)
	}
	notes := run.Invocations[0].ToolExecutionNotifications
	if len(notes) != len(r.Errors) {
		t.Fatalf("%d notifications, want %d", len(notes), len(r.Errors))
	}
	if notes[0].Level != "warning" || !strings.Contains(notes[0].Message.Text, r.Errors[0].Error) ||
		notes[0].Locations[0].PhysicalLocation.ArtifactLocation.URI != "router.bin!/jffs2@0x7e0000!/var/log%20archive.tar" {
		t.Errorf("notification %+v", notes[0])
	}

	// The library's sentinel noise is gone.
	for _, noise := range []string{`"index": -1`, `"rank": -1`, `"charOffset": -1`, `"byteOffset": -1`, `: []`, `: {}`} {
		if strings.Contains(out, noise) {
			t.Errorf("output contains %s", noise)
		}
	}
	if strings.Contains(out, `\u003c`) || strings.Contains(out, `\u0026`) {
		t.Error("HTML characters escaped in SARIF strings")
	}
}

func TestSARIFEmpty(t *testing.T) {
	log, out := decodeSARIF(t, emptyReport(), Options{})
	if len(log.Runs) != 1 || log.Runs[0].Tool.Driver.Name != "doorman" {
		t.Fatalf("bad empty log:\n%s", out)
	}
	// An actual scan must carry a results array, even an empty one.
	if !strings.Contains(out, `"results": []`) {
		t.Errorf("empty results array missing:\n%s", out)
	}
	if !log.Runs[0].Invocations[0].ExecutionSuccessful {
		t.Error("empty scan not successful")
	}
}

func TestSARIFMissingIDAndRule(t *testing.T) {
	r := emptyReport()
	r.Findings = []finding.Finding{{Severity: finding.High, Location: finding.Location{Target: "t.bin"}, Evidence: "x"}}
	log, _ := decodeSARIF(t, r, Options{})
	res := log.Runs[0].Results[0]
	if res.RuleID != "unknown" || log.Runs[0].Tool.Driver.Rules[0].ID != "unknown" {
		t.Errorf("rule id %q", res.RuleID)
	}
	if want := finding.Fingerprint("", "", "x"); res.PartialFingerprints[fingerprintKey] != want {
		t.Errorf("fingerprint %q, want computed %q", res.PartialFingerprints[fingerprintKey], want)
	}
	if res.Message.Text == "" {
		t.Error("empty message")
	}
	if res.Locations[0].PhysicalLocation.ArtifactLocation.URI != "t.bin" {
		t.Error("location without path does not fall back to the target")
	}
}

// TestSARIFSchema checks the log against the SARIF 2.1.0 JSON schema
// bundled with go-sarif. It always runs; TestSARIFValidator adds
// Microsoft's stricter checks where that tool is installed. The schema
// check runs on the log before compaction, because go-sarif validates its
// own model and reads absent arrays back as null; compaction only drops
// empty arrays and objects and -1 sentinels, all optional in the schema.
func TestSARIFSchema(t *testing.T) {
	for name, r := range map[string]*finding.Report{"empty": emptyReport(), "rich": richReport(), "diff": diffReport()} {
		p := prepare(r, 0)
		if err := buildSARIF(&p).Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestArtifactURI(t *testing.T) {
	tests := []struct{ in, want string }{
		{"router.bin!/squashfs@0x1a0000!/etc/shadow", "router.bin!/squashfs@0x1a0000!/etc/shadow"},
		{"my firmware/app v2.tar.gz!/data.bin", "my%20firmware/app%20v2.tar.gz!/data.bin"},
		{"src/données #1/50% off?.c", "src/donn%C3%A9es%20%231/50%25%20off%3F.c"},
		{"/srv/build/out/a.cgi", "file:///srv/build/out/a.cgi"},
		{"//server/share/x", "file:////server/share/x"},
		{"a:b/c:d", "a%3Ab/c:d"},
		{`C:\fw\boot.img`, "C%3A%5Cfw%5Cboot.img"},
		{"./x/[1]{2}|^`\"<>.txt", "./x/%5B1%5D%7B2%7D%7C%5E%60%22%3C%3E.txt"},
		{"a\x00b\n", "a%00b%0A"},
		{"keep-._~!$&'()*+,;=@", "keep-._~!$&'()*+,;=@"},
	}
	for _, tt := range tests {
		got := artifactURI(tt.in)
		if got != tt.want {
			t.Errorf("artifactURI(%q) = %q, want %q", tt.in, got, tt.want)
		}
		// Every result must parse as a URI reference and decode back to
		// the path (the file:// prefix aside).
		u, err := url.Parse(got)
		if err != nil {
			t.Errorf("artifactURI(%q) = %q does not parse: %v", tt.in, got, err)
			continue
		}
		if u.Scheme != "" && u.Scheme != "file" {
			t.Errorf("artifactURI(%q) = %q reads as scheme %q", tt.in, got, u.Scheme)
		}
		if dec, _ := url.PathUnescape(strings.TrimPrefix(got, "file://")); dec != tt.in {
			t.Errorf("artifactURI(%q) decodes to %q", tt.in, dec)
		}
	}
}

func TestSecuritySeverity(t *testing.T) {
	want := map[finding.Severity]string{finding.Critical: "9.5", finding.High: "8.0", finding.Medium: "5.5", finding.Low: "3.0", finding.Info: "0.0"}
	for s, w := range want {
		if got := securitySeverity(s); got != w {
			t.Errorf("securitySeverity(%s) = %s, want %s", s, got, w)
		}
	}
}

func TestCompactSARIFKeepsInformation(t *testing.T) {
	in := `{"b":[],"a":{"index":-1,"id":"x","n":-1,"results":[],"o":{},"f":1.50,"s":"<&>"}}`
	got, err := compactSARIF([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"a\": {\n    \"id\": \"x\",\n    \"n\": -1,\n    \"results\": [],\n    \"f\": 1.50,\n    \"s\": \"<&>\"\n  }\n}\n"
	if string(got) != want {
		t.Errorf("compactSARIF\n got %s\nwant %s", got, want)
	}
}

// findValidator returns the path of Microsoft's sarif-multitool: the
// SARIF_MULTITOOL variable (the tool itself, or a directory holding
// node_modules/.bin/sarif-multitool, as "npm install --prefix DIR" makes),
// then PATH.
func findValidator() (string, bool) {
	if dir := os.Getenv("SARIF_MULTITOOL"); dir != "" {
		for _, p := range []string{dir, filepath.Join(dir, "node_modules", ".bin", "sarif-multitool")} {
			if st, err := os.Stat(p); err == nil && !st.IsDir() {
				return p, true
			}
		}
	}
	p, err := exec.LookPath("sarif-multitool")
	return p, err == nil
}

// TestSARIFValidator writes the SARIF of a rich report (nested paths with
// spaces and "!/", lines, columns, offsets, several rules, errors), of an
// empty one and of a diff, and runs Microsoft's validator on them, in one
// run because the tool takes seconds to start. It needs sarif-multitool
// (npm package @microsoft/sarif-multitool); without it the test is skipped,
// except in CI (CI=true), where it fails.
func TestSARIFValidator(t *testing.T) {
	tool, ok := findValidator()
	if !ok {
		msg := "sarif-multitool not found on PATH or under $SARIF_MULTITOOL; install it with: " +
			"npm install --prefix DIR @microsoft/sarif-multitool@5.7.0 and set SARIF_MULTITOOL=DIR"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	dir := t.TempDir()
	args := []string{"validate", "-o", filepath.Join(dir, "validation.sarif")}
	for name, r := range map[string]*finding.Report{"rich": richReport(), "empty": emptyReport(), "diff": diffReport()} {
		in := filepath.Join(dir, name+".sarif")
		if err := os.WriteFile(in, []byte(render(t, "sarif", r, Options{})), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, in)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	console, err := exec.CommandContext(ctx, tool, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("validator failed (exit status or start): %v\n%s", err, console)
	}
	// The validator exits 0 even when it reports errors, so read its
	// console output and its own SARIF log.
	if !strings.Contains(string(console), "3 files scanned") {
		t.Errorf("validator did not scan the 3 files:\n%s", console)
	}
	for _, l := range strings.Split(string(console), "\n") {
		if strings.Contains(l, ": error ") {
			t.Errorf("validator: %s", l)
		}
	}
	raw, err := os.ReadFile(filepath.Join(dir, "validation.sarif"))
	if err != nil {
		t.Fatalf("validator wrote no log: %v\n%s", err, console)
	}
	var vlog struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						DefaultConfiguration struct {
							Level string `json:"level"`
						} `json:"defaultConfiguration"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex *int   `json:"ruleIndex"`
				Level     string `json:"level"`
				Message   struct {
					Text      string   `json:"text"`
					Arguments []string `json:"arguments"`
				} `json:"message"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(raw, &vlog); err != nil {
		t.Fatalf("validator log: %v", err)
	}
	for _, run := range vlog.Runs {
		for _, res := range run.Results {
			// A result without a level takes its rule's default, and
			// "warning" when that is unset too (SARIF §3.27.10).
			level := res.Level
			if level == "" && res.RuleIndex != nil && *res.RuleIndex < len(run.Tool.Driver.Rules) {
				level = run.Tool.Driver.Rules[*res.RuleIndex].DefaultConfiguration.Level
			}
			if level == "" {
				level = "warning"
			}
			if level == "error" {
				t.Errorf("validator error %s: %s %v", res.RuleID, res.Message.Text, res.Message.Arguments)
			} else {
				t.Logf("validator %s %s: %s %v", level, res.RuleID, res.Message.Text, res.Message.Arguments)
			}
		}
	}
}
