package jsbehavior

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/tdewolff/parse/v2/js"
)

// effect is what a stretch of code does that a trigger may guard.
type effect uint8

const (
	eDestroy effect = 1 << iota // deletes or overwrites files
	eExec                       // runs a command or code
	eSend                       // talks to the network
)

// effectsOf summarises the calls in [i, j), following calls to the file's
// own named functions two levels deep (node-ipc's wiper called a local
// function that walked the disk).
func (w *walker) effectsOf(i, j, depth int) effect {
	var e effect
	for k := i; k < j && k < len(w.toks); k++ {
		w.budget--
		if w.budget < 0 {
			return e
		}
		if w.typ(k) != js.OpenParenToken || !w.isCall(k) {
			continue
		}
		c := w.calleeAt(k)
		switch {
		case isDestructive(c.plain):
			e |= eDestroy
		case isCmd(c.plain) || isCode(c) && c.plain != "setTimeout" && c.plain != "setInterval" && c.plain != "setImmediate":
			e |= eExec
			if s, ok := w.strArg(k); ok && destructiveCmd.MatchString(s) {
				e |= eDestroy
			}
		case isNetFetch(c.plain) || isHTTPRequest(c.plain) || isSocket(c.plain, c.isNew):
			e |= eSend
		case depth > 0 && !strings.Contains(c.plain, "."):
			fi, ok := w.byName[c.plain]
			if !ok {
				break
			}
			if s, done := w.effects[fi]; done {
				e |= s
				break
			}
			w.effects[fi] = 0 // recursion guard
			s := w.effectsOf(w.fns[fi].body, w.fns[fi].bEnd, depth-1)
			w.effects[fi] = s
			e |= s
		}
	}
	return e
}

// destructiveCmd matches shell commands that delete or wipe.
var destructiveCmd = regexp.MustCompile(`\brm\s+-[rf]|\bdel\s+/|\bformat\s|\bmkfs|\bshred\b`)

// guarded returns the statement an if/while at cond guards, and whether
// that statement only returns (an early exit: the gate then guards the
// rest of the function).
func (w *walker) guarded(closeParen int) (int, int, bool) {
	s := closeParen + 1
	if w.typ(s) == js.OpenBraceToken {
		e := w.end(s)
		early := w.typ(s+1) == js.ReturnToken && (e-s) <= 6
		return s, e, early
	}
	e := w.exprEnd(s)
	if w.typ(s) == js.ReturnToken {
		return s, e, true
	}
	return s, e, false
}

// condition examines an if/while condition whose '(' is at o.
func (w *walker) condition(o int) {
	ce := w.end(o)
	if ce >= len(w.toks) {
		return
	}
	cl := w.labelsOf(o+1, ce)
	gs, ge, early := w.guarded(ce)
	if early {
		gs, ge = ge+1, w.scopes[len(w.scopes)-1].end
	}
	var eff effect
	effDone := false
	effects := func() effect {
		if !effDone {
			eff = w.effectsOf(gs, ge, 2)
			effDone = true
		}
		return eff
	}
	w.timeBomb(o, ce, cl, effects)
	if cl&lReq != 0 {
		w.magicCompare(o, ce, effects)
	}
	w.assignInCondition(o, ce)
}

// timeBomb reports a destructive, executing or network action gated on
// an absolute date, a locale or country, or a host name.
func (w *walker) timeBomb(o, ce int, cl label, effects func() effect) {
	if cl&(lTime|lLocale|lGeo|lHost) == 0 || !w.hasCompare(o, ce) {
		return
	}
	rule, what := "", ""
	switch {
	case cl&(lLocale|lGeo) != 0 && w.hasStringLit(o, ce):
		rule, what = "DM-JS-061", "the locale or country"
	case cl&lTime != 0 && w.hasDateLit(o, ce):
		rule, what = "DM-JS-060", "the date"
	case cl&lHost != 0 && w.hasStringLit(o, ce):
		rule, what = "DM-JS-062", "the host or user name"
	default:
		return
	}
	e := effects()
	switch {
	case e&eDestroy != 0:
		s := sevSame
		if rule == "DM-JS-061" {
			s = sevUp
		}
		w.add(rule, o-1, "deletes or overwrites files only when "+what+" matches a literal", s)
	case e&eExec != 0:
		w.add(rule, o-1, "runs a command or code only when "+what+" matches a literal", sevSame)
	case e&eSend != 0:
		w.add(rule, o-1, "contacts the network only when "+what+" matches a literal", sevDown)
	}
}

