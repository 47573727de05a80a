package updatepath

import (
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/finding"
)

// A vendor update script in the shape of many router "auto upgrade"
// scripts: plain http, straight to mtd.
func TestPlainHTTPToMtd(t *testing.T) {
	r := scan(t, map[string]string{"usr/sbin/fw_autoupgrade.sh": shebang +
		"FW=/tmp/firmware.bin\n" +
		"SERVER=192.0.2.10\n" +
		"wget -q -O $FW http://$SERVER/firmware/router_v2.bin\n" +
		"[ -s $FW ] || exit 1\n" +
		"mtd -r write $FW firmware\n"})
	f := one(t, r, RuleScript, "fw_autoupgrade.sh")
	if f.Severity != finding.High || f.Confidence != finding.ConfidenceHigh || f.Location.Line != 4 || f.Category != finding.UpdateIntegrity {
		t.Fatalf("got %+v", f)
	}
	mustContain(t, f.Message, "http://192.0.2.10/firmware/router_v2.bin", "mtd write", "line 6", "mtd -r write $FW firmware")
	mustContain(t, f.Evidence, "wget -q -O $FW")
}

func TestHTTPSIsMedium(t *testing.T) {
	r := scan(t, map[string]string{"lib/upgrade/online.sh": shebang +
		"curl -sSL -o /tmp/sysupgrade.bin https://updates.example.com/fw/latest.bin\n" +
		"sysupgrade -n /tmp/sysupgrade.bin\n"})
	f := one(t, r, RuleScript, "online.sh")
	if f.Severity != finding.Medium || f.Location.Line != 2 {
		t.Fatalf("got %+v", f)
	}
	mustContain(t, f.Message, "https", "not signed", "sysupgrade")
}

// https with certificate checks off is as weak as http.
func TestInsecureHTTPSIsHigh(t *testing.T) {
	r := scan(t, map[string]string{"usr/bin/upgrade": shebang +
		"curl -k -o /tmp/fw.img https://updates.example.com/fw.img && sysupgrade /tmp/fw.img\n"})
	f := one(t, r, RuleScript, "usr/bin/upgrade")
	if f.Severity != finding.High {
		t.Fatalf("got %+v", f)
	}
	mustContain(t, f.Message, "certificate checks turned off")
}

func TestTFTPToDd(t *testing.T) {
	r := scan(t, map[string]string{"etc/init.d/netupgrade": shebang +
		"cd /tmp\n" +
		"tftp -g -r uImage-new.bin 192.0.2.5\n" +
		"dd if=/tmp/uImage-new.bin of=/dev/mtdblock3 bs=64k\n"})
	f := one(t, r, RuleScript, "netupgrade")
	if f.Severity != finding.High || f.Confidence != finding.ConfidenceMedium { // matched by base name after cd
		t.Fatalf("got %+v", f)
	}
	mustContain(t, f.Message, "tftp://192.0.2.5/uImage-new.bin", "dd of=/dev/mtdblock3")
}

// FTP credentials never appear in full.
func TestFTPGetMasksPassword(t *testing.T) {
	r := scan(t, map[string]string{"sbin/ftp_upgrade.sh": shebang +
		"ftpget -u upd -p Sup3rSecretPw 192.0.2.7 /tmp/fw.bin images/fw.bin\n" +
		"flashcp -v /tmp/fw.bin /dev/mtd4\n"})
	f := one(t, r, RuleScript, "ftp_upgrade.sh")
	for _, s := range []string{f.Message, f.Evidence} {
		if strings.Contains(s, "Sup3rSecretPw") {
			t.Fatalf("password leaked: %q", s)
		}
	}
	mustContain(t, f.Message, "ftp://upd:Sup**", "flashcp")
	mustContain(t, f.Evidence, "-p Sup**")
}

func TestPipeIntoMtd(t *testing.T) {
	r := scan(t, map[string]string{"usr/sbin/quick_flash": shebang +
		"wget -qO- http://192.0.2.3/openwrt-sysupgrade.bin | mtd write - firmware\n"})
	f := one(t, r, RuleScript, "quick_flash")
	mustContain(t, f.Message, "mtd write")
}

func TestOpkgInstallURL(t *testing.T) {
	r := scan(t, map[string]string{"etc/uci-defaults/99-addons": shebang +
		"opkg install http://192.0.2.8/packages/remote-mgmt_1.0_mips.ipk\n"})
	f := one(t, r, RuleScript, "99-addons")
	if f.Severity != finding.High {
		t.Fatalf("got %+v", f)
	}
	mustContain(t, f.Message, "opkg install by one command")
}

// Functions put in place of their calls, arguments as $1 and $2.
func TestThroughFunctions(t *testing.T) {
	r := scan(t, map[string]string{"usr/lib/upgrade.sh": shebang +
		"fetch() {\n\twget -q -O \"$2\" \"$1\"\n}\n" +
		"flash() {\n\tmtd -r write \"$1\" linux\n}\n" +
		"URL=\"http://fw.example.com/router/firmware.bin\"\n" +
		"fetch \"$URL\" /tmp/fw.bin\n" +
		"flash /tmp/fw.bin\n"})
	f := one(t, r, RuleScript, "upgrade.sh")
	if f.Location.Line != 3 {
		t.Fatalf("line %d", f.Location.Line)
	}
	mustContain(t, f.Message, "http://fw.example.com/router/firmware.bin", "mtd write")
}

// rc.common start() is called by the framework: a function nothing in
// the file calls is followed on its own.
func TestUncalledFunction(t *testing.T) {
	r := scan(t, map[string]string{"etc/init.d/autoupdate": "#!/bin/sh /etc/rc.common\nSTART=99\n" +
		"start() {\n\tcurl -o /tmp/u.bin http://192.0.2.4/upgrade/u.bin\n\tsysupgrade /tmp/u.bin\n}\n"})
	one(t, r, RuleScript, "autoupdate")
}

