package report

import (
	"fmt"

	"github.com/doorman-sec/doorman/finding"
)

// xssMessage is a finding message that must come out escaped in HTML.
const xssMessage = `request handler echoes <script>alert(1)</script> from the "X-Debug" header & runs it`

// off returns a pointer to a byte offset.
func off(n int64) *int64 { return &n }

// emptyReport is a scan that found nothing: no targets, findings or errors
// recorded, with nil slices as a careless producer might leave them.
func emptyReport() *finding.Report {
	return &finding.Report{
		SchemaVersion: finding.SchemaVersion,
		Tool:          finding.Tool{Name: "doorman", Version: "0.3.0"},
		Command:       "scan",
	}
}

// richReport exercises every feature the writers render: all severities,
// two findings of one rule, nested paths with spaces, "!/", "#", "%",
// non-ASCII and a ":" in the first segment, absolute paths, lines, columns,
// offsets, several references (web and not), terminal escapes and bidi
// controls in evidence, HTML in a message, errors, stats and inventory.
// Findings are deliberately not in report order.
func richReport() *finding.Report {
	fs := []finding.Finding{
		{
			Rule: "DM-SVC-001", Category: finding.RemoteAccessService, CWE: []string{"CWE-912", "CWE-319"},
			Severity: finding.High, Confidence: finding.ConfidenceHigh,
			Title:    "Telnet daemon started at boot",
			Message:  "/etc/init.d/rcS starts telnetd on port 23 without authentication",
			Location: finding.Location{Target: "router.bin", Path: "router.bin!/squashfs@0x1a0000!/etc/init.d/rcS", Line: 12},
			Evidence: "telnetd -l /bin/sh -p 23 &",
			References: []string{
				"https://attack.mitre.org/techniques/T1021/",
				"https://www.kb.cert.org/vuls/id/123456",
			},
		},
		{
			Rule: "DM-ACCT-002", Category: finding.BackdoorAccount, CWE: []string{"CWE-798", "CWE-1392"},
			Severity: finding.Critical, Confidence: finding.ConfidenceHigh,
			Title:      "Account with a published default password",
			Message:    "account 'admin' in /etc/shadow has the password '1***' (vendor default)",
			Location:   finding.Location{Target: "router.bin", Path: "router.bin!/squashfs@0x1a0000!/etc/shadow", Line: 2},
			Evidence:   "admin:$1$…:0:0:99999:7:::",
			References: []string{"https://nvd.nist.gov/vuln/detail/CVE-2019-0001"},
		},
		{
			Rule: "DM-TRIG-003", Category: finding.HiddenTrigger, CWE: []string{"CWE-912"},
			Severity: finding.Medium, Confidence: finding.ConfidenceMedium,
			Title:    "Magic user agent unlocks a shell",
			Message:  "httpd compares the User-Agent with a fixed string before spawning /bin/sh",
			Location: finding.Location{Target: "router.bin", Path: "router.bin!/squashfs@0x1a0000!/usr/sbin/httpd", Offset: off(0x4f2a)},
			Evidence: "xmlset_roodkcableoj28840ybtide\x1b[31m\x1b]0;pwned\x07",
		},
		{
			Rule: "DM-DL-001", Category: finding.DownloadExecute, CWE: []string{"CWE-494"},
			Severity: finding.Low, Confidence: finding.ConfidenceLow,
			Title:    "Install script pipes a download into a shell",
			Message:  "postinst fetches a script over HTTPS and runs it without a checksum",
			Location: finding.Location{Target: "my firmware/app v2.tar.gz", Path: "my firmware/app v2.tar.gz!/package/install.sh", Line: 3, Column: 7},
			Evidence: "curl -fsSL https://get.example.com/setup.sh | sh",
		},
		{
			Rule: "DM-TS-001", Category: finding.TrojanSource, CWE: []string{"CVE-2021-42574"},
			Severity: finding.Low, Confidence: finding.ConfidenceHigh,
			Title:      "Bidirectional override in a comment",
			Message:    "a right-to-left override makes the access check read as a comment",
			Location:   finding.Location{Target: "src", Path: "src/données #1/50% off?.c", Line: 40, Column: 5},
			Evidence:   "/* \u202e } \u2066if (isAdmin)\u2069 \u2066 begin admins only */",
			References: []string{"CVE-2021-42574", "https://trojansource.codes/"},
		},
		{
			Rule: "DM-ACCT-002", Category: finding.BackdoorAccount, CWE: []string{"CWE-798"},
			Severity: finding.Critical, Confidence: finding.ConfidenceHigh,
			Title:    "Account with a published default password",
			Message:  "account 'root' in /etc/passwd has an empty password",
			Location: finding.Location{Target: "router.bin", Path: "router.bin!/jffs2@0x7e0000!/etc/passwd", Line: 1},
			Evidence: "root::0:0:root:/root:/bin/sh",
		},
		{
			Rule: "DM-RCE-004", Category: finding.RemoteCommandExecution, CWE: []string{"CWE-78"},
			Severity: finding.High, Confidence: finding.ConfidenceMedium,
			Title:    "Header value passed to system()",
			Message:  xssMessage,
			Location: finding.Location{Target: "/srv/build/out", Path: "/srv/build/out/cgi-bin/debug.cgi", Line: 88},
			Evidence: `system(getenv("HTTP_X_DEBUG"));`,
			References: []string{
				"javascript:alert(document.cookie)",
				"https://cwe.mitre.org/data/definitions/78.html",
			},
		},
		{
			Rule: "DM-INFO-001", Category: finding.UnexpectedEndpoint,
			Severity: finding.Info, Confidence: finding.ConfidenceLow,
			Title:    "Hard-coded endpoint",
			Message:  "the updater contacts an address outside the vendor's domain",
			Location: finding.Location{Target: "a:b", Path: "a:b/conf/update.cfg", Line: 4},
			Evidence: "server=203.0.113.7:8443",
		},
	}
	for i := range fs {
		fs[i].SetID()
	}
	return &finding.Report{
		SchemaVersion: finding.SchemaVersion,
		Tool:          finding.Tool{Name: "doorman", Version: "0.3.0"},
		Command:       "scan",
		Targets: []finding.Target{
			{Path: "router.bin", SHA256: "9f2c5e0d7b1a4c3e8f6a2b9d0c1e7f3a5b8d2c4e6f0a1b3c5d7e9f2a4b6c8d0e", Size: 8388608},
			{Path: "my firmware/app v2.tar.gz", Size: 123456},
			{Path: "src", Size: 4096},
			{Path: "/srv/build/out", Size: 1 << 20},
			{Path: "a:b", Size: 10},
		},
		Findings: fs,
		Errors: []finding.Error{
			{Path: "router.bin!/jffs2@0x7e0000!/var/log archive.tar", Error: "truncated image: 4096 of 65536 bytes"},
			{Path: "my firmware/app v2.tar.gz!/data.bin", Error: "file larger than --max-file-size (64 MiB)"},
		},
		Stats: finding.Stats{Files: 1532, Bytes: 41230011, DurationMS: 812},
		Inventory: map[string]any{
			"os": "OpenWrt 19.07.3",
			"accounts": []any{
				map[string]any{"name": "admin", "uid": float64(0)},
				map[string]any{"name": "root", "uid": float64(0)},
			},
		},
	}
}

