package updatecheck

import (
	"github.com/doorman-sec/doorman/finding"
)

// Rule identifiers of this package. DM-UPD-001…003 belong to the static
// update-path analyzer; the verifiers here use the 1xx (TUF), 2xx
// (Sigstore) and 3xx (detached signatures) ranges.
const (
	RuleTUFSignature   = "DM-UPD-101" // threshold of valid signatures not met
	RuleTUFExpired     = "DM-UPD-102" // expired metadata (freeze attack)
	RuleTUFRollback    = "DM-UPD-103" // version lower than previously trusted
	RuleTUFVersion     = "DM-UPD-104" // version disagrees with the referencing role
	RuleTUFMetaHash    = "DM-UPD-105" // metadata length or hash differs from its reference
	RuleTUFTargetHash  = "DM-UPD-106" // target file length or hash differs from metadata
	RuleTUFMalformed   = "DM-UPD-107" // metadata missing, unreadable or of the wrong type
	RuleTUFRootChain   = "DM-UPD-108" // root rotation not signed by the old and new root
	RuleTUFDelegation  = "DM-UPD-109" // target outside a role's delegated paths, unsafe name
	RuleBundle         = "DM-UPD-201" // Sigstore bundle does not verify
	RuleBundleIdentity = "DM-UPD-202" // Sigstore signer identity is not the expected one
	RuleSigInvalid     = "DM-UPD-301" // detached signature does not verify
	RuleSigKeyExpired  = "DM-UPD-302" // signing key expired or revoked
	RuleSigMalformed   = "DM-UPD-303" // signature or key unusable
)

type ruleInfo struct {
	title    string
	severity finding.Severity
	cwe      []string
}

var ruleTable = map[string]ruleInfo{
	RuleTUFSignature:   {"TUF metadata lacks a threshold of valid signatures", finding.Critical, []string{"CWE-345", "CWE-494"}},
	RuleTUFExpired:     {"TUF metadata has expired (freeze attack or stalled repository)", finding.High, []string{"CWE-345", "CWE-494"}},
	RuleTUFRollback:    {"TUF metadata rolled back below a previously trusted version", finding.Critical, []string{"CWE-345", "CWE-494"}},
	RuleTUFVersion:     {"TUF metadata version differs from the version its parent role names", finding.Critical, []string{"CWE-345", "CWE-494"}},
	RuleTUFMetaHash:    {"TUF metadata differs from the length or hash its parent role names", finding.Critical, []string{"CWE-345", "CWE-494"}},
	RuleTUFTargetHash:  {"Update file differs from the length or hash in signed TUF metadata", finding.Critical, []string{"CWE-345", "CWE-494"}},
	RuleTUFMalformed:   {"TUF metadata missing, malformed or of the wrong type", finding.High, []string{"CWE-345", "CWE-494"}},
	RuleTUFRootChain:   {"TUF root rotation is not signed by both the old and the new root", finding.Critical, []string{"CWE-345", "CWE-494"}},
	RuleTUFDelegation:  {"TUF target outside the paths delegated to its role", finding.Critical, []string{"CWE-345", "CWE-494"}},
	RuleBundle:         {"Sigstore bundle does not verify against the trusted root", finding.Critical, []string{"CWE-345", "CWE-494"}},
	RuleBundleIdentity: {"Sigstore bundle signed by an unexpected identity", finding.Critical, []string{"CWE-345", "CWE-494"}},
	RuleSigInvalid:     {"Signature does not verify over the artifact", finding.Critical, []string{"CWE-345", "CWE-494"}},
	RuleSigKeyExpired:  {"Artifact signed with an expired or revoked key", finding.High, []string{"CWE-345", "CWE-494"}},
	RuleSigMalformed:   {"Signature or key is malformed", finding.High, []string{"CWE-345", "CWE-494"}},
}

// newFinding builds a finding of one of this package's rules. target is
// the input as the user named it, path the file the problem is in, and
// evidence a short stable string (role, version, key ids) so the finding
// id survives a rerun.
func newFinding(rule, target, path, message, evidence string) finding.Finding {
	ri := ruleTable[rule]
	f := finding.Finding{
		Rule:       rule,
		Category:   finding.UpdateIntegrity,
		CWE:        ri.cwe,
		Severity:   ri.severity,
		Confidence: finding.ConfidenceHigh,
		Title:      ri.title,
		Message:    message,
		Location:   finding.Location{Target: target, Path: path},
		Evidence:   evidence,
	}
	f.SetID()
	return f
}

// shortID shortens a hex key id for messages; evidence keeps it whole.
func shortID(id string) string {
	if len(id) > 16 {
		return id[:16]
	}
	return id
}

// Rules returns the rule ids and titles of verify-update, for
// `doorman rules`.
func Rules() map[string]string {
	out := make(map[string]string, len(ruleTable))
	for id, r := range ruleTable {
		out[id] = r.title
	}
	return out
}
