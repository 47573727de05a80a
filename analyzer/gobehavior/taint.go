package gobehavior

import (
	"go/ast"
	"go/token"
	"regexp"
	"strconv"
	"strings"
)

// taint is where a value came from, as a set.
type taint uint16

const (
	tNet      taint = 1 << iota // fetched over the network
	tConn                       // a network connection (net.Dial)
	tReq                        // from an incoming HTTP request
	tSecret                     // the environment, credential files
	tDevice                     // host or user name
	tDecoded                    // base64/hex/base32-decoded
	tNetFile                    // a path written with network data
	tComposed                   // secret data joined with a literal host name
	tEncoded                    // secret data encoded (hex, base64) for a name
	tNow                        // the current time
	tHTTPReq                    // an outgoing request built with http.NewRequest
	tCredPath                   // a path to a credential file
)

// credPath matches paths of files holding credentials.
var credPath = regexp.MustCompile(`(?i)(?:^|/|\\)\.ssh(?:/|\\|$)|id_rsa|id_ed25519|id_ecdsa|\.aws(?:/|\\)credentials|^\.aws$|\.netrc|\.kube(?:/|\\)config|\.docker(?:/|\\)config\.json|\.git-credentials|/etc/shadow|\.bash_history|\.zsh_history|\.npmrc|\.pypirc|Login Data|wallet\.dat|\.gnupg`)

// secretEnv matches environment variable names that hold secrets.
// credHints are words every credPath match holds (lower-cased): the
// case-insensitive expression runs only on literals that have one, since
// it costs microseconds on each of a module cache's millions of literals.
var credHints = []string{".ssh", "id_", ".aws", ".netrc", ".kube", ".docker", ".git-credentials", "/etc/shadow", "_history", ".npmrc", ".pypirc", "login data", "wallet.dat", ".gnupg"}

func credHinted(s string) bool {
	ls := strings.ToLower(s)
	for _, h := range credHints {
		if strings.Contains(ls, h) {
			return true
		}
	}
	return false
}

var secretEnv = regexp.MustCompile(`(?i)token|secret|passw|api_?key|access_?key|credential|private|aws_|auth`)

// fn is the state of one function's analysis: what each local name holds.
type fn struct {
	a        *fileCtx
	name     string
	isInit   bool
	vars     map[string]taint
	why      map[string]string // first source of a variable, for messages
	reqNames map[string]bool   // *http.Request (or framework context) parameters
	created  map[string]ast.Expr
	netFiles map[string]bool // literal paths written with network data
	verified bool            // a hash or signature is checked in the function
}

func (f *fn) set(name string, t taint, why string) {
	if name == "_" || name == "" {
		return
	}
	f.vars[name] |= t
	if _, ok := f.why[name]; !ok && why != "" && t != 0 {
		f.why[name] = why
	}
}

// eval returns the taint of an expression and a short description of its
// source.
func (f *fn) eval(e ast.Expr) (taint, string) {
	switch x := e.(type) {
	case nil:
		return 0, ""
	case *ast.Ident:
		if f.reqNames[x.Name] {
			return tReq, x.Name
		}
		return f.vars[x.Name], f.why[x.Name]
	case *ast.BasicLit:
		if x.Kind == token.STRING {
			if s, err := strconv.Unquote(x.Value); err == nil && len(s) < 1024 && credHinted(s) && credPath.MatchString(s) {
				return tCredPath, s
			}
		}
		return 0, ""
	case *ast.ParenExpr:
		return f.eval(x.X)
	case *ast.StarExpr:
		return f.eval(x.X)
	case *ast.UnaryExpr:
		return f.eval(x.X)
	case *ast.SelectorExpr:
		return f.eval(x.X)
	case *ast.IndexExpr:
		return f.eval(x.X)
	case *ast.SliceExpr:
		return f.eval(x.X)
	case *ast.TypeAssertExpr:
		return f.eval(x.X)
	case *ast.KeyValueExpr:
		return f.eval(x.Value)
	case *ast.CompositeLit:
		var t taint
		var why string
		for _, el := range x.Elts {
			et, ew := f.eval(el)
			t |= et
			if why == "" {
				why = ew
			}
		}
		return t, why
	case *ast.BinaryExpr:
		lt, lw := f.eval(x.X)
		rt, rw := f.eval(x.Y)
		t := lt | rt
		if x.Op == token.ADD && t&(tSecret|tDevice) != 0 && (hostLiteral(x.X) || hostLiteral(x.Y)) {
			t |= tComposed
		}
		if lw == "" {
			lw = rw
		}
		return t, lw
	case *ast.CallExpr:
		return f.evalCall(x)
	case *ast.FuncLit:
		return 0, ""
	}
	return 0, ""
}

// hostLiteral: a string literal that looks like part of a host name.
func hostLiteral(e ast.Expr) bool {
	l, ok := e.(*ast.BasicLit)
	if !ok || l.Kind != token.STRING {
		return false
	}
	s, err := strconv.Unquote(l.Value)
	return err == nil && strings.Contains(s, ".") && !strings.ContainsAny(s, " /%")
}