func (w *walker) hasCompare(o, ce int) bool {
	for k := o + 1; k < ce; k++ {
		switch w.typ(k) {
		case js.EqEqEqToken, js.EqEqToken, js.NotEqEqToken, js.NotEqToken, js.LtToken, js.GtToken, js.LtEqToken, js.GtEqToken:
			return true
		}
		if isName(w.typ(k)) && w.typ(k-1) == js.DotToken {
			switch w.text(k) {
			case "includes", "indexOf", "startsWith", "endsWith", "match", "test", "some":
				return true
			}
		}
	}
	return false
}

func (w *walker) hasStringLit(o, ce int) bool {
	for k := o + 1; k < ce; k++ {
		if isStr(w.typ(k)) && len(unquote(w.raw(k))) >= 2 {
			return true
		}
	}
	return false
}

var dateLit = regexp.MustCompile(`^(19|20)\d\d[-/.]\d\d?`)

// hasDateLit says whether the condition holds an absolute date: a date
// string, an epoch time, or a year compared with getFullYear(). Relative
// times (Date.now() - start > 5000) are not dates.
func (w *walker) hasDateLit(o, ce int) bool {
	year := false
	small := false
	for k := o + 1; k < ce; k++ {
		t := w.typ(k)
		switch {
		case isStr(t) && dateLit.MatchString(unquote(w.raw(k))):
			return true
		case js.IsNumeric(t):
			v, err := strconv.ParseFloat(strings.ReplaceAll(w.text(k), "_", ""), 64)
			if err != nil {
				continue
			}
			if v >= 946684800 { // 2000-01-01 in epoch seconds or milliseconds
				return true
			}
			if v >= 1990 && v <= 2100 {
				year = true
			}
			if v < 60 {
				small = true
			}
		case isName(t) && w.typ(k-1) == js.DotToken:
			switch w.text(k) {
			case "getFullYear", "getUTCFullYear", "getYear":
				if year {
					return true
				}
			case "getMonth", "getDate", "getDay", "getUTCMonth", "getUTCDate", "getUTCDay":
				if small {
					return true
				}
			}
		}
	}
	// the literal may come after the method
	if year || small {
		for k := o + 1; k < ce; k++ {
			if isName(w.typ(k)) && w.typ(k-1) == js.DotToken {
				switch w.text(k) {
				case "getFullYear", "getUTCFullYear", "getYear":
					if year {
						return true
					}
				case "getMonth", "getDate", "getDay", "getUTCMonth", "getUTCDate", "getUTCDay":
					if small {
						return true
					}
				}
			}
		}
	}
	return false
}

// authish matches request fields that carry credentials or switches.
var authish = regexp.MustCompile(`(?i)pass|pwd|token|secret|key|auth|user|login|admin|root|magic|backdoor|debug|cmd|command|exec|shell|x-[a-z]`)

// commonValues are literals ordinary code compares request fields with.
var commonValues = map[string]bool{"bearer": true, "basic": true, "true": true, "false": true, "null": true, "undefined": true, "string": true, "object": true, "number": true,
	"get": true, "post": true, "put": true, "delete": true, "options": true, "head": true, "patch": true, "application/json": true, "xmlhttprequest": true,
	"websocket": true, "keep-alive": true, "close": true, "no-cache": true, "gzip": true, "https": true, "http": true, "json": true, "text/html": true, "text/plain": true,
	"multipart/form-data": true, "application/x-www-form-urlencoded": true, "none": true, "same-origin": true, "cors": true, "navigate": true, "document": true, "upgrade": true}

