package bootsvc

import (
	"bytes"
	"strings"
)

// InittabEntry is one line of /etc/inittab. BusyBox and SysV init share
// the shape id:runlevels:action:process; in BusyBox the id names the
// terminal the process gets ("ttyS0", "console", empty for the console).
type InittabEntry struct {
	ID        string
	Runlevels string
	Action    string
	Process   string
	Line      int
}

const maxInittab = 4096

// ParseInittab reads an inittab, skipping comments, blank lines and lines
// without the four fields. The process keeps any further colons.
func ParseInittab(data []byte) []InittabEntry {
	var out []InittabEntry
	for i, raw := range bytes.Split(data, []byte("\n")) {
		if len(out) >= maxInittab {
			break
		}
		line := strings.TrimSpace(strings.ToValidUTF8(string(raw), "?"))
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.SplitN(line, ":", 4)
		if len(f) != 4 {
			continue
		}
		e := InittabEntry{ID: strings.TrimSpace(f[0]), Runlevels: strings.TrimSpace(f[1]), Action: strings.ToLower(strings.TrimSpace(f[2])), Process: strings.TrimSpace(f[3]), Line: i + 1}
		if e.Action == "" || strings.ContainsAny(e.Action, " \t") {
			continue
		}
		out = append(out, e)
	}
	return out
}

// atBoot reports whether init starts an entry's process when the system
// comes up (as opposed to on shutdown, Ctrl-Alt-Del or power failure).
func (e InittabEntry) atBoot() bool {
	switch e.Action {
	case "sysinit", "respawn", "askfirst", "once", "wait", "boot", "bootwait":
		return true
	}
	return false
}

// respawns reports whether init keeps the process running, giving a new
// one each time the last exits (a console shell, a getty).
func (e InittabEntry) respawns() bool {
	return e.Action == "respawn" || e.Action == "askfirst"
}

// terminal names the terminal the process runs on: the BusyBox id when it
// names one, "console" otherwise.
func (e InittabEntry) terminal() string {
	id := strings.TrimPrefix(e.ID, "/dev/")
	if id == "" {
		return "console"
	}
	return id
}
