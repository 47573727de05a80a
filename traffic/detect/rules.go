package detect

import "github.com/doorman-sec/doorman/finding"

// Rule ids of `doorman traffic`.
const (
	RuleBeacon          = "DM-NET-001" // periodic callbacks to one destination
	RuleLongConn        = "DM-NET-002" // one session lasting most of the capture
	RuleDNSTunnel       = "DM-NET-010" // data encoded in DNS names
	RuleICMPPayload     = "DM-NET-011" // ICMP echo carrying non-standard data
	RuleTrigger         = "DM-NET-020" // inbound packet wakes new outbound sessions
	RuleTriggeredUpload = "DM-NET-021" // a triggered session uploads data
	RuleExfil           = "DM-NET-030" // large upload to one destination
	RuleNotAllowed      = "DM-NET-040" // destination outside the allowlist
	RuleNotInFirmware   = "DM-NET-041" // destination absent from the firmware's endpoints
	RuleFirmwareSeen    = "DM-NET-042" // a firmware endpoint contacted (for the record)
	RuleCredByDevice    = "DM-NET-050" // device sends a password in cleartext
	RuleCredCleartext   = "DM-NET-051" // a cleartext login to or between hosts
)

// RuleInfo describes one rule for `doorman rules`.
type RuleInfo struct {
	ID       string           `json:"id"`
	Category finding.Category `json:"category"`
	CWE      []string         `json:"cwe"`
	Title    string           `json:"title"`
	// References are the public sources the rule relies on.
	References []string `json:"references"`
}

var (
	refRITA        = "https://github.com/activecm/rita"
	refRITABeacon  = "https://www.activecountermeasures.com/blog-beacon-analysis-the-key-to-cyber-threat-hunting/"
	refBowley      = "https://en.wikipedia.org/wiki/Skewness#Quantile-based_measures"
	refMADM        = "https://en.wikipedia.org/wiki/Median_absolute_deviation"
	refMITREC2     = "https://attack.mitre.org/techniques/T1071/"
	refMITREDNS    = "https://attack.mitre.org/techniques/T1071/004/"
	refMITREICMP   = "https://attack.mitre.org/techniques/T1095/"
	refMITREKnock  = "https://attack.mitre.org/techniques/T1205/001/"
	refMITREExfil  = "https://attack.mitre.org/techniques/T1041/"
	refMITRENonStd = "https://attack.mitre.org/techniques/T1571/"
	refSANSDNS     = "https://www.sans.org/white-papers/34152/"
	refUnit42DNS   = "https://unit42.paloaltonetworks.com/dns-tunneling-how-dns-can-be-abused-by-malicious-actors/"
	refPingLinux   = "https://github.com/iputils/iputils/blob/master/ping/ping_common.c"
	refCWE319      = "https://cwe.mitre.org/data/definitions/319.html"
	refCWE798      = "https://cwe.mitre.org/data/definitions/798.html"
	refRFC7617     = "https://www.rfc-editor.org/rfc/rfc7617"
	refRFC959      = "https://www.rfc-editor.org/rfc/rfc959"
	refCWE912      = "https://cwe.mitre.org/data/definitions/912.html"
)

// Rules lists every rule of the package in id order.
var Rules = []RuleInfo{
	{RuleBeacon, finding.NetworkBeacon, []string{"CWE-912"}, "Periodic callbacks to a remote host", []string{refRITA, refRITABeacon, refBowley, refMADM, refMITREC2}},
	{RuleLongConn, finding.NetworkBeacon, []string{"CWE-912"}, "Connection open for most of the capture", []string{refRITA, refMITREC2}},
	{RuleDNSTunnel, finding.CovertChannel, []string{"CWE-514"}, "Data tunnelled in DNS names", []string{refMITREDNS, refSANSDNS, refUnit42DNS}},
	{RuleICMPPayload, finding.CovertChannel, []string{"CWE-514"}, "ICMP echo carrying non-standard data", []string{refMITREICMP, refPingLinux}},
	{RuleTrigger, finding.HiddenTrigger, []string{"CWE-912", "CWE-510"}, "Inbound packet wakes new outbound sessions", []string{refMITREKnock, refCWE912}},
	{RuleTriggeredUpload, finding.DataExfiltration, []string{"CWE-200", "CWE-506"}, "Upload right after an inbound trigger", []string{refMITREKnock, refMITREExfil}},
	{RuleExfil, finding.DataExfiltration, []string{"CWE-200", "CWE-359"}, "Large upload to an unexpected destination", []string{refMITREExfil, refRITA}},
	{RuleNotAllowed, finding.UnexpectedEndpoint, []string{"CWE-912"}, "Destination outside the allowlist", []string{refMITRENonStd, refMITREC2}},
	{RuleNotInFirmware, finding.UnexpectedEndpoint, []string{"CWE-912"}, "Destination not among the firmware's endpoints", []string{refMITREC2}},
	{RuleFirmwareSeen, finding.UnexpectedEndpoint, nil, "Firmware endpoint contacted", nil},
	{RuleCredByDevice, finding.HardcodedCredential, []string{"CWE-798", "CWE-319"}, "Device sends a password in cleartext", []string{refCWE798, refCWE319, refRFC7617, refRFC959}},
	{RuleCredCleartext, finding.WeakIntegrity, []string{"CWE-319"}, "Cleartext login on the network", []string{refCWE319, refRFC7617, refRFC959}},
}

func ruleInfo(id string) RuleInfo {
	for _, r := range Rules {
		if r.ID == id {
			return r
		}
	}
	return RuleInfo{ID: id}
}

// newFinding fills a finding from its rule's metadata.
func newFinding(rule string, sev finding.Severity, conf finding.Confidence, source, msg, evidence string) finding.Finding {
	r := ruleInfo(rule)
	f := finding.Finding{
		Rule:       rule,
		Category:   r.Category,
		CWE:        append([]string(nil), r.CWE...),
		Severity:   sev,
		Confidence: conf,
		Title:      r.Title,
		Message:    msg,
		Location:   finding.Location{Target: source, Path: source},
		Evidence:   evidence,
		References: append([]string(nil), r.References...),
	}
	f.SetID()
	return f
}
