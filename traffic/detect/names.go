package detect

import (
	"net/netip"
	"strings"
)

// maxNamesPerAddr bounds the names remembered for one address (a CDN
// address may answer for many names).
const maxNamesPerAddr = 4

// nameTable maps addresses to the names DNS answers gave them, so that a
// finding says "c2.example.com (203.0.113.7)" and the allowlist can match
// names.
type nameTable struct {
	t *lru[netip.Addr, []string]
}

func newNameTable(max int) *nameTable {
	return &nameTable{t: newLRU[netip.Addr, []string](max)}
}

func (n *nameTable) add(ip netip.Addr, name string) {
	name = strings.TrimSuffix(strings.ToLower(name), ".")
	if name == "" || !ip.IsValid() {
		return
	}
	ip = ip.Unmap()
	v, ok := n.t.Get(ip)
	if !ok {
		v = n.t.Put(ip)
	}
	for _, have := range *v {
		if have == name {
			return
		}
	}
	if len(*v) < maxNamesPerAddr {
		*v = append(*v, name)
	}
}

// names returns the names seen for ip, in the order first seen.
func (n *nameTable) names(ip netip.Addr) []string {
	v, ok := n.t.Peek(ip)
	if !ok {
		return nil
	}
	return *v
}

// label formats an address with its names: "c2.example.com (203.0.113.7)".
func label(ip netip.Addr, names []string) string {
	if len(names) == 0 {
		return ip.String()
	}
	return strings.Join(names, ", ") + " (" + ip.String() + ")"
}
