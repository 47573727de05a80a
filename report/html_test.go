package report

import (
	"fmt"
	"github.com/doorman-sec/doorman/internal/units"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/doorman-sec/doorman/finding"
)

// urlAttr finds every attribute value that can make a browser fetch or
// navigate: src, href and their rarer cousins.
var urlAttr = regexp.MustCompile(`(?i)\b(src|href|srcset|action|formaction|poster|data|background)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))`)

// webRefs returns the findings' references that may become links.
func webRefs(r *finding.Report) map[string]bool {
	refs := map[string]bool{}
	for _, fs := range [][]finding.Finding{r.Findings, r.Removed} {
		for _, f := range fs {
			for _, ref := range f.References {
				if isWebURL(ref) {
					refs[ref] = true
				}
			}
		}
	}
	return refs
}

// TestHTMLSelfContained checks that the page fetches nothing: no external
// script, stylesheet, image, frame or font, and no http(s) src/href other
// than the findings' own references shown as links.
func TestHTMLSelfContained(t *testing.T) {
	for name, r := range map[string]*finding.Report{"empty": emptyReport(), "rich": richReport(), "diff": diffReport()} {
		t.Run(name, func(t *testing.T) {
			out := render(t, "html", r, Options{})
			refs := webRefs(r)
			links := 0
			for _, m := range urlAttr.FindAllStringSubmatch(out, -1) {
				v := html.UnescapeString(m[2] + m[3] + m[4])
				if !strings.EqualFold(m[1], "href") {
					t.Errorf("%s attribute %q", m[1], v)
					continue
				}
				if strings.HasPrefix(v, "#") {
					continue // in-page anchor
				}
				if !refs[v] {
					t.Errorf("href %q is not a finding reference", v)
				}
				links++
			}
			if name == "rich" && links != len(refs) {
				t.Errorf("%d reference links, want %d", links, len(refs))
			}
			lower := strings.ToLower(out)
			for _, bad := range []string{"<script src", "<link", "<img", "<iframe", "<object", "<embed", "@import", "url(", "<base"} {
				if strings.Contains(lower, bad) {
					t.Errorf("page contains %q", bad)
				}
			}
			// The head (policy, style) names no remote resource at all.
			if head := between(t, lower, "<head>", "</head>"); strings.Contains(head, "http:") || strings.Contains(head, "https:") {
				t.Error("URL in the page head")
			}
			if n := strings.Count(lower, "<script"); n != 1 {
				t.Errorf("%d script elements, want the one inline script", n)
			}
		})
	}
}

func TestHTMLEscapes(t *testing.T) {
	out := render(t, "html", richReport(), Options{})
	if strings.Contains(out, "<script>alert(1)</script>") {
		t.Fatal("message HTML not escaped")
	}
	if !strings.Contains(out, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("escaped message missing")
	}
	// A javascript: reference is text, never a link.
	if strings.Contains(strings.ToLower(out), `href="javascript:`) {
		t.Error("javascript: reference became a link")
	}
	if !strings.Contains(out, "javascript:alert(document.cookie)") {
		t.Error("non-web reference not shown as text")
	}
	// Invisible characters in evidence are shown, not applied.
	if strings.Contains(out, "\u202e") || strings.Contains(out, "\x1b") {
		t.Error("raw bidi or escape character in the page")
	}
	if !strings.Contains(out, `/* \u202e } \u2066if (isAdmin)\u2069`) {
		t.Error("escaped bidi evidence missing")
	}
}

func TestHTMLRich(t *testing.T) {
	r := richReport()
	out := render(t, "html", r, Options{})
	for _, want := range []string{
		"<title>doorman report: router.bin, my firmware/app v2.tar.gz, src, /srv/build/out, a:b</title>",
		// Summary: badges, targets, work done.
		`<span class="badge s-critical">2 Critical</span>`,
		`<span class="badge s-medium">1 Medium</span>`,
		"sha256 9f2c5e0d7b1a4c3e8f6a2b9d0c1e7f3a5b8d2c4e6f0a1b3c5d7e9f2a4b6c8d0e",
		"1,532 files, 39.3 MiB in 812 ms",
		"doorman found 8 things worth a look (2 critical, 2 high, 1 medium, 2 low, 1 info)",
		// A finding with every part.
		"Account with a published default password",
		"<code>router.bin!/squashfs@0x1a0000!/etc/shadow:2</code>",
		"<code>DM-ACCT-002</code>, confidence high",
		`<a href="#cat-backdoor-account">backdoor-account</a>`,
		"<dd>CWE-798, CWE-1392</dd>",
		`<pre class="ev">admin:$1$…:0:0:99999:7:::</pre>`,
		`<a href="https://nvd.nist.gov/vuln/detail/CVE-2019-0001" rel="noopener noreferrer" target="_blank">`,
		"router.bin!/squashfs@0x1a0000!/usr/sbin/httpd (offset 0x4f2a)",
		// Filters and data attributes.
		`<input type="checkbox" value="critical" checked> Critical (2)`,
		`<input id="q" type="search"`,
		`data-sev="high"`,
		// Errors.
		"<h2>Not examined (2)</h2>",
		"<code>router.bin!/jffs2@0x7e0000!/var/log archive.tar</code>",
		"truncated image: 4096 of 65536 bytes",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q", want)
		}
	}
	if n := strings.Count(out, `<article class="f"`); n != len(r.Findings) {
		t.Errorf("%d findings shown, want %d", n, len(r.Findings))
	}
	// The search text holds path, title and rule, lower-cased.
	if !strings.Contains(out, "data-q=\"router.bin!/squashfs@0x1a0000!/etc/shadow\naccount with a published default password\ndm-acct-002\"") {
		t.Error("search text of a finding missing")
	}
	// Findings are grouped by severity, most urgent first.
	last := -1
	for _, s := range severities {
		i := strings.Index(out, `<section class="sev" data-sev="`+s.String()+`">`)
		if i < last {
			t.Errorf("severity %s out of order", s)
		}
		last = i
	}
}

