package updatediff

import (
	"regexp"
	"strings"
)

// carvedOffset matches the offset of a carved region in a display path
// ("squashfs@0x1a0000"). A rebuilt image moves its regions, so the offset
// says nothing about whether two findings are the same.
var carvedOffset = regexp.MustCompile(`@0[xX][0-9a-fA-F]+`)

// NormPath writes a display path so that the same file in two versions of
// a target has the same spelling: the target's name as given is removed
// (OLD and NEW are different files) and carved offsets become "@*".
// "fw-1.0.bin!/squashfs@0x1a0000!/etc/shadow" and
// "fw-1.1.bin!/squashfs@0x1b2000!/etc/shadow" both become
// "!/squashfs@*!/etc/shadow".
//
// A compressed target's content is named after it ("fw-1.0.tgz" holds
// "fw-1.0.tar"), so it carries the version too: such names, right after
// the target, are written "~".
func NormPath(path, target string) string {
	if target != "" && strings.HasPrefix(path, target) {
		rest := path[len(target):]
		// Only cut at a boundary: target "fw" must not eat "fw2.bin".
		if rest == "" || strings.HasPrefix(rest, "!/") || strings.HasPrefix(rest, "/") {
			path = streamNames(rest, baseName(strings.TrimRight(target, "/")))
		}
	}
	return carvedOffset.ReplaceAllString(path, "@*")
}

// streamNames replaces the names that decompressed streams took from the
// target ("fw-1.0.tar.gz" → "fw-1.0.tar" → its members) by "~".
func streamNames(rest, prev string) string {
	if !strings.HasPrefix(rest, "!/") {
		return rest
	}
	parts := strings.Split(rest, "!/")
	for i := 1; i < len(parts); i++ {
		seg := parts[i]
		if strings.Contains(seg, "/") || !derivedName(prev, seg) {
			break
		}
		parts[i], prev = "~", seg
	}
	return strings.Join(parts, "!/")
}

// derivedName says whether name is what a stream inside container is
// called: the container's name without its compression extension, with
// ".tar" or ".cpio" for the short forms (".tgz", ".cpgz").
func derivedName(container, name string) bool {
	for _, repl := range []string{".tar", ".cpio", ""} {
		stem, ok := strings.CutSuffix(name, repl)
		if !ok || stem == "" || len(container) <= len(stem) {
			continue
		}
		if strings.HasPrefix(container, stem) && container[len(stem)] == '.' {
			return true
		}
	}
	return false
}

// innerPath returns the path inside the innermost container, with a
// leading slash ("/usr/sbin/telnetd"): where a file sits on the device,
// which is what decides whether a setuid bit is ordinary.
func innerPath(path string) string {
	if i := strings.LastIndex(path, "!/"); i >= 0 {
		path = path[i+2:]
	}
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	return path
}

// baseName returns the last element of a slash-separated path.
func baseName(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}
