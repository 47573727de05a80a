package pybehavior

import (
	"path"
	"strings"
)

// describe names the data labels carry, for messages.
func describe(l label) string {
	var parts []string
	if l&lEnv != 0 {
		parts = append(parts, "the whole environment (os.environ)")
	}
	if l&lSecret != 0 {
		parts = append(parts, "credential files or browser/wallet stores")
	}
	if l&lEnvKey != 0 {
		parts = append(parts, "a secret environment variable")
	}
	if l&lHost != 0 {
		parts = append(parts, "the host or user name")
	}
	if l&lPath != 0 && l&lSecret == 0 {
		parts = append(parts, "credential paths")
	}
	if len(parts) == 0 {
		return "data"
	}
	return strings.Join(parts, ", ")
}

// exfil checks data sent by a network call.
func (a *analysis) exfil(n *node, data label, how string) {
	data &^= objMask
	switch {
	case data&(lEnv|lSecret) != 0:
		a.emit(ruleExfil, n.off, how+"() sends "+describe(data)+" to a network endpoint", "")
	case data&lEnvKey != 0:
		r := ruleExfil
		r.severity, r.confidence = r.severity-1, "medium"
		a.emit(r, n.off, how+"() sends "+describe(data)+" in the request body or URL", "")
	case data&lHost != 0:
		a.emit(ruleHostExfil, n.off, how+"() sends "+describe(data)+" to a network endpoint", "")
	}
}

// codeSink checks what exec, eval, a loader or a deserializer is given.
func (a *analysis) codeSink(n *node, fn string, l label) {
	if (fn == "__import__" || fn == "importlib.import_module") && len(n.kids) > 0 && n.kids[0].kind == nStr {
		return // a literal import
	}
	if loadSinks[fn] && l&(lNet|lRecv|lReq|lNetFile) == 0 {
		return // deserializing local data is not this analyzer's business
	}
	switch {
	case l&(lNet|lNetFile) != 0 && !a.isVerified():
		msg := fn + "() runs content fetched from the network without checking a digest or signature"
		if l&lDecoded != 0 {
			msg += " (decoded first)"
		}
		a.emit(ruleFetchExec, n.off, msg, "")
	case l&lRecv != 0:
		a.emit(ruleSockExec, n.off, fn+"() runs code received on a socket", "")
	case l&lReq != 0:
		a.emit(ruleReqExec, n.off, fn+"() runs code taken from a web request", "")
	case l&(lDecoded|lBlob) != 0 && !loadSinks[fn]:
		msg := fn + "() runs a payload decoded at run time"
		if l&lDecoded == 0 {
			msg = fn + "() runs a long high-entropy literal"
		}
		if l&lKeyEnv != 0 {
			msg += ", decrypted with a key from the environment"
		}
		a.emit(ruleDecodeExec, n.off, msg, "")
	}
}

// cmdSink checks what a command runner is given. A command counts as
// controlled by the data when the data is the program, the code given to
// an interpreter, or (with a shell) any part of the command line.
func (a *analysis) cmdSink(n *node, fn string, args []label) {
	var cmd *node
	var cl label
	for i, k := range n.kids {
		kw := kwAt(n, i)
		if kw == "" || kw == "args" || kw == "cmd" || kw == "command" {
			cmd, cl = k, args[i]
			break
		}
	}
	if cmd == nil {
		return
	}
	shell := shellSinks[fn]
	if k := argNamed(n, -1, "shell"); k != nil && k.kind == nConst && k.name == "True" {
		shell = true
	}
	if lit := a.commandText(cmd); lit != "" && downloadShell.MatchString(lit) && !pinnedInstall.MatchString(lit) {
		a.emit(ruleShellFetch, n.off, fn+"() runs a command that downloads and executes code: "+clip(lit, 100), "")
	}
	whole, part := a.controls(cmd, cl, shell)
	switch {
	case whole&lNet != 0 && !a.isVerified():
		a.emit(ruleFetchExec, n.off, fn+"() runs a command fetched from the network", "")
	case (whole|part)&lNetFile != 0 && !a.isVerified():
		a.emit(ruleFileExec, n.off, fn+"() runs a file written with content fetched from the network, without checking a digest or signature", "")
	case (whole|part)&lRecv != 0:
		a.emit(ruleSockExec, n.off, fn+"() runs a command received on a socket", "")
	case whole&lReq != 0:
		a.emit(ruleReqExec, n.off, fn+"() runs a command taken from a web request", "")
	case part&lReq != 0:
		r := ruleReqExec
		r.severity, r.confidence = r.severity-1, "medium"
		a.emit(r, n.off, fn+"() runs a shell command line built with web request data (command injection)", "")
	case whole&lDecoded != 0:
		a.emit(ruleDecodeExec, n.off, fn+"() runs a command decoded at run time", "")
	}
}

// controls returns the labels that control the whole command (program or
// interpreter code) and those in some other part of it.
func (a *analysis) controls(cmd *node, cl label, shell bool) (whole, part label) {
	switch cmd.kind {
	case nSeq:
		if len(cmd.kids) == 0 {
			return 0, 0
		}
		first := a.ev(cmd.kids[0]) &^ objMask
		var rest label
		for _, k := range cmd.kids[1:] {
			rest |= a.ev(k) &^ objMask
		}
		if first != 0 {
			return first, rest
		}
		if a.isInterpreter(cmd.kids[0]) {
			return rest, 0
		}
		if shell {
			return 0, rest
		}
		return 0, 0
	case nStr, nOp:
		prefix := leadingText(cmd)
		if strings.TrimSpace(prefix) == "" || interpreterPrefix(prefix) {
			return cl &^ objMask, 0
		}
		return 0, cl &^ objMask
	}
	return cl &^ objMask, 0
}

// leadingText is the literal text of a command before its first
// interpolated part.
func leadingText(n *node) string {
	switch n.kind {
	case nStr:
		if len(n.kids) == 0 {
			return n.str
		}
		if i := strings.IndexByte(n.str, '{'); i >= 0 {
			return n.str[:i]
		}
		return n.str
	case nOp:
		if len(n.kids) > 0 && n.kids[0].kind == nStr {
			return leadingText(n.kids[0])
		}
	}
	return ""
}

func interpreterPrefix(s string) bool {
	f := strings.Fields(s)
	if len(f) == 0 {
		return true
	}
	p := strings.ToLower(path.Base(strings.ReplaceAll(f[0], `\`, "/")))
	p = strings.TrimSuffix(p, ".exe")
	return interpreters[p] || p == "chmod" || p == "start"
}

func (a *analysis) isInterpreter(n *node) bool {
	if d := a.dotted(n); d == "sys.executable" {
		return true
	}
	if n.kind == nStr {
		return interpreterPrefix(n.str)
	}
	return false
}

// commandText joins the literal parts of a command for the shell patterns.
func (a *analysis) commandText(n *node) string {
	switch n.kind {
	case nStr:
		return n.str
	case nSeq:
		var b strings.Builder
		for _, k := range n.kids {
			if k.kind == nStr {
				b.WriteString(k.str)
				b.WriteByte(' ')
			}
		}
		return b.String()
	case nOp:
		var b strings.Builder
		for _, k := range n.kids {
			if k.kind == nStr {
				b.WriteString(k.str)
			}
		}
		return b.String()
	case nName:
		return ""
	}
	return ""
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
