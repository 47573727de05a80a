package bootsvc

import "github.com/doorman-sec/doorman/finding"

// Rule ids.
const (
	RuleTelnetShell      = "DM-SVC-001"
	RuleTelnetd          = "DM-SVC-002"
	RuleRServices        = "DM-SVC-003"
	RuleShellListener    = "DM-SVC-004"
	RuleRawListener      = "DM-SVC-005"
	RuleConsoleShell     = "DM-SVC-006"
	RuleAutologin        = "DM-SVC-007"
	RuleDebugDaemon      = "DM-SVC-008"
	RuleEmptyPasswordSSH = "DM-SVC-009"
	RuleADBTCP           = "DM-SVC-010"
	RuleADBInsecure      = "DM-SVC-011"
)

// Titles maps each rule id to its title.
var Titles = map[string]string{
	RuleTelnetShell:      "Telnet server gives a shell without login",
	RuleTelnetd:          "Telnet server started at boot",
	RuleRServices:        "rlogin/rsh/rexec service started at boot",
	RuleShellListener:    "Network listener that runs a shell or program",
	RuleRawListener:      "Raw netcat/socat listener started at boot",
	RuleConsoleShell:     "Root shell on the serial console without login",
	RuleAutologin:        "Automatic login on a console",
	RuleDebugDaemon:      "Debug or factory daemon started at boot",
	RuleEmptyPasswordSSH: "SSH server accepts empty passwords",
	RuleADBTCP:           "Android debugging (ADB) over TCP",
	RuleADBInsecure:      "Android debugging without authentication",
}

var cwe = []string{"CWE-912", "CWE-1191", "CWE-319"}

// References for the rules about named protocols and vendor daemons.
var (
	refTelnet = []string{"https://cwe.mitre.org/data/definitions/319.html", "https://www.cisa.gov/news-events/alerts/2016/10/14/heightened-ddos-threat-posed-mirai-and-other-botnets"}
	refADB    = []string{"https://developer.android.com/tools/adb#wireless", "https://source.android.com/docs/security/features/verifiedboot/device-state"}
)

// debugDaemon describes a vendor debug or factory service known by name.
type debugDaemon struct {
	sev   finding.Severity
	port  int
	proto string
	what  string
	refs  []string
}

// debugDaemons are vendors' debug and manufacturing services that have no
// business running on a shipped device. Names without a published
// advisory are generic factory/debug daemon names and get medium.
var debugDaemons = map[string]debugDaemon{
	"tddp": {finding.High, 1040, "udp",
		"tddp (TP-Link Device Debug Protocol) on UDP port 1040: its version-1 commands need no authentication and one of them runs code as root",
		[]string{"https://nvd.nist.gov/vuln/detail/CVE-2020-28347", "https://mjg59.dreamwidth.org/51672.html"}},
	"udpserver": {finding.Critical, 9034, "udp",
		"UDPServer, the Realtek SDK \"MP daemon\" factory tool, runs commands it receives over the network without authentication (CVE-2021-35394, exploited by Mirai variants)",
		[]string{"https://nvd.nist.gov/vuln/detail/CVE-2021-35394", "https://onekey.com/blog/advisory-multiple-issues-realtek-sdk-iot-supply-chain/"}},
	"telnetenabled": {finding.High, 23, "udp",
		"telnetenabled, NETGEAR's telnet unlock daemon: a magic UDP packet starts a root telnet shell",
		[]string{"https://openwrt.org/toh/netgear/telnet.console"}},
	"telnetenable": {finding.High, 23, "udp",
		"telnetenable, NETGEAR's telnet unlock daemon: a magic UDP packet starts a root telnet shell",
		[]string{"https://openwrt.org/toh/netgear/telnet.console"}},
	"mfgd":      {finding.Medium, 0, "", "mfgd, a manufacturing (factory test) daemon", nil},
	"mfg_test":  {finding.Medium, 0, "", "mfg_test, a manufacturing test daemon", nil},
	"factoryd":  {finding.Medium, 0, "", "factoryd, a factory test daemon", nil},
	"factory":   {finding.Medium, 0, "", "factory, a factory test daemon", nil},
	"debugd":    {finding.Medium, 0, "", "debugd, a debug daemon", nil},
	"dbgd":      {finding.Medium, 0, "", "dbgd, a debug daemon", nil},
	"debug_srv": {finding.Medium, 0, "", "debug_srv, a debug server", nil},
}
