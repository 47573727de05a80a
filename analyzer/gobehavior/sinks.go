package gobehavior

import (
	"fmt"
	"go/ast"
	"strings"

	"github.com/doorman-sec/doorman/finding"
)

// runChecks: what reaches a program runner.
func (f *fn) runChecks(c *ast.CallExpr, name string) []hit {
	args := c.Args
	if name == "os/exec.CommandContext" && len(args) > 0 {
		args = args[1:]
	}
	t, why := f.argsTaint(args)
	// a literal program that an earlier line wrote with downloaded data
	if len(args) > 0 {
		if s, ok := stringLit(args[0]); ok && f.netFiles[s] {
			t |= tNetFile
			why = s
		}
	}
	what := shortName(name)
	var out []hit
	switch {
	case t&(tNet|tNetFile) != 0 && !f.verified:
		sev := finding.High
		if f.isInit {
			sev = finding.Critical
		}
		kind := "downloaded data"
		if t&tNetFile != 0 {
			kind = "a file written with downloaded data"
		}
		out = append(out, f.hit(c, finding.Finding{
			Rule: "DM-GO-001", Category: finding.DownloadExecute, CWE: []string{"CWE-494"},
			Severity: sev, Confidence: finding.ConfidenceHigh,
			Title:   "Downloads code and runs it without checking it",
			Message: fmt.Sprintf("%s() runs %s (%s) with %s, and no hash or signature is checked", f.name, kind, why, what) + f.initNote(),
		}))
	case t&tReq != 0:
		sev, how := finding.High, "as the program or its arguments"
		if isShellC(args) {
			sev, how = finding.Critical, "through a shell (-c)"
		}
		out = append(out, f.hit(c, finding.Finding{
			Rule: "DM-GO-002", Category: finding.RemoteCommandExecution, CWE: []string{"CWE-78", "CWE-912"},
			Severity: sev, Confidence: finding.ConfidenceHigh,
			Title:   "HTTP request data is run as a command",
			Message: fmt.Sprintf("%s() passes %s from the HTTP request to %s %s", f.name, why, what, how),
		}))
	}
	if t&tDecoded != 0 {
		sev := finding.High
		if t&(tNet|tNetFile) != 0 || f.isInit {
			sev = finding.Critical
		}
		out = append(out, f.hit(c, finding.Finding{
			Rule: "DM-GO-004", Category: finding.ObfuscatedPayload, CWE: []string{"CWE-506"},
			Severity: sev, Confidence: finding.ConfidenceHigh,
			Title:   "Encoded payload is decoded and run",
			Message: fmt.Sprintf("%s() decodes data with %s and runs it with %s", f.name, why, what) + f.initNote(),
		}))
	}
	return out
}

// isShellC: exec.Command("sh"|"bash"|"/bin/sh"|"cmd", "-c"|"/c", ...).
func isShellC(args []ast.Expr) bool {
	if len(args) < 2 {
		return false
	}
	prog, ok1 := stringLit(args[0])
	flag, ok2 := stringLit(args[1])
	if !ok1 || !ok2 {
		return false
	}
	base := prog[strings.LastIndexAny(prog, "/\\")+1:]
	switch strings.TrimSuffix(strings.ToLower(base), ".exe") {
	case "sh", "bash", "zsh", "dash", "ash", "ksh", "cmd", "powershell", "pwsh":
		return flag == "-c" || strings.EqualFold(flag, "/c") || strings.EqualFold(flag, "-command")
	}
	return false
}

// exfil reports secret or device data leaving through a send.
func (f *fn) exfil(c *ast.CallExpr, t taint, why, how string) []hit {
	if t&(tSecret|tDevice) == 0 {
		return nil
	}
	sev, what := finding.Medium, "host or user name"
	if t&tSecret != 0 {
		sev, what = finding.High, "secrets ("+why+")"
		if f.isInit {
			sev = finding.Critical
		}
	} else if why != "" {
		what = "host or user name (" + why + ")"
	}
	return []hit{f.hit(c, finding.Finding{
		Rule: "DM-GO-003", Category: finding.DataExfiltration, CWE: []string{"CWE-200", "CWE-506"},
		Severity: sev, Confidence: finding.ConfidenceHigh,
		Title:   "Environment or credentials sent to a remote host",
		Message: fmt.Sprintf("%s() collects %s and they are %s", f.name, what, how) + f.initNote(),
	})}
}

func (f *fn) initNote() string {
	if f.isInit {
		return "; in init(), so it runs as soon as the package is imported"
	}
	return ""
}

func (f *fn) hit(n ast.Node, fd finding.Finding) hit {
	return hit{pos: n.Pos(), f: fd}
}
