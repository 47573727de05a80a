package gobehavior

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"path"
	"strings"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/behavior"
	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/finding"
)

// maxFile bounds the Go files parsed: bigger ones are generated tables.
const maxFile = 2 << 20

// maxPerFile bounds the findings of one file.
const maxPerFile = 32

// Analyzer is the Go behaviour analyzer.
var Analyzer = &analyzer.Analyzer{
	Name: "gobehavior",
	Doc:  "finds download-and-run, request-to-command, credential exfiltration, decoded payloads, time bombs and magic-value triggers in Go source",
	// A file that imports none of these cannot reach a network, a
	// program or the file system in the ways the rules look for; files
	// without a hit are never parsed.
	Keywords: []string{`"os/exec"`, `"net/http"`, `"net"`, `"plugin"`, `"syscall"`, `os.RemoveAll`},
	Run:      run,
	Finish:   behavior.Finish,
}

func run(p *analyzer.Pass) {
	if path.Ext(p.Entry.Name) != ".go" || p.Size() > maxFile {
		return
	}
	if inTestdata(p.Entry) {
		// The go command ignores testdata folders: their .go files are
		// inputs to tests (parser and type checker cases by the
		// thousand), never compiled into anything.
		return
	}
	data := p.Data()
	if data == nil || !worthParsing(data) {
		return
	}
	for _, h := range analyze(p.Entry.Name, data) {
		off := int64(h.pos)
		line, col := p.Line(off)
		h.f.Location.Line, h.f.Location.Column, h.f.Location.Offset = line, col, &off
		h.f.Evidence = strings.TrimSpace(p.LineText(off))
		behavior.Defer(p, h.f)
	}
}

// inTestdata reports an entry under a "testdata" folder, in any of the
// containers around it.
func inTestdata(e *artifact.Entry) bool {
	for ; e != nil; e = e.Parent {
		if strings.HasPrefix(e.Name, "testdata/") || strings.Contains(e.Name, "/testdata/") {
			return true
		}
	}
	return false
}

// worthParsing says whether a file writes what one of the rules needs
// together: a rule fires only on a source and a sink in the same file, so a
// file with only one of them is not parsed (parsing is most of this
// analyzer's cost, and most Go files that import "net" or "os/exec" hold
// one half at most):
//
//	GO-001/004 run something (exec, syscall.Exec, plugin) + network or decoding
//	GO-002     run something + an HTTP request
//	GO-003     environment, credentials or host identity + network
//	GO-005     delete or run something + the clock
//	GO-006     an HTTP handler + passing on, granting or running
//	GO-007     an init function + network or running something
func worthParsing(data []byte) bool {
	has := func(words ...string) bool {
		for _, w := range words {
			if bytes.Contains(data, []byte(w)) {
				return true
			}
		}
		return false
	}
	network := has(`"net"`, `"net/http"`, `"net/url"`, "net.Dial", "http.")
	run := has("exec.", "syscall.Exec", "syscall.ForkExec", "plugin.Open")
	switch {
	case run && (network || has("base64.", "hex.", "base32.", "Decode")):
		return true
	case network && has("Environ()", "Getenv", "LookupEnv", "Hostname()", "UserHomeDir", "user.Current", ".ssh", ".aws", ".netrc", "credentials"):
		return true
	case (run || has("os.Remove")) && has("time.Now", "time.Date"):
		return true
	case has("http.Request", "*gin.Context", "echo.Context", "*fiber.Ctx") && has("ServeHTTP", ".Next(", "dmin", "uthenticated", "uthorized", "IsRoot", "isRoot", "exec."):
		return true
	case has("func init()") && (network || run):
		return true
	}
	return false
}

// analyze parses one file and returns its findings, with positions as
// byte offsets (the file set's base is 0, so a Pos minus 1 is the offset).
func analyze(name string, data []byte) []hit {
	fset := token.NewFileSet()
	base := token.Pos(fset.Base()) // the file's first byte
	af, _ := parser.ParseFile(fset, name, data, parser.SkipObjectResolution)
	if af == nil {
		return nil
	}
	ctx := newFileCtx(fset, af)
	var out []hit
	for _, d := range af.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil {
			continue
		}
		f := &fn{
			a: ctx, name: fd.Name.Name, isInit: fd.Name.Name == "init" && fd.Recv == nil && af.Name.Name != "main", // a command's init is its start, not an import
			vars: map[string]taint{}, why: map[string]string{}, reqNames: map[string]bool{},
			created: map[string]ast.Expr{}, netFiles: map[string]bool{},
		}
		hits := f.analyzeFunc(fd.Body, fd.Type.Params)
		if f.isInit && len(hits) == 0 {
			if what := f.reachesOut(fd.Body); what != "" {
				hits = append(hits, f.hit(fd, finding.Finding{
					Rule: "DM-GO-007", Category: finding.DownloadExecute, CWE: []string{"CWE-912"},
					Severity: finding.Medium, Confidence: finding.ConfidenceMedium,
					Title:   "Package init reaches the network or runs a command",
					Message: "init() " + what + ": it runs as soon as the package is imported, before the program asks for it",
				}))
			}
		}
		out = append(out, hits...)
		if len(out) >= maxPerFile {
			out = out[:maxPerFile]
			break
		}
	}
	for i := range out {
		out[i].pos -= base
	}
	return out
}

// reachesOut names the first network call or command in an init body.
func (f *fn) reachesOut(b *ast.BlockStmt) string {
	var what string
	ast.Inspect(b, func(n ast.Node) bool {
		c, ok := n.(*ast.CallExpr)
		if !ok || what != "" {
			return what == ""
		}
		name := f.a.callName(c)
		switch {
		case runners[name]:
			what = "runs a command (" + shortName(name) + ")"
		case strings.HasPrefix(name, "net/http.") && (strings.HasSuffix(name, ".Get") || strings.HasSuffix(name, ".Post") || strings.HasSuffix(name, ".PostForm") || strings.HasSuffix(name, ".Head")),
			strings.HasPrefix(name, "net.Dial"), strings.HasPrefix(name, "net.Lookup"):
			what = "reaches the network (" + shortName(name) + ")"
		}
		return true
	})
	return what
}
