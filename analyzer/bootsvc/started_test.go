package bootsvc

import (
	"testing"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/analyzertest"
	"github.com/doorman-sec/doorman/artifact"
)

// Started lets another analyzer's final pass see what the boot runs: the
// probe analyzer below stands for it and records what Started returns.
func TestStartedFromAnotherAnalyzer(t *testing.T) {
	var got []BootExec
	probe := &analyzer.Analyzer{Name: "probe", Wants: func(*artifact.Entry) bool { return false }, Run: func(*analyzer.Pass) {},
		Finish: func(p *analyzer.FinishPass) { got = Started(p) }}
	analyzertest.Scan(t, []*analyzer.Analyzer{Analyzer, probe}, map[string]string{
		"etc/inittab":          "::sysinit:/etc/init.d/rcS\n",
		"etc/init.d/rcS":       "#!/bin/sh\nfor s in /etc/init.d/S*; do $s start; done\n",
		"etc/init.d/S50agent":  "#!/bin/sh\ncase \"$1\" in start) nohup /usr/sbin/agentd -c /etc/agent.conf & ;; stop) killall agentd ;; esac\n",
		"etc/init.d/unused":    "#!/bin/sh\n/usr/sbin/never-run\n",
		"usr/sbin/placeholder": "x",
	})
	var found bool
	for _, b := range got {
		if b.Program == "/usr/sbin/never-run" {
			t.Errorf("a script nothing runs counted as started: %+v", b)
		}
		if b.Program == "/usr/sbin/agentd" {
			found = true
			if len(b.Args) != 2 || b.Args[0] != "-c" || b.StartedBy == "" || b.Prefix == "" || b.Line != 2 {
				t.Errorf("agentd: %+v", b)
			}
		}
	}
	if !found {
		t.Fatalf("agentd not started: %+v", got)
	}
}
