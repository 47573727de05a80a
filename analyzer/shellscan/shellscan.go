// Package shellscan turns a shell script into the list of simple commands
// it would run, in source order, for analyzers that judge what scripts do.
// It parses with mvdan.cc/sh/v3 and flattens the tree into what detectors
// ask about: each command's words expanded as far as the script says
// (known variables substituted, command substitutions named by a token),
// the pipeline it stands in, its redirections, the command substitution it
// runs inside, and the if-conditions guarding it.
//
// Parse never fails and never panics on hostile input: a script the parser
// refuses, or one nested too deeply to trust it with, is read line by line,
// and every walk is bounded in size, depth and steps.
package shellscan

import (
	"strconv"
	"strings"
)

// Limits that keep hostile scripts cheap. Real scripts are a few KiB;
// these bounds are far above that and far below what could stall a scan.
const (
	MaxScript  = 1 << 20 // bytes of one script parsed; the rest is ignored
	maxCmds    = 20000   // commands kept per script
	maxDepth   = 64      // nesting of blocks and substitutions walked
	maxWordLen = 4096    // bytes of one expanded word
	maxVarLen  = 4096    // bytes of one variable's remembered value
	maxVars    = 4096    // variables remembered
	maxNesting = 150     // bracket nesting above which the parser is not trusted
	maxSteps   = 200000  // nodes walked
	maxInner   = 3       // nesting of sh -c / eval strings parsed as scripts
)

// SubstKind says how a substitution's output is used.
type SubstKind int

// Substitution kinds.
const (
	// CmdSubst is $(...) or `...`: its output becomes words.
	CmdSubst SubstKind = iota + 1
	// ProcIn is <(...): its output is read as a file.
	ProcIn
	// ProcOut is >(...): written to as a file.
	ProcOut
	// Inner is the text of sh -c "..." or eval "..." parsed as a script.
	Inner
)

// Cmd is one simple command as the script would run it.
type Cmd struct {
	// Args are the words, expanded: a known variable is replaced by its
	// value, an unknown one stays "$NAME", and the output of substitution
	// number N is the token Token(N).
	Args []string
	// Line is 1-based; Offset is the byte offset of the command's start.
	Line, Offset int
	// Pipe identifies the pipeline (0: not in one); Stage is the position
	// in it, from 0; Last marks its final stage.
	Pipe, Stage int
	Last        bool
	// Subst is the substitution the command runs inside (0: none).
	Subst int
	// Redirs are the command's redirections, targets expanded.
	Redirs []Redir
	// Guards are the ids of the if/while conditions whose bodies hold the
	// command, outermost first.
	Guards []int
	// Cond is the id of the condition the command is part of (0: none).
	Cond int
	// Test is set for [ ], test and [[ ]] comparisons.
	Test *Test
	// Func is the name of the function whose body holds the command.
	Func string
	// Escapes counts the \x, \u and octal escapes decoded from $'...'
	// words: many of them spell a command in hiding.
	Escapes int
}

// Name returns the program name: the first word's base name, with a
// leading "sudo", "env", "nohup", "exec", "command", "time" or "busybox"
// skipped. "" for an empty command.
func (c *Cmd) Name() string {
	a := c.Argv()
	if len(a) == 0 {
		return ""
	}
	return Base(a[0])
}

// Argv returns the words from the program name on, wrappers skipped (see
// Name).
func (c *Cmd) Argv() []string {
	a := c.Args
	for len(a) > 0 {
		switch Base(a[0]) {
		case "sudo", "nohup", "exec", "command", "time", "busybox", "doas", "nice", "setsid", "stdbuf":
			a = a[1:]
			for len(a) > 0 && strings.HasPrefix(a[0], "-") {
				a = a[1:]
			}
			continue
		case "env":
			// "env CMD" runs CMD; a lone "env" prints the environment.
			b := a[1:]
			for len(b) > 0 && (strings.HasPrefix(b[0], "-") || strings.Contains(b[0], "=")) {
				b = b[1:]
			}
			if len(b) == 0 {
				return a
			}
			a = b
			continue
		}
		return a
	}
	return nil
}

// Redir is one redirection: Op as written (">", ">&", "<", "<<<", ...), N
// the file descriptor number if given, Target the expanded word.
type Redir struct {
	Op, N, Target string
}

// Test is one comparison: X Op Y, or a unary Op Y with X empty.
type Test struct {
	X, Op, Y string
}

// Subst is one substitution.
type Subst struct {
	ID   int
	Kind SubstKind
	// Owner is the index in Script.Cmds of the command whose words hold
	// the substitution; -1 when it is not a command's word (an assignment
	// whose value is later used, a redirection, a test).
	Owner int
	// Parent is the substitution this one is nested in (0: none).
	Parent int
}

// Script is what a file would run.
type Script struct {
	Cmds   []Cmd
	Substs []Subst // Substs[i].ID == i+1
	// Conds holds, for condition id N, the indices of its commands at
	// Conds[N-1].
	Conds [][]int
	// Broken is set when the file was read line by line because the parser
	// refused it or it nested too deeply.
	Broken bool
	// Truncated is set when a bound cut the walk short.
	Truncated bool
}

// Token is how the output of substitution id appears inside an expanded
// word.
func Token(id int) string { return "\x01" + strconv.Itoa(id) + "\x01" }

// Tokens returns the ids of the substitutions whose output a string holds.
func Tokens(s string) []int {
	var out []int
	for {
		i := strings.IndexByte(s, 1)
		if i < 0 {
			return out
		}
		j := strings.IndexByte(s[i+1:], 1)
		if j < 0 {
			return out
		}
		if n, err := strconv.Atoi(s[i+1 : i+1+j]); err == nil {
			out = append(out, n)
		}
		s = s[i+j+2:]
	}
}

// Printable replaces substitution tokens by "$(...)", for messages.
func Printable(s string) string {
	for {
		i := strings.IndexByte(s, 1)
		if i < 0 {
			return s
		}
		j := strings.IndexByte(s[i+1:], 1)
		if j < 0 {
			return s[:i]
		}
		s = s[:i] + "$(...)" + s[i+j+2:]
	}
}

// Subst returns substitution id, or nil.
func (s *Script) Subst(id int) *Subst {
	if id <= 0 || id > len(s.Substs) {
		return nil
	}
	return &s.Substs[id-1]
}

// In reports whether command i runs inside substitution id, directly or
// in one nested in it.
func (s *Script) In(i, id int) bool {
	for sub := s.Cmds[i].Subst; sub != 0; {
		if sub == id {
			return true
		}
		p := s.Subst(sub)
		if p == nil {
			return false
		}
		sub = p.Parent
	}
	return false
}

// SubstCmds returns the indices of the commands that run inside
// substitution id, nested ones included, in order.
func (s *Script) SubstCmds(id int) []int {
	var out []int
	for i := range s.Cmds {
		if s.In(i, id) {
			out = append(out, i)
		}
	}
	return out
}

// PipeStages returns the indices of the commands of pipeline id, by stage.
func (s *Script) PipeStages(id int) []int {
	var out []int
	if id == 0 {
		return nil
	}
	for i := range s.Cmds {
		if s.Cmds[i].Pipe == id {
			out = append(out, i)
		}
	}
	return out
}

// Base returns the last element of a slash-separated path.
func Base(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}
