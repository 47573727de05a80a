package shbehavior

import (
	"strings"

	"github.com/doorman-sec/doorman/analyzer/shellscan"
)

// fetch is what a download command does with what it fetches.
type fetch struct {
	url string
	// file the body is written to; "" when it goes to standard output.
	file string
}

// fetchOf reads a curl, wget or fetch command. ok is false for other
// commands and for curl/wget invocations that send rather than fetch
// (curl -d, wget --post-data): those are the exfiltration rules' concern.
func fetchOf(c *shellscan.Cmd) (f fetch, ok bool) {
	argv := c.Argv()
	if len(argv) == 0 {
		return f, false
	}
	remoteName := false
	switch shellscan.Base(argv[0]) {
	case "curl":
		for i := 1; i < len(argv); i++ {
			a := argv[i]
			switch {
			case a == "-o" || a == "--output":
				if i+1 < len(argv) {
					f.file = argv[i+1]
					i++
				}
			case a == "-O" || a == "--remote-name":
				remoteName = true
			case strings.HasPrefix(a, "--output="):
				f.file = strings.TrimPrefix(a, "--output=")
			case strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && len(a) > 1:
				// Combined short flags: -fsSLo FILE, -sLO.
				if j := strings.IndexByte(a, 'o'); j > 0 {
					if j == len(a)-1 && i+1 < len(argv) {
						f.file = argv[i+1]
						i++
					} else if j < len(a)-1 {
						f.file = a[j+1:]
					}
				} else if strings.IndexByte(a, 'O') > 0 {
					remoteName = true
				}
				if curlTakesValue(a[len(a)-1]) && strings.IndexByte(a, 'o') < 0 {
					i++
				}
			case strings.HasPrefix(a, "--") && curlLongValue[a]:
				i++
			case f.url == "" && !strings.HasPrefix(a, "-"):
				f.url = a
			}
		}
	case "wget":
		remoteName = true
		for i := 1; i < len(argv); i++ {
			a := argv[i]
			switch {
			case a == "-O" || a == "--output-document":
				if i+1 < len(argv) {
					f.file, remoteName = argv[i+1], false
					i++
				}
			case strings.HasPrefix(a, "--output-document="):
				f.file, remoteName = strings.TrimPrefix(a, "--output-document="), false
			case strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && strings.IndexByte(a, 'O') > 0:
				j := strings.IndexByte(a, 'O')
				if j == len(a)-1 && i+1 < len(argv) {
					f.file = argv[i+1]
					i++
				} else {
					f.file = a[j+1:]
				}
				remoteName = false
			case strings.HasPrefix(a, "--post-") || strings.HasPrefix(a, "--body-"):
				return f, false
			case f.url == "" && !strings.HasPrefix(a, "-"):
				f.url = a
			}
		}
		if f.file == "-" || f.file == "/dev/stdout" {
			f.file = ""
		}
	case "fetch": // FreeBSD fetch: -o FILE, "-o -" for stdout
		remoteName = true
		for i := 1; i < len(argv); i++ {
			if argv[i] == "-o" && i+1 < len(argv) {
				f.file, remoteName = argv[i+1], false
				i++
			} else if f.url == "" && strings.Contains(argv[i], "://") {
				f.url = argv[i]
			}
		}
		if f.file == "-" {
			f.file = ""
		}
	default:
		return f, false
	}
	if f.url == "" || sends(argv) {
		return f, false
	}
	if remoteName && f.file == "" {
		u := f.url
		if i := strings.IndexAny(u, "?#"); i >= 0 {
			u = u[:i]
		}
		f.file = shellscan.Base(u)
		if f.file == "" {
			f.file = "index.html"
		}
	}
	if f.file == "-" || f.file == "/dev/stdout" {
		f.file = ""
	}
	return f, true
}

// curlLongValue are curl's long options that take a value.
var curlLongValue = map[string]bool{
	"--header": true, "--user-agent": true, "--retry": true, "--max-time": true, "--connect-timeout": true,
	"--proto": true, "--user": true, "--cacert": true, "--cert": true, "--key": true, "--url": false,
	"--referer": true, "--cookie": true, "--retry-delay": true, "--limit-rate": true, "--proxy": true,
	"--request": true, "--write-out": true, "--dump-header": true, "--config": true, "--resolve": true,
}

// curlTakesValue says whether a short curl flag ending a cluster takes
// the next word as its value.
func curlTakesValue(c byte) bool {
	return strings.IndexByte("HAmueXxrEKbcwDCyYzTdF", c) >= 0
}

// sends reports whether a curl or wget invocation uploads data.
func sends(argv []string) bool {
	for _, a := range argv[1:] {
		if f, _ := dataFlag(shellscan.Base(argv[0]), a); f != "" {
			return true
		}
	}
	return false
}

// stdinCode reports whether an interpreter invocation runs code read
// from its standard input (sh, bash -s, python -, ...).
func stdinCode(c *shellscan.Cmd) bool {
	argv := c.Argv()
	if len(argv) == 0 {
		return false
	}
	name := shellscan.Base(argv[0])
	if name == "source" || name == "." {
		return len(argv) > 1 && (argv[1] == "/dev/stdin" || argv[1] == "-")
	}
	if !isInterpreter(name) {
		return false
	}
	for _, a := range argv[1:] {
		switch {
		case a == "-" || a == "/dev/stdin" || a == "-s":
			return true
		case a == "-c" || a == "-e" || a == "-r" || a == "-m" || a == "--eval":
			return false
		case strings.HasPrefix(a, "-"):
			if shellscan.IsShell(name) && !strings.HasPrefix(a, "--") && strings.ContainsRune(a, 's') {
				return true
			}
			if shellscan.IsShell(name) && !strings.HasPrefix(a, "--") && strings.ContainsRune(a, 'c') {
				return false
			}
		default:
			return false // a script file
		}
	}
	return true
}