func TestURLFromNvramIsMediumLow(t *testing.T) {
	r := scan(t, map[string]string{"usr/sbin/auto_fw.sh": shebang +
		"URL=$(nvram get fw_upgrade_url)\n" +
		"wget -O /tmp/fw.trx \"$URL\"\n" +
		"mtd write /tmp/fw.trx linux\n"})
	f := one(t, r, RuleScript, "auto_fw.sh")
	if f.Severity != finding.Medium || f.Confidence != finding.ConfidenceLow {
		t.Fatalf("got %+v", f)
	}
}

func TestThroughDecompressionAndCopy(t *testing.T) {
	r := scan(t, map[string]string{"usr/sbin/upd.sh": shebang +
		"wget http://192.0.2.9/fw/img.bin.gz -O /tmp/img.bin.gz\n" +
		"gunzip /tmp/img.bin.gz\n" +
		"cp /tmp/img.bin /var/img.bin\n" +
		"sysupgrade /var/img.bin\n"})
	one(t, r, RuleScript, "upd.sh")
}

func TestTarIntoRoot(t *testing.T) {
	r := scan(t, map[string]string{"usr/sbin/patch_update": shebang +
		"wget -O /tmp/patch.tgz http://192.0.2.9/patch/latest.tgz\n" +
		"tar xzf /tmp/patch.tgz -C /\n"})
	f := one(t, r, RuleScript, "patch_update")
	mustContain(t, f.Message, "tar extract into /")
}

func TestRunDownloadedScript(t *testing.T) {
	r := scan(t, map[string]string{"usr/sbin/hotfix": shebang +
		"wget -q -O /tmp/hotfix.sh http://192.0.2.9/hotfix.sh\n" +
		"sh /tmp/hotfix.sh\n"})
	one(t, r, RuleScript, "hotfix")
}

// A checksum fetched over the same plain channel is not verification.
func TestChecksumOverSameChannelStillHigh(t *testing.T) {
	r := scan(t, map[string]string{"usr/sbin/upgrade_md5.sh": shebang +
		"BASE=http://192.0.2.10/fw\n" +
		"wget -O /tmp/fw.bin $BASE/fw.bin\n" +
		"wget -O /tmp/fw.md5 $BASE/fw.md5\n" +
		"if [ \"$(md5sum /tmp/fw.bin | cut -d' ' -f1)\" != \"$(cat /tmp/fw.md5)\" ]; then\n\texit 1\nfi\n" +
		"mtd write /tmp/fw.bin firmware\n"})
	f := one(t, r, RuleScript, "upgrade_md5.sh")
	if f.Severity != finding.High || f.Location.Line != 3 {
		t.Fatalf("got %+v", f)
	}
	mustContain(t, f.Message, "checked only against", "http://192.0.2.10/fw/fw.md5")
}

func TestChecksumListOverSameChannelStillHigh(t *testing.T) {
	r := scan(t, map[string]string{"usr/sbin/upgrade_sums.sh": shebang +
		"cd /tmp\n" +
		"wget http://192.0.2.10/fw/fw.bin\n" +
		"wget http://192.0.2.10/fw/fw.bin.sha256sum\n" +
		"sha256sum -c fw.bin.sha256sum || exit 1\n" +
		"sysupgrade fw.bin\n"})
	f := one(t, r, RuleScript, "upgrade_sums.sh")
	mustContain(t, f.Message, "checked only against")
}

// A signature checked with a key downloaded next to the image proves
// nothing.
func TestSignatureWithDownloadedKey(t *testing.T) {
	r := scan(t, map[string]string{"usr/sbin/upgrade_sig.sh": shebang +
		"wget -O /tmp/fw.bin http://192.0.2.10/fw.bin\n" +
		"wget -O /tmp/fw.sig http://192.0.2.10/fw.sig\n" +
		"wget -O /tmp/key.pub http://192.0.2.10/key.pub\n" +
		"usign -V -m /tmp/fw.bin -p /tmp/key.pub -x /tmp/fw.sig || exit 1\n" +
		"sysupgrade /tmp/fw.bin\n"})
	one(t, r, RuleScript, "upgrade_sig.sh")
}

// A digest fetched over https for an image fetched over http is as good
// as https: medium, not quiet and not high.
func TestChecksumOverHTTPSForHTTPImage(t *testing.T) {
	r := scan(t, map[string]string{"usr/sbin/mixed.sh": shebang +
		"wget -O /tmp/fw.bin http://mirror.example.com/fw.bin\n" +
		"EXPECTED=$(wget -qO- https://updates.example.com/fw.bin.sha256)\n" +
		"ACTUAL=$(sha256sum /tmp/fw.bin | awk '{print $1}')\n" +
		"[ \"$ACTUAL\" = \"$EXPECTED\" ] || exit 1\n" +
		"sysupgrade /tmp/fw.bin\n"})
	f := one(t, r, RuleScript, "mixed.sh")
	if f.Severity != finding.Medium {
		t.Fatalf("got %+v", f)
	}
}

func TestTestFolderIsLow(t *testing.T) {
	r := scan(t, map[string]string{"usr/share/doc/examples/upgrade.sh": shebang +
		"wget -O /tmp/fw.bin http://192.0.2.1/fw.bin\nmtd write /tmp/fw.bin firmware\n"})
	if f := one(t, r, RuleScript, "upgrade.sh"); f.Severity != finding.Low {
		t.Fatalf("got %+v", f)
	}
}
