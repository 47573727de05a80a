package gobehavior

import (
	"fmt"
	"go/ast"
	"go/token"
	"regexp"
	"strconv"
	"strings"

	"github.com/doorman-sec/doorman/finding"
)

// ifChecks looks at one if statement for a time bomb or a magic-value
// trigger.
func (f *fn) ifChecks(s *ast.IfStmt) []hit {
	var out []hit
	if date, ok := f.dateCondition(s.Cond); ok {
		if d := f.destructive(s.Body); d != "" {
			out = append(out, f.hit(s, finding.Finding{
				Rule: "DM-GO-005", Category: finding.TimeBomb, CWE: []string{"CWE-511"},
				Severity: finding.High, Confidence: finding.ConfidenceHigh,
				Title:   "Destructive action gated on a date",
				Message: fmt.Sprintf("%s() compares the current time with %s and then %s", f.name, date, d),
			}))
		}
	}
	if len(f.reqNames) > 0 {
		if lit, ok := f.magicCompare(s.Cond); ok {
			grant, sev := f.grants(s.Body)
			if grant != "" {
				out = append(out, f.hit(s, finding.Finding{
					Rule: "DM-GO-006", Category: finding.HiddenTrigger, CWE: []string{"CWE-912", "CWE-798"},
					Severity: sev, Confidence: finding.ConfidenceMedium,
					Title:   "Magic request value unlocks access",
					Message: fmt.Sprintf("%s() compares a request value with the literal %s and then %s", f.name, mask(lit), grant),
				}))
			}
		}
	}
	return out
}

// dateCondition: the condition reads the current time (time.Now(), a
// variable holding it) and a constant date: time.Date(2025, ...), a Unix
// timestamp literal, or a year literal.
func (f *fn) dateCondition(cond ast.Expr) (string, bool) {
	now, date := false, ""
	ast.Inspect(cond, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.CallExpr:
			name := f.a.callName(x)
			if name == "time.Now" {
				now = true
			}
			if name == "time.Date" && len(x.Args) > 0 {
				if l, ok := x.Args[0].(*ast.BasicLit); ok && l.Kind == token.INT {
					date = "time.Date(" + l.Value + ", ...)"
				}
			}
			if name == "time.Unix" && len(x.Args) > 0 {
				if l, ok := x.Args[0].(*ast.BasicLit); ok && l.Kind == token.INT {
					date = "time.Unix(" + l.Value + ")"
				}
			}
		case *ast.Ident:
			if f.vars[x.Name]&tNow != 0 {
				now = true
			}
		case *ast.BasicLit:
			if x.Kind == token.INT {
				if v, err := strconv.ParseInt(x.Value, 0, 64); err == nil && (v >= 1_000_000_000 && v < 4_000_000_000) {
					date = "timestamp " + x.Value
				}
			}
		}
		return true
	})
	// time.Parse of a constant layout and date on an earlier line is a
	// variable; a literal year compared with .Year() is inline.
	if date == "" {
		ast.Inspect(cond, func(n ast.Node) bool {
			if b, ok := n.(*ast.BinaryExpr); ok && isCompare(b.Op) {
				for _, side := range []ast.Expr{b.X, b.Y} {
					if l, ok := side.(*ast.BasicLit); ok && l.Kind == token.INT {
						if v, err := strconv.Atoi(l.Value); err == nil && v >= 2000 && v <= 2100 && mentionsYear(b) {
							date = "the year " + l.Value
						}
					}
				}
			}
			return true
		})
	}
	return date, now && date != ""
}

func isCompare(op token.Token) bool {
	return op == token.GTR || op == token.GEQ || op == token.LSS || op == token.LEQ || op == token.EQL || op == token.NEQ
}

func mentionsYear(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(m ast.Node) bool {
		if s, ok := m.(*ast.SelectorExpr); ok && s.Sel.Name == "Year" {
			found = true
		}
		return !found
	})
	return found
}

// destructiveCmd matches commands that destroy data.
var destructiveCmd = regexp.MustCompile(`^(?:/bin/|/usr/bin/)?(?:rm|shred|dd|mkfs(?:\..*)?|wipefs|format|del|rd|rmdir)$`)

