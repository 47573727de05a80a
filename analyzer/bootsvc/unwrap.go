package bootsvc

import (
	"path"
	"strings"
)

// unwrap strips the launchers in front of the program a command really
// runs: `exec`, `nohup`, `busybox APPLET`, `start-stop-daemon -S -x PROG
// -- ARGS`, OpenWrt's `procd_set_param command PROG` and so on. It returns
// nil for a command that stops rather than starts something
// (`start-stop-daemon -K`).
func unwrap(args []string) []string {
	for range 8 {
		if len(args) == 0 {
			return nil
		}
		switch progName(args[0]) {
		case "exec", "nohup", "setsid", "command", "builtin", "sudo", "doas", "stdbuf", "runuser":
			args = skipOpts(args[1:])
		case "nice", "ionice", "chrt", "timeout", "taskset", "chroot":
			args = skipOpts(args[1:])
			// these take one operand (priority, duration, mask, dir) first
			if len(args) > 1 {
				args = args[1:]
			}
		case "env":
			args = skipOpts(args[1:])
			for len(args) > 0 && strings.Contains(args[0], "=") && !strings.HasPrefix(args[0], "/") {
				args = args[1:]
			}
		case "busybox":
			if len(args) < 2 || strings.HasPrefix(args[1], "-") {
				return args
			}
			args = args[1:]
		case "start-stop-daemon":
			return startStopDaemon(args[1:])
		case "procd_set_param":
			if len(args) < 3 || args[1] != "command" {
				return nil
			}
			args = args[2:]
		case "service_start", "daemon", "start_daemon":
			args = skipOpts(args[1:])
		case "tcpd":
			args = args[1:]
		default:
			return args
		}
	}
	return args
}

// skipOpts drops leading options ("-u root", "--pidfile=x", "-n 5"): a
// lone option word is dropped with the word after it when that word is not
// itself a path, which is enough for launchers' own flags.
func skipOpts(args []string) []string {
	for len(args) > 0 && strings.HasPrefix(args[0], "-") && args[0] != "-" {
		a := args[0]
		args = args[1:]
		if a == "--" {
			break
		}
		if !strings.Contains(a, "=") && len(args) > 1 && !strings.HasPrefix(args[0], "/") && !strings.HasPrefix(args[0], "-") {
			args = args[1:]
		}
	}
	return args
}

// startStopDaemon returns the program and arguments Debian's and
// BusyBox's start-stop-daemon starts.
func startStopDaemon(args []string) []string {
	var prog string
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		val := func() string {
			if j := strings.IndexByte(a, '='); j >= 0 {
				return a[j+1:]
			}
			if i+1 < len(args) {
				i++
				return args[i]
			}
			return ""
		}
		switch {
		case a == "--":
			rest = args[i+1:]
			i = len(args)
		case a == "-K" || a == "--stop" || a == "-T" || a == "--status":
			return nil
		case a == "-x" || a == "-a" || strings.HasPrefix(a, "--exec") || strings.HasPrefix(a, "--startas"):
			v := val()
			if prog == "" || a == "-a" || strings.HasPrefix(a, "--startas") {
				prog = v
			}
		case len(a) == 2 && strings.ContainsRune("pnuacrdNPkg", rune(a[1])):
			i++ // an option with a value
		case strings.HasPrefix(a, "--") && !strings.Contains(a, "=") && i+1 < len(args) && !strings.HasPrefix(args[i+1], "-"):
			switch a {
			case "--start", "--background", "--make-pidfile", "--oknodo", "--quiet", "--verbose", "--test", "--no-close":
			default:
				i++
			}
		}
	}
	if prog == "" {
		return nil
	}
	return append([]string{prog}, rest...)
}

// progName is the lower-case base name of a program word, without the
// leading "-" that marks a login shell.
func progName(s string) string {
	return strings.ToLower(strings.TrimPrefix(path.Base(strings.TrimPrefix(s, "-")), "-"))
}
