package report

import (
	"encoding/json"
	"fmt"
	"github.com/doorman-sec/doorman/internal/units"
	"sort"
	"strings"
)

// The inventory summary: what the firmware holds (accounts, boot services,
// keys, binaries, endpoints, OS versions, unexplained regions) as a few
// short tables a person reads in a minute. The inventory's values come
// from analyzers as Go structs; they are read here in their JSON form
// (the contract's), so the report depends on no analyzer package and a
// report read back from JSON renders the same.

// Caps on the lines of each table; the rest is counted ("+N more").
const (
	invMaxRows      = 20
	invMaxEndpoints = 15
	// invMaxCell keeps a table readable when a value is long (a command
	// line, a URL); the JSON report keeps it whole.
	invMaxCell = 60
)

// invSection is one table of the inventory summary.
type invSection struct {
	Key   string // inventory key, for the HTML id
	Title string
	Total int // items behind the table (before capping)
	Head  []string
	Rows  [][]string
	More  int    // rows left out
	Note  string // a line instead of a table (unknown keys)
}

// invOrder is the order of the known keys, most telling first.
var invOrder = []string{"os", "accounts", "services", "keys", "binaries", "endpoints", "packages", "captures", "regions"}

// inventorySections turns the inventory into tables: the known keys in
// invOrder, then any other key as a one-line count.
func inventorySections(inv map[string]any) []invSection {
	builders := map[string]func([]map[string]any) invSection{
		"os": invOS, "accounts": invAccounts, "services": invServices, "keys": invKeys,
		"binaries": invBinaries, "endpoints": invEndpoints, "regions": invRegions,
		"packages": invPackages, "captures": invCaptures,
	}
	var out []invSection
	for _, k := range invOrder {
		v, ok := inv[k]
		if !ok {
			continue
		}
		items, ok := invItems(v)
		if !ok {
			out = append(out, invGeneric(k, v))
			continue
		}
		if len(items) == 0 {
			continue
		}
		s := builders[k](items)
		s.Key, s.Total = k, len(items)
		out = append(out, s)
		if k == "binaries" {
			if m, ok := invCapMatrix(items); ok {
				out = append(out, m)
			}
		}
	}
	if v, ok := inv["traffic"]; ok {
		if t, ok := invTraffic(v); ok {
			out = append(out, t)
		}
	}
	var rest []string
	for k := range inv {
		if builders[k] == nil && k != "traffic" {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		out = append(out, invGeneric(k, inv[k]))
	}
	return out
}

// invItems reads a value as a list of objects through JSON.
func invItems(v any) ([]map[string]any, bool) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, false
	}
	var items []map[string]any
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, false
	}
	return items, true
}

// invGeneric is the line for a key this summary does not know.
func invGeneric(k string, v any) invSection {
	s := invSection{Key: visible(k, false), Title: visible(k, false)}
	var x any
	if raw, err := json.Marshal(v); err == nil && json.Unmarshal(raw, &x) == nil {
		switch t := x.(type) {
		case []any:
			s.Total = len(t)
			s.Note = fmt.Sprintf("%s: %s", s.Title, plural(len(t), "item", "items"))
			return s
		case map[string]any:
			s.Total = len(t)
			s.Note = fmt.Sprintf("%s: %s", s.Title, plural(len(t), "entry", "entries"))
			return s
		}
	}
	s.Total = 1
	s.Note = s.Title + ": 1 value (see --format json)"
	return s
}

// Field readers: a missing or mistyped field reads as its zero value, so a
// producer that changes shape never breaks the report.
func str(m map[string]any, k string) string {
	switch v := m[k].(type) {
	case string:
		return v
	case float64, bool:
		return fmt.Sprint(v)
	}
	return ""
}

func num(m map[string]any, k string) (float64, bool) {
	v, ok := m[k].(float64)
	return v, ok
}

func flag(m map[string]any, k string) bool {
	v, _ := m[k].(bool)
	return v
}

