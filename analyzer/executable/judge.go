package executable

import (
	"fmt"
	"sort"
	"strings"

	"github.com/doorman-sec/doorman/exe"
	"github.com/doorman-sec/doorman/finding"
)

// Verdict is one conclusion about one binary, before it becomes a finding.
type Verdict struct {
	Rule       string
	Severity   finding.Severity
	Confidence finding.Confidence
	Message    string
	Evidence   string
	References []string
}

// caps is the set of a binary's capabilities with their evidence.
type caps map[exe.CapName][]string

func capsOf(info *exe.Info) caps {
	c := caps{}
	for _, k := range info.Capabilities {
		c[k.Name] = k.Evidence
	}
	return c
}

func (c caps) has(names ...exe.CapName) bool {
	for _, n := range names {
		if _, ok := c[n]; !ok {
			return false
		}
	}
	return true
}

func (c caps) any(names ...exe.CapName) bool {
	for _, n := range names {
		if _, ok := c[n]; ok {
			return true
		}
	}
	return false
}

// evidence lists the named capabilities with a few reasons each:
// "net-listen (import:bind, import:listen); dup-fd (import:dup2)".
func (c caps) evidence(names ...exe.CapName) string {
	var parts []string
	for _, n := range names {
		ev, ok := c[n]
		if !ok {
			continue
		}
		if len(ev) > maxEvidencePerCap {
			ev = ev[:maxEvidencePerCap]
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", n, strings.Join(ev, ", ")))
	}
	return strings.Join(parts, "; ")
}

// judge carries one binary's context through the rules.
type judge struct {
	info  *exe.Info
	ctx   Context
	c     caps
	roles map[Role]bool
	odd   string
	boot  bool
	out   []Verdict
}

// generalImports is how many imported functions make a program general-
// purpose for the shell-shape rules: a dedicated bind or reverse shell
// imports a few dozen.
const generalImports = 120

// Judge decides what a binary's capabilities mean, given its context. It
// is a pure function: the same Info and Context give the same verdicts,
// sorted by rule.
func Judge(info *exe.Info, ctx Context) []Verdict {
	if info == nil {
		return nil
	}
	j := &judge{info: info, ctx: ctx, c: capsOf(info), roles: ctx.Roles(), odd: ctx.OddPlace(), boot: ctx.StartedBy != ""}
	if j.odd != "" {
		j.roles = map[Role]bool{} // a "bash" in /tmp is not the system's shell
	} else if t := info.Type; t == "shared" || t == "dll" || t == "dylib" {
		// A library holds code for whoever loads it: connect, dup2 and
		// "/bin/sh" together in libvips or libc are not a shell of its own.
		// Magic-packet shapes stay judged (Symbiote hides in an LD_PRELOAD
		// library), and so does anything in an odd place.
		j.roles[RoleLibrary] = true
	}
	if j.odd == "" && len(info.Imports) >= generalImports {
		// ssh, tmux, git, perf, PuTTY's tools: hundreds of imported
		// functions, and listen + dup2 + a shell among them as features
		// (port forwarding, panes, hooks). The backdoors these shapes
		// catch are small dedicated programs.
		j.roles[RoleGeneral] = true
	}
	j.bindShell()
	j.reverseShell()
	j.magicPacket()
	j.hiddenCredential()
	j.surveillance()
	j.packed()
	j.evasive()
	sort.SliceStable(j.out, func(a, b int) bool { return j.out[a].Rule < j.out[b].Rule })
	return j.out
}

// raise adds a level for each context that makes a capability worse: the
// boot starts the binary, it lives in an odd place. It returns the new
// severity and the reasons, for the message.
func (j *judge) raise(s finding.Severity, boot, odd bool) (finding.Severity, []string) {
	var why []string
	if boot && j.boot {
		s++
		why = append(why, "the boot starts it ("+j.ctx.StartedBy+")")
	}
	if odd && j.odd != "" {
		s++
		why = append(why, "it lives in "+j.odd+", an odd place for a program")
	}
	return min(s, finding.Critical), why
}

// capBy lowers s to limit when the binary has one of the roles, and says
// which role explained it.
func (j *judge) capBy(s, limit finding.Severity, roles ...Role) (finding.Severity, string) {
	for _, r := range roles {
		if j.roles[r] && s > limit {
			return limit, roleNames[r]
		}
	}
	return s, ""
}

func (j *judge) add(rule string, s finding.Severity, conf finding.Confidence, what string, why []string, role, evidence string, refs ...string) {
	if s < finding.Info {
		return
	}
	msg := what
	if len(why) > 0 {
		msg += "; " + strings.Join(why, "; ")
	}
	if role != "" {
		msg += "; kept at " + s.String() + " because it is " + role + ", whose job this is"
	}
	j.out = append(j.out, Verdict{Rule: rule, Severity: s, Confidence: conf, Message: msg, Evidence: evidence, References: refs})
}

// bindShell: listen + dup-fd + exec or shell.
func (j *judge) bindShell() {
	if !j.c.has(exe.CapNetListen, exe.CapDupFD) || !j.c.any(exe.CapExec, exe.CapShell) {
		return
	}
	// Without a shell, listen + dup2 + exec is also every daemon that
	// detaches (dup2 onto /dev/null) and runs a hook: low unless raised.
	base, conf := finding.Low, finding.ConfidenceLow
	what := "it listens on the network, redirects descriptors (dup2) and runs programs: the shape of a bind shell"
	boot := false // a detaching daemon with a hook is started at boot too
	if j.c.has(exe.CapShell) {
		base, conf, boot = finding.High, finding.ConfidenceMedium, true
		what = "it listens on the network, redirects descriptors (dup2) and runs a shell: the shape of a bind shell"
	}
	s, why := j.raise(base, boot, true)
	s, role := j.capBy(s, finding.Low, RoleMultiCall, RoleShell, RoleInterpreter, RoleServer, RoleLibrary, RoleGeneral)
	j.add(RuleBindShell, s, conf, what, why, role, j.c.evidence(exe.CapNetListen, exe.CapDupFD, exe.CapExec, exe.CapShell), refUnixShell)
}

// reverseShell: connect + dup-fd + shell, judged by the endpoint it holds.
func (j *judge) reverseShell() {
	if !j.c.has(exe.CapNetConnect) {
		return
	}
	public := publicEndpoints(j.info.Endpoints)
	if j.c.has(exe.CapDupFD, exe.CapShell) {
		public := dialTargets(public) // a shell's peer is an address and port, not a web page
		base, conf := finding.Low, finding.ConfidenceLow
		what := "it connects out, redirects descriptors (dup2) and runs a shell: the shape of a reverse shell, with the peer given at run time"
		ev := j.c.evidence(exe.CapNetConnect, exe.CapDupFD, exe.CapShell)
		if len(public) > 0 {
			base, conf = finding.High, finding.ConfidenceMedium
			what = "it connects to the hard-coded endpoint " + maskEndpoint(public[0]) + ", redirects descriptors (dup2) and runs a shell: a reverse shell"
			ev = "endpoint " + maskEndpoint(public[0]) + "; " + ev
		}
		s, why := j.raise(base, true, true)
		s, role := j.capBy(s, finding.Low, RoleMultiCall, RoleShell, RoleInterpreter, RoleClient, RoleLibrary, RoleGeneral)
		j.add(RuleReverseShell, s, conf, what, why, role, ev, refUnixShell)
		return
	}
	// Not a shell's shape: a fixed public endpoint in a program that can
	// run commands is still worth a look, at low unless the place is odd.
	if len(public) > 0 && j.c.any(exe.CapExec, exe.CapShell) {
		// Firmware daemons often call home: only an odd place raises it.
		s, why := j.raise(finding.Low, false, true)
		s, role := j.capBy(s, finding.Low, RoleMultiCall, RoleShell, RoleInterpreter, RoleClient, RoleLibrary, RoleGeneral)
		what := "it holds the hard-coded public endpoint " + maskEndpoint(public[0]) + " and can run commands"
		j.add(RuleEndpoint, s, finding.ConfidenceLow, what, why, role, "endpoint "+maskEndpoint(public[0])+"; "+j.c.evidence(exe.CapNetConnect, exe.CapExec, exe.CapShell), refUnixShell)
	}
}

// magicPacket: raw socket or packet filter + a comparison + exec (BPFDoor).
func (j *judge) magicPacket() {
	if !j.c.any(exe.CapRawSocket, exe.CapPacketFilter) || !j.c.has(exe.CapStringCompare) || !j.c.any(exe.CapExec, exe.CapShell) {
		return
	}
	base, conf := finding.Medium, finding.ConfidenceLow
	what := "it reads raw packets, compares their content and runs commands: the shape of a magic-packet back door"
	if j.c.has(exe.CapRawSocket, exe.CapPacketFilter) {
		base, conf = finding.High, finding.ConfidenceMedium
		what = "it opens a raw socket, attaches a packet filter, compares packet content and runs commands: a magic-packet listener like BPFDoor, which needs no open port"
	}
	s, why := j.raise(base, true, true)
	if j.c.has(exe.CapMasquerade) {
		s = min(s+1, finding.Critical)
		why = append(why, "it also renames its process (masquerade), as BPFDoor does")
	}
	s, role := j.capBy(s, finding.Low, RoleMultiCall, RolePacketTool)
	j.add(RuleMagicPacket, s, conf, what, why, role, j.c.evidence(exe.CapRawSocket, exe.CapPacketFilter, exe.CapStringCompare, exe.CapExec, exe.CapShell, exe.CapMasquerade), refBPFDoorSF, refBPFDoorEl)
}

// hiddenCredential: a compare + a password-like literal beside a login or
// password string.
func (j *judge) hiddenCredential() {
	if !j.c.has(exe.CapStringCompare) || len(j.ctx.Credentials) == 0 {
		return
	}
	h := j.ctx.Credentials[0]
	s, conf := finding.Medium, finding.ConfidenceMedium
	var why []string
	strong := j.c.has(exe.CapNetListen) && j.c.any(exe.CapShell, exe.CapExec)
	if strong {
		s, conf = finding.High, finding.ConfidenceMedium
		why = append(why, "it also listens on the network and runs a shell: a network login with a baked-in password")
	}
	if j.boot {
		s = min(s+1, finding.High)
		why = append(why, "the boot starts it ("+j.ctx.StartedBy+")")
	}
	s, role := j.capBy(s, finding.Medium, RoleMultiCall, RoleLibrary, RoleGeneral)
	what := fmt.Sprintf("the literal '%s' is stored beside %q and the program compares strings: a hidden credential check", finding.Mask(h.Literal), h.Context)
	if n := len(j.ctx.Credentials); n > 1 {
		what += fmt.Sprintf(" (%d such literals)", n)
	}
	j.add(RuleHiddenCred, s, conf, what, why, role, fmt.Sprintf("%q … '%s'", h.Context, finding.Mask(h.Literal)), refCWE798)
}

// surveillance: camera or microphone and the network, for PE and Mach-O
// (the surveil analyzer judges ELF binaries: DM-SURV-001).
func (j *judge) surveillance() {
	if j.info.Format == "elf" || !j.c.any(exe.CapCamera, exe.CapMicrophone) || !j.c.has(exe.CapNetConnect) {
		return
	}
	s := finding.Medium
	var why []string
	trigger := j.c.any(exe.CapRawSocket, exe.CapPacketFilter)
	public := publicEndpoints(j.info.Endpoints)
	if trigger {
		s++
		why = append(why, "it waits for a packet trigger (raw socket or packet filter)")
	}
	if len(public) > 0 {
		s++
		why = append(why, "it holds the hard-coded endpoint "+maskEndpoint(public[0]))
	}
	what := "it reaches the camera or microphone and connects out over the network"
	j.add(RuleSurveillance, min(s, finding.Critical), finding.ConfidenceMedium, what, why, "", j.c.evidence(exe.CapCamera, exe.CapMicrophone, exe.CapNetConnect, exe.CapRawSocket, exe.CapPacketFilter), refVideo, refAudio)
}

// packed: UPX or high-entropy executable content.
func (j *judge) packed() {
	p := j.info.Packer
	if p == "" {
		return
	}
	base, conf := finding.Low, finding.ConfidenceLow
	what := "its executable content has the entropy of compressed or encrypted data: packed by an unnamed packer, so its code cannot be reviewed as shipped"
	if p == "upx" {
		base, conf = finding.Medium, finding.ConfidenceHigh
		what = "it is packed with UPX: its code is unpacked in memory at run time, so what runs cannot be reviewed as shipped"
	}
	s, why := j.raise(base, true, true)
	if j.ctx.FirmwareBin() && j.odd == "" {
		s = min(s+1, finding.Critical)
		why = append(why, "it is a system program ("+j.ctx.Name+") of a firmware or package")
	}
	s, role := j.capBy(s, finding.Medium, RoleMultiCall)
	j.add(RulePacked, s, conf, what, why, role, "packer "+p+sectionNote(j.info), refPacking, refUPX)
}

// evasive: process masquerade + anti-debug + network.
func (j *judge) evasive() {
	if !j.c.has(exe.CapMasquerade, exe.CapAntiDebug) || !j.c.any(exe.CapNetConnect, exe.CapNetListen, exe.CapRawSocket) {
		return
	}
	if j.roles[RoleDebugger] {
		return // ptrace is a debugger's job
	}
	s, why := j.raise(finding.Medium, true, true)
	s, role := j.capBy(s, finding.Low, RoleMultiCall)
	what := "it renames its process, resists debugging and uses the network: an implant hiding from the people looking at it"
	j.add(RuleEvasive, s, finding.ConfidenceMedium, what, why, role, j.c.evidence(exe.CapMasquerade, exe.CapAntiDebug, exe.CapNetConnect, exe.CapNetListen, exe.CapRawSocket), refMasquerade, refDebugEvade)
}

// sectionNote names the most entropic executable section, for evidence.
func sectionNote(info *exe.Info) string {
	best := -1
	for i, s := range info.Sections {
		if s.Exec && (best < 0 || s.Entropy > info.Sections[best].Entropy) {
			best = i
		}
	}
	if best < 0 {
		return ""
	}
	s := info.Sections[best]
	return fmt.Sprintf("; section %s %.2f bits/byte", printable(s.Name), s.Entropy)
}
