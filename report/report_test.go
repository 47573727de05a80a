package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/finding"
)

// render writes r in format and fails the test on error.
func render(t testing.TB, format string, r *finding.Report, opt Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, format, r, opt); err != nil {
		t.Fatalf("Write(%s): %v", format, err)
	}
	return buf.String()
}

func TestFormats(t *testing.T) {
	want := []string{"text", "json", "sarif", "html"}
	if got := Formats(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Formats() = %v, want %v", got, want)
	}
	// The caller must not be able to change the package's list.
	Formats()[0] = "mangled"
	if Formats()[0] != "text" {
		t.Fatal("Formats returned the package's own slice")
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	var buf bytes.Buffer
	err := Write(&buf, "xml", richReport(), Options{})
	if err == nil {
		t.Fatal("unknown format accepted")
	}
	for _, name := range append(Formats(), `"xml"`) {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not name %s", err, name)
		}
	}
	if buf.Len() != 0 {
		t.Errorf("unknown format wrote %d bytes", buf.Len())
	}
}

func TestWriteFormatNameIsCaseInsensitive(t *testing.T) {
	if got := render(t, " JSON ", emptyReport(), Options{}); !strings.HasPrefix(got, "{") {
		t.Fatalf("JSON format not selected: %q", got)
	}
}

func TestWriteNilReport(t *testing.T) {
	if err := Write(&bytes.Buffer{}, "text", nil, Options{}); err == nil {
		t.Fatal("nil report accepted")
	}
}

// failWriter fails every write.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWritePropagatesWriterError(t *testing.T) {
	for _, f := range Formats() {
		if err := Write(failWriter{}, f, richReport(), Options{}); err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("%s: error = %v, want the writer's error", f, err)
		}
	}
}

// TestEveryFormat runs the properties every format must have over an empty
// and a rich report: it renders, the output is deterministic, and the
// caller's report is left untouched.
func TestEveryFormat(t *testing.T) {
	reports := map[string]func() *finding.Report{
		"empty": emptyReport,
		"rich":  richReport,
		"diff":  diffReport,
	}
	for _, format := range Formats() {
		for name, mk := range reports {
			for _, opt := range []Options{{}, {Color: true}, {MinSeverity: finding.High}} {
				t.Run(format+"/"+name, func(t *testing.T) {
					r := mk()
					before, err := json.Marshal(r)
					if err != nil {
						t.Fatal(err)
					}
					first := render(t, format, r, opt)
					if first == "" {
						t.Fatal("empty output")
					}
					if !strings.HasSuffix(first, "\n") {
						t.Error("output does not end with a newline")
					}
					// Render again, and again from a fresh copy: the
					// bytes must not depend on anything but the report.
					if second := render(t, format, r, opt); second != first {
						t.Error("two renders of the same report differ")
					}
					if third := render(t, format, mk(), opt); third != first {
						t.Error("renders of equal reports differ")
					}
					after, _ := json.Marshal(r)
					if !bytes.Equal(before, after) {
						t.Error("Write modified the caller's report")
					}
				})
			}
		}
	}
}

// TestMinSeverityEveryFormat checks that findings below MinSeverity are
// gone from every format while those at or above stay.
func TestMinSeverityEveryFormat(t *testing.T) {
	for _, format := range Formats() {
		t.Run(format, func(t *testing.T) {
			out := render(t, format, richReport(), Options{MinSeverity: finding.High})
			for _, rule := range []string{"DM-ACCT-002", "DM-SVC-001", "DM-RCE-004"} {
				if !strings.Contains(out, rule) {
					t.Errorf("%s (at or above high) missing", rule)
				}
			}
			for _, rule := range []string{"DM-TRIG-003", "DM-DL-001", "DM-TS-001", "DM-INFO-001"} {
				if strings.Contains(out, rule) {
					t.Errorf("%s (below high) still reported", rule)
				}
			}
		})
	}
}

func TestPrepare(t *testing.T) {
	r := emptyReport()
	r.SchemaVersion = 0
	p := prepare(r, 0)
	if p.Targets == nil || p.Findings == nil || p.Errors == nil {
		t.Fatal("prepare left a contract array nil")
	}
	if p.Removed != nil {
		t.Error("prepare invented a removed list")
	}
	if p.SchemaVersion != finding.SchemaVersion {
		t.Errorf("schema version %d, want %d", p.SchemaVersion, finding.SchemaVersion)
	}

	rich := richReport()
	p = prepare(rich, finding.Medium)
	if len(p.Findings) != 5 {
		t.Errorf("kept %d findings at or above medium, want 5", len(p.Findings))
	}
	p.Findings[0].Title = "changed"
	p.Errors[0].Path = "changed"
	if rich.Findings[0].Title == "changed" || rich.Errors[0].Path == "changed" {
		t.Error("prepare aliases the caller's slices")
	}
}

func TestGroupOrder(t *testing.T) {
	fs := richReport().Findings
	fs = append(fs, finding.Finding{Rule: "X", Severity: 0, Location: finding.Location{Path: "z"}})
	groups := group(fs)
	var got []finding.Severity
	total := 0
	for _, g := range groups {
		got = append(got, g.Severity)
		for i := 1; i < len(g.Paths); i++ {
			if g.Paths[i-1].Path >= g.Paths[i].Path {
				t.Errorf("%s: paths out of order: %q before %q", g.Severity, g.Paths[i-1].Path, g.Paths[i].Path)
			}
		}
		for _, p := range g.Paths {
			total += len(p.Findings)
		}
	}
	want := []finding.Severity{finding.Critical, finding.High, finding.Medium, finding.Low, finding.Info, 0}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("severity order %v, want %v (invalid last)", got, want)
	}
	if total != len(fs) {
		t.Errorf("grouped %d findings, want %d", total, len(fs))
	}
}

func TestLocationString(t *testing.T) {
	tests := []struct {
		loc  finding.Location
		want string
	}{
		{finding.Location{Path: "a!/b"}, "a!/b"},
		{finding.Location{Path: "a!/b", Line: 3}, "a!/b:3"},
		{finding.Location{Path: "a!/b", Line: 3, Column: 9}, "a!/b:3:9"},
		{finding.Location{Path: "a!/b", Offset: off(416)}, "a!/b (offset 0x1a0)"},
		{finding.Location{Path: "a!/b", Line: 2, Offset: off(416)}, "a!/b:2"},
		{finding.Location{Target: "t.bin"}, "t.bin"},
	}
	for _, tt := range tests {
		if got := locationString(tt.loc); got != tt.want {
			t.Errorf("locationString(%+v) = %q, want %q", tt.loc, got, tt.want)
		}
	}
}

func TestIsWebURL(t *testing.T) {
	tests := map[string]bool{
		"https://nvd.nist.gov/vuln/detail/CVE-2019-0001": true,
		"http://example.com/x?y=1#z":                     true,
		"HTTPS://EXAMPLE.COM/":                           true,
		"javascript:alert(1)":                            false,
		"CVE-2021-42574":                                 false,
		"https://":                                       false,
		"https://exa mple.com/":                          false,
		"https://example.com/\"onmouseover=x":            false,
		"https://example.com/\u202efdp.exe":              false,
		"ftp://example.com/":                             false,
		"//example.com/":                                 false,
	}
	for in, want := range tests {
		if got := isWebURL(in); got != want {
			t.Errorf("isWebURL(%q) = %v, want %v", in, got, want)
		}
	}
}
