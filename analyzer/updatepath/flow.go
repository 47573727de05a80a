package updatepath

import (
	"path"
	"regexp"
	"strings"
)

// taint is downloaded content held in a file, a pipe or a variable.
type taint struct {
	dl       *download
	verified channel // the strongest check passed so far
	how      string  // what that check was, for the message
}

// trust is how far the content can be trusted now.
func (t *taint) trust() channel { return max(t.dl.ch, t.verified) }

// flow is a download whose content reaches a flash or install command
// without a check strong enough.
type flow struct {
	dl        *download
	sink      *sink
	line      int
	text      string
	trust     channel
	how       string // a weaker check that was done ("sha256 compared with a value fetched over http")
	byName    bool   // the file was matched by its base name only
	direct    bool   // one command fetches and installs (opkg install URL)
	sinkInput string
}

// subst is what one $(...) produced.
type subst struct {
	hashed  []string // files whose digest it printed
	content *taint   // downloaded content it printed
	local   bool     // it printed a local file's content (not downloaded)
}

// state follows downloaded content through one scope of a script.
type state struct {
	files  map[string]*taint
	dirs   map[string]*taint // folders an archive was extracted into
	pipes  map[[2]int]*taint // stdout of (pipeline, stage)
	substs map[int]*subst
	echo   map[[2]int]string // text an echo or printf stage wrote into a pipe
	order  []string          // file names in the order they were tainted
	flows  []flow
	seen   map[*download]bool
}

// maxTainted bounds the files followed per scope.
const maxTainted = 512

// analyze runs the scopes of a script and returns the unsafe flows.
func analyze(s *script) []flow {
	var out []flow
	for _, sc := range s.scopes {
		st := &state{files: map[string]*taint{}, dirs: map[string]*taint{}, pipes: map[[2]int]*taint{}, substs: map[int]*subst{}, echo: map[[2]int]string{}, seen: map[*download]bool{}}
		for i := range sc {
			st.step(&sc[i])
		}
		out = append(out, st.flows...)
	}
	return out
}

// sameFile reports whether two names written in a script mean one file:
// the same text, or the same base name when one is relative (a script
// that cd'ed into /tmp).
func sameFile(a, b string) (same, byName bool) {
	if a == "" || b == "" || a == "-" || b == "-" {
		return false, false
	}
	if a == b {
		return true, false
	}
	if strings.Contains(a, "/") && strings.Contains(b, "/") {
		return false, false
	}
	if path.Base(a) == path.Base(b) {
		return true, true
	}
	return false, false
}

// lookup finds the taint of a file name.
func (st *state) lookup(name string) (*taint, bool) {
	if t, ok := st.files[name]; ok {
		return t, false
	}
	for i := len(st.order) - 1; i >= 0; i-- {
		if same, byName := sameFile(st.order[i], name); same {
			if t, ok := st.files[st.order[i]]; ok {
				return t, byName
			}
		}
	}
	for d, t := range st.dirs {
		if d == "" && !strings.HasPrefix(name, "/") || d != "" && strings.HasPrefix(name, d+"/") {
			return t, false
		}
	}
	return nil, false
}

func (st *state) taintFile(name string, t *taint) {
	if name == "" || name == "-" || name == "/dev/null" {
		return
	}
	if _, ok := st.files[name]; !ok {
		if len(st.order) >= maxTainted {
			return
		}
		st.order = append(st.order, name)
	}
	st.files[name] = t
}

func (st *state) sub(id int) *subst {
	s := st.substs[id]
	if s == nil {
		s = &subst{}
		st.substs[id] = s
	}
	return s
}

// stdin is the content a command reads on standard input.
func (st *state) stdin(c *cmd) *taint {
	if c.in != "" {
		t, _ := st.lookup(c.in)
		return t
	}
	if c.pipe != 0 && c.stage > 0 {
		return st.pipes[[2]int{c.pipe, c.stage - 1}]
	}
	return nil
}

// emit sends a command's standard output somewhere: a file, the next
// pipeline stage or the $(...) it runs in.
func (st *state) emit(c *cmd, t *taint) {
	switch {
	case c.out != "":
		if t != nil {
			st.taintFile(c.out, &taint{dl: t.dl, verified: t.verified, how: t.how})
		} else {
			delete(st.files, c.out) // overwritten with other content
		}
	case c.pipe != 0 && !c.last:
		st.pipes[[2]int{c.pipe, c.stage}] = t
	case c.subst != 0:
		if t != nil {
			st.sub(c.subst).content = t
		} else if name, _ := cmdName(c.args); name == "cat" || name == "head" || name == "cut" || name == "awk" {
			st.sub(c.subst).local = true
		}
	}
}

