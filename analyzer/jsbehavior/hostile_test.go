package jsbehavior

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/doorman-sec/doorman/finding"
)

// bundle builds a minified, webpack-like bundle of about n bytes: many
// small modules, calls, regexes, templates and encoded data, all benign.
func bundle(n int) string {
	var b strings.Builder
	b.WriteString("!function(e){var t={};function n(r){if(t[r])return t[r].exports;var o=t[r]={i:r,l:!1,exports:{}};return e[r].call(o.exports,o,o.exports,n),o.l=!0,o.exports}n(0)}([")
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, `function(e,t,n){"use strict";var r=n(%d),o=/a\/b[%d]/g.test(r)?r/2:r;t.f%d=function(a,b){if(a.x===%d&&Date.now()-b>1e3){return fetch("/api/"+a.id,{method:"POST",body:JSON.stringify({v:o})}).then(function(x){return x.json()})}return`+"`${a}-%d`"+`};var d="aGVsbG8gd29ybGQ=";t.g%d=function(){return atob(d)+e%%3}},`, i%50, i, i, i, i, i)
	}
	b.WriteString("function(e,t){}]);")
	return b.String()
}

// TestMinifiedBundle: a 3 MB minified bundle is analysed quickly and
// raises nothing.
func TestMinifiedBundle(t *testing.T) {
	src := bundle(3 << 20)
	start := time.Now()
	got := analyze([]byte(src))
	d := time.Since(start)
	t.Logf("%d bytes in %v", len(src), d)
	if d > 6*time.Second { // about 1 s of CPU; generous for a shared machine
		t.Errorf("3 MB bundle took %v", d)
	}
	for _, f := range got {
		if rules[f.rule].severity >= finding.Medium {
			t.Errorf("false alarm in bundle: %s %s", f.rule, f.detail)
		}
	}
	rep := scan(t, map[string]string{"dist/app.min.js": src})
	if n := len(rep.Findings); n != 0 {
		t.Errorf("%d findings in the bundle", n)
	}
}

// TestHostile: deep nesting, unterminated strings and templates, a 10 MB
// single line and stray brackets never panic and stay bounded in time.
func TestHostile(t *testing.T) {
	cases := map[string]string{
		"deep parens":   strings.Repeat("(", 200000) + "eval(atob('eA=='))" + strings.Repeat(")", 100),
		"deep braces":   strings.Repeat("function f(){", 50000),
		"deep arrows":   strings.Repeat("x=>", 100000) + "eval(x)",
		"unterminated":  "var a = 'abc\nvar b = `x${ eval(atob('eA==')) \n\"",
		"stray closers": strings.Repeat(")]}", 100000) + "eval(atob('eA=='))",
		"one line 10MB": "var s='" + strings.Repeat("A", 10<<20) + "';eval(atob(s));",
		"many chains":   "a" + strings.Repeat(".b()", 300000),
		"bad bytes":     "\x00\xff\xfe" + strings.Repeat("/*", 1000) + "1px 2em #fff",
		"regex soup":    strings.Repeat("/[/]/ / /a/g ", 100000),
		"template nest": strings.Repeat("`${", 50000) + "x",
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			analyze([]byte(src))
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
	// the payload after an unterminated string is still seen
	if got := analyze([]byte("var a = 'abc\neval(atob('ZXZpbA=='));")); len(got) == 0 {
		t.Errorf("lexing did not resume after an unterminated string")
	}
}

func FuzzAnalyze(f *testing.F) {
	for _, c := range positives {
		f.Add(c.code)
	}
	for _, c := range nearMisses {
		f.Add(c)
	}
	f.Add("if (req.headers['x'] === 'abcd') eval(req.body)")
	f.Fuzz(func(t *testing.T, src string) {
		analyze([]byte(src))
	})
}
