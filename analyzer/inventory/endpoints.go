package inventory

import (
	"bytes"
	"net/netip"
	"strings"
)

// Endpoint is one hard-coded remote endpoint of the "endpoints" inventory.
type Endpoint struct {
	Kind  string `json:"kind"` // "url" or "ip"
	Value string `json:"value"`
	Host  string `json:"host,omitempty"`
	Path  string `json:"path"`  // the first entry it was found in
	Count int    `json:"count"` // occurrences in all entries
	// Private is set for addresses that do not leave the local network:
	// private, carrier-grade NAT, loopback, link-local, multicast.
	Private bool `json:"private,omitempty"`
}

// Per-entry bounds: a file of repeated URLs costs no more than this.
const (
	maxURLHits       = 5000
	maxPerEntry      = 500
	maxEndpoints     = 1000
	maxURLLen        = 512
	maxIPScan        = 1 << 20 // bytes of a text file scanned for addresses
	maxIPScanFileLen = 4 << 20 // text files larger than this are not scanned
)

// excludedHosts are names that are never endpoints: reserved for
// documentation (RFC 2606, RFC 6761) or XML namespaces and schemas that
// are identifiers, not places a device connects to.
var excludedHosts = []string{"example.com", "example.net", "example.org", "localhost", "w3.org", "xmlsoap.org", "purl.org",
	"schemas.microsoft.com", "schemas.openxmlformats.org", "ns.adobe.com", "xml.org", "relaxng.org"}

var excludedSuffixes = []string{".invalid", ".test", ".local", ".localhost", ".example"}

// excludedURLPrefixes are license and schema URLs (host + path).
var excludedURLPrefixes = []string{"apache.org/licenses", "gnu.org/licenses", "gnu.org/copyleft", "opensource.org/licenses",
	"creativecommons.org/licenses", "mozilla.org/mpl", "fsf.org"}

// docNets are the documentation ranges (RFC 5737): examples, not
// endpoints.
var docNets = []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24"), netip.MustParsePrefix("198.51.100.0/24"), netip.MustParsePrefix("203.0.113.0/24")}

// localNets do not leave the local network.
var localNets = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.16.0.0/12"), netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("100.64.0.0/10"), netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("169.254.0.0/16"),
	netip.MustParsePrefix("224.0.0.0/4"), netip.MustParsePrefix("240.0.0.0/4"), netip.MustParsePrefix("0.0.0.0/8"),
}

// classifyIP says whether an address is kept, and whether it is local.
func classifyIP(a netip.Addr) (keep, private bool) {
	for _, n := range docNets {
		if n.Contains(a) {
			return false, false
		}
	}
	if a.IsUnspecified() || a == netip.AddrFrom4([4]byte{255, 255, 255, 255}) {
		return false, false
	}
	for _, n := range localNets {
		if n.Contains(a) {
			return true, true
		}
	}
	if a.Is6() && (a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsMulticast()) {
		return true, true
	}
	return true, false
}

// urlByte reports whether c can be part of a URL as written in code or
// configuration.
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

// ExtractURL reads the URL that starts at the beginning of b, or "".
func ExtractURL(b []byte) string {
	n := 0
	for n < len(b) && n < maxURLLen && urlByte(b[n]) {
		n++
	}
	u := strings.TrimRight(string(b[:n]), ".,;:)]'*")
	if !strings.Contains(u, "://") {
		return ""
	}
	return u
}