func (st *state) step(c *cmd) {
	if len(c.args) == 0 {
		return
	}
	if c.test != nil {
		st.compare(c.test)
		return
	}
	if name, rest := cmdName(c.args); (name == "echo" || name == "printf") && c.pipe != 0 && !c.last {
		st.echo[[2]int{c.pipe, c.stage}] = strings.Join(rest, " ")
		return
	}
	if d, ok := parseDownload(c.args); ok {
		d.line, d.text = c.line, c.text
		t := &taint{dl: d}
		if d.out == "-" {
			st.emit(c, t)
		} else {
			st.taintFile(d.out, t)
		}
		return
	}
	if s, ok := parseSink(c.args, c.out); ok {
		st.sink(c, s)
		return
	}
	if k, ok := parseCheck(c.args); ok {
		st.check(c, k)
		return
	}
	if files, ok := hashOf(c.args, c.in); ok {
		if c.subst != 0 {
			if len(files) == 0 && c.pipe != 0 && c.stage > 0 {
				files = st.pipeFiles(c)
			}
			st.sub(c.subst).hashed = append(st.sub(c.subst).hashed, files...)
		}
		return
	}
	st.propagate(c)
}

// pipeFiles returns the files the stage before c read ("cat FW |
// sha256sum").
func (st *state) pipeFiles(c *cmd) []string {
	if t := st.pipes[[2]int{c.pipe, c.stage - 1}]; t != nil {
		return []string{t.dl.out}
	}
	return nil
}

// propagate follows content through copies, decompression and
// extraction.
func (st *state) propagate(c *cmd) {
	name, rest := cmdName(c.args)
	p := positional(rest, "-C", "-d", "-f", "-t", "-o", "-n", "-e", "-F", "-m", "-s", "-S")
	switch name {
	case "cp", "mv", "install", "ln":
		if len(p) < 2 {
			return
		}
		dst := p[len(p)-1]
		for _, src := range p[:len(p)-1] {
			if t, _ := st.lookup(src); t != nil {
				cp := &taint{dl: t.dl, verified: t.verified, how: t.how}
				st.taintFile(dst, cp)
				st.taintFile(strings.TrimSuffix(dst, "/")+"/"+path.Base(src), cp)
			}
		}
		return
	case "tar":
		if tc, ok := parseTar(rest); ok {
			var t *taint
			if tc.file == "-" {
				t = st.stdin(c)
			} else {
				t, _ = st.lookup(tc.file)
			}
			if t != nil && len(st.dirs) < maxTainted {
				st.dirs[tc.dir] = t
			}
		}
		return
	case "unzip":
		if len(p) > 0 {
			if t, _ := st.lookup(p[0]); t != nil && len(st.dirs) < maxTainted {
				st.dirs[strings.TrimSuffix(optValue(rest, "-d"), "/")] = t
			}
		}
		return
	}
	if !transform(name) {
		if c.out != "" {
			delete(st.files, c.out)
		}
		return
	}
	var t *taint
	for _, f := range p {
		if ft, _ := st.lookup(f); ft != nil {
			t = ft
			if out, ok := decompressed(name, f); ok && !hasArg(rest, "-c") && !hasArg(rest, "--stdout") {
				st.taintFile(out, ft)
			}
		}
	}
	for _, o := range []string{"if=", "-in"} {
		if f := ddOrOpenssl(rest, o); f != "" {
			t, _ = st.lookup(f)
		}
	}
	if f := ddOrOpenssl(rest, "of="); f != "" && t != nil {
		st.taintFile(f, t)
		return
	}
	if f := ddOrOpenssl(rest, "-out"); f != "" && t != nil {
		st.taintFile(f, t)
		return
	}
	if t == nil {
		t = st.stdin(c)
	}
	st.emit(c, t)
}

