package pybehavior

import "strings"

// sendSkipKw are keyword arguments of HTTP calls that do not carry the
// body: a token in an Authorization header is how APIs are used, not theft.
var sendSkipKw = set("headers", "auth", "cookies", "timeout", "verify", "cert", "proxies", "stream", "allow_redirects", "method", "hooks")

// noFlow are builtins whose result does not carry their argument's data.
var noFlow = set("len", "bool", "isinstance", "hasattr", "type", "id", "print", "callable", "issubclass", "any", "all", "hash", "getattr", "setattr", "delattr", "super")

// mutators add their arguments to the object they are called on.
var mutators = set("update", "append", "extend", "insert", "add", "setdefault", "put", "write", "writelines", "appendleft")

// sockDup is the pseudo-variable set when os.dup2 binds a socket to a
// standard stream.
const sockDup = "\x00sockdup"

func (a *analysis) evCall(n *node) label {
	fn := a.dotted(n.x)
	method := ""
	var base label
	if n.x.kind == nAttr {
		method = n.x.name
		switch fn {
		case "os.environ.get", "os.environ.setdefault", "os.environ.pop", "os.environ.__getitem__":
		default:
			base = a.ev(n.x.x)
		}
	}
	args := make([]label, len(n.kids))
	var all, body label
	for i, k := range n.kids {
		args[i] = a.ev(k)
		all |= args[i]
		if !sendSkipKw[kwAt(n, i)] {
			body |= args[i]
		}
	}
	data := all &^ objMask

	switch {
	case fn == "os.environ.get" || fn == "os.getenv" || fn == "os.environ.setdefault" || fn == "os.environ.pop" || fn == "os.environ.__getitem__":
		if len(n.kids) > 0 {
			return a.envKey(n.kids[0])
		}
		return 0
	case fetchFuncs[fn]:
		a.exfil(n, body, fn)
		a.action(n.off, actNet)
		return lNet | all&lGeo
	case retrieveFuncs[fn]:
		if k := argNamed(n, 1, "filename", "out"); k != nil {
			a.markNetFile(a.pathKey(k))
		}
		a.exfil(n, body, fn)
		a.action(n.off, actNet)
		return lNetFile
	case httpCtors[fn]:
		return oHTTP
	case requestCtors[fn]:
		return oReq | body&^objMask
	case sockCtors[fn]:
		return oSock
	case dnsFuncs[fn] || strings.HasPrefix(fn, "dns.") && (method == "resolve" || method == "query"):
		if data&(lEnv|lEnvKey|lSecret|lHost|lPath) != 0 && !ownHostName(a, n) {
			a.emit(ruleDNSExfil, n.off, fn+"() resolves a name built from "+describe(data)+": the data reaches whoever serves the zone", "")
		}
		a.action(n.off, actNet)
		return 0
	case hostFuncs[fn]:
		return lHost
	case timeFuncs[fn]:
		return lTime
	case localeFuncs[fn]:
		return lLocale
	case decoders[fn]:
		if loadSinks[fn] && data&(lNet|lRecv|lReq) != 0 {
			a.codeSink(n, fn, data)
		}
		return lDecoded | data
	case fn == "codecs.decode" || method == "decode" || method == "encode":
		if k := argNamed(n, 1, "encoding"); k != nil && k.kind == nStr && obfuscatingCodecs[strings.ToLower(k.str)] {
			return lDecoded | data | base
		}
		if method != "" {
			return base | data
		}
		return data
	case method == "decrypt" || method == "decrypt_and_verify":
		l := lDecoded | base | data
		if (base|data)&(lEnv|lEnvKey) != 0 {
			l |= lKeyEnv
		}
		return l
	case method == "join" && n.x.x != nil && n.x.x.kind == nStr && readsName(n, "chr"):
		return lDecoded | data
	case hashFuncs[fn]:
		return lHash
	case fn == "hmac.compare_digest" || fn == "secrets.compare_digest":
		if all&lHash != 0 || len(n.kids) == 2 {
			a.verified()
		}
		return 0
	case strings.Contains(strings.ToLower(fn+method), "verify") && data&(lNet|lNetFile) != 0:
		a.verified()
		return 0
	case codeSinks[fn] || loadSinks[fn]:
		a.codeSink(n, fn, args0(n, args))
		a.action(n.off, actExec)
		if fn == "eval" {
			return data
		}
		return 0
	case cmdSinks[fn]:
		if v, _ := a.lookup(sockDup); v != 0 {
			a.emit(ruleSockExec, n.off, "standard input and output are bound to a socket with os.dup2, then "+fn+"() starts a program: a reverse shell", "")
		}
		a.cmdSink(n, fn, args)
		a.action(n.off, actExec)
		return 0
	case destructive[fn] || method == "rmtree" || method == "unlink" && data == 0 || method == "rmdir":
		a.action(n.off, actDestroy)
		return 0
	case fn == "open" || fn == "io.open" || fn == "codecs.open":
		mode := argNamed(n, 1, "mode")
		if mode != nil && mode.kind == nStr && strings.ContainsAny(mode.str, "wax") {
			if len(n.kids) > 0 {
				a.lastOpen = a.pathKey(n.kids[0])
			}
			return oFile
		}
		return readLabels(data)
	case readers[fn]:
		return readLabels(data)
	case fn == "os.dup2" && all&oSock != 0:
		// Standard streams bound to a socket: whatever runs next is a
		// remote shell.
		a.top().env[sockDup] = oSock
		return 0
	}

	if method != "" {
		switch {
		case base&oHTTP != 0 && httpMethods[method]:
			a.exfil(n, body, method)
			a.action(n.off, actNet)
			return lNet | all&lGeo
		case base&oSock != 0:
			switch method {
			case "send", "sendall", "sendto", "write":
				a.exfil(n, data, "socket."+method)
				a.action(n.off, actNet)
				return 0
			case "recv", "recvfrom", "recv_into", "read", "readline", "makefile", "recvmsg":
				return lRecv
			}
			return base
		case isRequestBase(a, n.x.x) && (strings.HasPrefix(method, "get_") || method == "json" || method == "form" || method == "text" || method == "body"):
			return lReq
		case a.top().handler && n.x.x.kind == nName && n.x.x.name == "self" && strings.HasPrefix(method, "get_") && strings.Contains(method, "argument"):
			return lReq
		case (method == "write" || method == "write_bytes" || method == "write_text" || method == "writelines") && data&(lNet|lRecv) != 0:
			a.markWritten(n.x.x)
			return 0
		case method == "startswith" || method == "endswith":
			// Only a value that is the locale, the geography or the host's
			// identity gates: sys.platform.startswith("linux") is a
			// portability check (node-gyp's ninja generator has one).
			if a.cond && len(n.kids) > 0 && isStrLit(n.kids[0]) && base&(lLocale|lGeo|lHost) != 0 {
				a.gateOn(n.x.x, n.kids[0], base, "")
			}
			return 0
		case mutators[method] && (n.x.x.kind == nName || n.x.x.kind == nAttr):
			a.mutate(n.x.x, data)
			return 0
		case readMethods[method] && base&(lPath|lNetFile) != 0:
			return readLabels(base | data)
		}
		if ps, ok := a.defs[method]; ok && n.x.x.kind == nName && (n.x.x.name == "self" || n.x.x.name == "cls") {
			return a.callDef(n, method, ps, args)
		}
		return base | data
	}
	if ps, ok := a.defs[fn]; ok {
		return a.callDef(n, fn, ps, args)
	}
	if noFlow[fn] {
		return 0
	}
	return data
}

