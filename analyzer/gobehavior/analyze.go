package gobehavior

import (
	"go/ast"
	"go/token"
	"regexp"
	"strings"

	"github.com/doorman-sec/doorman/finding"
)

// hit is one finding before it is placed in a file.
type hit struct {
	pos token.Pos
	f   finding.Finding
}

// runners run their arguments as a program or load them as code.
var runners = map[string]bool{
	"os/exec.Command": true, "os/exec.CommandContext": true, "syscall.Exec": true,
	"os.StartProcess": true, "plugin.Open": true, "syscall.ForkExec": true, "golang.org/x/sys/unix.Exec": true,
}

// verifiers are checks that make a download trustworthy.
var verifiers = regexp.MustCompile(`^(?:crypto/sha256\.|crypto/sha512\.|crypto/sha1\.|crypto/hmac\.Equal|crypto/subtle\.ConstantTimeCompare|crypto/ed25519\.Verify|crypto/rsa\.Verify|crypto/ecdsa\.Verify|golang.org/x/crypto/openpgp|github.com/ProtonMail/go-crypto|aead\.minisign|github.com/sigstore)`)

// analyzeFunc walks one function (and the function literals in it) in
// source order, updating what each variable holds and checking each call.
func (f *fn) analyzeFunc(body *ast.BlockStmt, params *ast.FieldList) []hit {
	f.addParams(params)
	// A hash or signature check anywhere in the function vouches for what
	// it downloads.
	ast.Inspect(body, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			name := f.a.callName(c)
			if verifiers.MatchString(name) {
				f.verified = true
			}
			if sel, ok := c.Fun.(*ast.SelectorExpr); ok && (strings.HasPrefix(sel.Sel.Name, "Verify") || sel.Sel.Name == "CheckSignature") {
				f.verified = true
			}
		}
		return true
	})
	var out []hit
	ast.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			f.addParams(x.Type.Params)
		case *ast.AssignStmt:
			f.assign(x.Lhs, x.Rhs)
		case *ast.ValueSpec:
			lhs := make([]ast.Expr, len(x.Names))
			for i, id := range x.Names {
				lhs[i] = id
			}
			f.assign(lhs, x.Values)
		case *ast.RangeStmt:
			t, w := f.eval(x.X)
			for _, e := range []ast.Expr{x.Key, x.Value} {
				if id, ok := e.(*ast.Ident); ok {
					f.set(id.Name, t, w)
				}
			}
		case *ast.IfStmt:
			out = append(out, f.ifChecks(x)...)
		case *ast.CallExpr:
			out = append(out, f.callChecks(x)...)
		}
		return true
	})
	return out
}

// addParams notes request-typed parameters: r *http.Request, c
// *gin.Context, c echo.Context, c *fiber.Ctx.
func (f *fn) addParams(params *ast.FieldList) {
	if params == nil {
		return
	}
	for _, fld := range params.List {
		t := fld.Type
		if s, ok := t.(*ast.StarExpr); ok {
			t = s.X
		}
		sel, ok := t.(*ast.SelectorExpr)
		if !ok {
			continue
		}
		pkg, _ := sel.X.(*ast.Ident)
		if pkg == nil {
			continue
		}
		p := f.a.imports[pkg.Name]
		isReq := p == "net/http" && sel.Sel.Name == "Request" ||
			strings.HasSuffix(p, "/gin") && sel.Sel.Name == "Context" ||
			strings.Contains(p, "labstack/echo") && sel.Sel.Name == "Context" ||
			strings.Contains(p, "gofiber/fiber") && sel.Sel.Name == "Ctx"
		if !isReq {
			continue
		}
		for _, n := range fld.Names {
			f.reqNames[n.Name] = true
		}
	}
}

func (f *fn) assign(lhs, rhs []ast.Expr) {
	if len(rhs) == 0 {
		return
	}
	var all taint
	var why string
	per := make([]taint, len(rhs))
	for i, r := range rhs {
		t, w := f.eval(r)
		per[i] = t
		all |= t
		if why == "" {
			why = w
		}
	}
	for i, l := range lhs {
		id, ok := l.(*ast.Ident)
		if !ok {
			// x.Field = v: the variable x now holds v.
			if root, ok := rootIdent(l); ok {
				id = &ast.Ident{Name: root}
			} else {
				continue
			}
		}
		t := all
		if len(lhs) == len(rhs) {
			t = per[i]
		}
		if len(rhs) == 1 {
			if c, ok := rhs[0].(*ast.CallExpr); ok && (f.a.callName(c) == "os.Create" || f.a.callName(c) == "os.OpenFile") && len(c.Args) > 0 {
				f.created[id.Name] = c.Args[0]
			}
		}
		f.set(id.Name, t, why)
	}
}