// cell makes a value safe and short for a table.
func cell(s string) string {
	s = visible(s, false)
	if r := []rune(s); len(r) > invMaxCell {
		s = string(r[:invMaxCell-1]) + "…"
	}
	return s
}

// capRows keeps the first max rows and counts the rest.
func (s *invSection) capRows(max int) {
	if len(s.Rows) > max {
		s.More = len(s.Rows) - max
		s.Rows = s.Rows[:max]
	}
}

func invOS(items []map[string]any) invSection {
	s := invSection{Title: "OS and versions", Head: []string{"source", "name", "version", "detail", "path"}}
	for _, m := range items {
		name := str(m, "name")
		if name == "" {
			name = str(m, "id")
		}
		s.Rows = append(s.Rows, []string{cell(str(m, "source")), cell(name), cell(str(m, "version")), cell(str(m, "detail")), cell(str(m, "path"))})
	}
	s.capRows(invMaxRows)
	return s
}

// invAccounts lists accounts that can log in first: they are the ones a
// reviewer must account for.
func invAccounts(items []map[string]any) invSection {
	s := invSection{Title: "Accounts", Head: []string{"name", "uid", "shell", "password", "login"}}
	sorted := append([]map[string]any(nil), items...)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		if flag(a, "login") != flag(b, "login") {
			return flag(a, "login")
		}
		ua, _ := num(a, "uid")
		ub, _ := num(b, "uid")
		if ua != ub {
			return ua < ub
		}
		return str(a, "name") < str(b, "name")
	})
	for _, m := range sorted {
		uid := "?"
		if u, ok := num(m, "uid"); ok {
			uid = fmt.Sprint(int64(u))
		}
		pw := str(m, "password")
		if flag(m, "cracked") {
			pw += ", cracked"
		}
		login := "no"
		if flag(m, "login") {
			login = "yes"
		}
		s.Rows = append(s.Rows, []string{cell(str(m, "name")), uid, cell(str(m, "shell")), cell(pw), login})
	}
	s.capRows(invMaxRows)
	return s
}

func invServices(items []map[string]any) invSection {
	s := invSection{Title: "Services started at boot", Head: []string{"name", "started by", "port"}}
	for _, m := range items {
		port := ""
		if p, ok := num(m, "port"); ok && p > 0 {
			port = fmt.Sprint(int64(p))
		}
		s.Rows = append(s.Rows, []string{cell(str(m, "name")), cell(str(m, "started_by")), port})
	}
	s.capRows(invMaxRows)
	return s
}

func invKeys(items []map[string]any) invSection {
	s := invSection{Title: "Private keys", Head: []string{"path", "key", "state"}}
	for _, m := range items {
		alg := str(m, "algorithm")
		if alg == "" {
			alg = str(m, "format")
		}
		if b, ok := num(m, "bits"); ok && b > 0 {
			alg += fmt.Sprintf(" %d", int64(b))
		}
		var state []string
		if flag(m, "compromised") {
			state = append(state, "COMPROMISED (private half public)")
		}
		if flag(m, "default_password") {
			state = append(state, "default password")
		} else if flag(m, "encrypted") {
			state = append(state, "encrypted")
		}
		if len(state) == 0 {
			state = append(state, "plain")
		}
		s.Rows = append(s.Rows, []string{cell(str(m, "path")), cell(alg), strings.Join(state, ", ")})
	}
	// Compromised keys first, then by path.
	sort.SliceStable(s.Rows, func(i, j int) bool {
		ci, cj := strings.HasPrefix(s.Rows[i][2], "COMPROMISED"), strings.HasPrefix(s.Rows[j][2], "COMPROMISED")
		return ci && !cj
	})
	s.capRows(invMaxRows)
	return s
}

