package bootsvc

import (
	"path"
	"sort"
	"strings"

	"github.com/doorman-sec/doorman/analyzer"
)

// fsys gathers the facts of one file system: entries whose path minus
// their name is the same container prefix.
type fsys struct {
	target, prefix string
	scripts        map[string]*Script // by name inside the file system
	scriptPath     map[string]string  // name → display path
	links          map[string]string  // name → symlink target as stored
	inittab        *InittabFact
	inittabPath    string
	units          []unitRec
	inetd          []inetdRec
	rcs            []rcRec
	props          []propRec
	sshd           []sshdRec
	uci            []uciRec
	rootEmpty      bool
}

type unitRec struct {
	path string
	u    *Unit
}

type inetdRec struct {
	path   string
	svc    InetdService
	xinetd bool
}

type rcRec struct {
	path string
	rc   *RCFile
}

type propRec struct {
	path string
	p    Prop
}

type uciRec struct {
	path string
	s    UCI
}

type sshdRec struct {
	path string
	s    SSHD
}

// group sorts the analyzer's facts into file systems.
func group(p *analyzer.FinishPass) []*fsys {
	byPrefix := map[string]*fsys{}
	var order []*fsys
	get := func(f analyzer.Fact) *fsys {
		prefix := strings.TrimSuffix(f.Path, f.Name)
		fs := byPrefix[prefix]
		if fs == nil {
			fs = &fsys{target: f.Target, prefix: prefix, scripts: map[string]*Script{}, scriptPath: map[string]string{}, links: map[string]string{}}
			byPrefix[prefix] = fs
			order = append(order, fs)
		}
		return fs
	}
	for _, kind := range []string{factScript, factInittab, factUnit, factLink, factInetd, factXinetd, factRC, factProps, factSSHD, factUCI, factRoot} {
		for _, f := range p.Facts(kind) {
			if f.Analyzer != name { // only our own facts, whoever calls (see Started)
				continue
			}
			fs := get(f)
			switch v := f.Value.(type) {
			case *Script:
				fs.scripts[f.Name], fs.scriptPath[f.Name] = v, f.Path
			case InittabFact:
				if fs.inittab == nil || f.Name == "etc/inittab" {
					fs.inittab, fs.inittabPath = &v, f.Path
				}
			case *Unit:
				fs.units = append(fs.units, unitRec{f.Path, v})
			case string:
				fs.links[f.Name] = v
			case []InetdService:
				for _, s := range v {
					fs.inetd = append(fs.inetd, inetdRec{f.Path, s, kind == factXinetd})
				}
			case *RCFile:
				fs.rcs = append(fs.rcs, rcRec{f.Path, v})
			case []Prop:
				for _, pr := range v {
					fs.props = append(fs.props, propRec{f.Path, pr})
				}
			case []UCI:
				for _, u := range v {
					fs.uci = append(fs.uci, uciRec{f.Path, u})
				}
			case SSHD:
				fs.sshd = append(fs.sshd, sshdRec{f.Path, v})
			case RootPassword:
				if v.Empty {
					fs.rootEmpty = true
				}
			}
		}
	}
	return order
}

// hasInitSystem reports whether the file system says how it boots; a bare
// folder of scripts does not.
func (fs *fsys) hasInitSystem() bool {
	if fs.inittab != nil || len(fs.rcs) > 0 || fs.isScript("etc/init.d/rcS") || fs.isScript("etc/rc.d/rcS") {
		return true
	}
	return len(fs.units) > 0
}

// resolve finds the script a path names, following the symlinks the walk
// recorded (rc.d/S50telnet → ../init.d/telnet). It returns "" when the
// file system has no such script.
func (fs *fsys) resolve(p string) string {
	if p == "" || strings.HasPrefix(p, "$") {
		return ""
	}
	n := path.Clean(strings.TrimPrefix(p, "/"))
	for range 8 {
		if _, ok := fs.scripts[n]; ok {
			return n
		}
		t, ok := fs.links[n]
		if !ok {
			return ""
		}
		if strings.HasPrefix(t, "/") {
			n = path.Clean(strings.TrimPrefix(t, "/"))
		} else {
			n = path.Clean(path.Join(path.Dir(n), t))
		}
	}
	return ""
}

func (fs *fsys) isScript(name string) bool { return fs.resolve(name) != "" }