// destructive names what a block does that destroys data, or "".
func (f *fn) destructive(b *ast.BlockStmt) string {
	var what string
	ast.Inspect(b, func(n ast.Node) bool {
		c, ok := n.(*ast.CallExpr)
		if !ok || what != "" {
			return what == ""
		}
		switch name := f.a.callName(c); name {
		case "os.RemoveAll", "os.Remove", "os.Truncate", "syscall.Reboot", "syscall.Unlink":
			what = "calls " + shortName(name)
		case "os/exec.Command", "os/exec.CommandContext":
			args := c.Args
			if name == "os/exec.CommandContext" && len(args) > 0 {
				args = args[1:]
			}
			for _, a := range args {
				if s, ok := stringLit(a); ok {
					first := strings.Fields(s + " x")[0]
					if destructiveCmd.MatchString(first) || strings.Contains(s, "rm -rf") || strings.Contains(s, "mkfs") {
						what = "runs " + strconv.Quote(s)
						break
					}
				}
			}
		}
		return true
	})
	return what
}

// commonValues are request values compared with literals for ordinary
// reasons: protocol words, content types, booleans.
var commonValues = map[string]bool{
	"xmlhttprequest": true, "websocket": true, "upgrade": true, "keep-alive": true, "close": true,
	"gzip": true, "deflate": true, "true": true, "false": true, "yes": true, "none": true,
	"null": true, "https": true, "http": true, "bearer": true, "basic": true, "json": true,
	"options": true, "head": true, "post": true, "patch": true, "delete": true, "trace": true,
	"connect": true, "chunked": true, "identity": true, "same-origin": true, "cors": true, "navigate": true,
}

// magicCompare: `reqValue == "literal"` (either side), with a literal that
// is not a protocol word or content type.
func (f *fn) magicCompare(cond ast.Expr) (string, bool) {
	var lit string
	ast.Inspect(cond, func(n ast.Node) bool {
		b, ok := n.(*ast.BinaryExpr)
		if !ok || b.Op != token.EQL || lit != "" {
			return lit == ""
		}
		for _, pair := range [][2]ast.Expr{{b.X, b.Y}, {b.Y, b.X}} {
			s, ok := stringLit(pair[1])
			if !ok || len(s) < 4 || commonValues[strings.ToLower(s)] || strings.ContainsAny(s, "/ ") {
				continue
			}
			if t, _ := f.eval(pair[0]); t&tReq != 0 {
				lit = s
			}
		}
		return true
	})
	return lit, lit != ""
}

var authFlag = regexp.MustCompile(`(?i)^(?:is_?)?(?:admin|authenticated|authorized|authed|loggedin|logged_in|root|superuser|privileged)$`)

// grants says what a guarded block unlocks: running a command, passing
// the request on past an auth check, or setting an admin flag.
func (f *fn) grants(b *ast.BlockStmt) (string, finding.Severity) {
	var what string
	sev := finding.High
	ast.Inspect(b, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.CallExpr:
			name := f.a.callName(x)
			if runners[name] {
				what, sev = "runs a command ("+shortName(name)+")", finding.Critical
				return false
			}
			if sel, ok := x.Fun.(*ast.SelectorExpr); ok && what == "" && (sel.Sel.Name == "ServeHTTP" || sel.Sel.Name == "Next") {
				what = "passes the request on (" + sel.Sel.Name + ") past the check"
			}
		case *ast.AssignStmt:
			for i, l := range x.Lhs {
				var nm string
				switch v := l.(type) {
				case *ast.Ident:
					nm = v.Name
				case *ast.SelectorExpr:
					nm = v.Sel.Name
				}
				if i < len(x.Rhs) && authFlag.MatchString(nm) && what == "" {
					if id, ok := x.Rhs[i].(*ast.Ident); ok && id.Name == "true" {
						what = "sets " + nm + " = true"
					}
				}
			}
		}
		return true
	})
	return what, sev
}

// mask keeps the start of a magic value (it is a credential).
func mask(s string) string {
	if len(s) <= 4 {
		return strconv.Quote(s)
	}
	return strconv.Quote(s[:3] + "***")
}
