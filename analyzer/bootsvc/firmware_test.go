package bootsvc

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/analyzertest"
	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/internal/fixture"
)

// TestFirmwareBlob: the demo router's root file system, a squashfs at an
// odd offset of a raw image: its inittab respawns `telnetd -F -l /bin/sh`
// and an askfirst shell on the console, and root has no password.
func TestFirmwareBlob(t *testing.T) {
	target := filepath.Join(t.TempDir(), "fw.bin")
	if err := os.WriteFile(target, fixture.DemoRouter(), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := analyzertest.ScanPath(t, []*analyzer.Analyzer{Analyzer}, target)
	f := want(t, rep, RuleTelnetShell, "!/etc/inittab", finding.Critical, 2)
	if !strings.Contains(f.Location.Path, "fw.bin!/squashfs@0x20013!/etc/inittab") {
		t.Errorf("path %s", f.Location.Path)
	}
	want(t, rep, RuleConsoleShell, "!/etc/inittab", finding.Medium, 3)
	found := false
	for _, s := range services(t, rep) {
		if s.Name == "telnetd" && s.Port == 23 && strings.HasPrefix(s.StartedBy, "inittab") {
			found = true
		}
	}
	if !found {
		t.Errorf("inventory: %+v", services(t, rep))
	}
}

// TestSquashfsInitScripts: a squashfs (inside a blob) whose boot chain
// runs through rcS and a symlinked S script, next to a clean rootfs.
func TestSquashfsInitScripts(t *testing.T) {
	fsImg := fixture.Squashfs([]fixture.File{
		{Path: "etc/inittab", Data: []byte(busyboxInittab)},
		{Path: "etc/init.d/rcS", Mode: 0o755, Data: []byte(rcSLoop)},
		{Path: "etc/init.d/debug", Mode: 0o755, Data: []byte("#!/bin/sh\nstart() {\n\tsocat TCP4-LISTEN:4444,fork EXEC:'/bin/sh -i'\n}\ncase \"$1\" in\nstart) start & ;;\nesac\n")},
		{Path: "etc/init.d/S99debug", Mode: 0o777 | os.ModeSymlink, Link: "debug"},
		{Path: "etc/init.d/S10clean", Mode: 0o755, Data: []byte("#!/bin/sh\ntelnet 192.0.2.1\n")},
	})
	blob := fixture.Blob(0x800+int64(len(fsImg))+0x400, 7, fixture.Part{Offset: 0x800, Data: fsImg})
	target := filepath.Join(t.TempDir(), "flash.img")
	if err := os.WriteFile(target, blob, 0o644); err != nil {
		t.Fatal(err)
	}
	rep := analyzertest.ScanPath(t, []*analyzer.Analyzer{Analyzer}, target)
	f := want(t, rep, RuleShellListener, "!/etc/init.d/debug", finding.Critical, 3)
	if !strings.Contains(f.Message, "S99debug") || !strings.Contains(f.Location.Path, "flash.img!/squashfs@0x800!/") {
		t.Errorf("finding: %s at %s", f.Message, f.Location.Path)
	}
	if len(rep.Findings) != 1 {
		t.Errorf("findings: %s", dump(rep))
	}
}

// TestRemoteShellFacts: Run records a remote-shell fact with the port for
// correlation with accounts, whether or not the boot starts it.
func TestRemoteShellFacts(t *testing.T) {
	data := []byte("#!/bin/sh\ntelnetd -p 2323 -l /bin/login\nnc -l -p 31337 -e /bin/sh\ntelnet 192.0.2.1\n")
	e := &artifact.Entry{Target: "t", Path: "t/etc/init.d/x", Name: "etc/init.d/x", Kind: artifact.KindText, Size: int64(len(data))}
	var facts []analyzer.Fact
	p := analyzer.NewPass(Analyzer, analyzer.NewShared(e, bytes.NewReader(data), data), nil, func(finding.Finding) {}, func(f analyzer.Fact) { facts = append(facts, f) })
	run(p)
	var got []RemoteShell
	for _, f := range facts {
		if f.Kind == FactRemoteShell {
			got = append(got, f.Value.(RemoteShell))
		}
	}
	if len(got) != 2 || got[0].Port != 2323 || got[0].NoAuth || got[1].Port != 31337 || !got[1].NoAuth || got[1].Line != 3 {
		t.Errorf("remote shells: %+v", got)
	}
}
