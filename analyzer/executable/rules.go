package executable

import "github.com/doorman-sec/doorman/finding"

// Rule ids.
const (
	RuleBindShell     = "DM-EXE-001"
	RuleReverseShell  = "DM-EXE-002"
	RuleEndpoint      = "DM-EXE-003"
	RuleMagicPacket   = "DM-EXE-004"
	RuleHiddenCred    = "DM-EXE-005"
	RuleSurveillance  = "DM-EXE-006"
	RulePacked        = "DM-EXE-007"
	RuleEvasive       = "DM-EXE-008"
	rulePrefix        = "DM-EXE-"
	maxEvidencePerCap = 3
)

// Titles of the rules, for the report and `doorman rules`.
var Titles = map[string]string{
	RuleBindShell:    "Bind shell: a binary that listens, redirects descriptors and runs a shell",
	RuleReverseShell: "Reverse shell: a binary that connects out, redirects descriptors and runs a shell",
	RuleEndpoint:     "Hard-coded public endpoint in a binary that runs commands",
	RuleMagicPacket:  "Magic-packet listener: raw socket or packet filter, a comparison and command execution",
	RuleHiddenCred:   "Hidden credential check: a password-like literal beside a login prompt",
	RuleSurveillance: "Binary reaches a camera or microphone and the network",
	RulePacked:       "Packed executable",
	RuleEvasive:      "Evasive network program: process masquerade and anti-debugging",
}

// Public references for each rule.
var (
	refUnixShell   = "https://attack.mitre.org/techniques/T1059/004/"
	refBPFDoorSF   = "https://www.sandflysecurity.com/blog/bpfdoor-an-evasive-linux-backdoor-technical-analysis/"
	refBPFDoorEl   = "https://www.elastic.co/security-labs/a-peek-behind-the-bpfdoor"
	refPacking     = "https://attack.mitre.org/techniques/T1027/002/"
	refMasquerade  = "https://attack.mitre.org/techniques/T1036/"
	refDebugEvade  = "https://attack.mitre.org/techniques/T1622/"
	refVideo       = "https://attack.mitre.org/techniques/T1125/"
	refAudio       = "https://attack.mitre.org/techniques/T1123/"
	refCWE798      = "https://cwe.mitre.org/data/definitions/798.html"
	refUPX         = "https://upx.github.io/"
	cweBackdoor    = []string{"CWE-912"}
	cweCredential  = []string{"CWE-798", "CWE-259"}
	cweObfuscated  = []string{"CWE-506"}
	cweSurveil     = []string{"CWE-359"}
	categoryOfRule = map[string]finding.Category{
		RuleBindShell:    finding.RemoteAccessService,
		RuleReverseShell: finding.RemoteAccessService,
		RuleEndpoint:     finding.UnexpectedEndpoint,
		RuleMagicPacket:  finding.HiddenTrigger,
		RuleHiddenCred:   finding.HardcodedCredential,
		RuleSurveillance: finding.SurveillanceCapability,
		RulePacked:       finding.ObfuscatedPayload,
		RuleEvasive:      finding.ObfuscatedPayload,
	}
)
