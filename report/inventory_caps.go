package report

import (
	"sort"
	"strings"
)

// The capability matrix: one row per executable that can do something a
// reviewer must account for (listen, raw packets, descriptor redirection,
// camera, masquerade, packing…), one column per capability seen among
// those rows. It is read from the "binaries" inventory's "capabilities"
// names (analyzer/executable) in their JSON form, like the other tables.

// invMaxMatrixRows bounds the matrix; the rest is counted.
const invMaxMatrixRows = 50

// matrixCols are the capability columns in a fixed order with their short
// headings; "packed" and "boot" come from the packer and started_by
// fields.
var matrixCols = []struct{ name, head string }{
	{"net-listen", "listen"}, {"net-connect", "connect"}, {"raw-socket", "raw"}, {"packet-filter", "bpf"},
	{"dup-fd", "dup2"}, {"exec", "exec"}, {"shell", "shell"}, {"string-compare", "cmp"},
	{"camera", "camera"}, {"microphone", "mic"}, {"screen-capture", "screen"}, {"input-capture", "input"},
	{"credential-read", "creds"}, {"persistence", "persist"}, {"self-update", "update"},
	{"process-masquerade", "masq"}, {"anti-debug", "anti-dbg"}, {"packed", "packed"}, {"boot", "boot"},
}

// notableCaps make a binary a row: the ones that are not every program's
// daily bread (exec, connect and string compares are everywhere).
var notableCaps = map[string]bool{
	"net-listen": true, "raw-socket": true, "packet-filter": true, "dup-fd": true, "camera": true,
	"microphone": true, "screen-capture": true, "input-capture": true, "credential-read": true,
	"persistence": true, "self-update": true, "process-masquerade": true, "anti-debug": true, "packed": true,
}

// binaryCaps reads one binary's capability names, plus "packed" and
// "boot" from its packer and started_by fields.
func binaryCaps(m map[string]any) map[string]bool {
	out := map[string]bool{}
	if list, ok := m["capabilities"].([]any); ok {
		for _, c := range list {
			switch v := c.(type) {
			case string:
				out[v] = true
			case map[string]any: // {"name": …} objects, as exe.Info writes them
				out[str(v, "name")] = true
			}
		}
	}
	if str(m, "packer") != "" {
		out["packed"] = true
	}
	if str(m, "started_by") != "" {
		out["boot"] = true
	}
	return out
}

// invCapMatrix builds the matrix section; ok is false when no binary has
// a notable capability (or none lists capabilities at all).
func invCapMatrix(items []map[string]any) (invSection, bool) {
	type row struct {
		path    string
		caps    map[string]bool
		notable int
	}
	var rows []row
	for _, m := range items {
		caps := binaryCaps(m)
		n := 0
		for c := range caps {
			if notableCaps[c] {
				n++
			}
		}
		if n > 0 {
			rows = append(rows, row{str(m, "path"), caps, n})
		}
	}
	if len(rows) == 0 {
		return invSection{}, false
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].notable != rows[j].notable {
			return rows[i].notable > rows[j].notable
		}
		return rows[i].path < rows[j].path
	})
	var cols []int
	for i, c := range matrixCols {
		for _, r := range rows {
			if r.caps[c.name] {
				cols = append(cols, i)
				break
			}
		}
	}
	s := invSection{Key: "capabilities", Title: "Binary capabilities", Total: len(rows), Head: []string{"binary"}}
	for _, i := range cols {
		s.Head = append(s.Head, matrixCols[i].head)
	}
	for _, r := range rows {
		line := []string{tailCell(r.path)}
		for _, i := range cols {
			mark := ""
			if r.caps[matrixCols[i].name] {
				mark = "x"
			}
			line = append(line, mark)
		}
		s.Rows = append(s.Rows, line)
	}
	s.capRows(invMaxMatrixRows)
	return s, true
}

// tailCell keeps the end of a long path: "…/usr/sbin/telnetd" says more
// than the firmware's name at its start.
func tailCell(p string) string {
	p = visible(p, false)
	if r := []rune(p); len(r) > invMaxCell {
		tail := string(r[len(r)-(invMaxCell-1):])
		if i := strings.IndexByte(tail, '/'); i >= 0 && i < len(tail)-1 {
			tail = tail[i:]
		}
		return "…" + tail
	}
	return p
}
