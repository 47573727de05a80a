package cbehavior

import (
	"regexp"
	"strings"
)

// act is a set of privileged actions a piece of code performs.
type act uint16

const (
	actShell    act = 1 << iota // starts a shell: execl("/bin/sh"), system("/bin/sh")
	actInputCmd                 // runs the compared or received data as a command
	actCommand                  // runs a fixed or unrelated command
	actSetuid0                  // setuid(0), setgid(0), commit_creds(prepare_kernel_cred(0))
	actListen                   // binds or listens on a socket
	actAuthSkip                 // returns success / jumps to the authenticated path
)

// describe names the actions for a message, most serious first.
func (a act) describe() string {
	var parts []string
	for _, d := range []struct {
		a act
		s string
	}{
		{actInputCmd, "runs the compared input as a command"},
		{actShell, "starts a shell"},
		{actSetuid0, "sets user or group id 0"},
		{actListen, "opens a listening socket"},
		{actCommand, "runs a command"},
		{actAuthSkip, "skips authentication"},
	} {
		if a&d.a != 0 {
			parts = append(parts, d.s)
		}
	}
	return strings.Join(parts, ", ")
}

// commandRunners take a command line (system, popen) or a program to run;
// progArg is the argument holding the program or command.
var commandRunners = map[string]int{
	"system": 0, "popen": 0, "execl": 0, "execlp": 0, "execle": 0, "execv": 0,
	"execvp": 0, "execve": 0, "execvpe": 0, "execvP": 0, "fexecve": 0, "wordexp": 0,
	"posix_spawn": 1, "posix_spawnp": 1, "_popen": 0, "_wsystem": 0, "_execl": 0, "_execv": 0,
	"_execvp": 0, "_spawnl": 1, "_spawnlp": 1, "_spawnv": 1, "_spawnvp": 1, "WinExec": 0,
	"ShellExecuteA": 2, "ShellExecuteW": 2, "CreateProcessA": 1, "CreateProcessW": 1,
}

var setIDs = map[string]bool{
	"setuid": true, "seteuid": true, "setreuid": true, "setresuid": true, "setfsuid": true,
	"setgid": true, "setegid": true, "setregid": true, "setresgid": true, "setfsgid": true,
}

// shellProgram matches a literal naming a shell or a shell invocation.
var shellProgram = regexp.MustCompile(`(?:^|[/;&|\s])(?:ba|da|z|k|c|tc|a)?sh(?:$|[\s;&|])|cmd\.exe|/bin/sh|busybox\s+sh|nc\s+-[a-z]*e|telnetd`)

// authSuccess matches what a function returns or jumps to when a check
// passes.
var authSuccess = regexp.MustCompile(`(?i)^(?:true|1|[a-z_]*success[a-z_]*|[a-z_]*_ok|ok|granted|[a-z_]*granted[a-z_]*|authenticated|auth_?ok|login_ok|pass(?:ed)?)$`)

var authFlag = regexp.MustCompile(`(?i)^(?:is_?)?(?:auth(?:enticated|orized|_ok|ed)?|logged_?in|admin|root|superuser|privileged|access_granted|granted|login_ok|pw_ok|valid_user)$`)

// summary is what a function or macro does, as far as one file shows:
// its own privileged actions, whether it runs its parameters as a command,
// and the calls it makes (resolved later across files).
type summary struct {
	Acts   act
	ArgCmd bool // runs (a value derived from) one of its parameters as a command
	Calls  []callRef
}

// callRef is a call to another function or macro.
type callRef struct {
	Name     string
	PassesIn bool // an argument mentions the caller's parameters / subject
}

// maxCalls bounds the calls remembered per summary.
const maxCalls = 48

