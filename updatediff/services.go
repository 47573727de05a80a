package updatediff

import (
	"fmt"
	"strings"

	"github.com/doorman-sec/doorman/finding"
)

// serviceKey identifies a service across versions by its name and the
// program it runs: arguments change between versions for ordinary
// reasons, and the boot file that starts it may be renamed (S50 → S45).
func serviceKey(s service) string { return s.Name + "\x00" + program(s.Command) }

// program returns the program a command line runs (its first word).
func program(cmd string) string {
	f := strings.Fields(cmd)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// remoteShells are daemons whose only job is to give a remote shell; one
// the update starts at boot is a way in even when no analyzer named it.
var remoteShells = map[string]bool{
	"telnetd": true, "utelnetd": true, "in.telnetd": true, "rlogind": true, "in.rlogind": true,
	"rshd": true, "in.rshd": true, "rexecd": true, "in.rexecd": true, "adbd": true,
}

// isRemoteShell says whether a boot command starts a remote shell: a
// telnet/r-services daemon, or netcat/socat listening.
func isRemoteShell(cmd string) bool {
	p := baseName(program(cmd))
	if p == "busybox" { // "busybox telnetd -l /bin/sh"
		f := strings.Fields(cmd)
		if len(f) > 1 {
			p = f[1]
		}
	}
	if remoteShells[p] {
		return true
	}
	switch p {
	case "nc", "netcat", "ncat":
		return strings.Contains(cmd, " -l") || strings.Contains(cmd, " -p ")
	case "socat":
		return strings.Contains(strings.ToUpper(cmd), "LISTEN")
	}
	return false
}

// services reports services the update starts at boot, and those it no
// longer starts. A new one that gives a remote shell is a finding (high)
// unless the boot-service analyzer already reported it; so is one that
// runs a new or changed executable able to listen and run commands
// (medium).
func (d *differ) services() {
	oldBy := map[string]service{}
	for _, s := range d.old.services {
		oldBy[serviceKey(s)] = s
	}
	newBy := map[string]bool{}
	for _, s := range d.new.services {
		k := serviceKey(s)
		if newBy[k] {
			continue // started twice (inittab and rcS): one change
		}
		newBy[k] = true
		if o, ok := oldBy[k]; ok {
			if o.Command != s.Command {
				d.change(finding.Change{Kind: KindService, Action: Changed, Subject: s.Name, Path: d.new.displayPath(s.Path),
					Detail: fmt.Sprintf("service '%s' now runs %q (was %q)", s.Name, s.Command, o.Command)}, nil)
			}
			continue
		}
		d.serviceAdded(s)
	}
	for _, o := range d.old.services {
		k := serviceKey(o)
		if !newBy[k] {
			newBy[k] = true
			d.change(finding.Change{Kind: KindService, Action: Removed, Subject: o.Name, Path: d.old.displayPath(o.Path),
				Detail: fmt.Sprintf("service '%s' (%s) no longer started at boot", o.Name, o.Command)}, nil)
		}
	}
}

func (d *differ) serviceAdded(s service) {
	c := finding.Change{Kind: KindService, Action: Added, Subject: s.Name, Path: d.new.displayPath(s.Path),
		Severity: finding.Low, Detail: serviceDetail(s)}
	prog := baseName(program(s.Command))
	covered := d.reported("", []finding.Category{finding.RemoteAccessService}, func(f *finding.Finding) bool {
		return KeyOf(f, d.new.target).Path == s.Path || (prog != "" && strings.Contains(f.Evidence+" "+f.Message, prog))
	})
	if covered != nil {
		link(&c, covered)
		d.change(c, nil)
		return
	}
	if isRemoteShell(s.Command) {
		f := d.newFinding(RuleServiceAdded, s.Path)
		f.Severity = finding.High
		f.Message = fmt.Sprintf("the update starts '%s' at boot (%s): a remote shell the previous version did not offer", s.Name, s.StartedBy)
		f.Evidence = s.Command
		d.change(c, f)
		return
	}
	if b, ok := d.changedBinary(program(s.Command)); ok && hasAll(b.Capabilities, "net-listen") && hasAny(b.Capabilities, "exec", "shell") {
		f := d.newFinding(RuleServiceAdded, s.Path)
		f.Severity = finding.Medium
		f.Confidence = finding.ConfidenceLow
		f.Message = fmt.Sprintf("the update starts '%s' at boot (%s), a new or changed program that listens on the network and can run commands", s.Name, s.StartedBy)
		f.Evidence = s.Command
		d.change(c, f)
		return
	}
	d.change(c, nil)
}

func serviceDetail(s service) string {
	det := fmt.Sprintf("new service at boot: '%s' runs %q", s.Name, s.Command)
	if s.StartedBy != "" {
		det += ", started by " + s.StartedBy
	}
	if s.Port > 0 {
		det += fmt.Sprintf(", port %d", s.Port)
	}
	return det
}

// changedBinary returns NEW's binary at a program path ("/usr/sbin/x")
// when it is new or changed in the update.
func (d *differ) changedBinary(prog string) (elfInfo, bool) {
	if prog == "" || !strings.HasPrefix(prog, "/") {
		return elfInfo{}, false
	}
	for _, b := range d.new.binaries {
		if innerPath(b.Path) != prog {
			continue
		}
		for _, o := range d.old.binaries {
			if o.Path == b.Path && !d.binaryChanged(o, b) {
				return b, false
			}
		}
		return b, true
	}
	return elfInfo{}, false
}

func hasAll(list []string, want ...string) bool {
	for _, w := range want {
		if !hasAny(list, w) {
			return false
		}
	}
	return true
}

func hasAny(list []string, want ...string) bool {
	for _, l := range list {
		for _, w := range want {
			if l == w {
				return true
			}
		}
	}
	return false
}
