package buildscript

import "strings"

// logicalLine is a command as the shell sees it: physical lines joined
// where they end in a backslash, with the number of the first.
type logicalLine struct {
	text string
	line int
}

// maxLogical bounds one joined line so a hostile file of continuations
// cannot make a huge string.
const maxLogical = 64 << 10

// logicalLines splits data into logical lines.
func logicalLines(data []byte) []logicalLine {
	var out []logicalLine
	var cur strings.Builder
	start := 1
	n := 0
	for _, l := range strings.Split(string(data), "\n") {
		n++
		l = strings.TrimRight(l, "\r")
		if cur.Len() == 0 {
			start = n
		}
		if strings.HasSuffix(l, "\\") && cur.Len() < maxLogical {
			cur.WriteString(strings.TrimSuffix(l, "\\"))
			cur.WriteByte(' ')
			continue
		}
		cur.WriteString(l)
		out = append(out, logicalLine{cur.String(), start})
		cur.Reset()
	}
	return out
}
