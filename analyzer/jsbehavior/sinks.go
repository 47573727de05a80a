package jsbehavior

import (
	"github.com/tdewolff/parse/v2/js"
	"strings"
)

// call examines the call whose '(' is at k: it passes labels to callback
// parameters, records files written with downloaded content, and reports
// labelled data reaching a sink.
func (w *walker) call(k int) {
	c := w.calleeAt(k)
	if w.typ(k-1) == js.ImportToken {
		c = callee{full: "require", plain: "require", last: "require", start: k - 1, recv: -1}
	}
	if c.plain == "" {
		return
	}
	args := w.args(k)
	w.callbacks(c, k, args)
	switch {
	case isCode(c):
		w.codeSink(c, k, args)
	case c.plain == "require":
		if len(args) == 1 && !(args[0][1] == args[0][0]+1 && isStr(w.typ(args[0][0]))) {
			if key := w.pathKey(args[0][0], args[0][1]); key != "" && w.written[key] {
				w.add("DM-JS-002", k, "a file written with downloaded content is loaded with require()", sevSame)
			} else if l := w.labelsOf(args[0][0], args[0][1]); l&lNet != 0 {
				w.add("DM-JS-001", k, "require() of a downloaded module", sevSame)
			}
		}
	case isCmd(c.plain):
		w.cmdSink(c, k, args)
	case isFileWrite(c.plain) && len(args) >= 2:
		if w.labelsOf(args[1][0], args[1][1])&lNet != 0 {
			w.written[w.pathKey(args[0][0], args[0][1])] = true
		}
	case c.last == "pipe" && c.recv >= 0 && len(args) >= 1:
		w.pipe(c, k, args)
	case c.plain == "crypto.verify" || c.plain == "crypto.timingSafeEqual" || c.plain == "crypto.createVerify" || c.last == "verify" && c.recv >= 0 || c.plain == "ssri.checkData" || c.plain == "ssri.checkStream":
		w.integrity = true
	}
	w.sendSink(c, k, args)
}

// callbacks gives callback parameters the labels of what they receive: the
// response of http.get, the value of a promise, a stream's chunks.
func (w *walker) callbacks(c callee, k int, args [][2]int) {
	var l label
	switch {
	case isHTTPRequest(c.plain) || isNetFetch(c.plain):
		l = lNet
	case isCmd(c.plain):
		l = w.labelsOf(k+1, w.end(k)) & lNet // exec("curl ...", (err, stdout) => ...)
	case (c.last == "then" || c.last == "on" || c.last == "once" || c.last == "addListener" || c.last == "addEventListener") && c.recv >= 0:
		rl := w.labelsOf(c.start, c.recv)
		if c.last == "then" {
			l = rl
			break
		}
		ev := ""
		if len(args) > 0 {
			ev, _ = w.strArg(args[0][0] - 1)
			if isStr(w.typ(args[0][0])) {
				ev = unquote(w.raw(args[0][0]))
			}
		}
		switch ev {
		case "response":
			l = rl & (lNet | lConn) >> 0
			if l != 0 {
				l = lNet
			}
		case "data", "message", "line", "readable", "end":
			if rl&lConn != 0 {
				l |= lSockIn
			}
			l |= rl &^ (lConn | lShell)
		}
	}
	if l == 0 {
		return
	}
	for _, a := range args {
		if fi, ok := w.byHead[a[0]]; ok {
			w.cbTaint[fi] |= l
		}
	}
}

// codeSink checks what eval, Function, vm and module._compile run.
func (w *walker) codeSink(c callee, k int, args [][2]int) {
	if len(args) == 0 {
		return
	}
	var l label
	switch c.plain {
	case "setTimeout", "setInterval", "setImmediate":
		a := args[0]
		if _, fnArg := w.byHead[a[0]]; fnArg {
			return
		}
		l = w.labelsOf(a[0], a[1])
		if l&(lNet|lReq|lSockIn|lDecode|lDecipher) == 0 {
			return // a function reference or an ordinary string
		}
	case "Function", "vm.compileFunction":
		l = w.labelsOf(args[len(args)-1][0], args[len(args)-1][1]) // the body is the last argument
	default:
		l = w.labelsOf(args[0][0], args[0][1])
	}
	what := "code run with " + c.plain + "()"
	switch {
	case l&lReq != 0:
		w.add("DM-JS-020", k, what+" comes from the HTTP request", sevSame)
	case l&lSockIn != 0:
		w.add("DM-JS-021", k, what+" comes from a network socket", sevSame)
	case l&lDecipher != 0 && l&lEnv != 0:
		w.add("DM-JS-041", k, what+" is decrypted with a key taken from the environment", sevSame)
	case l&lNet != 0:
		w.add("DM-JS-001", k, what+" is downloaded", sevSame)
	case l&lDecipher != 0:
		w.add("DM-JS-040", k, what+" is decrypted first", sevSame)
	case l&lDecode != 0 && l&lBlob != 0:
		w.add("DM-JS-040", k, what+" is a long encoded literal, decoded first", sevUp)
	case l&lDecode != 0:
		w.add("DM-JS-040", k, what+" is decoded first (base64, hex, char codes or inflate)", sevSame)
	case l&lBlob != 0:
		w.add("DM-JS-040", k, what+" is a long high-entropy literal", sevDown)
	}
}

