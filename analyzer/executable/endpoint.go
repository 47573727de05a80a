package executable

import (
	"net/netip"
	"net/url"
	"strings"

	"github.com/doorman-sec/doorman/analyzer/inventory"
)

// docHosts publish licences, manuals and bug trackers: programs print
// their URLs in --help and --version, never connect to them.
var docHosts = []string{"gnu.org", "fsf.org", "bugs.debian.org", "www.debian.org", "translationproject.org", "opensource.org",
	"creativecommons.org", "w3.org", "bugzilla.redhat.com", "bugs.launchpad.net", "sourceware.org", "spdx.org", "xml.org", "openssl.org"}

// publicEndpoints returns the endpoints that name a host outside the
// device's own networks: not private, loopback, link-local or multicast
// addresses, and not local names (no dot, .local, .lan, .home, .internal).
// exe.Parse already leaves documentation ranges out of real binaries.
func publicEndpoints(eps []string) []string {
	var out []string
	for _, e := range eps {
		if h := endpointHost(e); h != "" && isPublicHost(h) && !isDocURL(e, h) {
			out = append(out, e)
		}
	}
	return out
}

// isDocURL reports licence, schema, manual and bug-tracker URLs: by host
// (docHosts) or by a path that says what it is.
func isDocURL(e, host string) bool {
	if !strings.Contains(e, "://") {
		return false
	}
	h := strings.ToLower(host)
	for _, d := range docHosts {
		if h == d || strings.HasSuffix(h, "."+d) {
			return true
		}
	}
	u, err := url.Parse(e)
	if err != nil {
		return true
	}
	p := strings.ToLower(u.Path)
	for _, k := range []string{"/licenses", "/licence", "/license", "/copyleft", "/bugs", "/bugzilla", "/schema", "/xmlns", "/dtd", "/manual", "/man/", "/doc/", "/docs/"} {
		if strings.Contains(p, k) {
			return true
		}
	}
	return false
}

// dialTargets keeps the endpoints a raw TCP shell can dial: an address, a
// host:port, or a URL that names an address or a port. A URL of a domain
// on the default port is a web request, not a shell's peer.
func dialTargets(eps []string) []string {
	var out []string
	for _, e := range eps {
		if !strings.Contains(e, "://") {
			out = append(out, e)
			continue
		}
		u, err := url.Parse(e)
		if err != nil {
			continue
		}
		if _, err := netip.ParseAddr(u.Hostname()); err == nil || u.Port() != "" {
			out = append(out, e)
		}
	}
	return out
}

// endpointHost takes the host out of a URL, "host:port", "[v6]:port" or a
// bare address or name.
func endpointHost(e string) string {
	e = strings.TrimSpace(e)
	if strings.Contains(e, "://") {
		u, err := url.Parse(e)
		if err != nil {
			return ""
		}
		return u.Hostname()
	}
	if ap, err := netip.ParseAddrPort(e); err == nil {
		return ap.Addr().String()
	}
	if a, err := netip.ParseAddr(e); err == nil {
		return a.String()
	}
	if i := strings.LastIndexByte(e, ':'); i > 0 && !strings.Contains(e[:i], ":") {
		return e[:i]
	}
	return e
}

func isPublicHost(h string) bool {
	if a, err := netip.ParseAddr(h); err == nil {
		a = a.Unmap()
		return !(a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() || a.IsMulticast() || a.IsUnspecified() ||
			netip.MustParsePrefix("100.64.0.0/10").Contains(a))
	}
	h = strings.ToLower(strings.TrimSuffix(h, "."))
	if !strings.Contains(h, ".") || h == "localhost" {
		return false
	}
	for _, s := range []string{".local", ".lan", ".home", ".internal", ".localdomain", ".home.arpa", ".localhost"} {
		if strings.HasSuffix(h, s) {
			return false
		}
	}
	return true
}

// maskEndpoint hides credentials a URL may carry.
func maskEndpoint(e string) string {
	if strings.Contains(e, "://") {
		return inventory.MaskURL(e)
	}
	return e
}