// invBinaries counts ELF files per architecture, most first.
func invBinaries(items []map[string]any) invSection {
	s := invSection{Title: "Binaries by architecture", Head: []string{"arch", "files", "static", "dynamic"}}
	type count struct{ all, static, dynamic int }
	by := map[string]*count{}
	for _, m := range items {
		a := str(m, "arch")
		if a == "" {
			a = "unknown"
		}
		c := by[a]
		if c == nil {
			c = &count{}
			by[a] = c
		}
		c.all++
		switch str(m, "linkage") {
		case "static":
			c.static++
		case "dynamic":
			c.dynamic++
		}
	}
	archs := make([]string, 0, len(by))
	for a := range by {
		archs = append(archs, a)
	}
	sort.Slice(archs, func(i, j int) bool {
		if by[archs[i]].all != by[archs[j]].all {
			return by[archs[i]].all > by[archs[j]].all
		}
		return archs[i] < archs[j]
	})
	for _, a := range archs {
		c := by[a]
		s.Rows = append(s.Rows, []string{cell(a), fmt.Sprint(c.all), fmt.Sprint(c.static), fmt.Sprint(c.dynamic)})
	}
	s.capRows(invMaxRows)
	return s
}

// invEndpoints shows the most frequent endpoints; private addresses are
// marked because they reveal the vendor's network or a test leftover.
func invEndpoints(items []map[string]any) invSection {
	s := invSection{Title: "Endpoints", Head: []string{"endpoint", "count", "", "first seen in"}}
	sorted := append([]map[string]any(nil), items...)
	sort.SliceStable(sorted, func(i, j int) bool {
		ci, _ := num(sorted[i], "count")
		cj, _ := num(sorted[j], "count")
		if ci != cj {
			return ci > cj
		}
		return str(sorted[i], "value") < str(sorted[j], "value")
	})
	for _, m := range sorted {
		c, _ := num(m, "count")
		priv := ""
		if flag(m, "private") {
			priv = "private"
		}
		s.Rows = append(s.Rows, []string{cell(str(m, "value")), fmt.Sprint(int64(c)), priv, cell(str(m, "path"))})
	}
	s.capRows(invMaxEndpoints)
	return s
}

func invRegions(items []map[string]any) invSection {
	s := invSection{Title: "Unexplained high-entropy regions (encrypted or unknown compression)", Head: []string{"path", "offset", "size", "bits/byte"}}
	for _, m := range items {
		o, _ := num(m, "offset")
		l, _ := num(m, "length")
		e, _ := num(m, "entropy")
		s.Rows = append(s.Rows, []string{cell(str(m, "path")), fmt.Sprintf("%#x", int64(o)), units.Bytes(int64(l)), fmt.Sprintf("%.2f", e)})
	}
	s.capRows(invMaxRows)
	return s
}

// inventory writes the text form: a heading, then each table with
// its columns aligned, or its one line.
func (t *textWriter) inventory(inv map[string]any) {
	secs := inventorySections(inv)
	if len(secs) == 0 {
		return
	}
	t.line(t.paint(ansiBold, "Inventory"))
	pad := strings.Repeat(" ", textIndent)
	for _, s := range secs {
		if s.Note != "" {
			t.line(pad + s.Note)
			continue
		}
		t.line(pad + t.paint(ansiBold, fmt.Sprintf("%s (%d)", s.Title, s.Total)))
		widths := make([]int, len(s.Head))
		for _, r := range append([][]string{s.Head}, s.Rows...) {
			for i, c := range r {
				widths[i] = max(widths[i], len([]rune(c)))
			}
		}
		row := func(r []string) string {
			var b strings.Builder
			for i, c := range r {
				if i == len(r)-1 {
					b.WriteString(c)
					break
				}
				fmt.Fprintf(&b, "%-*s  ", widths[i], c)
			}
			return strings.TrimRight(b.String(), " ")
		}
		t.line(pad + pad + t.paint(ansiDim, row(s.Head)))
		for _, r := range s.Rows {
			t.line(pad + pad + row(r))
		}
		if s.More > 0 {
			t.line(pad + pad + fmt.Sprintf("+%d more (see --format json)", s.More))
		}
	}
	t.line("")
}