// cmdSink checks what child_process runs.
func (w *walker) cmdSink(c callee, k int, args [][2]int) {
	if len(args) == 0 {
		return
	}
	first := args[0]
	l := w.labelsOf(first[0], first[1])
	if len(args) > 1 && (c.last == "spawn" || c.last == "spawnSync" || c.last == "execFile" || c.last == "execFileSync" || c.plain == "execa") {
		if w.typ(args[1][0]) == js.OpenBracketToken {
			l |= w.labelsOf(args[1][0], args[1][1]) &^ (lEnvAll | lEnv)
		}
	}
	what := "command run with " + c.plain + "()"
	switch key := w.pathKey(first[0], first[1]); {
	case l&lReq != 0:
		w.add("DM-JS-020", k, what+" comes from the HTTP request", sevSame)
	case l&lSockIn != 0:
		w.add("DM-JS-021", k, what+" comes from a network socket", sevSame)
	case w.written[key] || w.writtenIn(first[0], first[1]):
		w.add("DM-JS-002", k, "a file written with downloaded content is executed with "+c.plain+"()", sevSame)
	case l&lNet != 0 && !w.literalOnly(first[0], first[1]):
		w.add("DM-JS-002", k, what+" is downloaded", sevSame)
	case l&(lDecode|lDecipher) != 0:
		w.add("DM-JS-040", k, what+" is decoded first", sevSame)
	default:
		for j := first[0]; j < first[1]; j++ {
			if isStr(w.typ(j)) || w.typ(j) == js.TemplateStartToken {
				v := unquote(w.raw(j))
				if hinted(strings.ToLower(v), fetchHints) && shellDownload.MatchString(v) && !shellIntegrity.MatchString(v) {
					w.add("DM-JS-003", k, "shell command downloads and runs code: "+trim(v, 120), sevSame)
					return
				}
			}
		}
	}
}

// literalOnly says whether [i, j) is a single string literal: exec("curl
// ...") itself is the DM-JS-003 case, not downloaded code.
func (w *walker) literalOnly(i, j int) bool { return j == i+1 && isStr(w.typ(i)) }

// writtenIn says whether a variable in [i, j) names a file written with
// downloaded content (exec(`chmod +x ${bin} && ${bin}`)).
func (w *walker) writtenIn(i, j int) bool {
	for k := i; k < j && k < i+64; k++ {
		if isName(w.typ(k)) && w.written[w.text(k)] {
			return true
		}
	}
	return false
}

// pipe handles stream.pipe(dest): a download piped into a file, and a
// socket piped into a shell (a reverse shell).
func (w *walker) pipe(c callee, k int, args [][2]int) {
	rl := w.labelsOf(c.start, c.recv)
	a := args[0]
	al := w.labelsOf(a[0], a[1])
	if rl&lNet != 0 {
		if a[1] == a[0]+1 && isName(w.typ(a[0])) {
			if p, ok := w.streams[w.text(a[0])]; ok {
				w.written[p] = true
			}
		} else if key := w.streamTarget(a[0], a[1]); key != "" {
			w.written[key] = true
		}
	}
	if rl&lConn != 0 && al&lShell != 0 || rl&lShell != 0 && al&lConn != 0 {
		w.add("DM-JS-021", k, "a network socket is piped to a shell's standard streams (reverse shell)", sevSame)
	}
}

// sendSink reports secrets, the environment or host identity reaching a
// network call.
func (w *walker) sendSink(c callee, k int, args [][2]int) {
	dns := isDNS(c.plain)
	isSend := dns || isNetFetch(c.plain) || isHTTPRequest(c.plain) || isSocket(c.plain, c.isNew) || c.plain == "navigator.sendBeacon"
	if !isSend && c.recv >= 0 && (c.last == "write" || c.last == "end" || c.last == "send" || c.last == "emit") {
		isSend = w.labelsOf(c.start, c.recv)&lConn != 0
	}
	if !isSend || len(args) == 0 {
		return
	}
	var l label
	for _, a := range args {
		if _, fnArg := w.byHead[a[0]]; !fnArg {
			l |= w.labelsOf(a[0], a[1])
		}
	}
	l &= sendable
	switch {
	case l == 0:
	case dns:
		w.add("DM-JS-011", k, "a DNS query for a name built from "+describe(l), sevSame)
	case l&(lEnvAll|lSecret) != 0:
		w.add("DM-JS-010", k, describe(l)+" sent with "+c.plain+"()", sevSame)
	default:
		w.add("DM-JS-012", k, describe(l)+" sent with "+c.plain+"()", sevSame)
	}
}

// describe names the sensitive labels of l.
func describe(l label) string {
	var parts []string
	if l&lEnvAll != 0 {
		parts = append(parts, "the whole environment")
	}
	if l&lSecret != 0 {
		parts = append(parts, "secrets (token variables or credential files)")
	}
	if l&lHost != 0 {
		parts = append(parts, "the host or user name")
	}
	switch len(parts) {
	case 0:
		return "data"
	case 1:
		return parts[0]
	}
	out := parts[0]
	for _, p := range parts[1 : len(parts)-1] {
		out += ", " + p
	}
	return out + " and " + parts[len(parts)-1]
}

func (w *walker) add(rule string, k int, detail string, s sevAdj) {
	w.cands = append(w.cands, cand{rule: rule, tok: k, detail: detail, sev: s})
}

func trim(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
