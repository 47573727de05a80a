package bootsvc

import (
	"strings"

	"github.com/doorman-sec/doorman/analyzer"
)

// BootExec is one program the boot starts, as the boot chain names it.
type BootExec struct {
	// Target and Prefix say which file system: Prefix is the display path
	// of the file system's root ("fw.bin!/squashfs@0x20013!/"), so
	// Prefix+Name is the display path of an entry of that file system.
	Target, Prefix string
	// Program is the program as written ("/usr/sbin/telnetd", "dropbear"),
	// after wrappers (nohup, start-stop-daemon, busybox) are taken off.
	Program string
	// Args are its arguments, without the program.
	Args []string
	// StartedBy is the chain that starts it ("inittab → rcS → S50agent").
	StartedBy string
	// Path and Line are where the command is written.
	Path string
	Line int
}

// Started follows the boot chain of every file system from the facts this
// analyzer recorded during the walk, and returns every program it starts.
// Another analyzer's final pass calls it (the executable analyzer raises
// the severity of a binary the boot starts); it reads only the bootsvc
// analyzer's facts, so the bootsvc analyzer must be in the scan. The order
// follows the facts (sorted by path), not the walk.
func Started(p *analyzer.FinishPass) []BootExec {
	var out []BootExec
	for _, fs := range group(p) {
		r := newRunner(fs)
		r.boot()
		for _, s := range r.out {
			u := unwrap(s.cmd.Args)
			if len(u) == 0 || u[0] == "" || strings.HasPrefix(u[0], "$") {
				continue
			}
			out = append(out, BootExec{
				Target: fs.target, Prefix: fs.prefix, Program: u[0], Args: u[1:],
				StartedBy: s.by, Path: s.path, Line: s.cmd.Line,
			})
		}
	}
	return out
}