// TestHTMLCategoryExplanations checks that the page explains exactly the
// categories present.
func TestHTMLCategoryExplanations(t *testing.T) {
	r := richReport()
	out := render(t, "html", r, Options{})
	present := map[finding.Category]bool{}
	for _, f := range r.Findings {
		present[f.Category] = true
	}
	for _, c := range finding.Categories {
		has := strings.Contains(out, html.EscapeString(CategoryExplanation(c)))
		if has != present[c] {
			t.Errorf("category %s: explained %v, present %v", c, has, present[c])
		}
	}
}

func TestHTMLEmpty(t *testing.T) {
	out := render(t, "html", emptyReport(), Options{})
	for _, want := range []string{
		`<p class="none">No findings.</p>`,
		"doorman found nothing that matches its checks for backdoors",
		"Everything was examined.",
		`<span class="badge s-critical zero">0 Critical</span>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q", want)
		}
	}
	if strings.Contains(out, `id="filters"`) {
		t.Error("filters shown with nothing to filter")
	}
}

func TestHTMLMinSeverityNote(t *testing.T) {
	r := emptyReport()
	r.Findings = []finding.Finding{{Rule: "L", Severity: finding.Low, Title: "low"}}
	out := render(t, "html", r, Options{MinSeverity: finding.High})
	if !strings.Contains(out, "Only findings at or above high are shown.") {
		t.Error("minimum severity not stated")
	}
}

func TestHTMLRemoved(t *testing.T) {
	out := render(t, "html", diffReport(), Options{})
	if !strings.Contains(out, "<h2>No longer present (1)</h2>") || !strings.Contains(out, "Old telnet service") {
		t.Error("removed findings not shown")
	}
}

// TestHTMLCSP checks that the Content-Security-Policy hashes match the
// inline style and script exactly; a mismatch would silently disable the
// page's style or filters in browsers.
func TestHTMLCSP(t *testing.T) {
	out := render(t, "html", richReport(), Options{})
	style := between(t, out, "<style>", "</style>")
	script := between(t, out, "<script>", "</script>")
	csp := html.UnescapeString(between(t, out, `<meta http-equiv="Content-Security-Policy" content="`, `">`))
	for _, want := range []string{"default-src 'none'", "style-src '" + cspHash(style) + "'", "script-src '" + cspHash(script) + "'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
}

// between returns the text between the first start and the next end.
func between(t *testing.T, s, start, end string) string {
	t.Helper()
	i := strings.Index(s, start)
	if i < 0 {
		t.Fatalf("%q not found", start)
	}
	s = s[i+len(start):]
	j := strings.Index(s, end)
	if j < 0 {
		t.Fatalf("%q not found after %q", end, start)
	}
	return s[:j]
}

// TestHTMLManyFindings renders 10 000 findings: the page must stay light
// (a few hundred bytes of markup per finding, no per-finding script) and
// quick to produce.
func TestHTMLManyFindings(t *testing.T) {
	const n = 10_000
	r := manyReport(n)
	start := time.Now()
	out := render(t, "html", r, Options{})
	elapsed := time.Since(start)
	if got := strings.Count(out, `<article class="f"`); got != n {
		t.Fatalf("%d findings rendered, want %d", got, n)
	}
	if per := len(out) / n; per > 1500 {
		t.Errorf("%d bytes per finding; the page is too heavy", per)
	}
	if strings.Count(out, "<script") != 1 {
		t.Error("per-finding scripts")
	}
	if elapsed > 20*time.Second {
		t.Errorf("rendering %d findings took %v", n, elapsed)
	}
	t.Logf("%d findings: %s in %v", n, units.Bytes(int64(len(out))), elapsed)
	if !strings.Contains(out, fmt.Sprintf("Findings (%d)", n)) {
		t.Error("total missing")
	}
}
