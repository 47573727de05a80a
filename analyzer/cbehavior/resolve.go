package cbehavior

// exported is what a function or macro is known to do once its calls have
// been followed: recorded as a fact so candidates in other files (the
// vsftpd trigger in str.c calls vsf_sysutil_extra in sysdeputil.c; the
// UnrealIRCd trigger in s_bsd.c calls a macro of struct.h) resolve.
type exported struct {
	Name   string
	Acts   act
	ArgCmd bool
}

// maxResolveDepth bounds how far calls are followed.
const maxResolveDepth = 8

// resolver follows calls through the summaries of one file.
type resolver struct {
	sums  map[string]summary
	memo  map[string]exported
	state map[string]bool // true while being resolved (recursion guard)
}

func newResolver(sums map[string]summary) *resolver {
	return &resolver{sums: sums, memo: map[string]exported{}, state: map[string]bool{}}
}

// resolve returns what name does, following calls defined in the file;
// known is false when the file does not define it.
func (r *resolver) resolve(name string, depth int) (e exported, known bool) {
	s, ok := r.sums[name]
	if !ok {
		return exported{Name: name}, false
	}
	if m, ok := r.memo[name]; ok {
		return m, true
	}
	if r.state[name] || depth > maxResolveDepth {
		return exported{Name: name}, true
	}
	r.state[name] = true
	e = exported{Name: name, Acts: s.Acts &^ (actAuthSkip | actInputCmd), ArgCmd: s.ArgCmd}
	for _, c := range s.Calls {
		sub, _ := r.resolve(c.Name, depth+1)
		e.Acts, e.ArgCmd = compose(e.Acts, e.ArgCmd, c, sub)
	}
	delete(r.state, name)
	r.memo[name] = e
	return e, true
}

// compose adds what a callee does to its caller: a callee that runs its
// argument runs the caller's input when the call passes it.
func compose(acts act, argCmd bool, c callRef, callee exported) (act, bool) {
	acts |= callee.Acts &^ (actAuthSkip | actInputCmd)
	if callee.ArgCmd {
		if c.PassesIn {
			argCmd = true
		} else {
			acts |= actCommand
		}
	}
	return acts, argCmd
}

// applyToCandidate adds a resolved callee to a candidate; for a candidate
// "input" is the compared subject.
func applyToCandidate(c *candidate, ref callRef, callee exported) {
	acts, argCmd := compose(c.Acts, false, ref, callee)
	c.Acts = acts
	if argCmd {
		c.Acts |= actInputCmd
	}
}
