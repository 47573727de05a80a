package exe

import (
	"bytes"
	"net/netip"
	"strings"
)

// Endpoints are URLs, IPv4 addresses (with their port when one follows)
// and host:port pairs found in printable strings. Documentation ranges
// (RFC 5737), loopback, unspecified and broadcast addresses, reserved
// documentation host names and schema/namespace hosts are left out. The
// rules follow analyzer/inventory's, copied so that neither package
// depends on the other.

var docNets = []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24"), netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"), netip.MustParsePrefix("2001:db8::/32")}

var excludedHosts = []string{"example.com", "example.net", "example.org", "localhost", "w3.org", "xmlsoap.org", "purl.org",
	"schemas.microsoft.com", "schemas.openxmlformats.org", "ns.adobe.com", "xml.org", "relaxng.org",
	// Every Go binary links documentation links of the runtime and
	// standard library ("https://go.dev/doc/godebug").
	"go.dev", "golang.org"}

var excludedSuffixes = []string{".invalid", ".test", ".local", ".localhost", ".example"}

var urlSchemes = []string{"https", "http", "ftp", "tftp", "wss", "ws", "rtsp", "mqtt", "tcp", "udp", "ssh", "telnet"}

// keepAddr reports whether an address is a remote endpoint worth naming.
func keepAddr(a netip.Addr) bool {
	if a.IsLoopback() || a.IsUnspecified() || a == netip.AddrFrom4([4]byte{255, 255, 255, 255}) {
		return false
	}
	for _, n := range docNets {
		if n.Contains(a) {
			return false
		}
	}
	return true
}

// keepHost reports whether a host name or address is an endpoint.
func keepHost(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "" || strings.ContainsAny(host, "%$*()=,;!&+{}<>") {
		return false
	}
	if a, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return keepAddr(a)
	}
	if !strings.Contains(host, ".") {
		return false
	}
	for _, h := range excludedHosts {
		if host == h || strings.HasSuffix(host, "."+h) {
			return false
		}
	}
	for _, s := range excludedSuffixes {
		if strings.HasSuffix(host, s) {
			return false
		}
	}
	return true
}

func urlByte(c byte) bool {
	if c <= ' ' || c >= 0x7f {
		return false
	}
	switch c {
	case '"', '\'', '<', '>', '`', '\\', '{', '}', '|', '^':
		return false
	}
	return true
}

// findEndpoints adds the endpoints in one printable run to out.
func findEndpoints(run []byte, out map[string]bool) {
	add := func(s string) {
		if len(out) < maxEndpointsOut && len(s) <= 256 {
			out[s] = true
		}
	}
	// URLs.
	for from := 0; ; {
		i := bytes.Index(run[from:], []byte("://"))
		if i < 0 {
			break
		}
		at := from + i
		from = at + 3
		start := at
		for start > 0 && at-start < 8 && (run[start-1] >= 'a' && run[start-1] <= 'z') {
			start--
		}
		scheme := run[start:at]
		ok := false
		for _, s := range urlSchemes {
			if bytes.HasSuffix(scheme, []byte(s)) {
				start, ok = at-len(s), true
				break
			}
		}
		if !ok {
			continue
		}
		end := from
		for end < len(run) && end-start < 256 && urlByte(run[end]) {
			end++
		}
		u := string(run[start:end])
		// Go strings are not NUL-terminated: the next URL may follow at
		// once ("https://a/xhttps://b/y").
		for _, s := range []string{"http://", "https://"} {
			if k := strings.Index(u[at-start+3:], s); k >= 0 {
				u = u[:at-start+3+k]
				end = start + len(u)
			}
		}
		u = strings.TrimRight(u, ".,;:)]'*")
		hostport := u[strings.Index(u, "://")+3:]
		if k := strings.IndexAny(hostport, "/?#"); k >= 0 {
			hostport = hostport[:k]
		}
		if k := strings.LastIndexByte(hostport, '@'); k >= 0 {
			hostport = hostport[k+1:]
		}
		host := hostport
		if strings.HasPrefix(host, "[") {
			if k := strings.IndexByte(host, ']'); k > 0 {
				host = host[1:k]
			}
		} else if k := strings.LastIndexByte(host, ':'); k >= 0 {
			host = host[:k]
		}
		if keepHost(host) {
			add(u)
		}
		from = end
	}
	// Bare IPv4 addresses and host:port pairs outside URLs. Most tokens
	// are neither: they are looked at as bytes, and a string is made only
	// for one shaped like an address or followed by a port.
	for i := 0; i < len(run); i++ {
		c := run[i]
		if !hostByte(c) || i > 0 && (hostByte(run[i-1]) || run[i-1] == '/' || run[i-1] == '@') {
			continue
		}
		j := i
		for j < len(run) && j-i < 253 && hostByte(run[j]) {
			j++
		}
		tok := run[i:j]
		var port []byte
		if j+1 < len(run) && run[j] == ':' {
			k := j + 1
			for k < len(run) && k-j <= 5 && run[k] >= '0' && run[k] <= '9' {
				k++
			}
			if n, ok := atoiDigits(run[j+1 : k]); ok && n > 0 && n < 65536 && (k == len(run) || !nameByte(run[k])) {
				port = run[j+1 : k]
			}
		}
		i = j
		// Host bytes hold no ':', so only a dotted quad can parse as an
		// address.
		if dottedQuadShape(tok) {
			if a, err := netip.ParseAddr(string(tok)); err == nil && a.Is4() {
				// x.y.z.0 names a network, not a host, and is what
				// version strings look like ("2.0.0.0" in libvips).
				if q := a.As4(); keepAddr(a) && q[0] != 255 && q[0] != 0 && q[3] != 0 {
					s := string(tok)
					if port != nil {
						s += ":" + string(port)
					}
					add(s)
				}
				continue
			}
		}
		if port != nil {
			if t := string(tok); isHostName(t) && keepHost(t) {
				add(t + ":" + string(port))
			}
		}
	}
}

// atoiDigits parses 1-5 decimal digits (what the port loop collects).
func atoiDigits(b []byte) (int, bool) {
	if len(b) == 0 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		n = n*10 + int(c-'0')
	}
	return n, true
}

// dottedQuadShape: digits and exactly three dots, the only host-byte
// strings netip.ParseAddr can accept.
func dottedQuadShape(b []byte) bool {
	if len(b) < 7 || len(b) > 15 {
		return false
	}
	dots := 0
	for _, c := range b {
		switch {
		case c == '.':
			dots++
		case c < '0' || c > '9':
			return false
		}
	}
	return dots == 3
}

func hostByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-'
}

// isHostName: dot-separated labels ending in an alphabetic top-level
// label of two or more letters ("c2.evil.cn"), not a file name with a
// common extension.
func isHostName(s string) bool {
	if strings.ToLower(s) != s {
		return false // names in code are written in lower case; "646.IRV" is not one
	}
	labels := strings.Split(s, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
	}
	tld := strings.ToLower(labels[len(labels)-1])
	if len(tld) < 2 || len(tld) > 12 {
		return false
	}
	for _, c := range tld {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	switch tld {
	case "c", "h", "go", "so", "py", "sh", "js", "txt", "conf", "cfg", "log", "pid", "sock", "lock", "bin", "exe", "dll", "html", "json", "xml":
		return false
	}
	return true
}
