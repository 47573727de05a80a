package jsbehavior

import "github.com/doorman-sec/doorman/finding"

// rule is the fixed part of a finding.
type rule struct {
	category   finding.Category
	cwe        []string
	severity   finding.Severity
	confidence finding.Confidence
	title      string
	refs       []string
}

var rules = map[string]rule{
	"DM-JS-001": {finding.DownloadExecute, []string{"CWE-494"}, finding.High, finding.ConfidenceHigh, "Downloaded code is run with eval, Function, vm or require", nil},
	"DM-JS-002": {finding.DownloadExecute, []string{"CWE-494"}, finding.High, finding.ConfidenceHigh, "Downloaded content is executed as a command or program without an integrity check", nil},
	"DM-JS-003": {finding.DownloadExecute, []string{"CWE-494"}, finding.High, finding.ConfidenceMedium, "Shell command that downloads and runs code, passed to child_process", nil},
	"DM-JS-010": {finding.DataExfiltration, []string{"CWE-200", "CWE-506"}, finding.High, finding.ConfidenceHigh, "Secrets or the environment are sent to a network endpoint", nil},
	"DM-JS-011": {finding.DataExfiltration, []string{"CWE-200", "CWE-506"}, finding.High, finding.ConfidenceHigh, "DNS query built from host data or secrets (DNS exfiltration)", nil},
	"DM-JS-012": {finding.DataExfiltration, []string{"CWE-359"}, finding.Medium, finding.ConfidenceMedium, "Host or user identity is sent to a network endpoint", nil},
	"DM-JS-020": {finding.RemoteCommandExecution, []string{"CWE-78", "CWE-94", "CWE-912"}, finding.Critical, finding.ConfidenceHigh, "HTTP request input is run as code or a command (web shell)", nil},
	"DM-JS-021": {finding.RemoteCommandExecution, []string{"CWE-78", "CWE-912"}, finding.Critical, finding.ConfidenceHigh, "Network socket data is run as code or a command (reverse shell)", nil},
	"DM-JS-040": {finding.ObfuscatedPayload, []string{"CWE-506"}, finding.High, finding.ConfidenceMedium, "Decoded or encoded payload is executed", nil},
	"DM-JS-041": {finding.ObfuscatedPayload, []string{"CWE-506"}, finding.Critical, finding.ConfidenceHigh, "Payload decrypted with a key from the environment is executed (flatmap-stream pattern)", []string{"https://github.com/dominictarr/event-stream/issues/116"}},
	"DM-JS-050": {finding.HiddenTrigger, []string{"CWE-912", "CWE-798"}, finding.High, finding.ConfidenceMedium, "Request input compared with a hard-coded magic value", nil},
	"DM-JS-051": {finding.HiddenTrigger, []string{"CWE-912", "CWE-481"}, finding.High, finding.ConfidenceMedium, "Privilege assigned inside a condition", []string{"https://lwn.net/Articles/57135/"}},
	"DM-JS-060": {finding.TimeBomb, []string{"CWE-511"}, finding.High, finding.ConfidenceMedium, "Action gated on an absolute date", nil},
	"DM-JS-061": {finding.TimeBomb, []string{"CWE-511"}, finding.High, finding.ConfidenceMedium, "Action gated on the locale or country", []string{"https://snyk.io/blog/peacenotwar-malicious-npm-node-ipc-package-vulnerability/"}},
	"DM-JS-062": {finding.TimeBomb, []string{"CWE-511"}, finding.Medium, finding.ConfidenceMedium, "Action gated on the host or user name", nil},
}
