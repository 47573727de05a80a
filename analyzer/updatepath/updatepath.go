// Package updatepath finds update channels that install what they download
// without checking who made it: shell scripts and daemons that fetch
// firmware or packages over http, ftp or tftp and flash or install them
// (mtd write, sysupgrade, dd to a flash device, flashcp, nandwrite, opkg,
// rpm or dpkg install, tar into /, sh) with no signature check or pinned
// digest in between, and opkg configurations that read package feeds with
// signature checking turned off.
//
// Scripts are parsed with mvdan.cc/sh and followed in source order, each
// function a script calls put in place of the call (with its arguments as
// $1, $2...), and each function nothing calls followed on its own. The
// analysis tracks downloaded content through files, pipes, $(...),
// copies, decompression and extraction, and records every check it
// passes. A signature check (usign/signify -V, openssl dgst -verify,
// openssl smime/cms -verify, gpg --verify, gpgv, or a program named for
// verification) against a key that was not itself downloaded makes the
// content trusted, and so does a digest compared with a value written in
// the script, or a checksum list shipped in the image. A digest fetched
// over the same plain channel proves nothing: an attacker who can swap the
// firmware swaps its checksum too; a digest fetched over https is as good
// as https.
//
// Severity follows the weakest link: content that only plain http, ftp or
// tftp (or https with certificate checks turned off) vouches for is high;
// content from https without a signature is medium (the server is
// authenticated, the content is not signed); a URL the script does not
// know (read from nvram or uci) is medium with low confidence. Scripts in
// test or documentation folders are low.
//
// Compiled update daemons are judged by their strings: an ELF holding a
// plain-http firmware URL and a flashing command, and nothing that speaks
// of signatures, is medium with low confidence.
//
// Rules:
//
//	DM-UPD-001  Downloaded firmware or package installed without verification
//	DM-UPD-002  Package feeds read without signature checking
//	DM-UPD-003  Update daemon flashes downloaded firmware without verification
package updatepath

import (
	"bytes"
	"fmt"
	"path"
	"strings"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/inventory"
	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/finding"
)

// Rule ids.
const (
	RuleScript = "DM-UPD-001"
	RuleFeeds  = "DM-UPD-002"
	RuleDaemon = "DM-UPD-003"
)

// Titles maps each rule id to its title.
var Titles = map[string]string{
	RuleScript: "Downloaded firmware or package installed without verification",
	RuleFeeds:  "Package feeds read without signature checking",
	RuleDaemon: "Update daemon flashes downloaded firmware without verification",
}

// References shared by the findings.
const (
	refCWE494 = "https://cwe.mitre.org/data/definitions/494.html"
	refOpkg   = "https://openwrt.org/docs/guide-user/additional-software/opkg"
	refUsign  = "https://openwrt.org/docs/guide-user/security/keygen"
)

// keywords: download tools for scripts, flashing commands and URL schemes
// for binaries.
var keywords = []string{
	"wget", "curl", "tftp", "ftpget", "uclient-fetch", // 0-4: scripts
	"mtd write", "mtd -r write", "sysupgrade", // 5-7: flashing, in binaries
	"http://",                                             // 8
	"usign", "verify", "Verify", "signature", "Signature", // 9-13: checks, in binaries
	"opkg install", "ipkg install", "rpm -i", "rpm -U", "dpkg -i", // 14-18
}

// Analyzer is the update-integrity analyzer.
var Analyzer = &analyzer.Analyzer{
	Name:     "updatepath",
	Doc:      "finds update scripts and daemons that download firmware or packages over http/ftp/tftp and flash or install them without a signature check, and opkg feeds read without signature checking",
	Keywords: keywords,
	// Wants is needed for opkg configuration files, which hold no
	// keyword; every other entry is taken only when it has hits.
	Wants:  func(e *artifact.Entry) bool { return e.IsRegular() && e.Size > 0 },
	Run:    run,
	Finish: finish,
}

func run(p *analyzer.Pass) {
	e := p.Entry
	if k := opkgKind(e.Name); k != "" {
		runOpkg(p, k)
		return
	}
	if len(p.Hits()) == 0 {
		return
	}
	if e.Kind == "elf" {
		runBinary(p)
		return
	}
	if !hasHit(p, 0, 4) && !hasHit(p, 14, 18) {
		return
	}
	data := p.Data()
	if len(data) == 0 || len(data) > maxScript*4 || bytes.IndexByte(data[:min(len(data), 8192)], 0) >= 0 || !isShell(e.Name, data) {
		return
	}
	for _, f := range analyze(parseScript(data)) {
		report(p, f)
	}
}