// writerMethods fill their receiver from their arguments.
var writerMethods = map[string]bool{
	"Set": true, "Add": true, "Write": true, "WriteString": true, "Encode": true, "Printf": true,
	"Fprintf": true, "Print": true, "WriteByte": true,
}

// sendMethods send their arguments over a connection receiver.
var sendMethods = map[string]bool{"Write": true, "WriteString": true, "WriteTo": true, "Send": true}

func (f *fn) callChecks(c *ast.CallExpr) []hit {
	name := f.a.callName(c)
	var out []hit
	args, why := f.argsTaint(c.Args)

	// Method calls on local values: a connection's Write sends; a
	// buffer's or url.Values' Set/Write fills it.
	if sel, ok := c.Fun.(*ast.SelectorExpr); ok && name == "" {
		if root, ok := rootIdent(sel.X); ok {
			rt, _ := f.eval(sel.X)
			switch {
			case rt&tConn != 0 && sendMethods[sel.Sel.Name]:
				out = append(out, f.exfil(c, args, why, "written to a network connection")...)
			case writerMethods[sel.Sel.Name]:
				f.set(root, args, why)
			}
		}
	}
	switch name {
	case "os.WriteFile", "io/ioutil.WriteFile":
		if len(c.Args) >= 2 {
			if dt, _ := f.eval(c.Args[1]); dt&tNet != 0 {
				f.markNetFile(c.Args[0])
			}
		}
	case "io.Copy", "io.CopyN", "io.CopyBuffer":
		if len(c.Args) >= 2 {
			st, sw := f.eval(c.Args[1])
			dt, _ := f.eval(c.Args[0])
			if dt&tConn != 0 {
				out = append(out, f.exfil(c, st, sw, "copied to a network connection")...)
			}
			if root, ok := rootIdent(c.Args[0]); ok {
				f.set(root, st, sw)
				if st&tNet != 0 {
					if p, ok := f.created[root]; ok {
						f.markNetFile(p)
					}
				}
			}
		}
	case "fmt.Fprintf", "fmt.Fprint", "fmt.Fprintln", "io.WriteString":
		if len(c.Args) >= 2 {
			if dt, _ := f.eval(c.Args[0]); dt&tConn != 0 {
				rest, w := f.argsTaint(c.Args[1:])
				out = append(out, f.exfil(c, rest, w, "written to a network connection")...)
			}
		}
	case "net/http.Post", "net/http.PostForm", "net/http.Get", "net/http.Head", "net/http.NewRequest", "net/http.NewRequestWithContext":
		out = append(out, f.exfil(c, args&^tCredPath, why, "sent in an HTTP request ("+shortName(name)+")")...)
	case "net.LookupHost", "net.LookupIP", "net.LookupTXT", "net.LookupCNAME", "net.LookupAddr", "net.LookupMX", "net.ResolveIPAddr", "net.ResolveTCPAddr", "net.ResolveUDPAddr", "net.Dial":
		if args&(tComposed|tEncoded) != 0 {
			out = append(out, f.exfil(c, args, why, "encoded into a DNS name ("+shortName(name)+")")...)
		}
	}
	if sel, ok := c.Fun.(*ast.SelectorExpr); ok && name == "" && strings.HasPrefix(sel.Sel.Name, "Lookup") && args&(tComposed|tEncoded) != 0 {
		out = append(out, f.exfil(c, args, why, "encoded into a DNS name (Resolver."+sel.Sel.Name+")")...)
	}
	if runners[name] {
		out = append(out, f.runChecks(c, name)...)
	}
	return out
}

func (f *fn) argsTaint(args []ast.Expr) (taint, string) {
	var t taint
	var why string
	for _, a := range args {
		at, w := f.eval(a)
		t |= at
		if why == "" {
			why = w
		}
	}
	return t, why
}

func (f *fn) markNetFile(p ast.Expr) {
	if s, ok := stringLit(p); ok {
		f.netFiles[s] = true
	}
	if root, ok := rootIdent(p); ok {
		f.set(root, tNetFile, "a downloaded file")
	}
}

func shortName(n string) string {
	if i := strings.LastIndex(n, "/"); i >= 0 {
		return n[i+1:]
	}
	return n
}