// ddOrOpenssl reads "if=FILE" / "of=FILE" (dd) and "-in FILE" / "-out
// FILE" (openssl).
func ddOrOpenssl(args []string, key string) string {
	for i, a := range args {
		if strings.HasSuffix(key, "=") {
			if v, ok := strings.CutPrefix(a, key); ok {
				return v
			}
		} else if a == key && i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}

// sink checks what reaches a flash or install command.
func (st *state) sink(c *cmd, s *sink) {
	for _, in := range s.inputs {
		var t *taint
		byName, direct := false, false
		switch {
		case in == "-" || in == "":
			t = st.stdin(c)
		case isURL(in):
			d := &download{tool: s.what, url: in, out: "-", ch: schemeOf(in, ""), line: c.line, text: c.text}
			t, direct = &taint{dl: d}, true
		default:
			t, byName = st.lookup(in)
		}
		if t == nil || t.trust() >= chStrong || st.seen[t.dl] {
			continue
		}
		st.seen[t.dl] = true
		st.flows = append(st.flows, flow{dl: t.dl, sink: s, line: c.line, text: c.text, trust: t.trust(), how: t.how, byName: byName, direct: direct, sinkInput: in})
	}
}

// check marks the content a verification covers.
func (st *state) check(c *cmd, k *check) {
	if k.sig {
		for _, key := range k.keys {
			if t, _ := st.lookup(key); t != nil {
				return // the key came with the content: it proves nothing
			}
		}
		for _, f := range k.files {
			if t, _ := st.lookup(f); t != nil {
				t.verified, t.how = chStrong, "signature"
			}
		}
		return
	}
	// A checksum list: as trustworthy as where the list came from.
	level, how := chStrong, "checksum list shipped in the image"
	var named []string
	if k.list == "-" {
		if t := st.stdin(c); t != nil {
			level, how = t.trust(), "checksums fetched from "+t.dl.url
		} else if lit, toks, text := st.echoed(c); lit {
			level, how = chStrong, "checksum pinned in the script"
			named = []string{text}
		} else if len(toks) > 0 {
			level, how = st.substTrust(toks)
			named = []string{text}
		}
	} else if t, _ := st.lookup(k.list); t != nil {
		level, how = t.trust(), "checksums fetched from "+t.dl.url
	}
	stem := strings.TrimSuffix(path.Base(k.list), path.Ext(k.list))
	for _, name := range st.order {
		t := st.files[name]
		if t == nil || name == k.list {
			continue
		}
		if len(named) > 0 && !strings.Contains(named[0], name) && !strings.Contains(named[0], path.Base(name)) {
			continue
		}
		if k.list != "-" && stem != "" && !strings.HasPrefix(path.Base(name), stem) && !strings.HasPrefix(stem, strings.TrimSuffix(path.Base(name), path.Ext(name))) && st.someNamed(stem) {
			continue
		}
		if level > t.verified {
			t.verified, t.how = level, how
		}
	}
}

// someNamed reports whether any followed file has a name starting with the
// checksum list's stem, so the list covers those and not the others.
func (st *state) someNamed(stem string) bool {
	for _, n := range st.order {
		if strings.HasPrefix(path.Base(n), stem) {
			return true
		}
	}
	return false
}

// echoed reads the stage before "sha256sum -c -": "echo HASH  FILE".
func (st *state) echoed(c *cmd) (pinned bool, toks []int, text string) {
	if c.pipe == 0 || c.stage == 0 {
		return false, nil, ""
	}
	e := st.echo[[2]int{c.pipe, c.stage - 1}]
	return hasHexLiteral(e), substIDs(e), e
}

var hexRun = regexp.MustCompile(`[0-9a-fA-F]{32,128}`)

// hasHexLiteral reports whether text written in the script holds a digest
// (32 to 128 hex digits), outside $(...) values.
func hasHexLiteral(s string) bool {
	for _, id := range substIDs(s) {
		s = strings.ReplaceAll(s, substToken(id), " ")
	}
	return len(s) <= maxWordLen && hexRun.MatchString(s)
}

// substTrust is how far a value made of $(...) outputs can be trusted as
// a reference digest.
func (st *state) substTrust(ids []int) (channel, string) {
	level, how, found := chStrong, "", false
	for _, id := range ids {
		s := st.substs[id]
		switch {
		case s == nil:
		case s.content != nil:
			found = true
			if tr := s.content.trust(); tr < level || how == "" {
				level, how = tr, "a digest fetched from "+s.content.dl.url
			}
		case s.local:
			found = true
			if how == "" {
				how = "a digest stored in the image"
			}
		}
	}
	if !found {
		return chStrong, "a digest from outside the script"
	}
	return level, how
}

// compare marks the files whose digest a test compares with a reference.
func (st *state) compare(t *test) {
	for _, sides := range [][2]string{{t.x, t.y}, {t.y, t.x}} {
		var hashed []string
		for _, id := range substIDs(sides[0]) {
			if s := st.substs[id]; s != nil {
				hashed = append(hashed, s.hashed...)
			}
		}
		if len(hashed) == 0 {
			continue
		}
		ref := sides[1]
		var level channel
		var how string
		switch {
		case hasHexLiteral(ref):
			level, how = chStrong, "digest pinned in the script"
		case len(substIDs(ref)) > 0:
			if st.refIsHash(ref) {
				continue
			}
			level, how = st.substTrust(substIDs(ref))
			how = "a comparison with " + how
		case strings.HasPrefix(ref, "$") && len(ref) > 1:
			level, how = chStrong, "digest from outside the script"
		default:
			continue
		}
		for _, f := range hashed {
			if tt, _ := st.lookup(f); tt != nil && level > tt.verified {
				tt.verified, tt.how = level, how
			}
		}
	}
}

// refIsHash reports whether the reference side is itself a computed
// digest (comparing two files' hashes pins nothing).
func (st *state) refIsHash(ref string) bool {
	for _, id := range substIDs(ref) {
		if s := st.substs[id]; s != nil && len(s.hashed) > 0 {
			return true
		}
	}
	return false
}
