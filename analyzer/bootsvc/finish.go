package bootsvc

import (
	"fmt"
	"sort"
	"strings"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/finding"
)

// Service is one entry of the "services" inventory: something the boot
// starts that serves or runs in the background.
type Service struct {
	Name      string `json:"name"`
	Command   string `json:"command"`
	Path      string `json:"path"`
	Line      int    `json:"line,omitempty"`
	StartedBy string `json:"started_by"`
	Port      int    `json:"port,omitempty"`
}

func finish(p *analyzer.FinishPass) {
	var inventory []Service
	for _, fs := range group(p) {
		r := newRunner(fs)
		r.boot()
		inventory = append(inventory, reportStarted(p, fs, r)...)
		reportInittab(p, fs)
		reportNotStarted(p, fs, r)
		reportSSHD(p, fs, r)
		reportADB(p, fs)
		reportUCI(p, fs)
	}
	if len(inventory) > 0 {
		p.Inventory("services", inventory)
	}
}

func newFinding(fs *fsys, d *Detection, filePath string, c Cmd) finding.Finding {
	return finding.Finding{
		Rule: d.Rule, Category: finding.RemoteAccessService, CWE: cwe,
		Severity: d.Severity, Confidence: finding.ConfidenceHigh,
		Title:      Titles[d.Rule],
		Location:   finding.Location{Target: fs.target, Path: filePath, Line: c.Line},
		Evidence:   c.Text,
		References: refsFor(d),
	}
}

func refsFor(d *Detection) []string {
	if d.Refs != nil {
		return d.Refs
	}
	switch d.Rule {
	case RuleTelnetShell, RuleTelnetd, RuleRServices:
		return refTelnet
	}
	return nil
}

// reportStarted reports what the boot starts and returns the services for
// the inventory.
func reportStarted(p *analyzer.FinishPass, fs *fsys, r *runner) []Service {
	var inv []Service
	seen := map[string]bool{}
	for _, s := range r.out {
		d := classify(s.cmd.Args, s.cmd.Pipe)
		key := cmdKey(s.path, s.cmd)
		if seen[key] {
			continue
		}
		seen[key] = true
		if d != nil && s.port != 0 {
			d.Port = s.port
		}
		if d != nil || s.svc || s.cmd.Background || daemonish(s.cmd.Args) {
			inv = append(inv, service(s, d))
		}
		if d == nil {
			continue
		}
		f := newFinding(fs, d, s.path, s.cmd)
		how := "started at boot by " + s.by
		if s.cmd.Cond {
			how = "started at boot, under a condition, by " + s.by
		}
		f.Message = d.What + "; " + how
		if d.Rule == RuleTelnetd && fs.rootEmpty && f.Severity >= finding.High {
			f.Severity = finding.Critical
			f.Message += "; root's password is empty on this image, so the login lets anyone in as root"
		}
		p.Report(f)
	}
	return inv
}

func service(s startedCmd, d *Detection) Service {
	u := unwrap(s.cmd.Args)
	if len(u) == 0 {
		u = s.cmd.Args
	}
	sv := Service{Name: progName(u[0]), Command: strings.Join(u, " "), Path: s.path, Line: s.cmd.Line, StartedBy: s.by, Port: s.port}
	if len(sv.Command) > maxTextLen {
		sv.Command = sv.Command[:maxTextLen] + "…"
	}
	if d != nil && d.Port != 0 {
		sv.Port = d.Port
	}
	return sv
}

// daemonish reports whether a command looks like a daemon rather than a
// one-shot tool: launched through a daemon launcher, or a name ending in
// "d" that is not a shell utility.
func daemonish(args []string) bool {
	if len(args) == 0 {
		return false
	}
	switch progName(args[0]) {
	case "start-stop-daemon", "procd_set_param", "service_start", "daemon":
		return unwrap(args) != nil
	}
	u := unwrap(args)
	if len(u) == 0 {
		return false
	}
	n := progName(u[0])
	switch n {
	case "cd", "sed", "mkd", "find", "chmod", "chown", "echo", "read", "kill", "killall", "ifconfig", "uname", "mknod", "modprobe", "insmod", "rmmod":
		return false
	}
	return len(n) > 2 && strings.HasSuffix(n, "d") && !strings.Contains(n, ".")
}

// reportInittab reports interactive shells init runs on a console.
func reportInittab(p *analyzer.FinishPass, fs *fsys) {
	it := fs.inittab
	if it == nil {
		return
	}
	for i, e := range it.Entries {
		if !e.atBoot() || i >= len(it.Cmds) || len(it.Cmds[i]) == 0 {
			continue
		}
		c := it.Cmds[i][0]
		d := consoleShell(e, c.Args)
		if d == nil {
			continue
		}
		f := newFinding(fs, d, fs.inittabPath, c)
		f.Message = d.What
		p.Report(f)
	}
}