// hasHit reports whether a keyword with index in [lo, hi] occurs.
func hasHit(p *analyzer.Pass, lo, hi int) bool {
	for _, h := range p.Hits() {
		if h.Keyword >= lo && h.Keyword <= hi {
			return true
		}
	}
	return false
}

// isShell says whether a text file is a shell script: a shell shebang, a
// shell extension, or no shebang and no extension of another language.
func isShell(name string, data []byte) bool {
	if bytes.HasPrefix(data, []byte("#!")) {
		first, _, _ := bytes.Cut(data[:min(len(data), 256)], []byte("\n"))
		for _, sh := range []string{"sh", "bash", "ash", "dash", "ksh", "busybox", "rc.common"} {
			if bytes.HasSuffix(bytes.TrimSpace(first), []byte(sh)) || bytes.Contains(first, []byte("/"+sh+" ")) || bytes.Contains(first, []byte("env "+sh)) {
				return true
			}
		}
		return false
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".sh", ".bash", ".ash", "":
		return true
	case ".html", ".htm", ".js", ".css", ".json", ".xml", ".txt", ".md", ".py", ".lua", ".pl", ".php", ".c", ".h", ".go",
		".rb", ".conf", ".cfg", ".ini", ".yaml", ".yml", ".service", ".rst", ".po", ".pot", ".svg", ".java", ".cpp":
		return false
	}
	// Files such as /etc/hotplug.d/iface/30-upgrade or init scripts with
	// dotted names: shell when the text reads like it.
	return bytes.Contains(data, []byte("\nfi\n")) || bytes.Contains(data, []byte("; then")) || bytes.Contains(data, []byte("$("))
}

// report turns an unsafe flow into a finding at the download's line.
func report(p *analyzer.Pass, f flow) {
	sev, conf, why := finding.High, finding.ConfidenceHigh, ""
	switch {
	case f.dl.insecure:
		why = "over https with certificate checks turned off, so anyone on the path can serve their own image"
	case f.trust == chPlain:
		why = fmt.Sprintf("over %s, which anyone on the path can tamper with", strings.ToLower(schemeName(f.dl)))
	case f.trust == chTLS:
		sev, why = finding.Medium, "over https: the server is authenticated but the content is not signed, so whoever controls the server or its certificate controls the device"
	default:
		sev, conf, why = finding.Medium, finding.ConfidenceLow, "from a URL the script reads at run time, so its scheme and server are unknown"
	}
	if f.byName && conf == finding.ConfidenceHigh {
		conf = finding.ConfidenceMedium
	}
	if analyzer.InTestOrDocs(p.Entry) {
		sev = finding.Low
	}
	check := "with no signature check or pinned digest in between"
	if f.how != "" {
		check = "checked only against " + f.how + ", which the same attacker can replace"
	}
	where := fmt.Sprintf("reaches `%s` at line %d", clip(inventory.MaskText(f.text)), f.line)
	if f.direct {
		where = fmt.Sprintf("is fetched and handed to %s by one command", f.sink.what)
	}
	msg := fmt.Sprintf("%s downloads %s %s (line %d); the content %s (%s) %s",
		f.dl.tool, inventory.MaskURL(stripTokens(f.dl.url)), why, f.dl.line, where, f.sink.what, check)
	if f.trust == chPlain || f.trust == chUnknown {
		msg += "; sign the image (usign/signify) and verify it with a key shipped on the device before flashing"
	}
	p.Report(finding.Finding{
		Rule: RuleScript, Category: finding.UpdateIntegrity, CWE: []string{"CWE-494", "CWE-345"},
		Severity: sev, Confidence: conf, Title: Titles[RuleScript], Message: msg,
		Location:   finding.Location{Line: f.dl.line},
		Evidence:   clip(inventory.MaskText(f.dl.text)),
		References: []string{refCWE494, refUsign},
	})
}

func schemeName(d *download) string {
	if i := strings.Index(d.url, "://"); i > 0 {
		return d.url[:i]
	}
	switch d.tool {
	case "tftp", "atftp":
		return "TFTP"
	case "ftpget":
		return "FTP"
	}
	return "HTTP"
}

func clip(s string) string {
	s = strings.ToValidUTF8(s, "?")
	if len(s) > maxTextLen {
		return s[:maxTextLen] + "…"
	}
	return s
}