// match returns the scripts and links a glob matches, sorted as the shell
// sorts them.
func (fs *fsys) match(pattern string) []string {
	pat := strings.TrimPrefix(path.Clean(pattern), "/")
	seen := map[string]bool{}
	var out []string
	add := func(n string) {
		if ok, err := path.Match(pat, n); err == nil && ok && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	for n := range fs.scripts {
		add(n)
	}
	for n := range fs.links {
		add(n)
	}
	sort.Strings(out)
	return out
}

// under returns the scripts and links directly in dir, sorted.
func (fs *fsys) under(dir string, prefix string) []string {
	return fs.match(path.Join("/", dir, prefix+"*"))
}

// startedCmd is a command the boot runs.
type startedCmd struct {
	cmd  Cmd
	path string // display path of the file holding it
	by   string // the chain that starts it
	port int    // port known from outside the command (socket unit, inetd)
	svc  bool   // declared as a service (respawn, unit, inetd, Android)
}

// runner follows the boot chain of one file system.
type runner struct {
	fs      *fsys
	ran     map[string]bool
	out     []startedCmd
	budget  int
	reached map[string]bool
}

func cmdKey(path string, c Cmd) string {
	return path + "\x00" + strings.Join(c.Args, "\x00") + "\x00" + itoa(c.Line)
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

const (
	maxChain    = 16     // scripts calling scripts
	maxCallNest = 16     // functions calling functions
	runBudget   = 200000 // commands visited per file system
)

func newRunner(fs *fsys) *runner {
	return &runner{fs: fs, ran: map[string]bool{}, budget: runBudget, reached: map[string]bool{}}
}

// frame is one script being run: its file and the functions it knows.
type frame struct {
	path   string
	funcs  map[string]fn
	active map[string]bool // functions on the call stack
}

// launchers are shell functions that start the program given as their
// arguments.
var launchers = map[string]bool{"daemon": true, "start_daemon": true, "service_start": true, "start-stop-daemon": true, "procd_set_param": true}

func hasFunc(fr *frame, name string) bool {
	_, ok := fr.funcs[name]
	return ok
}

// fn is a shell function and the file that defines it.
type fn struct {
	body []Cmd
	path string
}

func newFrame(path string) *frame {
	return &frame{path: path, funcs: map[string]fn{}, active: map[string]bool{}}
}

func (r *runner) runScript(name, by string, depth int) bool {
	n := r.fs.resolve(name)
	if n == "" {
		return false
	}
	if r.ran[n] || depth > maxChain {
		return true
	}
	r.ran[n] = true
	s := r.fs.scripts[n]
	fr := newFrame(r.fs.scriptPath[n])
	for k, v := range s.Funcs {
		fr.funcs[k] = fn{v, fr.path}
	}
	chain := by + " → " + n
	if given := path.Clean(strings.TrimPrefix(name, "/")); given != n {
		chain = by + " → " + given + " (" + n + ")"
	}
	r.cmds(s.Top, fr, chain, depth, 0)
	if s.RcCommon {
		// /etc/rc.common calls boot (whose default calls start), and
		// procd's start calls start_service.
		for _, name := range []string{"boot", "start", "start_service"} {
			if f, ok := fr.funcs[name]; ok && !fr.active[name] {
				fr.active[name] = true
				r.cmds(f.body, fr, chain, depth, 1)
			}
		}
	}
	return true
}

// cmds runs a list of commands in a frame: calls into functions, sourced
// files and other scripts are followed; anything else is a program the
// boot starts.
func (r *runner) cmds(list []Cmd, fr *frame, by string, depth, calls int) {
	for _, c := range list {
		r.budget--
		if r.budget < 0 {
			return
		}
		if len(c.Args) == 0 {
			continue
		}
		if c.Args[0] == globCmd {
			r.budget -= len(r.fs.scripts) + len(r.fs.links) // what matching costs
			pats := []string{c.Args[1]}
			switch {
			case strings.HasPrefix(c.Args[1], "S"):
				// a loop over S* after `cd /etc/init.d`: try the usual folders
				pats = []string{"/etc/init.d/" + c.Args[1], "/etc/rc.d/" + c.Args[1]}
			case !strings.HasPrefix(c.Args[1], "/"):
				continue
			}
			for _, pat := range pats {
				for _, m := range r.fs.match(pat) {
					r.runScript(m, by, depth+1)
				}
			}
			continue
		}
		r.reached[cmdKey(fr.path, c)] = true
		u := unwrap(c.Args)
		if len(u) == 0 {
			continue
		}
		prog := u[0]
		switch {
		case (prog == "." || prog == "source") && len(u) > 1:
			if n := r.fs.resolve(u[1]); n != "" && !r.ran[n] && depth < maxChain {
				r.ran[n] = true
				s := r.fs.scripts[n]
				for k, v := range s.Funcs {
					fr.funcs[k] = fn{v, r.fs.scriptPath[n]}
				}
				sub := &frame{path: r.fs.scriptPath[n], funcs: fr.funcs, active: fr.active}
				r.cmds(s.Top, sub, by+" → "+n, depth+1, calls)
			}
			continue
		case hasFunc(fr, prog):
			if launchers[prog] {
				// daemon() from /etc/init.d/functions and friends: the
				// function hides the program behind "$@", so keep the call.
				r.out = append(r.out, startedCmd{cmd: c, path: fr.path, by: by})
			}
			if calls < maxCallNest && !fr.active[prog] {
				f := fr.funcs[prog]
				fr.active[prog] = true
				r.cmds(f.body, &frame{path: f.path, funcs: fr.funcs, active: fr.active}, by, depth, calls+1)
				fr.active[prog] = false
			}
			continue
		}
		if r.follow(u, by, depth) {
			continue
		}
		r.out = append(r.out, startedCmd{cmd: c, path: fr.path, by: by})
	}
}

// follow runs the script a command runs, if it runs one: `/etc/init.d/x
// start`, `sh /etc/rc.local`, `service x start`, `run-parts DIR`,
// SysV's `/etc/init.d/rc 3`.
func (r *runner) follow(u []string, by string, depth int) bool {
	prog := progName(u[0])
	switch {
	case prog == "run-parts" && len(u) > 1:
		for _, m := range r.fs.under(u[len(u)-1], "") {
			r.runScript(m, by, depth+1)
		}
		return true
	case prog == "service" && len(u) > 2 && u[2] == "start":
		return r.runScript("etc/init.d/"+u[1], by, depth+1)
	case prog == "rc" && len(u) > 1 && !r.fs.isScript(u[0]) || u[0] == "/etc/init.d/rc" && len(u) > 1:
		r.runScript(u[0], by, depth+1)
		for _, m := range r.fs.under("etc/rc"+u[1]+".d", "S") {
			r.runScript(m, by, depth+1)
		}
		for _, m := range r.fs.under("etc/rc.d/rc"+u[1]+".d", "S") {
			r.runScript(m, by, depth+1)
		}
		return true
	case isShell(prog):
		for _, a := range u[1:] {
			if a == "-c" {
				return false // the -c text was parsed as commands already
			}
			if !strings.HasPrefix(a, "-") {
				return r.runScript(a, by, depth+1)
			}
		}
		return false
	}
	if len(u) > 1 && (u[1] == "stop" || u[1] == "disable" || u[1] == "status") && r.fs.isScript(u[0]) {
		return true // an init script asked to stop is not a start
	}
	return r.runScript(u[0], by, depth+1)
}

// boot follows every way the file system starts things and returns the
// commands it runs.
func (r *runner) boot() {
	fs := r.fs
	if it := fs.inittab; it != nil {
		for i, e := range it.Entries {
			if !e.atBoot() || i >= len(it.Cmds) {
				continue
			}
			fr := newFrame(fs.inittabPath)
			before := len(r.out)
			r.cmds(it.Cmds[i], fr, "inittab ("+e.Action+")", 0, 0)
			for j := before; j < len(r.out); j++ {
				r.out[j].svc = e.respawns()
			}
		}
	} else {
		for _, rcs := range []string{"etc/init.d/rcS", "etc/rc.d/rcS"} {
			// BusyBox init without an inittab runs /etc/init.d/rcS.
			if r.runScript(rcs, "init", 0) {
				break
			}
		}
	}
	// OpenWrt's procd and some vendor inits run the links in /etc/rc.d.
	for _, m := range fs.under("etc/rc.d", "S") {
		r.runScript(m, "etc/rc.d", 1)
	}
	r.systemd()
	r.android()
	if !fs.hasInitSystem() {
		for _, m := range fs.under("etc/init.d", "S") {
			r.runScript(m, "init.d (no init configuration: S scripts taken as started)", 1)
		}
	}
	if !fs.hasInitSystem() || len(fs.units) > 0 {
		// systemd-rc-local-generator runs rc.local; a bare tree is assumed to.
		r.runScript("etc/rc.local", "rc.local", 1)
	}
	r.inetd()
}

// systemd starts the units that an enabling link names (in a .wants or
// .requires folder), and the service behind an enabled socket.
func (r *runner) systemd() {
	enabled := map[string]bool{}
	for n, t := range r.fs.links {
		if d := path.Dir(n); strings.HasSuffix(d, ".wants") || strings.HasSuffix(d, ".requires") {
			enabled[path.Base(n)] = true
			enabled[path.Base(t)] = true
		}
	}
	for _, ur := range r.fs.units {
		if d := path.Dir(ur.path); strings.HasSuffix(d, ".wants") || strings.HasSuffix(d, ".requires") {
			enabled[ur.u.Base] = true
		}
	}
	isOn := func(base string) bool {
		if enabled[base] {
			return true
		}
		// a template (getty@.service) is on when an instance is linked
		if at := strings.Index(base, "@."); at >= 0 {
			prefix, suffix := base[:at+1], base[at+1:]
			for e := range enabled {
				if strings.HasPrefix(e, prefix) && strings.HasSuffix(e, suffix) {
					return true
				}
			}
		}
		return false
	}
	ports := map[string]int{}
	for _, ur := range r.fs.units {
		if !strings.HasSuffix(ur.u.Base, ".socket") || !isOn(ur.u.Base) {
			continue
		}
		svc := strings.TrimSuffix(ur.u.Base, ".socket") + ".service"
		if ur.u.Accept {
			svc = strings.TrimSuffix(ur.u.Base, ".socket") + "@.service"
		}
		enabled[svc] = true
		for _, l := range ur.u.Listen {
			if p := servicePort(l[strings.LastIndexByte(l, ':')+1:]); p > 0 {
				ports[svc] = p
			}
		}
	}
	for _, ur := range r.fs.units {
		if !strings.HasSuffix(ur.u.Base, ".service") || !isOn(ur.u.Base) {
			continue
		}
		fr := newFrame(ur.path)
		before := len(r.out)
		r.cmds(ur.u.Exec, fr, "systemd ("+ur.u.Base+")", 1, 0)
		for j := before; j < len(r.out); j++ {
			r.out[j].svc, r.out[j].port = true, ports[ur.u.Base]
		}
	}
}

// android starts the init .rc services that are not disabled or that a
// trigger starts, and the commands triggers exec.
func (r *runner) android() {
	starts := map[string]bool{}
	for _, rr := range r.fs.rcs {
		for _, s := range rr.rc.Starts {
			starts[s] = true
		}
	}
	for _, rr := range r.fs.rcs {
		fr := newFrame(rr.path)
		for _, s := range rr.rc.Services {
			if s.Disabled && !starts[s.Name] {
				continue
			}
			before := len(r.out)
			r.cmds([]Cmd{s.Cmd}, fr, "Android init (service "+s.Name+")", 1, 0)
			for j := before; j < len(r.out); j++ {
				r.out[j].svc = true
			}
		}
		r.cmds(rr.rc.Execs, fr, "Android init (exec)", 1, 0)
	}
}

// inetd starts the services of inetd.conf and xinetd.d when the boot
// starts inetd or xinetd (or when nothing says how the system boots).
func (r *runner) inetd() {
	on := map[bool]bool{} // xinetd? → started
	for _, s := range r.out {
		u := unwrap(s.cmd.Args)
		if len(u) == 0 {
			continue
		}
		switch progName(u[0]) {
		case "inetd":
			on[false] = true
		case "xinetd":
			on[true] = true
		}
	}
	bare := !r.fs.hasInitSystem()
	for _, ir := range r.fs.inetd {
		if ir.svc.Disabled || !(on[ir.xinetd] || bare) {
			continue
		}
		d := "inetd"
		if ir.xinetd {
			d = "xinetd"
		}
		r.reached[cmdKey(ir.path, ir.svc.Cmd)] = true
		r.out = append(r.out, startedCmd{cmd: ir.svc.Cmd, path: ir.path, by: d + " (service " + ir.svc.Name + ")", port: ir.svc.Port, svc: true})
	}
}