// summarize reads the actions of span s; in is the set of names whose data
// counts as "input" (the parameters, or the compared subject).
func (f *file) summarize(s span, in map[string]bool) summary {
	var sum summary
	seen := map[string]bool{}
	if f.work += s.to - s.from; f.work > maxWork {
		return sum
	}
	for i := s.from; i < s.to; i++ {
		if f.is(i, "goto") && f.kindAt(i+1) == tIdent && authSuccess.MatchString(f.text(i+1)) {
			sum.Acts |= actAuthSkip
		}
		if f.is(i, "return") && f.kindAt(i+1) != 0 && f.is(i+2, ";") && authSuccess.MatchString(f.text(i+1)) {
			sum.Acts |= actAuthSkip
		}
		if f.kindAt(i) == tIdent && f.is(i+1, "=") && authFlag.MatchString(f.text(i)) &&
			(f.is(i+2, "1") || f.is(i+2, "true") || f.is(i+2, "TRUE")) {
			sum.Acts |= actAuthSkip
		}
		c, ok := f.callAt(i)
		if !ok || f.is(i-1, "::") || f.is(i-1, ".") || f.is(i-1, "->") && !strings.HasPrefix(c.name, "exec") {
			continue
		}
		if a, argCmd := f.callActs(c, in); a != 0 || argCmd {
			sum.Acts |= a
			sum.ArgCmd = sum.ArgCmd || argCmd
			continue
		}
		if len(sum.Calls) < maxCalls && !seen[c.name] && !boringCalls[c.name] {
			seen[c.name] = true
			sum.Calls = append(sum.Calls, callRef{Name: c.name, PassesIn: f.anyArgMentions(c, in)})
		}
	}
	return sum
}

func (f *file) anyArgMentions(c call, names map[string]bool) bool {
	for _, a := range c.args {
		if f.mentions(a, names) {
			return true
		}
	}
	return false
}

// callActs classifies one call. argCmd is set when the command it runs
// comes from the input names.
func (f *file) callActs(c call, in map[string]bool) (a act, argCmd bool) {
	if pi, ok := commandRunners[c.name]; ok && len(c.args) > pi {
		prog := c.args[pi]
		if v, ok := f.stringValue(single(prog)); ok {
			if !shellProgram.MatchString(v) {
				return actCommand, false // a fixed program; its arguments are data
			}
			// execl("/bin/sh", "sh", "-c", input): the shell is literal but
			// the command it runs is the input.
			for _, arg := range c.args[pi+1:] {
				if f.mentions(arg, in) {
					return actInputCmd, true
				}
			}
			return actShell, false
		}
		if f.mentions(prog, in) {
			return actInputCmd, true
		}
		return actCommand, false
	}
	switch {
	case setIDs[c.name] && len(c.args) > 0:
		for _, arg := range c.args {
			if single(arg) < 0 || !f.is(arg.from, "0") {
				return 0, false
			}
		}
		return actSetuid0, false
	case c.name == "commit_creds" && len(c.args) == 1:
		if inner, ok := f.callAt(c.args[0].from); ok && inner.name == "prepare_kernel_cred" && len(inner.args) == 1 &&
			(f.is(inner.args[0].from, "0") || f.is(inner.args[0].from, "NULL")) {
			return actSetuid0, false
		}
	case c.name == "listen" && len(c.args) == 2, c.name == "bind" && len(c.args) == 3:
		return actListen, false
	}
	return 0, false
}

// boringCalls never lead anywhere privileged; not remembering them keeps
// the facts small.
var boringCalls = map[string]bool{
	"printf": true, "fprintf": true, "sprintf": true, "snprintf": true, "puts": true, "fputs": true,
	"strcmp": true, "strncmp": true, "strcasecmp": true, "strncasecmp": true, "memcmp": true,
	"strlen": true, "strcpy": true, "strncpy": true, "strcat": true, "strncat": true, "memcpy": true,
	"memset": true, "memmove": true, "malloc": true, "calloc": true, "realloc": true, "free": true,
	"close": true, "exit": true, "_exit": true, "abort": true, "sizeof": true, "perror": true,
	"strdup": true, "strchr": true, "strrchr": true, "strstr": true, "atoi": true, "strtol": true,
	"fflush": true, "fclose": true, "fopen": true, "assert": true, "dup2": true, "syslog": true,
	"toupper": true, "tolower": true, "isspace": true, "isdigit": true, "isalpha": true,
}
