package report

import (
	"github.com/doorman-sec/doorman/internal/units"
	"reflect"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/finding"
)

func TestVisible(t *testing.T) {
	tests := []struct {
		in   string
		keep bool
		want string
	}{
		{"plain text, ünïcödé & 日本", false, "plain text, ünïcödé & 日本"},
		{"a\x1b[31mred", false, `a\x1b[31mred`},
		{"tab\there", false, `tab\there`},
		{"two\nlines\r\n", true, "two\nlines\\r\n"},
		{"two\nlines", false, `two\nlines`},
		{"bidi \u202e override \u2066 isolate", false, `bidi \u202e override \u2066 isolate`},
		{"zero\u200bwidth\ufeff", false, `zero\u200bwidth\ufeff`},
		{"c1 \u0085 del \x7f", false, `c1 \u0085 del \x7f`},
		{"bad \xff\xfe utf8", false, `bad \xff\xfe utf8`},
		{"tag \U000e0041", false, `tag \U000e0041`},
		{"nbsp\u00a0here", false, `nbsp\u00a0here`},
	}
	for _, tt := range tests {
		if got := visible(tt.in, tt.keep); got != tt.want {
			t.Errorf("visible(%q, %v) = %q, want %q", tt.in, tt.keep, got, tt.want)
		}
	}
}

func TestHumanBytes(t *testing.T) {
	tests := map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 41230011: "39.3 MiB", 1 << 30: "1.0 GiB", 1 << 62: "4.0 EiB"}
	for in, want := range tests {
		if got := units.Bytes(in); got != want {
			t.Errorf("units.Bytes(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestHumanDuration(t *testing.T) {
	tests := map[int64]string{0: "0 ms", 812: "812 ms", 12_345: "12.3 s", 125_000: "2 min 05 s", 3_720_000: "1 h 02 min"}
	for in, want := range tests {
		if got := humanDuration(in); got != want {
			t.Errorf("humanDuration(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestHumanInt(t *testing.T) {
	tests := map[int64]string{0: "0", 999: "999", 1000: "1,000", 1532: "1,532", 1234567: "1,234,567", -1234: "-1,234"}
	for in, want := range tests {
		if got := humanInt(in); got != want {
			t.Errorf("humanInt(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  []string
	}{
		{"", 10, []string{""}},
		{"short", 10, []string{"short"}},
		{"the quick brown fox jumps", 10, []string{"the quick", "brown fox", "jumps"}},
		{"abcdefghijklmnopqrstuvwxyz", 10, []string{"abcdefghij", "klmnopqrst", "uvwxyz"}},
		{"ab cdefghijklmnop", 10, []string{"ab", "cdefghijkl", "mnop"}},
		{"one\ntwo three", 10, []string{"one", "two three"}},
		{"héllo wörld ünïcode", 11, []string{"héllo wörld", "ünïcode"}},
	}
	for _, tt := range tests {
		if got := wrap(tt.in, tt.width); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("wrap(%q, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
		}
	}
}

func TestCategoryExplanation(t *testing.T) {
	seen := map[string]finding.Category{}
	for _, c := range finding.Categories {
		e, ok := categoryExplanations[c]
		if !ok {
			t.Errorf("category %s has no explanation", c)
			continue
		}
		if !strings.HasSuffix(e, ".") || strings.Count(e, ". ") > 0 || len(e) > 160 {
			t.Errorf("category %s: want one short sentence, got %q", c, e)
		}
		if other, dup := seen[e]; dup {
			t.Errorf("categories %s and %s share an explanation", c, other)
		}
		seen[e] = c
		if CategoryExplanation(c) != e {
			t.Errorf("CategoryExplanation(%s) differs from the table", c)
		}
	}
	if len(categoryExplanations) != len(finding.Categories) {
		t.Errorf("%d explanations for %d categories", len(categoryExplanations), len(finding.Categories))
	}
	if CategoryExplanation("brand-new-category") == "" {
		t.Error("no fallback for an unknown category")
	}
	for _, s := range severities {
		if severityExplanation(s) == "" {
			t.Errorf("severity %s has no explanation", s)
		}
	}
}
