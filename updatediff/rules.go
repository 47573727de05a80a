package updatediff

import "github.com/doorman-sec/doorman/finding"

// Kinds of change (finding.Change.Kind).
const (
	KindAccount     = "account"
	KindService     = "service"
	KindExecutable  = "executable"
	KindSetuid      = "setuid"
	KindEndpoint    = "endpoint"
	KindKey         = "key"
	KindUpdateCheck = "update-check"
	KindOS          = "os"
)

// Actions of a change (finding.Change.Action).
const (
	Added   = "added"
	Removed = "removed"
	Changed = "changed"
	Renamed = "renamed"
)

// Rule ids of the findings the diff writes itself, when a change matters
// and no analyzer of NEW said so already.
const (
	RuleAccountAdded    = "DM-DIFF-001"
	RuleLoginEnabled    = "DM-DIFF-002"
	RuleServiceAdded    = "DM-DIFF-003"
	RuleCapabilityAdded = "DM-DIFF-004"
	RuleSetuidAdded     = "DM-DIFF-005"
	RuleEndpointAdded   = "DM-DIFF-006"
)

type rule struct {
	title    string
	category finding.Category
	cwe      []string
}

// diffRules describes the diff's own findings.
var diffRules = map[string]rule{
	RuleAccountAdded:    {"Account added by the update", finding.BackdoorAccount, []string{"CWE-912", "CWE-798"}},
	RuleLoginEnabled:    {"Login enabled for an account by the update", finding.BackdoorAccount, []string{"CWE-912", "CWE-1392"}},
	RuleServiceAdded:    {"Remote access service started at boot by the update", finding.RemoteAccessService, []string{"CWE-912", "CWE-1191"}},
	RuleCapabilityAdded: {"Executable gained risky capabilities in the update", finding.HiddenTrigger, []string{"CWE-912", "CWE-506"}},
	RuleSetuidAdded:     {"Setuid or setgid executable added by the update", finding.WeakIntegrity, []string{"CWE-250", "CWE-912"}},
	RuleEndpointAdded:   {"Hard-coded public IP address added by the update", finding.UnexpectedEndpoint, []string{"CWE-912"}},
}

// Rules lists the diff's rule ids with their titles, for "doorman rules".
func Rules() map[string]string {
	out := map[string]string{}
	for id, r := range diffRules {
		out[id] = r.title
	}
	return out
}
