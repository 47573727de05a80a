package report

import "github.com/doorman-sec/doorman/finding"

// categoryExplanations says, in one plain sentence for someone who has
// never used doorman, what each category of the contract means for them.
var categoryExplanations = map[finding.Category]string{
	finding.BackdoorAccount:        "Someone could log in with an account the owner does not know about, or with a password that is publicly known.",
	finding.HardcodedCredential:    "A password, key or access token is built into the software, so anyone who has a copy of it also has the secret.",
	finding.RemoteAccessService:    "A remote login, shell or debug service is switched on by default, giving a way in over the network that the owner may not expect.",
	finding.KnownBackdoor:          "This matches a backdoor that has been publicly documented; the reference explains what it does.",
	finding.HiddenTrigger:          "Hidden functionality unlocks when someone sends a secret value, such as a magic password, header, packet or port knock.",
	finding.RemoteCommandExecution: "The code runs commands or code that it receives from the network, so whoever can reach it can make it do anything.",
	finding.DownloadExecute:        "The software downloads code while it installs, builds or runs, and runs it without checking that it is the expected code.",
	finding.ObfuscatedPayload:      "Code is hidden by encoding, encryption or packing and only unpacked when it runs, a common way to slip past reviewers.",
	finding.DataExfiltration:       "The software collects secrets, files or device data and sends them to a remote server.",
	finding.SurveillanceCapability: "The software can use the camera, microphone, screen, keystrokes or location and send what it captures elsewhere.",
	finding.TimeBomb:               "Something happens only on a certain date, in a certain place, on a certain machine or after a count, which hides it from testing.",
	finding.BuildTampering:         "Build or install scripts slip hidden code into the result, or generated files differ from what their sources produce.",
	finding.ReleaseSourceMismatch:  "The released package contains something different from the source code it claims to be built from.",
	finding.DependencyRisk:         "A dependency may not be what it claims: its checksum does not match, its name imitates a popular package, or it comes from an unexpected place.",
	finding.UpdateIntegrity:        "Updates are not protected against forgery, so whoever can tamper with the network or the update server could install their own code.",
	finding.TrojanSource:           "Invisible or look-alike characters make the source code read differently from how the computer runs it.",
	finding.NetworkBeacon:          "The device calls a remote server at regular intervals, which is how remotely controlled implants usually keep in touch.",
	finding.CovertChannel:          "Data is hidden inside another kind of traffic, such as DNS queries or ICMP packets, to get past monitoring.",
	finding.UnexpectedEndpoint:     "The software contacts, or is built to contact, an internet address outside what it should need.",
	finding.WeakIntegrity:          "A weakness makes tampering easy or invisible, such as a missing signature check, an enabled debug interface or world-writable start-up scripts.",
}

// CategoryExplanation returns a one-sentence, plain-language explanation of
// a finding category for a reader who has never used doorman. Categories
// added to the contract after this text was written get a generic sentence
// rather than nothing.
func CategoryExplanation(c finding.Category) string {
	if s, ok := categoryExplanations[c]; ok {
		return s
	}
	return "A kind of finding this version of the report does not describe; the rule and references explain it."
}

// severityExplanations says what each severity asks of the reader.
var severityExplanations = map[finding.Severity]string{
	finding.Critical: "act now: a way in or a leak that is very likely real and exploitable.",
	finding.High:     "a strong sign of a backdoor or a serious way in; resolve before deploying.",
	finding.Medium:   "suspicious; a person should decide whether it is intended.",
	finding.Low:      "a weak signal or a hardening issue.",
	finding.Info:     "context for a reviewer; not a problem on its own.",
}

// severityExplanation returns what a severity asks of the reader.
func severityExplanation(s finding.Severity) string {
	if e, ok := severityExplanations[s]; ok {
		return e
	}
	return "a severity this version of the report does not know."
}
