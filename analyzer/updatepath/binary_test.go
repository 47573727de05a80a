package updatepath

import (
	"testing"

	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/internal/fixture"
)

func TestUpdateDaemonBinary(t *testing.T) {
	r := scan(t, map[string]string{"usr/sbin/fwupd_daemon": fakeELF(
		"GET %s HTTP/1.0", "http://fw.example.com/firmware/%s/latest.bin", "/tmp/fw.bin", "mtd -r write /tmp/fw.bin firmware", "upgrade done")})
	f := one(t, r, RuleDaemon, "fwupd_daemon")
	if f.Severity != finding.Medium || f.Confidence != finding.ConfidenceLow || f.Location.Offset == nil {
		t.Fatalf("got %+v", f)
	}
	mustContain(t, f.Message, "http://fw.example.com/firmware/%s/latest.bin", "mtd -r write")
}

func TestUpdateDaemonNearMisses(t *testing.T) {
	quiet(t, scan(t, map[string]string{
		// It verifies: a usign call and a signature message.
		"usr/sbin/signed_upd": fakeELF("http://fw.example.com/firmware/%s/latest.bin", "usign -V -m %s -P /etc/opkg/keys", "mtd write %s firmware", "bad signature"),
		// A URL that is not a firmware image, with flashing.
		"usr/sbin/reporter": fakeELF("http://stats.example.com/report?id=%s", "sysupgrade"),
		// A firmware URL, no flashing command.
		"usr/bin/checker": fakeELF("http://fw.example.com/firmware/latest.bin"),
	}))
}

// Inside a firmware image: the path names the squashfs and the line is
// that of the download.
func TestInsideFirmwareImage(t *testing.T) {
	files := append(fixture.RouterRootfs(),
		fixture.File{Path: "usr/sbin/auto_upgrade.sh", Mode: 0o755, Data: []byte(shebang +
			"wget -O /tmp/fw.bin http://192.0.2.10/firmware/fw.bin\nmtd -r write /tmp/fw.bin firmware\n")},
		fixture.File{Path: "etc/opkg.conf", Data: []byte(opkgConfSigned)},
		fixture.File{Path: "etc/opkg/distfeeds.conf", Data: []byte(distfeedsHTTP)},
	)
	img := fixture.Blob(0x40000, 7, fixture.Part{Offset: 0x10013, Data: fixture.Squashfs(files)})
	r := scan(t, map[string]string{"fw.bin": string(img)})
	f := one(t, r, RuleScript, "!/usr/sbin/auto_upgrade.sh")
	mustContain(t, f.Location.Path, "squashfs@0x10013!/")
	if f.Location.Line != 2 || len(r.Findings) != 1 {
		t.Fatalf("got %+v", r.Findings)
	}
}
