package pybehavior

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/doorman-sec/doorman/finding"
)

// A gate is an if/while whose condition compares the clock, the locale,
// the geography or the host identity with a literal (a time-bomb
// candidate), or a login parameter with a literal (a magic-password
// candidate). The statements of its body, and of its elif/else branches,
// run under it; what they do decides whether it is reported.
type gate struct {
	indent    int
	rule      rule
	desc      string
	off       int
	done      bool
	body      int  // statements seen under the gate
	exitFirst bool // the first of them leaves the function
	exitOnly  bool // an early-exit gate: it guards the rest of the function
	trigger   *trigger
}

// trigger is a login parameter compared with a literal.
type trigger struct {
	param, lit string
	user       bool
	off        int
}

func (t *trigger) message() string {
	what := "password"
	if t.user {
		what = "user name"
	}
	return "the " + what + " parameter '" + t.param + "' is compared with the literal '" + finding.Mask(t.lit) + "' and the match grants access: a magic " + what
}

// action kinds, from the worst.
const (
	actDestroy = iota + 1
	actExec
	actNet
)

// action is called for every destructive, executing or network call; the
// enclosing gates decide whether it is a payload.
func (a *analysis) action(off int, kind int) {
	for _, g := range a.gates {
		if g.done {
			continue
		}
		if g.trigger != nil {
			if kind == actExec {
				a.emit(ruleMagicPass, g.trigger.off, g.trigger.message(), g.trigger.lit)
				g.done = true
			}
			continue
		}
		r := g.rule
		what := map[int]string{actDestroy: "deletes files", actExec: "runs code or commands", actNet: "talks to the network"}[kind]
		if kind == actNet {
			r.severity = finding.Medium
		}
		if g.exitOnly {
			if kind == actNet {
				continue
			}
			r.severity, r.confidence = finding.Medium, finding.ConfidenceLow
			a.emit(r, g.off, "the function returns early unless "+g.desc+"; afterwards it "+what, "")
		} else {
			a.emit(r, g.off, "code that "+what+" runs only when "+g.desc, "")
		}
		g.done = true
	}
}

// success: a statement under a trigger gate grants access.
func (a *analysis) success(off int) {
	for _, g := range a.gates {
		if g.trigger != nil && !g.done {
			a.emit(ruleMagicPass, g.trigger.off, g.trigger.message(), g.trigger.lit)
			g.done = true
		}
	}
}

// popGates ends the gates a statement at indent leaves; an elif, else or
// except at the gate's own indent stays under it. A gate whose only body
// statement leaves the function guards the rest of that function.
func (a *analysis) popGates(indent int, keyword string) {
	for len(a.gates) > 0 {
		g := a.gates[len(a.gates)-1]
		if indent > g.indent || indent == g.indent && !g.exitOnly && (keyword == "elif" || keyword == "else") {
			return
		}
		a.gates = a.gates[:len(a.gates)-1]
		if g.exitFirst && g.body == 1 && !g.exitOnly && g.trigger == nil && indent >= 0 {
			if f := a.fn(); f != nil && indent > f.indent {
				ng := *g
				ng.exitOnly, ng.indent, ng.body, ng.done = true, f.indent, 0, false
				a.gates = append(a.gates, &ng)
				return
			}
		}
	}
}

func isExit(s *stmt) bool {
	if s.kind == sReturn || s.kind == sRaise {
		return true
	}
	if s.kind == sExpr && s.value != nil && s.value.kind == nCall {
		switch f := s.value.x; {
		case f.kind == nName && (f.name == "exit" || f.name == "quit"):
			return true
		case f.kind == nAttr && (f.name == "exit" || f.name == "_exit") && f.x.kind == nName && (f.x.name == "sys" || f.x.name == "os"):
			return true
		}
	}
	return false
}

// isSuccess: a returned value that grants (not False, None, 0 or nothing).
func isSuccess(n *node) bool {
	if n == nil {
		return false
	}
	switch n.kind {
	case nConst:
		return n.name == "True"
	case nNum:
		return n.name != "0"
	case nStr:
		return false
	case nOp:
		return false
	}
	return true
}

var dateString = regexp.MustCompile(`^(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{4}|\d{4}/\d{1,2}/\d{1,2}|\d{8})`)

