package cbehavior

import (
	"regexp"
)

// idField matches the identity fields whose assignment makes a process
// root: uid, euid, fsuid, gid ..., as variables or members (current->uid,
// cred->euid, current_cred()->uid.val).
var idField = regexp.MustCompile(`^(?:[a-z]*uid|[a-z]*gid|cap_effective|cap_permitted|val)$`)

// condAssign is one assignment-in-condition privilege trick.
type condAssign struct {
	off  int32
	text string
	what string
}

// assignInConditions finds, in if/while conditions, `ID = 0` assigning
// root to a uid/gid field (the 2003 kernel wait4 backdoor attempt:
// `(options == (__WCLONE|__WALL)) && (current->uid = 0)`) and a
// setuid-family call with argument 0 used as an operand of && or ||
// (`if (magic && !setuid(0))`). An assignment whose value is then
// compared (`(fd = open(..)) < 0`, `(c = getc(f)) != EOF`) or that is not
// 0 to an id field is ordinary C.
func (f *file) assignInConditions(fn function) []condAssign {
	var out []condAssign
	for i := fn.body.from; i < fn.body.to; i++ {
		if !(f.is(i, "if") || f.is(i, "while")) || !f.is(i+1, "(") || f.match[i+1] < 0 {
			continue
		}
		cond := span{i + 2, int(f.match[i+1])}
		for k := cond.from; k < cond.to; k++ {
			if f.is(k, "=") && f.kindAt(k-1) == tIdent && idField.MatchString(f.text(k-1)) &&
				(f.is(k+1, "0") || f.is(k+1, "GLOBAL_ROOT_UID") || f.is(k+1, "GLOBAL_ROOT_GID")) &&
				(f.is(k+2, ")") || f.is(k+2, "&&") || f.is(k+2, "||")) {
				if f.text(k-1) == "val" && !(f.is(k-2, ".") && (f.kindAt(k-3) == tIdent && idField.MatchString(f.text(k-3)))) {
					continue
				}
				out = append(out, condAssign{f.toks[k-1].start, f.spanText(cond), "assigns 0 to " + f.spanText(span{f.exprStart(k-1, cond.from), k})})
			}
			c, ok := f.callAt(k)
			if !ok || !setIDs[c.name] {
				continue
			}
			if a, _ := f.callActs(c, nil); a != actSetuid0 {
				continue
			}
			end := int(f.match[k+1])
			prev := k - 1
			if f.is(prev, "!") {
				prev--
			}
			if f.is(prev, "&&") || f.is(prev, "||") || f.is(end+1, "&&") || f.is(end+1, "||") {
				out = append(out, condAssign{f.toks[k].start, f.spanText(cond), "calls " + c.name + "(0) inside a compound condition"})
			}
		}
	}
	return out
}

// exprStart walks back over a member chain (current->cred->uid).
func (f *file) exprStart(i, limit int) int {
	for i-2 >= limit && (f.is(i-1, "->") || f.is(i-1, ".")) && (f.kindAt(i-2) == tIdent || f.is(i-2, ")")) {
		if f.is(i-2, ")") && f.match[i-2] >= 0 {
			i = int(f.match[i-2])
			if f.kindAt(i-1) == tIdent {
				i--
			}
			continue
		}
		i -= 2
	}
	return i
}