// reportNotStarted reports, at low severity, services that are present in
// a boot file but that nothing in the boot chain starts.
func reportNotStarted(p *analyzer.FinishPass, fs *fsys, r *runner) {
	report := func(filePath string, c Cmd, why string) {
		if r.reached[cmdKey(filePath, c)] {
			return
		}
		d := classify(c.Args, c.Pipe)
		if d == nil {
			return
		}
		r.reached[cmdKey(filePath, c)] = true
		f := newFinding(fs, d, filePath, c)
		f.Severity, f.Confidence = finding.Low, finding.ConfidenceMedium
		f.Message = d.What + "; but " + why + ", so it is present but not started"
		p.Report(f)
	}
	names := make([]string, 0, len(fs.scripts))
	for n := range fs.scripts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		s := fs.scripts[n]
		why := "nothing in the boot chain runs this script"
		if r.ran[n] {
			why = "the boot runs this script without reaching this line (a function never called, or another branch)"
		}
		for _, c := range s.Top {
			report(fs.scriptPath[n], c, why)
		}
		fnames := make([]string, 0, len(s.Funcs))
		for fn := range s.Funcs {
			fnames = append(fnames, fn)
		}
		sort.Strings(fnames)
		for _, fn := range fnames {
			for _, c := range s.Funcs[fn] {
				report(fs.scriptPath[n], c, why)
			}
		}
	}
	for _, ur := range fs.units {
		for _, c := range ur.u.Exec {
			report(ur.path, c, "no .wants link enables "+ur.u.Base)
		}
	}
	for _, ir := range fs.inetd {
		why := "inetd is not started at boot"
		if ir.svc.Disabled {
			why = "the service is disabled (disable = yes)"
		}
		report(ir.path, ir.svc.Cmd, why)
	}
	for _, rr := range fs.rcs {
		for _, s := range rr.rc.Services {
			report(rr.path, s.Cmd, "the service is disabled and no trigger starts it")
		}
	}
}

// reportSSHD reports sshd configurations that accept empty passwords.
func reportSSHD(p *analyzer.FinishPass, fs *fsys, r *runner) {
	sshdOn := !fs.hasInitSystem()
	for _, s := range r.out {
		if u := unwrap(s.cmd.Args); len(u) > 0 && progName(u[0]) == "sshd" {
			sshdOn = true
		}
	}
	for _, sr := range fs.sshd {
		if !sr.s.PermitEmpty {
			continue
		}
		d := &Detection{Rule: RuleEmptyPasswordSSH, Severity: finding.High}
		f := newFinding(fs, d, sr.path, Cmd{Line: sr.s.PermitEmptyLine, Text: sr.s.PermitEmptyText})
		f.Message = "sshd is configured with PermitEmptyPasswords yes: any account with an empty password can log in over SSH"
		if fs.rootEmpty {
			f.Severity = finding.Critical
			f.Message += "; root's password is empty on this image"
		}
		if !sshdOn {
			f.Severity, f.Confidence = finding.Low, finding.ConfidenceMedium
			f.Message += "; but nothing in the boot chain starts sshd"
		}
		p.Report(f)
	}
}

// reportADB reports Android debugging over TCP and without
// authentication, from properties files and init triggers.
func reportADB(p *analyzer.FinishPass, fs *fsys) {
	type src struct {
		path string
		p    Prop
	}
	var tcp []src
	var insecure *src
	consider := func(path string, pr Prop) {
		switch pr.Key {
		case "service.adb.tcp.port", "persist.adb.tcp.port":
			if propPort(pr.Value) > 0 {
				tcp = append(tcp, src{path, pr})
			}
		case "ro.adb.secure":
			if strings.TrimSpace(pr.Value) == "0" && insecure == nil {
				insecure = &src{path, pr}
			}
		}
	}
	for _, pr := range fs.props {
		consider(pr.path, pr.p)
	}
	for _, rr := range fs.rcs {
		for _, pr := range rr.rc.Setprops {
			consider(rr.path, pr)
		}
	}
	for _, s := range tcp {
		port := propPort(s.p.Value)
		d := &Detection{Rule: RuleADBTCP, Severity: finding.High, Refs: refADB}
		f := newFinding(fs, d, s.path, Cmd{Line: s.p.Line, Text: s.p.Text})
		f.Message = fmt.Sprintf("%s=%d makes adbd listen on TCP port %d: anyone on the network can reach Android debugging (a shell, file access, app install)", s.p.Key, port, port)
		if insecure != nil {
			f.Severity = finding.Critical
			f.Message += "; and ro.adb.secure=0 turns off the host-key check, so no one has to approve the connection"
		}
		p.Report(f)
	}
	if insecure != nil {
		d := &Detection{Rule: RuleADBInsecure, Severity: finding.Medium, Refs: refADB}
		f := newFinding(fs, d, insecure.path, Cmd{Line: insecure.p.Line, Text: insecure.p.Text})
		f.Message = "ro.adb.secure=0: adbd accepts any host without the RSA key confirmation, so whoever plugs in a cable (or reaches ADB over the network) gets a shell"
		p.Report(f)
	}
}

// reportUCI reports OpenWrt-style configuration switches that turn a
// telnet server on (`option enable_telnet '1'`, `option telnetd 'on'`):
// whether it runs depends on the init script that reads the option, so
// the finding is medium with low confidence.
func reportUCI(p *analyzer.FinishPass, fs *fsys) {
	for _, u := range fs.uci {
		keys := make([]string, 0, len(u.s.Options))
		for k := range u.s.Options {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if !strings.Contains(strings.ToLower(k), "telnet") || !isOn(u.s.Options[k]) {
				continue
			}
			d := &Detection{Rule: RuleTelnetd, Severity: finding.Medium}
			f := newFinding(fs, d, u.path, Cmd{Line: u.s.Line, Text: capText("config " + u.s.Type + ": option " + k + " '" + u.s.Options[k] + "'")})
			f.Confidence = finding.ConfidenceLow
			f.Message = fmt.Sprintf("the %s configuration turns telnet on (option %s '%s'); a telnet server is a cleartext remote login", u.s.Type, k, u.s.Options[k])
			p.Report(f)
		}
	}
}