// isInterpreter reports whether a program runs code given to it.
func isInterpreter(name string) bool {
	if shellscan.IsShell(name) {
		return true
	}
	for _, p := range []string{"python", "perl", "ruby", "node", "php", "nodejs", "pwsh", "lua", "tclsh"} {
		if name == p || strings.HasPrefix(name, p) && isVersion(name[len(p):]) {
			return true
		}
	}
	return false
}

func isVersion(s string) bool {
	for _, c := range s {
		if (c < '0' || c > '9') && c != '.' {
			return false
		}
	}
	return true
}

// codeArg returns the code string an interpreter is given on its command
// line (sh -c CODE, python -c CODE, perl -e CODE, eval CODE...), or "".
func codeArg(c *shellscan.Cmd) string {
	argv := c.Argv()
	if len(argv) == 0 {
		return ""
	}
	name := shellscan.Base(argv[0])
	if name == "eval" {
		return strings.Join(argv[1:], " ")
	}
	if !isInterpreter(name) {
		return ""
	}
	for i := 1; i+1 < len(argv); i++ {
		a := argv[i]
		if a == "-c" || a == "-e" || a == "-E" || a == "-r" || a == "--eval" ||
			(shellscan.IsShell(name) && strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && strings.HasSuffix(a, "c")) {
			return argv[i+1]
		}
	}
	return ""
}

// runsFile returns the file a command executes as a program or script:
// ./f, /tmp/f, sh f, bash f, source f, . f, python f.
func runsFile(c *shellscan.Cmd) string {
	argv := c.Argv()
	if len(argv) == 0 {
		return ""
	}
	name := shellscan.Base(argv[0])
	if name == "source" || name == "." || isInterpreter(name) {
		for _, a := range argv[1:] {
			if a == "-c" || a == "-e" {
				return ""
			}
			if !strings.HasPrefix(a, "-") {
				return a
			}
		}
		return ""
	}
	if strings.Contains(argv[0], "/") {
		return argv[0]
	}
	return ""
}

// sameFile reports whether two spellings name the same downloaded file:
// equal, or equal after "./", or the same distinctive base name.
func sameFile(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	a, b = strings.TrimPrefix(a, "./"), strings.TrimPrefix(b, "./")
	if a == b {
		return true
	}
	ba, bb := shellscan.Base(a), shellscan.Base(b)
	return ba == bb && len(ba) >= 4 && !strings.HasPrefix(ba, "$")
}

// decoderOf says whether a command decodes hidden text, and how.
func decoderOf(c *shellscan.Cmd) string {
	argv := c.Argv()
	if len(argv) == 0 {
		return ""
	}
	name := shellscan.Base(argv[0])
	has := func(fs ...string) bool {
		for _, a := range argv[1:] {
			for _, f := range fs {
				if a == f {
					return true
				}
			}
		}
		return false
	}
	switch name {
	case "base64", "gbase64":
		if has("-d", "--decode", "-D", "-di", "-id") {
			return "base64"
		}
	case "base32":
		if has("-d", "--decode") {
			return "base32"
		}
	case "xxd":
		if strings.Contains(strings.Join(argv[1:], " "), "-r") { // -r, -rp, -p -r
			return "hex"
		}
	case "openssl":
		if has("base64", "enc") && has("-d") {
			return "openssl"
		}
	case "rev":
		return "string reversal"
	case "tr":
		j := strings.Join(argv[1:], " ")
		if strings.Contains(j, "N-ZA-M") || strings.Contains(j, "n-za-m") {
			return "rot13"
		}
	case "printf", "echo":
		if escapes(strings.Join(argv[1:], " ")) >= 4 {
			return "escape sequences"
		}
	case "uudecode":
		return "uuencode"
	}
	return ""
}

// escapes counts \xHH and \NNN escapes in text.
func escapes(s string) int {
	n := 0
	for i := 0; i+2 < len(s); i++ {
		if s[i] == '\\' && (s[i+1] == 'x' || s[i+1] >= '0' && s[i+1] <= '7') {
			n++
		}
	}
	return n
}

// verifies reports whether a command checks a file's integrity: a digest
// checked against a list, or a signature.
func verifies(c *shellscan.Cmd) bool {
	argv := c.Argv()
	if len(argv) == 0 {
		return false
	}
	name := shellscan.Base(argv[0])
	j := " " + strings.Join(argv[1:], " ") + " "
	switch {
	case isHashTool(name):
		return strings.Contains(j, " -c ") || strings.Contains(j, " --check") || strings.Contains(j, " -c=") || strings.HasSuffix(strings.TrimSpace(j), "-c")
	case name == "gpg" || name == "gpg2":
		return strings.Contains(j, "--verify")
	case name == "gpgv" || name == "gpgv2":
		return true
	case name == "minisign" || name == "signify" || name == "signify-openbsd":
		return strings.Contains(j, " -V") || strings.Contains(j, " -C")
	case name == "cosign":
		return strings.Contains(j, " verify")
	case name == "openssl":
		return strings.Contains(j, " -verify") || strings.Contains(j, " -signature")
	case name == "rpm":
		return strings.Contains(j, "--checksig") || strings.Contains(j, " -K ")
	case name == "ssh-keygen":
		return strings.Contains(j, " -Y verify")
	}
	return false
}

// isHashTool reports whether a program prints digests.
func isHashTool(name string) bool {
	switch name {
	case "sha256sum", "sha512sum", "sha384sum", "sha224sum", "sha1sum", "shasum", "b2sum", "md5sum", "sha3sum", "cksum", "gsha256sum":
		return true
	}
	return false
}