// ClassifyURL returns the endpoint a URL names, or ok=false when it names
// none: templates ("http://%s/"), documentation hosts and addresses,
// namespaces and licenses.
func ClassifyURL(u string) (e Endpoint, ok bool) {
	_, rest, found := strings.Cut(u, "://")
	if !found {
		return e, false
	}
	hostport := rest
	if i := strings.IndexAny(hostport, "/?#"); i >= 0 {
		hostport = hostport[:i]
	}
	pathPart := rest[len(hostport):]
	if at := strings.LastIndexByte(hostport, '@'); at >= 0 {
		hostport = hostport[at+1:]
	}
	host := strings.ToLower(hostport)
	if strings.HasPrefix(host, "[") {
		if i := strings.IndexByte(host, ']'); i > 0 {
			host = host[1:i]
		}
	} else if i := strings.LastIndexByte(host, ':'); i >= 0 {
		host = host[:i]
	}
	host = strings.TrimSuffix(host, ".")
	if host == "" || strings.ContainsAny(host, "%$*()=,;!&+") || !strings.ContainsAny(host, ".:") {
		return e, false
	}
	e = Endpoint{Kind: "url", Value: MaskURL(u), Host: host}
	if a, err := netip.ParseAddr(host); err == nil {
		keep, private := classifyIP(a)
		if !keep {
			return e, false
		}
		e.Private = private
		return e, true
	}
	for _, h := range excludedHosts {
		if host == h || strings.HasSuffix(host, "."+h) {
			return e, false
		}
	}
	for _, s := range excludedSuffixes {
		if strings.HasSuffix(host, s) {
			return e, false
		}
	}
	hp := strings.ToLower(strings.TrimPrefix(host, "www.") + "/" + strings.TrimPrefix(pathPart, "/"))
	for _, p := range excludedURLPrefixes {
		if strings.HasPrefix(hp, p) {
			return e, false
		}
	}
	return e, true
}

// ScanIPv4 finds dotted-quad addresses in text, skipping version numbers
// ("v1.2.3.4", "linux-2.6.36.4", "1.2.3.4.5"), netmasks and documentation
// addresses. It reads at most maxIPScan bytes and calls found for each.
func ScanIPv4(text []byte, found func(a netip.Addr, off int)) {
	if len(text) > maxIPScan {
		text = text[:maxIPScan]
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c < '0' || c > '9' {
			continue
		}
		if i > 0 && !ipBoundary(text[i-1]) {
			// Inside a word or a longer number: skip to its end.
			for i < len(text) && (text[i] >= '0' && text[i] <= '9' || text[i] == '.') {
				i++
			}
			continue
		}
		if inKeywordURL(text, i) {
			continue // recorded as the URL it is part of
		}
		end, ok := dottedQuad(text, i)
		if !ok {
			for i < len(text) && (text[i] >= '0' && text[i] <= '9' || text[i] == '.') {
				i++
			}
			continue
		}
		if a, err := netip.ParseAddr(string(text[i:end])); err == nil && a.Is4() {
			b := a.As4()
			if b[0] != 255 { // netmasks
				found(a, i)
			}
		}
		i = end
	}
}

// inKeywordURL reports whether position i follows "http://", "https://",
// "ftp://" or "tftp://" (or their user information).
func inKeywordURL(t []byte, i int) bool {
	j := i
	if j > 0 && t[j-1] == '@' {
		k := bytes.LastIndex(t[max(0, j-128):j], []byte("://"))
		if k < 0 {
			return false
		}
		j = max(0, j-128) + k + 3
	}
	if j < 3 || string(t[j-3:j]) != "://" {
		return false
	}
	pre := t[max(0, j-8) : j-3]
	for _, s := range []string{"http", "https", "ftp", "tftp"} {
		if bytes.HasSuffix(bytes.ToLower(pre), []byte(s)) {
			return true
		}
	}
	return false
}

// ipBoundary reports whether a byte before an address lets it stand
// alone: not a letter, digit, dot, '-' or '_' (which make it part of a
// version or a name).
func ipBoundary(c byte) bool {
	switch {
	case c >= '0' && c <= '9', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '.', c == '-', c == '_':
		return false
	}
	return true
}

// dottedQuad reads four dot-separated 1-3 digit numbers at i, followed by
// something that is neither a digit nor ".digit".
func dottedQuad(t []byte, i int) (int, bool) {
	for part := 0; part < 4; part++ {
		start := i
		for i < len(t) && i-start < 4 && t[i] >= '0' && t[i] <= '9' {
			i++
		}
		if n := i - start; n == 0 || n > 3 {
			return i, false
		}
		if part < 3 {
			if i >= len(t) || t[i] != '.' {
				return i, false
			}
			i++
		}
	}
	if i < len(t) && (t[i] >= '0' && t[i] <= '9' || t[i] == '.' && i+1 < len(t) && t[i+1] >= '0' && t[i+1] <= '9') {
		return i, false
	}
	if i < len(t) && (t[i] >= 'a' && t[i] <= 'z' || t[i] >= 'A' && t[i] <= 'Z' || t[i] == '-' || t[i] == '_') {
		return i, false
	}
	return i, true
}
