package updatediff

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/doorman-sec/doorman/finding"
)

// setuidNames are programs that are setuid or setgid on ordinary systems
// because their job needs it.
var setuidNames = map[string]bool{
	"busybox": true, "su": true, "sudo": true, "doas": true, "passwd": true, "chsh": true, "chfn": true,
	"newgrp": true, "gpasswd": true, "chage": true, "expiry": true, "sg": true, "mount": true, "umount": true,
	"ping": true, "ping6": true, "traceroute": true, "traceroute6": true, "mtr-packet": true, "pkexec": true,
	"crontab": true, "at": true, "fusermount": true, "fusermount3": true, "ssh-keysign": true,
	"dbus-daemon-launch-helper": true, "unix_chkpwd": true, "pppd": true, "Xorg": true, "wall": true,
	"write": true, "ssh-agent": true, "mount.nfs": true, "mount.cifs": true, "ntfs-3g": true,
	"polkit-agent-helper-1": true, "dotlockfile": true, "chrome-sandbox": true, "plocate": true, "mlocate": true,
}

// setuidDirs are where setuid programs are installed. Anywhere else (a
// web root, /tmp, /etc, a data partition, a hidden folder) a new setuid
// file is a planted way to root.
var setuidDirs = []string{"/bin/", "/sbin/", "/usr/bin/", "/usr/sbin/", "/usr/libexec/", "/usr/lib/", "/usr/local/bin/", "/usr/local/sbin/"}

// setuid reports files that became setuid or setgid in the update: new
// files with the bit, and files that gained it. It needs the probe's file
// list in both versions. Files are taken to be owned by root, as firmware
// file systems almost always are (the walk does not record owners).
// A well-known setuid program in its usual folder is a low change; an
// unknown one there is a medium finding; one anywhere else is high.
func (d *differ) setuid() {
	if !d.old.hasFiles || !d.new.hasFiles {
		return
	}
	oldFiles := indexFiles(d.old.files)
	newPaths := indexFiles(d.new.files).byPath
	for _, f := range d.new.files {
		bits := specialBits(f.Mode)
		if bits == 0 {
			continue
		}
		action := Added
		prev, ok := oldFiles.byPath[f.Path]
		if !ok {
			// Moved: the same content under a path NEW no longer has.
			for _, o := range oldFiles.byHash[f.SHA256] {
				if _, still := newPaths[o.Path]; !still && f.SHA256 != "" {
					prev, ok = o, true
					break
				}
			}
		}
		if ok {
			if specialBits(prev.Mode)&bits == bits {
				continue // already setuid/setgid before the update
			}
			action = Changed
		}
		d.setuidChange(f, prev, ok, action, bits)
	}
}

func (d *differ) setuidChange(f, prev File, existed bool, action string, bits int) {
	p := innerPath(f.Path)
	what := "setuid"
	switch bits {
	case 0o2000:
		what = "setgid"
	case 0o6000:
		what = "setuid and setgid"
	}
	c := finding.Change{Kind: KindSetuid, Action: action, Subject: p, Path: d.new.displayPath(f.Path)}
	if existed {
		c.Detail = fmt.Sprintf("%s: mode %s → %s (%s bit added)", p, prev.Mode, f.Mode, what)
		if prev.Path != f.Path {
			c.OldPath = d.old.displayPath(prev.Path)
		}
	} else {
		c.Detail = fmt.Sprintf("new %s file %s (mode %s)", what, p, f.Mode)
	}
	usual := inSetuidDir(p)
	known := setuidNames[baseName(p)]
	var sev finding.Severity
	switch {
	case !usual:
		sev = finding.High
	case !known:
		sev = finding.Medium
	default:
		c.Severity = finding.Low
		d.change(c, nil)
		return
	}
	if covered := d.reported(f.Path, nil, nil); covered != nil {
		link(&c, covered)
		d.change(c, nil)
		return
	}
	fd := d.newFinding(RuleSetuidAdded, f.Path)
	fd.Severity = sev
	fd.Evidence = fmt.Sprintf("mode %s, sha256 %s", f.Mode, shortHash(f.SHA256))
	if usual {
		fd.Message = fmt.Sprintf("the update makes %s %s (runs with its owner's rights, root on firmware); it is not a program that needs it", p, what)
	} else {
		fd.Confidence = finding.ConfidenceHigh
		fd.Message = fmt.Sprintf("the update puts a %s file at %s, outside the folders where such programs live: a planted way to root", what, p)
	}
	d.change(c, fd)
}

// specialBits returns the setuid (4000) and setgid (2000) bits of an
// octal mode string; 0 when there are none or the mode is unreadable.
func specialBits(mode string) int {
	v, err := strconv.ParseUint(mode, 8, 32)
	if err != nil {
		return 0
	}
	return int(v) & 0o6000
}

func inSetuidDir(p string) bool {
	for _, seg := range strings.Split(p, "/") {
		if strings.HasPrefix(seg, ".") {
			return false // a hidden folder or file is never where setuid belongs
		}
	}
	for _, d := range setuidDirs {
		if strings.HasPrefix(p, d) {
			return true
		}
	}
	return false
}

func shortHash(h string) string {
	if len(h) > 16 {
		return h[:16] + "…"
	}
	if h == "" {
		return "unknown"
	}
	return h
}