// callDef records what a call passes to a function of this file and
// returns what the function returns.
func (a *analysis) callDef(n *node, name string, ps []string, args []label) label {
	shift := 0
	if len(ps) > 0 && (ps[0] == "self" || ps[0] == "cls") {
		shift = 1 // called as self.name(...): the first argument is the second parameter
	}
	in := a.paramIn[name]
	if len(in) < len(ps) {
		in = append(in, make([]label, len(ps)-len(in))...)
	}
	pos := 0
	for i := range n.kids {
		kw := kwAt(n, i)
		idx := -1
		switch kw {
		case "":
			idx = pos + shift
			pos++
		case "*", "**":
			continue
		default:
			for j, p := range ps {
				if p == kw {
					idx = j
				}
			}
		}
		if idx >= 0 && idx < len(in) {
			in[idx] |= args[i] & dataMask
		}
	}
	a.paramIn[name] = in
	return a.summary[name]
}

func readLabels(l label) label {
	if l&lPath != 0 {
		l |= lSecret
	}
	return l &^ objMask
}

func (a *analysis) verified() {
	a.top().verified = true
	if f := a.fn(); f != nil {
		f.verified = true
	}
}

func (a *analysis) isVerified() bool {
	for _, f := range a.frames {
		if f.verified {
			return true
		}
	}
	return false
}

