package accounts

import (
	"path"
	"strings"

	"github.com/doorman-sec/doorman/format/crypt"
)

// Password states, as the inventory spells them. Hashes are "hash:" and
// the crypt scheme ("hash:md5crypt").
const (
	stateEmpty   = "empty"
	stateLocked  = "locked"
	stateShadow  = "shadow-missing" // "x" in passwd but no shadow line
	stateUnknown = "hash:unknown"
)

// passwordState classifies a password field. "!", "*", "!!" and anything
// starting with them mean locked (usermod -L prefixes "!" to a hash); a
// field that no crypt scheme produces cannot be matched by any password,
// so it is in effect locked too.
func passwordState(pw string) string {
	switch {
	case pw == "":
		return stateEmpty
	case strings.HasPrefix(pw, "!"), strings.HasPrefix(pw, "*"):
		return stateLocked
	}
	if s := crypt.Identify(pw); s != crypt.Unknown {
		return "hash:" + string(s)
	}
	return stateUnknown
}

// nonLoginShells are programs set as a shell to refuse a login.
var nonLoginShells = map[string]bool{
	"false": true, "nologin": true, "sync": true, "shutdown": true, "halt": true,
	"true": true, "null": true, "git-shell": true, "ftponly": true,
}

// loginShell reports whether a passwd shell field gives a shell. An empty
// field means /bin/sh to login, sshd and BusyBox.
func loginShell(shell string) bool {
	if shell == "" {
		return true
	}
	return !nonLoginShells[path.Base(shell)]
}

// shortHash shortens a password field for evidence: the scheme prefix and
// a few characters, enough to find the line, never the whole hash.
func shortHash(pw string) string {
	if pw == "" || pw == "x" || len(pw) <= 2 || strings.Trim(pw, "!*") == "" {
		return pw
	}
	keep := 4
	if strings.HasPrefix(pw, "$") {
		if i := strings.IndexByte(pw[1:], '$'); i >= 0 {
			keep = i + 2 + 4
		}
	}
	if keep >= len(pw) {
		keep = len(pw) / 2
	}
	return pw[:keep] + "…"
}

// evidenceLine returns a record's line with its password field (field
// index i, colon-separated) shortened.
func evidenceLine(text string, i int) string {
	f := strings.Split(text, ":")
	if i < len(f) {
		f[i] = shortHash(f[i])
	}
	s := strings.Join(f, ":")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