// diffReport is a diff with one new and one removed finding.
func diffReport() *finding.Report {
	r := richReport()
	r.Command = "diff"
	r.Removed = []finding.Finding{r.Findings[0]}
	r.Findings = r.Findings[1:2]
	r.Removed[0].Title = "Old telnet service"
	return r
}

// manyReport has n findings spread over severities, rules and paths.
func manyReport(n int) *finding.Report {
	r := emptyReport()
	r.Targets = []finding.Target{{Path: "big.img", Size: 1 << 30}}
	for i := 0; i < n; i++ {
		f := finding.Finding{
			Rule:       fmt.Sprintf("DM-GEN-%03d", i%37),
			Category:   finding.Categories[i%len(finding.Categories)],
			CWE:        []string{"CWE-798"},
			Severity:   finding.Severity(1 + i%5),
			Confidence: finding.ConfidenceMedium,
			Title:      fmt.Sprintf("Generated finding %d", i),
			Message:    "a generated finding used to measure the size of large reports",
			Location:   finding.Location{Target: "big.img", Path: fmt.Sprintf("big.img!/rootfs!/usr/lib/lib%04d.so", i%500), Line: 1 + i%900},
			Evidence:   "password=hu*****",
			References: []string{"https://example.com/rules/gen"},
		}
		f.SetID()
		r.Findings = append(r.Findings, f)
	}
	r.Stats = finding.Stats{Files: int64(n), Bytes: 1 << 30, DurationMS: 65_000}
	return r
}
