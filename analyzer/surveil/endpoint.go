package surveil

import (
	"net"
	"net/netip"
	"net/url"
	"strings"
)

// docHosts are the names usage texts and manuals use for "some server"
// (RFC 2606): a URL on them is an example, not where the program sends.
var docHosts = []string{"example.com", "example.net", "example.org", "localhost"}

// usageMarkers are words around a URL in help text: "e.g.
// http://host/upload", "usage: -u URL".
var usageMarkers = []string{"e.g.", "usage", "Usage", "example", "Example", "default:", "<", "[", "%s://"}

// uploadWords in a URL's path or scheme say data is pushed there.
var uploadWords = []string{"upload", "/put", "/post", "/push", "/submit", "/collect", "/recv", "/ingest", "/drop", "/gate", ".php", ".cgi"}

// fixedHost returns the host of a URL written out in full, or "" when the
// URL is built at run time (a %s or ${} host), names a documentation host,
// or stays on the local network (a private, loopback or link-local
// address: a hard-coded NAS or NVR on the LAN is a setting, not an
// exfiltration endpoint). Documentation IP ranges (RFC 5737) and reserved
// names (.invalid, .test) are kept: no real program ships them except in
// usage text, which usageMarkers catches, and test fixtures must be able
// to name an inert endpoint.
func fixedHost(raw string) string {
	if strings.ContainsAny(raw, "%$`{}") {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	host := strings.ToLower(u.Hostname())
	if host == "" || !strings.ContainsRune(host, '.') && net.ParseIP(host) == nil {
		return ""
	}
	for _, d := range docHosts {
		if host == d || strings.HasSuffix(host, "."+d) {
			return ""
		}
	}
	if a, err := netip.ParseAddr(host); err == nil {
		if a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() || a.IsUnspecified() || a.IsMulticast() {
			return ""
		}
	}
	return host
}

// uploadURL reports whether a fixed URL is a place data is pushed to: a
// file-transfer or streaming scheme, an upload-looking path, or any fixed
// URL in a program that also holds an HTTP POST/PUT or multipart string.
func uploadURL(raw string, postVerb bool) bool {
	l := strings.ToLower(raw)
	for _, s := range []string{"ftp://", "tftp://", "rtmp://", "rtmps://", "udp://", "tcp://", "srt://"} {
		if strings.HasPrefix(l, s) {
			return true
		}
	}
	if postVerb {
		return true
	}
	for _, w := range uploadWords {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// inUsage reports whether the text around a URL reads like help text.
func inUsage(s string) bool {
	for _, m := range usageMarkers {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}

// urlAt returns the URL that starts at the beginning of b.
func urlAt(b []byte) string {
	for i, c := range b {
		if c <= ' ' || c >= 0x7f || c == '"' || c == '\'' || c == '>' || c == ')' {
			return string(b[:i])
		}
	}
	return string(b)
}
