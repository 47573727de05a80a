package gobehavior

import (
	"go/ast"
	"go/token"
	"path"
	"strconv"
	"strings"
)

// fileCtx is one parsed Go file: its imports, by the name they are used
// under, so os/exec renamed to `x` is still exec.
type fileCtx struct {
	fset    *token.FileSet
	imports map[string]string // local name -> import path
}

func newFileCtx(fset *token.FileSet, af *ast.File) *fileCtx {
	c := &fileCtx{fset: fset, imports: map[string]string{}}
	for _, im := range af.Imports {
		p, err := strconv.Unquote(im.Path.Value)
		if err != nil {
			continue
		}
		name := path.Base(p)
		if strings.HasPrefix(name, "v") && len(name) <= 3 { // example.com/x/v2
			name = path.Base(path.Dir(p))
		}
		if im.Name != nil {
			name = im.Name.Name
		}
		c.imports[name] = p
	}
	return c
}

// isPkg reports whether e names an imported package.
func (c *fileCtx) isPkg(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	if !ok {
		return false
	}
	_, ok = c.imports[id.Name]
	return ok && id.Obj == nil
}

// callName returns "importpath.Func" for package functions, with selector
// chains kept (encoding/base64.StdEncoding.DecodeString), or the bare
// name of a builtin or local function; "" for method calls on values.
func (c *fileCtx) callName(call *ast.CallExpr) string {
	switch fun := call.Fun.(type) {
	case *ast.Ident:
		return fun.Name
	case *ast.SelectorExpr:
		var parts []string
		e := ast.Expr(fun)
		for {
			s, ok := e.(*ast.SelectorExpr)
			if !ok {
				break
			}
			parts = append([]string{s.Sel.Name}, parts...)
			e = s.X
		}
		id, ok := e.(*ast.Ident)
		if !ok {
			return ""
		}
		p, ok := c.imports[id.Name]
		if !ok {
			return ""
		}
		return p + "." + strings.Join(parts, ".")
	}
	return ""
}
