package detect

import (
	"bufio"
	"fmt"
	"io"
	"net/netip"
	"strings"
)

// Allowlist is the set of destinations a device is expected to reach: host
// names, domain suffixes, addresses and networks.
type Allowlist struct {
	hosts    map[string]bool // exact names
	suffixes []string        // ".example.com": the domain and every name under it
	addrs    map[netip.Addr]bool
	prefixes []netip.Prefix
}

// ParseAllowlist reads one entry per line: a host name ("api.example.com"),
// a domain suffix (".example.com" or "*.example.com", which also match the
// domain itself), an IP address or a CIDR network. A URL is accepted and
// stands for its host. "#" starts a comment; blank lines are ignored. An
// invalid entry is an error naming its line.
func ParseAllowlist(r io.Reader) (*Allowlist, error) {
	a := &Allowlist{hosts: map[string]bool{}, addrs: map[netip.Addr]bool{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if err := a.add(line); err != nil {
			return nil, fmt.Errorf("allowlist line %d: %w", n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("allowlist: %w", err)
	}
	return a, nil
}

func (a *Allowlist) add(s string) error {
	if strings.Contains(s, "/") && !strings.Contains(s, "://") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return fmt.Errorf("invalid network %q", s)
		}
		a.prefixes = append(a.prefixes, p.Masked())
		return nil
	}
	suffix := false
	switch {
	case strings.HasPrefix(s, "*."):
		s, suffix = s[2:], true
	case strings.HasPrefix(s, "."):
		s, suffix = s[1:], true
	}
	host := s
	if !suffix {
		h, ok := endpointHost(s)
		if !ok {
			return fmt.Errorf("invalid entry %q", s)
		}
		host = h
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if suffix {
			return fmt.Errorf("invalid entry %q: an address cannot be a suffix", s)
		}
		a.addrs[ip.Unmap()] = true
		return nil
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if !validHostname(host) {
		return fmt.Errorf("invalid host name %q", s)
	}
	if suffix {
		a.suffixes = append(a.suffixes, "."+host)
	} else {
		a.hosts[host] = true
	}
	return nil
}

// AllowsAddr reports whether ip is listed or inside a listed network.
func (a *Allowlist) AllowsAddr(ip netip.Addr) bool {
	if a == nil {
		return false
	}
	ip = ip.Unmap()
	if a.addrs[ip] {
		return true
	}
	for _, p := range a.prefixes {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// AllowsName reports whether a host name is listed or under a listed suffix.
func (a *Allowlist) AllowsName(name string) bool {
	if a == nil || name == "" {
		return false
	}
	name = strings.TrimSuffix(strings.ToLower(name), ".")
	if a.hosts[name] {
		return true
	}
	for _, s := range a.suffixes {
		if name == s[1:] || strings.HasSuffix(name, s) {
			return true
		}
	}
	return false
}

// Allows decides for a destination: allowed when its address is listed, or
// when it has names observed in DNS and every one of them is listed. The
// "every" matters on shared CDN addresses: an attacker's name resolving to
// the same address as the vendor's must not ride on the vendor's entry.
func (a *Allowlist) Allows(ip netip.Addr, names []string) bool {
	if a == nil {
		return false
	}
	if a.AllowsAddr(ip) {
		return true
	}
	if len(names) == 0 {
		return false
	}
	for _, n := range names {
		if !a.AllowsName(n) {
			return false
		}
	}
	return true
}

// endpointHost extracts the host of an endpoint written as a URL
// ("https://h:8443/p"), host:port, [v6]:port, a bare address or a name.
func endpointHost(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		s = s[:i]
	}
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		s = s[i+1:]
	}
	if strings.HasPrefix(s, "[") {
		if i := strings.IndexByte(s, ']'); i > 0 {
			s = s[1:i]
		}
	} else if strings.Count(s, ":") == 1 {
		s = s[:strings.IndexByte(s, ':')]
	}
	if s == "" {
		return "", false
	}
	if ip, err := netip.ParseAddr(s); err == nil {
		return ip.Unmap().String(), true
	}
	s = strings.TrimSuffix(strings.ToLower(s), ".")
	return s, validHostname(s)
}

func validHostname(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}
