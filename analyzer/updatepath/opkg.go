package updatepath

import (
	"bytes"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/inventory"
	"github.com/doorman-sec/doorman/finding"
)

// factOpkg is the fact recorded for each opkg configuration file.
const factOpkg = "opkg-conf"

// maxConf bounds the opkg configuration read: real ones are a few lines.
const maxConf = 1 << 20

// OpkgFact is what one opkg configuration file says.
type OpkgFact struct {
	Main       bool   // opkg.conf itself (not a feeds file)
	Prefix     string // the entry's path minus its name: one file system
	CheckSig   bool   // "option check_signature" is set
	Commented  int    // line of a commented-out "option check_signature"
	Text       string // that line
	Feeds      []Feed
	TestOrDocs bool
}

// Feed is one "src/gz NAME URL" line.
type Feed struct {
	Name, URL string
	Line      int
	File      string
}

// opkgKind classifies opkg and ipkg configuration files by name: "main"
// for opkg.conf, "feeds" for etc/opkg/*.conf.
func opkgKind(name string) string {
	n := strings.ToLower(name)
	dir, base := path.Split(n)
	dir = strings.TrimSuffix(dir, "/")
	switch {
	case (base == "opkg.conf" || base == "ipkg.conf") && (dir == "etc" || strings.HasSuffix(dir, "/etc") || dir == "etc/opkg" || strings.HasSuffix(dir, "/etc/opkg")):
		return "main"
	case strings.HasSuffix(base, ".conf") && (dir == "etc/opkg" || strings.HasSuffix(dir, "/etc/opkg") || dir == "etc/ipkg" || strings.HasSuffix(dir, "/etc/ipkg")):
		return "feeds"
	}
	return ""
}

// ParseOpkgConf reads an opkg configuration file. opkg turns a boolean
// option on by its mere presence, whatever value follows
// (libopkg/opkg_conf.c, opkg_conf_set_option), so "option
// check_signature" anywhere enables the check.
func ParseOpkgConf(data []byte, file string) *OpkgFact {
	f := &OpkgFact{}
	for i, raw := range bytes.Split(data, []byte("\n")) {
		line := strings.TrimSpace(string(raw))
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if strings.HasPrefix(fields[0], "#") {
			rest := strings.Fields(strings.TrimLeft(line, "# \t"))
			if len(rest) >= 2 && rest[0] == "option" && rest[1] == "check_signature" && f.Commented == 0 {
				f.Commented, f.Text = i+1, clip(line)
			}
			continue
		}
		switch fields[0] {
		case "option":
			if len(fields) >= 2 && fields[1] == "check_signature" {
				f.CheckSig = true
			}
		case "src", "src/gz":
			if len(fields) >= 3 && len(f.Feeds) < 256 {
				f.Feeds = append(f.Feeds, Feed{Name: fields[1], URL: strings.Trim(fields[2], `"'`), Line: i + 1, File: file})
			}
		}
	}
	return f
}

func runOpkg(p *analyzer.Pass, kind string) {
	data := p.Data()
	if len(data) == 0 || len(data) > maxConf || bytes.IndexByte(data, 0) >= 0 {
		return
	}
	f := ParseOpkgConf(data, p.Entry.Name)
	f.Main = kind == "main"
	f.Prefix = strings.TrimSuffix(p.Entry.Path, p.Entry.Name)
	f.TestOrDocs = analyzer.InTestOrDocs(p.Entry)
	p.AddFact(factOpkg, f)
}

func finish(fp *analyzer.FinishPass) {
	type fsys struct {
		main  *analyzer.Fact
		mf    *OpkgFact
		feeds []Feed
	}
	groups := map[string]*fsys{}
	var keys []string
	for _, fact := range fp.Facts(factOpkg) {
		of, ok := fact.Value.(*OpkgFact)
		if !ok {
			continue
		}
		k := fact.Target + "\x00" + of.Prefix
		g := groups[k]
		if g == nil {
			g = &fsys{}
			groups[k] = g
			keys = append(keys, k)
		}
		if of.Main && (g.main == nil || path.Base(fact.Name) == "opkg.conf" && path.Dir(fact.Name) == "etc") {
			fc := fact
			g.main, g.mf = &fc, of
		}
		g.feeds = append(g.feeds, of.Feeds...)
	}
	sort.Strings(keys)
	for _, k := range keys {
		g := groups[k]
		if g.main == nil || g.mf.CheckSig {
			continue
		}
		reportFeeds(fp, g.main, g.mf, g.feeds)
	}
}

// reportFeeds reports one finding for an opkg.conf without signature
// checking whose feeds are remote.
func reportFeeds(fp *analyzer.FinishPass, main *analyzer.Fact, mf *OpkgFact, feeds []Feed) {
	var plain, tls []Feed
	for _, f := range feeds {
		switch schemeOf(f.URL, "") {
		case chPlain:
			plain = append(plain, f)
		case chTLS, chUnknown:
			if isURL(f.URL) {
				tls = append(tls, f)
			}
		}
	}
	if len(plain)+len(tls) == 0 {
		return // local feeds only (file://, a mounted folder)
	}
	sev, shown, why := finding.High, plain, "over plain http, so anyone on the path can serve their own packages, which opkg installs as root"
	if len(plain) == 0 {
		sev, shown, why = finding.Medium, tls, "over https only, so the server is authenticated but a compromised mirror can serve any package"
	}
	if mf.TestOrDocs {
		sev = finding.Low
	}
	var list []string
	for i, f := range shown {
		if i == 4 {
			list = append(list, fmt.Sprintf("and %d more", len(shown)-4))
			break
		}
		list = append(list, fmt.Sprintf("%s (%s:%d)", inventory.MaskURL(f.URL), f.File, f.Line))
	}
	state, line, ev := "has no 'option check_signature'", 0, "option check_signature: absent"
	if mf.Commented > 0 {
		state, line, ev = fmt.Sprintf("has 'option check_signature' commented out at line %d", mf.Commented), mf.Commented, mf.Text
	} else if len(mf.Feeds) > 0 {
		line = mf.Feeds[0].Line
	}
	fp.Report(finding.Finding{
		Rule: RuleFeeds, Category: finding.UpdateIntegrity, CWE: []string{"CWE-494", "CWE-345"},
		Severity: sev, Confidence: finding.ConfidenceHigh, Title: Titles[RuleFeeds],
		Message: fmt.Sprintf("%s %s, so opkg installs packages without checking the feeds' usign signatures; it reads %d feed(s) %s: %s",
			main.Name, state, len(shown), why, strings.Join(list, ", ")),
		Location:   finding.Location{Target: main.Target, Path: main.Path, Line: line},
		Evidence:   ev,
		References: []string{refOpkg, refCWE494},
	})
}
