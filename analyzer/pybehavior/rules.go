package pybehavior

import "github.com/doorman-sec/doorman/finding"

// rule is the fixed part of a finding of one rule. Severities are for
// ordinary run-time code; behavior.Adjust raises install hooks and lowers
// tests and docs.
type rule struct {
	id         string
	title      string
	category   finding.Category
	cwe        []string
	severity   finding.Severity
	confidence finding.Confidence
}

var (
	ruleFetchExec = rule{"DM-PY-001", "Python code fetched from the network is executed", finding.DownloadExecute,
		[]string{"CWE-494"}, finding.High, finding.ConfidenceHigh}
	ruleFileExec = rule{"DM-PY-002", "Python writes a downloaded file and runs it", finding.DownloadExecute,
		[]string{"CWE-494"}, finding.High, finding.ConfidenceHigh}
	ruleShellFetch = rule{"DM-PY-003", "Python runs a shell command that downloads and executes code", finding.DownloadExecute,
		[]string{"CWE-494"}, finding.High, finding.ConfidenceMedium}
	ruleExfil = rule{"DM-PY-010", "Python sends secrets (environment, credential files, browser or wallet stores) to a network endpoint", finding.DataExfiltration,
		[]string{"CWE-200", "CWE-506"}, finding.High, finding.ConfidenceHigh}
	ruleDNSExfil = rule{"DM-PY-011", "Python leaks host data or secrets through DNS queries built from them", finding.DataExfiltration,
		[]string{"CWE-200", "CWE-506"}, finding.High, finding.ConfidenceHigh}
	ruleHostExfil = rule{"DM-PY-012", "Python sends the host name or user name to a network endpoint", finding.DataExfiltration,
		[]string{"CWE-359"}, finding.Medium, finding.ConfidenceMedium}
	ruleReqExec = rule{"DM-PY-020", "Python runs code or commands taken from a web request", finding.RemoteCommandExecution,
		[]string{"CWE-78", "CWE-94"}, finding.Critical, finding.ConfidenceHigh}
	ruleSockExec = rule{"DM-PY-021", "Python runs commands received on a socket (remote shell)", finding.RemoteCommandExecution,
		[]string{"CWE-912", "CWE-78"}, finding.Critical, finding.ConfidenceHigh}
	ruleDecodeExec = rule{"DM-PY-030", "Python decodes an encoded payload and executes it", finding.ObfuscatedPayload,
		[]string{"CWE-506"}, finding.High, finding.ConfidenceHigh}
	ruleHiddenCode = rule{"DM-PY-032", "Python code hidden far to the right of a line behind a run of blanks", finding.ObfuscatedPayload,
		[]string{"CWE-506"}, finding.Medium, finding.ConfidenceHigh}
	rulePthExec = rule{"DM-PY-033", ".pth import line that does more than import", finding.ObfuscatedPayload,
		[]string{"CWE-506", "CWE-912"}, finding.High, finding.ConfidenceHigh}
	ruleDateBomb = rule{"DM-PY-040", "Python action gated on a hard-coded date or time", finding.TimeBomb,
		[]string{"CWE-511"}, finding.High, finding.ConfidenceMedium}
	ruleEnvBomb = rule{"DM-PY-041", "Python action gated on locale, geography or host identity", finding.TimeBomb,
		[]string{"CWE-511"}, finding.High, finding.ConfidenceMedium}
	ruleMagicPass = rule{"DM-PY-050", "Login function accepts a hard-coded password or user name", finding.HiddenTrigger,
		[]string{"CWE-912", "CWE-798"}, finding.High, finding.ConfidenceHigh}
	ruleWalrusPriv = rule{"DM-PY-051", "Privilege variable assigned inside a condition", finding.HiddenTrigger,
		[]string{"CWE-912", "CWE-480"}, finding.Medium, finding.ConfidenceMedium}
)
