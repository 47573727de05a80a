package updatepath

import (
	"path"
	"strings"
)

// channel is how far the bytes that reach a flash command can be trusted,
// weakest first.
type channel int

const (
	chNone    channel = iota
	chPlain           // http, ftp, tftp, or TLS with certificate checks off: anyone on the path can swap the bytes
	chUnknown         // the URL comes from outside the script (nvram, uci, an argument)
	chTLS             // https: the server is authenticated, the content is not signed
	chStrong          // a signature, or a hash pinned in the script, was checked
)

// download is one fetch of remote content.
type download struct {
	tool     string
	url      string // as written, credentials included (mask before showing)
	out      string // file written; "-" for standard output
	ch       channel
	insecure bool // TLS with certificate checks turned off
	line     int
	text     string
}

// cmdName is the program a command runs: its base name, past wrappers
// such as busybox, exec and nohup.
func cmdName(args []string) (string, []string) {
	for len(args) > 0 {
		n := path.Base(args[0])
		switch n {
		case "busybox", "exec", "nohup", "command", "sudo", "nice", "env":
			args = args[1:]
			continue
		}
		return n, args[1:]
	}
	return "", nil
}

// schemeOf classifies a URL. A bare host/path is plain HTTP: that is what
// wget and curl assume without a scheme.
func schemeOf(u string, tool string) channel {
	l := strings.ToLower(u)
	switch {
	case strings.HasPrefix(l, "https://"), strings.HasPrefix(l, "ftps://"):
		return chTLS
	case strings.HasPrefix(l, "http://"), strings.HasPrefix(l, "ftp://"), strings.HasPrefix(l, "tftp://"):
		return chPlain
	case tool == "tftp" || tool == "atftp" || tool == "ftpget":
		return chPlain
	case u == "" || strings.HasPrefix(u, "$") || strings.ContainsRune(u, 1) || strings.Contains(l, "://"):
		return chUnknown
	}
	host, _, _ := strings.Cut(u, "/")
	if strings.Contains(host, ".") && !strings.ContainsAny(host, "$ ") {
		return chPlain
	}
	return chUnknown
}

// isURL reports whether an argument names remote content.
func isURL(s string) bool {
	l := strings.ToLower(s)
	for _, p := range []string{"http://", "https://", "ftp://", "ftps://", "tftp://"} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}

// urlBase is the file name wget or curl -O gives a URL's content.
func urlBase(u string) string {
	u, _, _ = strings.Cut(u, "?")
	u, _, _ = strings.Cut(u, "#")
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	}
	if i := strings.IndexByte(u, '/'); i < 0 {
		return "index.html"
	}
	b := path.Base(u)
	if b == "" || b == "/" || b == "." {
		return "index.html"
	}
	return b
}

// optArgs lists, per download tool, the options that take a value.
var optArgs = map[string]string{
	"wget":          "OoPTtUYeaiBw",
	"uclient-fetch": "OoPTtUYeaiBw",
	"curl":          "ouHdAemxXTwbcFrCKEQYyzDP",
}

// parseDownload recognises wget, uclient-fetch, curl, tftp, atftp and
// ftpget and says where the content goes.
func parseDownload(args []string) (*download, bool) {
	name, rest := cmdName(args)
	switch name {
	case "wget", "uclient-fetch", "curl":
		return parseHTTPGet(name, rest)
	case "tftp", "atftp":
		return parseTFTP(name, rest)
	case "ftpget":
		return parseFTPGet(rest)
	}
	return nil, false
}

func parseHTTPGet(tool string, args []string) (*download, bool) {
	d := &download{tool: tool}
	takes := optArgs[tool]
	remoteName, dir := false, ""
	var pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		next := func() string {
			if i+1 < len(args) {
				i++
				return args[i]
			}
			return ""
		}
		switch {
		case a == "--no-check-certificate" || a == "-k" || a == "--insecure":
			d.insecure = true
		case a == "--output-document" || a == "--output":
			d.out = next()
		case strings.HasPrefix(a, "--output-document=") || strings.HasPrefix(a, "--output="):
			_, d.out, _ = strings.Cut(a, "=")
		case a == "--directory-prefix":
			dir = next()
		case strings.HasPrefix(a, "--directory-prefix="):
			_, dir, _ = strings.Cut(a, "=")
		case a == "--remote-name":
			remoteName = true
		case a == "--url":
			pos = append(pos, next())
		case strings.HasPrefix(a, "--"):
			if !strings.Contains(a, "=") && longTakesValue(a) {
				next()
			}
		case strings.HasPrefix(a, "-") && len(a) > 1:
			// A cluster of short options: "-qO-", "-sSLo", "-O".
			for j := 1; j < len(a); j++ {
				c := a[j]
				if tool == "curl" && c == 'k' {
					d.insecure = true
				}
				if tool == "curl" && c == 'O' {
					remoteName = true
					continue
				}
				if !strings.ContainsRune(takes, rune(c)) {
					continue
				}
				v := a[j+1:]
				if v == "" {
					v = next()
				}
				switch {
				case c == 'O' || (tool == "curl" && c == 'o'):
					d.out = v
				case c == 'P':
					dir = v
				}
				break
			}
		default:
			pos = append(pos, a)
		}
	}
	if len(pos) == 0 {
		return nil, false
	}
	d.url = pos[0]
	for _, p := range pos {
		if isURL(p) {
			d.url = p
			break
		}
	}
	switch {
	case d.out != "":
	case tool == "curl" && !remoteName:
		d.out = "-"
	default:
		d.out = urlBase(d.url)
	}
	if dir != "" && d.out != "-" && !strings.HasPrefix(d.out, "/") {
		d.out = strings.TrimSuffix(dir, "/") + "/" + d.out
	}
	d.ch = schemeOf(d.url, tool)
	if d.insecure && d.ch == chTLS {
		d.ch = chPlain
	}
	return d, true
}

