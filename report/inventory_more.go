package report

import (
	"fmt"
	"github.com/doorman-sec/doorman/internal/units"
	"strings"
)

// invPackages lists the package manifests met, those with install hooks
// first: what runs when the package is installed is what a reviewer reads.
func invPackages(items []map[string]any) invSection {
	s := invSection{Title: "Packages", Head: []string{"ecosystem", "name", "version", "install hooks", "path"}}
	var withHooks, rest [][]string
	for _, m := range items {
		var hooks []string
		if hs, ok := invItems(m["install_hooks"]); ok {
			for _, h := range hs {
				hooks = append(hooks, str(h, "name"))
			}
		}
		row := []string{cell(str(m, "ecosystem")), cell(str(m, "name")), cell(str(m, "version")), cell(strings.Join(hooks, ", ")), cell(str(m, "path"))}
		if len(hooks) > 0 {
			withHooks = append(withHooks, row)
		} else {
			rest = append(rest, row)
		}
	}
	s.Rows = append(withHooks, rest...)
	s.capRows(invMaxRows)
	return s
}

// invCaptures lists the captures `doorman traffic` read.
func invCaptures(items []map[string]any) invSection {
	s := invSection{Title: "Captures", Head: []string{"path", "format", "packets", "bytes", "first", "last"}}
	for _, m := range items {
		p, _ := num(m, "packets")
		b, _ := num(m, "bytes")
		s.Rows = append(s.Rows, []string{cell(str(m, "path")), cell(str(m, "format")), fmt.Sprintf("%.0f", p), units.Bytes(int64(b)), cell(str(m, "first")), cell(str(m, "last"))})
	}
	s.capRows(invMaxRows)
	return s
}

// invTraffic shows the traffic summary's top destinations: where the
// devices' bytes went.
func invTraffic(v any) (invSection, bool) {
	sum, ok := v.(map[string]any)
	if !ok {
		var one []map[string]any
		if one, ok = invItems([]any{v}); !ok || len(one) != 1 {
			return invSection{}, false
		}
		sum = one[0]
	}
	dests, ok := invItems(sum["top_destinations"])
	if !ok {
		return invSection{}, false
	}
	s := invSection{Key: "traffic", Title: "Top destinations", Head: []string{"address", "names", "bytes sent to it", "bytes from it", "flows"}, Total: len(dests)}
	for _, d := range dests {
		var names []string
		if ns, ok := d["names"].([]any); ok {
			for _, n := range ns {
				names = append(names, fmt.Sprint(n))
			}
		}
		recv, _ := num(d, "bytes_received")
		sent, _ := num(d, "bytes_sent")
		flows, _ := num(d, "flows")
		s.Rows = append(s.Rows, []string{cell(str(d, "addr")), cell(strings.Join(names, ", ")), units.Bytes(int64(recv)), units.Bytes(int64(sent)), fmt.Sprintf("%.0f", flows)})
	}
	s.capRows(invMaxRows)
	return s, len(s.Rows) > 0
}
