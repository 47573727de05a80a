package executable

import (
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/analyzertest"
	"github.com/doorman-sec/doorman/analyzer/bootsvc"
	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/exe"
	"github.com/doorman-sec/doorman/finding"
)

// withInfos is the analyzer with Run replaced by a table of hand-made
// exe.Info values by entry name, so the final pass (boot chain, places,
// inventory) runs through the real pipeline whatever exe.Parse does.
func withInfos(infos map[string]Fact) *analyzer.Analyzer {
	return &analyzer.Analyzer{
		Name:  name,
		Wants: func(e *artifact.Entry) bool { _, ok := infos[e.Name]; return ok },
		Run: func(p *analyzer.Pass) {
			f := infos[p.Entry.Name]
			f.Size = p.Size()
			p.AddFact(factExecutable, f)
		},
		Finish: finish,
	}
}

func TestFinishJoinsBootChain(t *testing.T) {
	bind := mk("elf", listen, dup, execc, shell)
	bind.Arch, bind.Stripped, bind.Interp = "mips32-le", true, "/lib/ld-uClibc.so.0"
	bind.Libraries = []string{"libc.so.0", "libcrypt.so.0"}
	bind.Endpoints = []string{"http://admin:hunter22@fw.vendor.invalid/x"}
	bb := mk("elf", listen, dup, execc, shell, raw, bpf, cmp)
	bb.Linkage = "static"
	goBin := mk("elf", connect)
	goBin.Go = &exe.GoInfo{Version: "go1.22.3", Main: "example.com/agent"}
	a := withInfos(map[string]Fact{
		"usr/sbin/svcmgr": {Info: bind},
		"usr/sbin/idle":   {Info: bind},
		"bin/busybox":     {Info: bb, MultiCall: true},
		"usr/bin/agent":   {Info: goBin},
	})
	r := analyzertest.Scan(t, []*analyzer.Analyzer{bootsvc.Analyzer, a}, map[string]string{
		"etc/inittab":          "::sysinit:/etc/init.d/rcS\n",
		"etc/init.d/rcS":       "#!/bin/sh\nfor s in /etc/init.d/S*; do $s start; done\n",
		"etc/init.d/S50svcmgr": "#!/bin/sh\nstart-stop-daemon -S -b -x /usr/sbin/svcmgr -- -p 9000\n",
		"etc/init.d/S60udhcpc": "#!/bin/sh\nbusybox udhcpc -i eth0 &\n",
		"usr/sbin/svcmgr":      "stand-in",
		"usr/sbin/idle":        "stand-in",
		"bin/busybox":          "stand-in",
		"usr/bin/agent":        "stand-in",
	})
	svc := analyzertest.Find(r, RuleBindShell, "usr/sbin/svcmgr")
	if len(svc) != 1 || svc[0].Severity != finding.Critical || !strings.Contains(svc[0].Message, "S50svcmgr") || svc[0].Category != finding.RemoteAccessService {
		t.Fatalf("boot-started bind shell: %+v", svc)
	}
	if idle := analyzertest.Find(r, RuleBindShell, "usr/sbin/idle"); len(idle) != 1 || idle[0].Severity != finding.High {
		t.Errorf("bind shell nothing starts: %+v", idle)
	}
	for _, f := range analyzertest.Find(r, rulePrefix, "bin/busybox") {
		if f.Severity > finding.Low {
			t.Errorf("BusyBox %s at %s", f.Rule, f.Severity)
		}
	}
	bins, ok := r.Inventory["binaries"].([]Binary)
	if !ok || len(bins) != 4 {
		t.Fatalf("inventory: %#v", r.Inventory["binaries"])
	}
	by := map[string]Binary{}
	for _, b := range bins {
		by[b.Path[strings.LastIndex(b.Path, "/")+1:]] = b
	}
	s := by["svcmgr"]
	if s.Format != "elf" || s.Arch != "mips32-le" || s.Linkage != "dynamic" || !s.Stripped || s.Size != int64(len("stand-in")) ||
		s.Libraries != 2 || s.Interp != "/lib/ld-uClibc.so.0" || !strings.Contains(s.StartedBy, "S50svcmgr") ||
		strings.Join(s.Capabilities, ",") != "dup-fd,exec,net-listen,shell" {
		t.Errorf("svcmgr: %+v", s)
	}
	if len(s.Endpoints) != 1 || strings.Contains(s.Endpoints[0], "hunter22") {
		t.Errorf("endpoints not masked: %v", s.Endpoints)
	}
	if g := by["agent"].Go; g == nil || g.Version != "go1.22.3" || g.Main != "example.com/agent" {
		t.Errorf("go: %+v", by["agent"])
	}
	if by["idle"].StartedBy != "" {
		t.Errorf("idle started by %q", by["idle"].StartedBy)
	}
}

// Inside a firmware image (a tar here), a packed system program is worse.
func TestFinishFirmwareContainer(t *testing.T) {
	upx := mk("elf")
	upx.Packer = "upx"
	a := withInfos(map[string]Fact{"usr/sbin/agent": {Info: upx}, "opt/agent": {Info: upx}})
	dir := t.TempDir()
	tarPath := dir + "/fw.tar"
	writeTar(t, tarPath, map[string]string{"usr/sbin/agent": "stand-in", "opt/agent": "stand-in"})
	r := analyzertest.ScanPath(t, []*analyzer.Analyzer{a}, tarPath)
	if f := analyzertest.Find(r, RulePacked, "fw.tar!/usr/sbin/agent"); len(f) != 1 || f[0].Severity != finding.High {
		t.Errorf("packed firmware program: %+v", f)
	}
	if f := analyzertest.Find(r, RulePacked, "fw.tar!/opt/agent"); len(f) != 1 || f[0].Severity != finding.Medium {
		t.Errorf("packed program outside bin: %+v", f)
	}
}