// clockParts are the fields of a date or struct_time.
var clockParts = set("year", "month", "day", "hour", "minute", "tm_year", "tm_mon", "tm_mday", "tm_hour", "tm_wday", "tm_yday")

// compare inspects one side x of a comparison with y.
func (a *analysis) compare(x, y *node, lx, ly label, op string) {
	if !a.cond && op != "==" && op != "in" {
		return
	}
	if a.cond && lx&lTime != 0 && isDateLiteral(a, x, y) {
		a.pendGate(ruleDateBomb, x.off, "the date is compared with "+literalText(dateShown(y)))
	}
	if a.cond && lx&(lLocale|lGeo|lHost) != 0 && isStrLit(y) {
		a.gateOn(x, y, lx, op)
	}
	if x.kind == nName && (op == "==" || op == "in" || op == "is") && isStrLit(y) {
		f := a.fn()
		if f == nil || !contains(f.params, x.name) {
			return
		}
		lit := y.str
		if y.kind == nSeq {
			lit = y.kids[0].str
		}
		if strings.Trim(lit, "*•x ") == "" {
			return // a masked placeholder
		}
		switch {
		case isPasswordParam(x.name):
			a.pend = append(a.pend, &gate{off: x.off, trigger: &trigger{param: x.name, lit: lit, off: x.off}})
		case isUserParam(x.name) && f.auth:
			a.pend = append(a.pend, &gate{off: x.off, trigger: &trigger{param: x.name, lit: lit, user: true, off: x.off}})
		}
	}
}

func dateShown(y *node) *node {
	if y.kind == nCall {
		return &node{kind: nConst, name: "a fixed date"}
	}
	return y
}

// gateOn records a locale, geography or host condition on x.
func (a *analysis) gateOn(x, y *node, lx label, _ string) {
	what := "the host identity"
	switch {
	case lx&lLocale != 0:
		what = "the locale or time zone"
	case lx&lGeo != 0:
		what = "the geolocation"
	}
	lit := y.str
	if y.kind == nSeq {
		lit = y.kids[0].str
	}
	a.pendGate(ruleEnvBomb, x.off, what+" matches '"+clip(lit, 40)+"'")
}

func (a *analysis) pendGate(r rule, off int, desc string) {
	if len(a.pend) < 16 {
		a.pend = append(a.pend, &gate{rule: r, off: off, desc: desc})
	}
}

// isDateLiteral: y is a fixed point in time, or x is a calendar field and
// y a number.
func isDateLiteral(a *analysis, x, y *node) bool {
	switch y.kind {
	case nCall:
		d := a.dotted(y.x)
		if strings.HasSuffix(d, "datetime") || strings.HasSuffix(d, "date") || strings.HasSuffix(d, "strptime") || strings.HasSuffix(d, "fromisoformat") {
			for _, k := range y.kids {
				if k.kind == nNum {
					v, err := strconv.Atoi(k.name)
					return err == nil && v >= 1970 && v < 2200
				}
				if k.kind == nStr {
					return dateString.MatchString(k.str)
				}
			}
		}
	case nStr:
		return dateString.MatchString(y.str)
	case nNum:
		if x.kind == nAttr && clockParts[x.name] || x.kind == nCall && x.x.kind == nAttr && (x.x.name == "weekday" || x.x.name == "isoweekday") {
			return true
		}
		v, err := strconv.ParseFloat(strings.ReplaceAll(y.name, "_", ""), 64)
		return err == nil && v >= 1e9 && v < 1e10
	}
	return false
}

// triggerApplies: a user-name comparison counts only when the condition
// does not also check the password (if username == "admin" and
// check_password(password) is how admin logins are written).
func (a *analysis) triggerApplies(t *trigger, cond *node) bool {
	if !t.user {
		return true
	}
	f := a.fn()
	if f == nil {
		return false
	}
	hasPw := false
	for _, p := range f.params {
		if isPasswordParam(p) {
			hasPw = true
		}
	}
	if !hasPw {
		return false
	}
	reads := false
	walk(cond, func(m *node) bool {
		if m.kind == nName && isPasswordParam(m.name) && contains(f.params, m.name) {
			reads = true
		}
		return !reads
	})
	return !reads
}
