package report

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/finding"
)

func TestJSONRoundTrip(t *testing.T) {
	for name, mk := range map[string]func() *finding.Report{"rich": richReport, "diff": diffReport} {
		t.Run(name, func(t *testing.T) {
			in := mk()
			out := render(t, "json", in, Options{})
			var back finding.Report
			dec := json.NewDecoder(strings.NewReader(out))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&back); err != nil {
				t.Fatalf("output does not decode as a finding.Report: %v", err)
			}
			if !reflect.DeepEqual(&back, in) {
				t.Errorf("round trip differs:\n got %+v\nwant %+v", back, *in)
			}
		})
	}
}

func TestJSONEmptyArraysNotNull(t *testing.T) {
	out := render(t, "json", emptyReport(), Options{})
	for _, want := range []string{`"targets": []`, `"findings": []`, `"errors": []`, `"schema_version": 1`} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s in\n%s", want, out)
		}
	}
	if strings.Contains(out, "null") {
		t.Errorf("null in empty report:\n%s", out)
	}
	if strings.Contains(out, `"removed"`) || strings.Contains(out, `"inventory"`) {
		t.Errorf("optional fields present in a scan report without them:\n%s", out)
	}
}

func TestJSONLayout(t *testing.T) {
	out := render(t, "json", richReport(), Options{})
	if !strings.HasSuffix(out, "}\n") || strings.HasSuffix(out, "\n\n") {
		t.Error("want exactly one trailing newline")
	}
	if !strings.HasPrefix(out, "{\n  \"schema_version\": 1,\n  \"tool\": {\n    \"name\": \"doorman\",") {
		t.Errorf("not indented by two spaces in contract order:\n%.120s", out)
	}
	// The top-level keys come in the contract's order.
	last := -1
	for _, key := range []string{"schema_version", "tool", "command", "targets", "findings", "errors", "stats", "inventory"} {
		i := strings.Index(out, "\n  \""+key+"\":")
		if i < 0 {
			t.Fatalf("top-level key %q missing", key)
		}
		if i < last {
			t.Errorf("key %q out of contract order", key)
		}
		last = i
	}
	// Evidence stays readable: no \u0026 style escapes of & < >.
	if strings.Contains(out, `\u0026`) || !strings.Contains(out, "telnetd -l /bin/sh -p 23 &") {
		t.Error("HTML characters were escaped in evidence")
	}
	// Control characters in evidence are JSON-escaped, never raw.
	if strings.Contains(out, "\x1b") || !strings.Contains(out, `\u001b[31m`) {
		t.Error("terminal escape in evidence not JSON-escaped")
	}
	if !json.Valid([]byte(out)) {
		t.Error("invalid JSON")
	}
}

func TestJSONMinSeverityKeepsArrays(t *testing.T) {
	r := richReport()
	out := render(t, "json", r, Options{MinSeverity: finding.Critical})
	var back finding.Report
	if err := json.Unmarshal([]byte(out), &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Findings) != 2 {
		t.Errorf("%d findings at critical, want 2", len(back.Findings))
	}
	r2 := emptyReport()
	r2.Findings = []finding.Finding{{Rule: "L", Severity: finding.Low}}
	out = render(t, "json", r2, Options{MinSeverity: finding.Critical})
	if !strings.Contains(out, `"findings": []`) {
		t.Errorf("all findings filtered should give an empty array:\n%s", out)
	}
}

func TestJSONStable(t *testing.T) {
	// Inventory is a map: its keys must come out sorted every time.
	r := richReport()
	r.Inventory = map[string]any{}
	for _, k := range []string{"zeta", "alpha", "mu", "beta", "omega", "kappa"} {
		r.Inventory[k] = k
	}
	first := render(t, "json", r, Options{})
	for i := 0; i < 20; i++ {
		if got := render(t, "json", r, Options{}); got != first {
			t.Fatal("JSON output not stable")
		}
	}
	if bytes.Index([]byte(first), []byte(`"alpha"`)) > bytes.Index([]byte(first), []byte(`"zeta"`)) {
		t.Error("inventory keys not sorted")
	}
}