// longTakesValue lists long options of wget and curl that take the next
// argument as their value.
func longTakesValue(a string) bool {
	switch a {
	case "--header", "--user", "--password", "--http-user", "--http-password", "--user-agent", "--timeout",
		"--tries", "--data", "--data-binary", "--max-time", "--connect-timeout", "--retry", "--cacert", "--cert",
		"--key", "--proxy", "--referer", "--ca-certificate", "--certificate", "--private-key", "--post-data",
		"--post-file", "--request", "--cookie", "--form", "--limit-rate", "--dns-servers", "--interface":
		return true
	}
	return false
}

// parseTFTP reads BusyBox tftp ("-g -r REMOTE -l LOCAL HOST"), atftp
// ("--get -r REMOTE -l LOCAL HOST") and tftp-hpa ("HOST -c get REMOTE
// [LOCAL]").
func parseTFTP(tool string, args []string) (*download, bool) {
	d := &download{tool: tool, ch: chPlain}
	get := false
	var remote, local, host string
	var pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		next := func() string {
			if i+1 < len(args) {
				i++
				return args[i]
			}
			return ""
		}
		switch {
		case a == "--get":
			get = true
		case a == "--remote-file":
			remote = next()
		case a == "--local-file":
			local = next()
		case a == "-c" && i+1 < len(args) && args[i+1] == "get":
			get = true
			i++
			if i+1 < len(args) {
				remote = next()
			}
			if i+1 < len(args) {
				local = next()
			}
		case strings.HasPrefix(a, "-") && len(a) > 1:
			for j := 1; j < len(a); j++ {
				c := a[j]
				if c == 'g' {
					get = true
					continue
				}
				if c != 'r' && c != 'l' && c != 'b' && c != 'm' {
					continue
				}
				v := a[j+1:]
				if v == "" {
					v = next()
				}
				switch c {
				case 'r':
					remote = v
				case 'l':
					local = v
				}
				break
			}
		default:
			pos = append(pos, a)
		}
	}
	if len(pos) > 0 {
		host = pos[0]
	}
	if !get || remote == "" {
		return nil, false
	}
	if local == "" {
		local = path.Base(remote)
	}
	d.url = "tftp://" + host + "/" + strings.TrimPrefix(remote, "/")
	d.out = local
	return d, true
}

// parseFTPGet reads BusyBox ftpget: "[-u USER -p PASS -P PORT] HOST
// [LOCAL] REMOTE".
func parseFTPGet(args []string) (*download, bool) {
	d := &download{tool: "ftpget", ch: chPlain}
	var user, pass string
	var pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch a {
		case "-u", "--username":
			if i+1 < len(args) {
				i++
				user = args[i]
			}
		case "-p", "--password":
			if i+1 < len(args) {
				i++
				pass = args[i]
			}
		case "-P", "--port":
			i++
		default:
			if !strings.HasPrefix(a, "-") || a == "-" {
				pos = append(pos, a)
			}
		}
	}
	if len(pos) < 2 {
		return nil, false
	}
	host, remote, local := pos[0], pos[len(pos)-1], path.Base(pos[len(pos)-1])
	if len(pos) >= 3 {
		local = pos[1]
	}
	cred := ""
	if user != "" {
		cred = user
		if pass != "" {
			cred += ":" + pass
		}
		cred += "@"
	}
	d.url = "ftp://" + cred + host + "/" + strings.TrimPrefix(remote, "/")
	d.out = local
	return d, true
}

// positional returns the arguments that are not options, skipping the
// values of the options named in takes ("-d", "--dest").
func positional(args []string, takes ...string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "-" || !strings.HasPrefix(a, "-") {
			out = append(out, a)
			continue
		}
		for _, t := range takes {
			if a == t {
				i++
				break
			}
		}
	}
	return out
}
