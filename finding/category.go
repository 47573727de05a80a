package finding

// Category is one word of the closed vocabulary in spec/interface.md.
type Category string

// The categories of the contract. New ones may be added; these never change.
const (
	BackdoorAccount        Category = "backdoor-account"
	HardcodedCredential    Category = "hardcoded-credential"
	RemoteAccessService    Category = "remote-access-service"
	KnownBackdoor          Category = "known-backdoor"
	HiddenTrigger          Category = "hidden-trigger"
	RemoteCommandExecution Category = "remote-command-execution"
	DownloadExecute        Category = "download-execute"
	ObfuscatedPayload      Category = "obfuscated-payload"
	DataExfiltration       Category = "data-exfiltration"
	SurveillanceCapability Category = "surveillance-capability"
	TimeBomb               Category = "time-bomb"
	BuildTampering         Category = "build-tampering"
	ReleaseSourceMismatch  Category = "release-source-mismatch"
	DependencyRisk         Category = "dependency-risk"
	UpdateIntegrity        Category = "update-integrity"
	TrojanSource           Category = "trojan-source"
	NetworkBeacon          Category = "network-beacon"
	CovertChannel          Category = "covert-channel"
	UnexpectedEndpoint     Category = "unexpected-endpoint"
	WeakIntegrity          Category = "weak-integrity"
)

// Categories lists every known category in contract order.
var Categories = []Category{
	BackdoorAccount, HardcodedCredential, RemoteAccessService, KnownBackdoor,
	HiddenTrigger, RemoteCommandExecution, DownloadExecute, ObfuscatedPayload,
	DataExfiltration, SurveillanceCapability, TimeBomb, BuildTampering,
	ReleaseSourceMismatch, DependencyRisk, UpdateIntegrity, TrojanSource,
	NetworkBeacon, CovertChannel, UnexpectedEndpoint, WeakIntegrity,
}

// Valid reports whether c is in the contract's vocabulary.
func (c Category) Valid() bool {
	for _, k := range Categories {
		if k == c {
			return true
		}
	}
	return false
}