func kwAt(n *node, i int) string {
	if i < len(n.kws) {
		return n.kws[i]
	}
	return ""
}

// argNamed returns positional argument pos or the keyword argument of one
// of the names.
func argNamed(n *node, pos int, names ...string) *node {
	p := 0
	for i, k := range n.kids {
		kw := kwAt(n, i)
		if kw == "" {
			if p == pos {
				return k
			}
			p++
			continue
		}
		for _, nm := range names {
			if kw == nm {
				return k
			}
		}
	}
	return nil
}

// args0 returns the labels of the first positional argument (what exec,
// eval and loaders run), or of all arguments when there is none.
func args0(n *node, args []label) label {
	for i := range n.kids {
		if kwAt(n, i) == "" {
			return args[i] &^ objMask
		}
	}
	var l label
	for _, x := range args {
		l |= x
	}
	return l &^ objMask
}

func readsName(n *node, name string) bool {
	found := false
	for _, k := range n.kids {
		walk(k, func(m *node) bool {
			if m.kind == nName && m.name == name {
				found = true
			}
			return !found
		})
	}
	return found
}

func isStrLit(n *node) bool {
	if n.kind == nStr && len(n.kids) == 0 && strings.TrimSpace(n.str) != "" {
		return true
	}
	if n.kind == nSeq && len(n.kids) > 0 {
		for _, k := range n.kids {
			if k.kind != nStr || len(k.kids) != 0 || strings.TrimSpace(k.str) == "" {
				return false
			}
		}
		return true
	}
	return false
}

// pathKey names the file a path expression designates, for tracking what
// was written to it: "v:" a variable, "s:" a literal.
func (a *analysis) pathKey(n *node) string {
	switch n.kind {
	case nName:
		return "v:" + n.name
	case nAttr:
		if d := a.dotted(n); d != "" {
			return "v:" + d
		}
	case nStr:
		if len(n.kids) == 0 && n.str != "" {
			return "s:" + n.str
		}
	case nCall:
		// Path(p), os.path.join(dir, "x.exe"): the literal file name.
		for i := len(n.kids) - 1; i >= 0; i-- {
			if k := a.pathKey(n.kids[i]); k != "" {
				return k
			}
		}
	}
	return ""
}

// markWritten: fetched data is written through the object w (a file
// variable, open(p) or Path(p)).
func (a *analysis) markWritten(w *node) {
	switch w.kind {
	case nName:
		if k, ok := a.fileOf[w.name]; ok {
			a.markNetFile(k)
			return
		}
		a.markNetFile("v:" + w.name) // a Path object
	case nCall:
		if len(w.kids) > 0 {
			a.markNetFile(a.pathKey(w.kids[0]))
		}
	}
}

func (a *analysis) markNetFile(key string) {
	switch {
	case strings.HasPrefix(key, "v:"):
		name := key[2:]
		for i := len(a.frames) - 1; i >= 0; i-- {
			if v, ok := a.frames[i].env[name]; ok {
				a.frames[i].env[name] = v | lNetFile
				return
			}
		}
		a.top().env[name] = lNetFile
	case strings.HasPrefix(key, "s:"):
		if len(a.netLits) < 64 {
			a.netLits[key[2:]] = true
		}
	}
}

// ownHostName reports a lookup of the machine's own name
// (socket.gethostbyname(socket.gethostname()): smtplib, uuid,
// urllib.request): nothing is sent to anyone's zone but the local
// resolver's.
func ownHostName(a *analysis, n *node) bool {
	if len(n.kids) == 0 {
		return false
	}
	k := n.kids[0]
	return k.kind == nCall && hostFuncs[a.dotted(k.x)]
}
