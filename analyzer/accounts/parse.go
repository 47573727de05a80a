package accounts

import (
	"bytes"
	"strconv"
	"strings"
)

// Limits on what one file may cost: real account files have dozens of
// lines; a hostile one gains nothing past these.
const (
	maxLineLen = 4096
	maxRecords = 50_000
)

// Line is where a record sits in its file.
type Line struct {
	Line   int    // 1-based
	Offset int64  // byte offset of the line
	Text   string // the line, without its newline
}

// PasswdEntry is one line of a passwd file (name:password:uid:gid:gecos:home:shell).
type PasswdEntry struct {
	Line
	User, Password string
	UID, GID       int
	Gecos          string
	Home, Shell    string
}

// ShadowEntry is one line of a shadow file (name:password:...). Only the
// first two of its nine fields matter here.
type ShadowEntry struct {
	Line
	User, Password string
}

// GroupEntry is one line of a group file (name:password:gid:members).
type GroupEntry struct {
	Line
	Name    string
	GID     int
	Members []string
}

// WebUser is one user of a web server's password file: "user:hash" in
// .htpasswd and Boa files, "user:password" in lighttpd's plain backend.
type WebUser struct {
	Line
	User, Password string
}

// lines calls fn for each line of data with its number and offset, up to
// maxRecords non-empty lines; over-long lines are skipped.
func lines(data []byte, fn func(Line)) {
	n, off := 0, 0
	for no := 1; off < len(data) && n < maxRecords; no++ {
		end := bytes.IndexByte(data[off:], '\n')
		if end < 0 {
			end = len(data) - off
		}
		text := strings.TrimRight(string(data[off:off+min(end, maxLineLen+1)]), "\r")
		if end <= maxLineLen && strings.TrimSpace(text) != "" && !strings.HasPrefix(strings.TrimSpace(text), "#") {
			n++
			fn(Line{Line: no, Offset: int64(off), Text: text})
		}
		off += end + 1
	}
}

// validName reports whether s can be an account name: printable, no
// blanks, no colon, not a NIS "+"/"-" include.
func validName(s string) bool {
	if s == "" || len(s) > 64 || s[0] == '+' || s[0] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f || s[i] == ':' {
			return false
		}
	}
	return true
}

func parseID(s string) (int, bool) {
	n, err := strconv.ParseUint(s, 10, 32)
	return int(n), err == nil
}

// ParsePasswd reads the lines of a passwd file that have its seven fields
// and a numeric UID and GID; other lines (NIS includes, junk, text that is
// not a passwd file at all) are skipped.
func ParsePasswd(data []byte) []PasswdEntry {
	var out []PasswdEntry
	lines(data, func(l Line) {
		f := strings.Split(l.Text, ":")
		if len(f) != 7 || !validName(f[0]) {
			return
		}
		uid, ok1 := parseID(f[2])
		gid, ok2 := parseID(f[3])
		if !ok1 || !ok2 {
			return
		}
		out = append(out, PasswdEntry{Line: l, User: f[0], Password: f[1], UID: uid, GID: gid, Gecos: f[4], Home: f[5], Shell: strings.TrimSpace(f[6])})
	})
	return out
}

// ParseShadow reads the lines of a shadow file: a name, the password
// field and up to seven more fields. The day counts are not checked:
// BusyBox and vendors write them loosely.
func ParseShadow(data []byte) []ShadowEntry {
	var out []ShadowEntry
	lines(data, func(l Line) {
		f := strings.Split(l.Text, ":")
		if len(f) < 2 || len(f) > 9 || !validName(f[0]) {
			return
		}
		if len(f) == 7 { // a passwd line, not a shadow one
			if _, ok := parseID(f[2]); ok {
				return
			}
		}
		out = append(out, ShadowEntry{Line: l, User: f[0], Password: f[1]})
	})
	return out
}

// ParseGroup reads the lines of a group file.
func ParseGroup(data []byte) []GroupEntry {
	var out []GroupEntry
	lines(data, func(l Line) {
		f := strings.Split(l.Text, ":")
		if len(f) != 4 || !validName(f[0]) {
			return
		}
		gid, ok := parseID(f[2])
		if !ok {
			return
		}
		var members []string
		for m := range strings.SplitSeq(f[3], ",") {
			if m = strings.TrimSpace(m); m != "" {
				members = append(members, m)
			}
		}
		out = append(out, GroupEntry{Line: l, Name: f[0], GID: gid, Members: members})
	})
	return out
}

// ParseWebUsers reads "user:password" lines (htpasswd, Boa, lighttpd's
// plain file). Lines with more fields (htdigest, passwd lines) are
// skipped.
func ParseWebUsers(data []byte) []WebUser {
	var out []WebUser
	lines(data, func(l Line) {
		user, pw, ok := strings.Cut(l.Text, ":")
		if !ok || !validName(user) || strings.Contains(pw, ":") {
			return
		}
		out = append(out, WebUser{Line: l, User: user, Password: pw})
	})
	return out
}