// evalCall: sources by name; otherwise a call carries its arguments'
// and its receiver's taint (string(b), io.ReadAll(resp.Body), strings.Join).
func (f *fn) evalCall(c *ast.CallExpr) (taint, string) {
	name := f.a.callName(c)
	var args taint
	var why string
	for _, a := range c.Args {
		t, w := f.eval(a)
		args |= t
		if why == "" {
			why = w
		}
	}
	recv := taint(0)
	if sel, ok := c.Fun.(*ast.SelectorExpr); ok && !f.a.isPkg(sel.X) {
		recv, _ = f.eval(sel.X)
		if why == "" {
			_, why = f.eval(sel.X)
		}
		// ctx.Query("cmd") on a gin/echo/fiber context parameter.
		if id, ok := rootIdent(sel.X); ok && f.reqNames[id] {
			return tReq, id + "." + sel.Sel.Name
		}
	}
	t := args | recv
	switch name {
	case "net/http.Get", "net/http.Post", "net/http.PostForm", "net/http.Head":
		return tNet | args&^tCredPath, name
	case "net.Dial", "net.DialTimeout", "net.DialTCP", "net.DialUDP", "crypto/tls.Dial", "net.DialUnix":
		return tConn, name
	case "net/http.NewRequest", "net/http.NewRequestWithContext":
		return tHTTPReq | args&^tCredPath, why
	case "os.Environ":
		return tSecret, "os.Environ()"
	case "os.Getenv", "os.LookupEnv", "syscall.Getenv":
		if len(c.Args) == 1 && f.isInit {
			if s, ok := stringLit(c.Args[0]); ok && secretEnv.MatchString(s) {
				return tSecret, "os.Getenv(" + strconv.Quote(s) + ")"
			}
		}
		return 0, ""
	case "os.Hostname", "os/user.Current", "os.Getwd":
		if name == "os.Getwd" {
			return 0, ""
		}
		return tDevice, name + "()"
	case "os.ReadFile", "io/ioutil.ReadFile", "os.Open", "os.OpenFile", "os.ReadDir", "io/ioutil.ReadDir":
		if args&tCredPath != 0 {
			return tSecret, why
		}
		return 0, ""
	case "os.UserHomeDir", "os.Getuid", "os.Getpid", "time.Since":
		return 0, ""
	case "time.Now":
		return tNow, "time.Now()"
	case "encoding/base64.StdEncoding.DecodeString", "encoding/base64.URLEncoding.DecodeString",
		"encoding/base64.RawStdEncoding.DecodeString", "encoding/base64.RawURLEncoding.DecodeString",
		"encoding/hex.DecodeString", "encoding/base32.StdEncoding.DecodeString", "encoding/base32.HexEncoding.DecodeString":
		return t | tDecoded, name
	case "encoding/hex.EncodeToString", "encoding/base64.StdEncoding.EncodeToString", "encoding/base64.URLEncoding.EncodeToString",
		"encoding/base64.RawURLEncoding.EncodeToString", "encoding/base32.StdEncoding.EncodeToString", "encoding/base32.HexEncoding.EncodeToString":
		if t&(tSecret|tDevice) != 0 {
			t |= tEncoded
		}
		return t, why
	case "fmt.Sprintf":
		if len(c.Args) > 0 && t&(tSecret|tDevice) != 0 {
			if s, ok := stringLit(c.Args[0]); ok && strings.Contains(s, ".") && !strings.ContainsAny(s, " /") {
				t |= tComposed
			}
		}
		return t, why
	case "path/filepath.Join", "path.Join":
		return t, why
	case "len", "strconv.Itoa", "strings.Contains", "strings.HasPrefix", "bytes.Equal", "strings.EqualFold",
		"errors.New", "fmt.Errorf", "os.Stat", "os.Lstat", "os.MkdirAll", "os.Chmod", "os.Remove", "os.RemoveAll":
		return 0, ""
	}
	if sel, ok := c.Fun.(*ast.SelectorExpr); ok && recv&tHTTPReq != 0 && sel.Sel.Name == "Do" {
		return tNet | recv&^tHTTPReq, why // client.Do(req) where req was built here
	}
	if sel, ok := c.Fun.(*ast.SelectorExpr); ok && (sel.Sel.Name == "Do") && args&tHTTPReq != 0 {
		return tNet | args&^tHTTPReq, why
	}
	if sel, ok := c.Fun.(*ast.SelectorExpr); ok && (sel.Sel.Name == "Get" || sel.Sel.Name == "Post") && isClientName(sel.X) {
		return tNet | args&^tCredPath, name
	}
	if recv&tConn != 0 || args&tConn != 0 {
		t |= tNet // reading from a connection yields remote data
	}
	return t, why
}

func isClientName(e ast.Expr) bool {
	id, ok := rootIdent(e)
	return ok && (strings.Contains(strings.ToLower(id), "client") || id == "http")
}

// rootIdent returns the variable at the root of a selector chain.
func rootIdent(e ast.Expr) (string, bool) {
	for {
		switch x := e.(type) {
		case *ast.Ident:
			return x.Name, true
		case *ast.SelectorExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		case *ast.CallExpr:
			e = x.Fun
		default:
			return "", false
		}
	}
}

func stringLit(e ast.Expr) (string, bool) {
	l, ok := e.(*ast.BasicLit)
	if !ok || l.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(l.Value)
	return s, err == nil
}