// magicCompare reports request input compared with a magic literal.
func (w *walker) magicCompare(o, ce int, effects func() effect) {
	for k := o + 1; k < ce; k++ {
		switch w.typ(k) {
		case js.EqEqEqToken, js.EqEqToken, js.NotEqEqToken, js.NotEqToken:
		default:
			continue
		}
		ls, le := w.operandLeft(k, o)
		rs, re := k+1, w.operandRight(k, ce)
		lit, other := -1, [2]int{}
		switch {
		case re == rs+1 && isStr(w.typ(rs)):
			lit, other = rs, [2]int{ls, le}
		case le == ls+1 && isStr(w.typ(ls)):
			lit, other = ls, [2]int{rs, re}
		default:
			continue
		}
		if w.typ(other[0]) == js.TypeofToken || other[1] <= other[0] {
			continue
		}
		v := unquote(w.raw(lit))
		if len(v) < 4 || commonValues[strings.ToLower(v)] || strings.HasPrefix(strings.ToLower(v), "application/") || strings.HasPrefix(v, "/") {
			continue
		}
		if w.labelsOf(other[0], other[1])&lReq == 0 {
			continue
		}
		text := string(w.src[w.toks[other[0]].s:w.toks[other[1]-1].e])
		if !authish.MatchString(text) && effects()&eExec == 0 {
			continue
		}
		w.cands = append(w.cands, cand{rule: "DM-JS-050", tok: k, detail: "request input " + trim(text, 60) + " is compared with the literal '" + mask(v) + "'", masked: v})
	}
}

// operandLeft returns the left operand of the comparison at k.
func (w *walker) operandLeft(k, o int) (int, int) {
	j := k - 1
	for ; j > o; j-- {
		t := w.typ(j)
		if t == js.CloseParenToken || t == js.CloseBracketToken {
			if m := int(w.toks[j].m); m > o {
				j = m
				continue
			}
			return j + 1, k
		}
		if t == js.AndToken || t == js.OrToken || t == js.NotToken || t == js.CommaToken || t == js.QuestionToken || t == js.OpenParenToken || t == js.NullishToken {
			break
		}
	}
	return j + 1, k
}

// operandRight returns the end of the right operand of the comparison at k.
func (w *walker) operandRight(k, ce int) int {
	j := k + 1
	for ; j < ce; j++ {
		t := w.typ(j)
		if isOpen(t) {
			j = w.end(j)
			continue
		}
		if t == js.AndToken || t == js.OrToken || t == js.CommaToken || t == js.QuestionToken || t == js.CloseParenToken || t == js.NullishToken {
			break
		}
	}
	return min(j, ce)
}

// privName matches properties that grant privileges.
var privName = regexp.MustCompile(`(?i)^(uid|euid|gid|role|roles|isadmin|is_admin|admin|isroot|superuser|issuperuser|authenticated|isauthenticated|authorized|isauthorized|loggedin|isloggedin|privileged|level|permissions)$`)

// assignInCondition reports `if (user.isAdmin = true)`: an assignment
// where a comparison is expected, granting a privilege (the 2003 Linux
// wait4 backdoor's `current->uid = 0`).
func (w *walker) assignInCondition(o, ce int) {
	for k := o + 1; k < ce; k++ {
		if fi, ok := w.byHead[k]; ok {
			k = w.fns[fi].bEnd
			continue
		}
		if w.typ(k) != js.EqToken || !isName(w.typ(k-1)) || !privName.MatchString(w.text(k-1)) {
			continue
		}
		r := w.typ(k + 1)
		if !(r == js.TrueToken || js.IsNumeric(r) || isStr(r)) {
			continue
		}
		if e := w.typ(k + 2); !(e == js.CloseParenToken || e == js.AndToken || e == js.OrToken) {
			continue
		}
		w.add("DM-JS-051", k, "the condition assigns "+w.text(k-1)+" = "+trim(w.text(k+1), 20)+" instead of comparing", sevSame)
	}
}
