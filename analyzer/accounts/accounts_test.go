package accounts

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/analyzertest"
	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/format/crypt"
	"github.com/doorman-sec/doorman/internal/fixture"
	"golang.org/x/crypto/ssh"
)

// vagrantKey is HashiCorp's insecure Vagrant public key, whose private
// half ships with Vagrant (https://github.com/hashicorp/vagrant/tree/main/keys)
// and is in the compromised-keys list.
const (
	vagrantKey         = "ssh-rsa AAAAB3NzaC1yc2EAAAABIwAAAQEA6NF8iallvQVp22WDkTkyrtvp9eWW6A8YVr+kz4TjGYe7gHzIw+niNltGEFHzD8+v1I2YJ6oXevct1YeS0o9HZyN1Q9qgCgzUFtdOKLv6IedplqoPkcmF0aYet2PkEDo3MlTBckFXPITAMzF8dJSIFo9D8HfdOV0IAdx4O7PtixWKn5y2hMNG0zQPyUecp4pzC6kivAIhyfHilFR61RGL+GPXQ2MWZWFYbAGjyiYJnAmCP3NOTd0jMZEnDkbUvxhMmBYSdETk1rRgm+R4LOzFUGaHqHDLKLX+FIPKcF96hrucXzcWyLbIbEgE98OHlnVYCzRdK8jlqm8tehUc9c9WhQ== vagrant insecure public key"
	vagrantFingerprint = "SHA256:1M4RzhMyWuFS/86uPY/ce2prh/dVTHW7iD2RhpquOZA"
)

var all = []*analyzer.Analyzer{Analyzer}

// ownKey returns an authorized_keys line for a key made from seed: a key
// nobody published.
func ownKey(seed byte, comment string) string {
	pub := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, 32)).Public()
	k, err := ssh.NewPublicKey(pub)
	if err != nil {
		panic(err)
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k))) + " " + comment
}

// firmware wraps a root file system in a squashfs image at an odd offset
// of a raw blob, as a vendor's update file looks.
func firmware(files map[string]string) string {
	var fs []fixture.File
	for p, d := range files {
		fs = append(fs, fixture.File{Path: p, Data: []byte(d)})
	}
	sq := fixture.Squashfs(fs)
	const off = 0x10013
	return string(fixture.Blob(off+int64(len(sq))+0x800, 0xacc7, fixture.Part{Offset: off, Data: sq}))
}

func one(t *testing.T, r *finding.Report, rule, suffix string) finding.Finding {
	t.Helper()
	fs := analyzertest.Find(r, rule, suffix)
	if len(fs) != 1 {
		t.Fatalf("%d %s findings at *%s, want 1; all: %s", len(fs), rule, suffix, dump(r))
	}
	return fs[0]
}

func dump(r *finding.Report) string {
	var b strings.Builder
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "\n  %s %s %s:%d %s | %s", f.Rule, f.Severity, f.Location.Path, f.Location.Line, f.Message, f.Evidence)
	}
	return b.String()
}

// The Zyxel case (CVE-2020-29583): an undocumented account zyfwp whose
// password PrOw!aN_fXp was published, here with its MD5-crypt hash in
// shadow, joined to its passwd line inside a squashfs in a firmware blob.
func TestZyxelFirmware(t *testing.T) {
	zy := crypt.Crypt("PrOw!aN_fXp", "$1$zYx3lSa1$")
	strong := crypt.Crypt("c0rrect-h0rse-battery-staple-91", "$6$Lq8vT2rN$")
	r := analyzertest.Scan(t, all, map[string]string{"fw.bin": firmware(map[string]string{
		"etc/passwd": "root:x:0:0:root:/root:/bin/sh\nzyfwp:x:10007:10007:zyfwp:/tmp:/bin/sh\nnobody:x:99:99::/:/bin/false\n",
		"etc/shadow": "root:" + strong + ":18000:0:99999:7:::\nnobody:*:18000:0:99999:7:::\nzyfwp:" + zy + ":18000:0:99999:7:::\n",
		"etc/group":  "root:x:0:\nzyfwp:x:10007:zyfwp\nadmin:x:20:zyfwp\n",
	})})
	f := one(t, r, RuleDefault, "!/etc/shadow")
	if !strings.Contains(f.Location.Path, "fw.bin!/squashfs@0x10013!/") || f.Location.Line != 3 {
		t.Errorf("location = %+v", f.Location)
	}
	if f.Severity != finding.High || f.Category != finding.BackdoorAccount {
		t.Errorf("severity %s category %s", f.Severity, f.Category)
	}
	for _, want := range []string{"'zyfwp'", "UID 10007", "/bin/sh", "etc/shadow", "'Pr*********'", "md5crypt", "Zyxel"} {
		if !strings.Contains(f.Message, want) {
			t.Errorf("message lacks %q: %s", want, f.Message)
		}
	}
	if len(f.References) != 1 || f.References[0] != "https://nvd.nist.gov/vuln/detail/CVE-2020-29583" {
		t.Errorf("references = %v", f.References)
	}
	if f.Evidence != "zyfwp:$1$zYx3…:18000:0:99999:7:::" || strings.Contains(f.Message+f.Evidence, "PrOw!aN_fXp") || strings.Contains(f.Evidence, zy) {
		t.Errorf("evidence = %q", f.Evidence)
	}
	if n := len(analyzertest.AtLeast(r, finding.Medium)); n != 1 {
		t.Errorf("%d findings at medium or above, want 1:%s", n, dump(r))
	}
	inv, _ := r.Inventory["accounts"].([]InventoryAccount)
	if len(inv) != 3 {
		t.Fatalf("inventory = %+v", r.Inventory)
	}
	for _, a := range inv {
		switch a.Name {
		case "zyfwp":
			if !a.Cracked || !a.Login || a.Password != "hash:md5crypt" || *a.UID != 10007 || strings.Join(a.Groups, ",") != "zyfwp,admin" {
				t.Errorf("zyfwp inventory = %+v", a)
			}
		case "root":
			if a.Cracked || a.Password != "hash:sha512crypt" || *a.UID != 0 {
				t.Errorf("root inventory = %+v", a)
			}
		case "nobody":
			if a.Login || a.Password != "locked" {
				t.Errorf("nobody inventory = %+v", a)
			}
		}
	}
}

// The Mirai default root/xc3511 (Xiongmai DVRs) as a DES hash in the
// passwd field itself, as BusyBox systems without shadow keep it.
func TestMiraiDESInPasswd(t *testing.T) {
	h := crypt.Crypt("xc3511", "Xk")
	r := analyzertest.Scan(t, all, map[string]string{"dvr.bin": firmware(map[string]string{
		"etc/passwd": "root:" + h + ":0:0:root:/:/bin/sh\n",
	})})
	f := one(t, r, RuleDefault, "!/etc/passwd")
	if f.Severity != finding.Critical || f.Location.Line != 1 {
		t.Errorf("severity %s line %d", f.Severity, f.Location.Line)
	}
	for _, want := range []string{"'root'", "UID 0", "'x*****'", "descrypt", "Mirai"} {
		if !strings.Contains(f.Message, want) {
			t.Errorf("message lacks %q: %s", want, f.Message)
		}
	}
	if f.References[0] != "https://github.com/jgamblin/Mirai-Source-Code/blob/master/mirai/bot/scanner.c" {
		t.Errorf("references = %v", f.References)
	}
	if strings.Contains(f.Evidence, h) || strings.Contains(f.Message, "xc3511") {
		t.Errorf("secret leaked: %q / %q", f.Evidence, f.Message)
	}
}

// The demo router: root with an empty shadow password, admin a second
// UID-0 account.
func TestDemoRouter(t *testing.T) {
	r := analyzertest.Scan(t, all, map[string]string{"router.bin": string(fixture.DemoRouter())})
	e := one(t, r, RuleEmpty, "!/etc/shadow")
	if e.Severity != finding.Critical || e.Location.Line != 1 || !strings.Contains(e.Message, "'root'") {
		t.Errorf("empty: %+v", e)
	}
	x := one(t, r, RuleExtraRoot, "!/etc/passwd")
	if x.Severity != finding.High || x.Location.Line != 2 || !strings.Contains(x.Message, "'admin'") {
		t.Errorf("extra root: %+v", x)
	}
}

// A stock Debian passwd/shadow: locked system accounts, root:*, a user
// with a strong SHA-512 hash, a backup copy identical to the file. Nothing
// to report; and the dictionary check stays within its budget.
func TestDebianClean(t *testing.T) {
	strong := crypt.Crypt("Tr0ub4dor&3-unique-to-this-box", "$6$8Jd93kLq$")
	passwd := "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\nsync:x:4:65534:sync:/bin:/bin/sync\nsshd:x:105:65534::/run/sshd:/usr/sbin/nologin\nalice:x:1000:1000:Alice,,,:/home/alice:/bin/bash\n"
	shadow := "root:*:19500:0:99999:7:::\ndaemon:*:19500:0:99999:7:::\nbin:*:19500:0:99999:7:::\nsync:*:19500:0:99999:7:::\nsshd:!:19500::::::\nalice:" + strong + ":19500:0:99999:7:::\n"
	start := time.Now()
	r := analyzertest.Scan(t, all, map[string]string{
		"etc/passwd": passwd, "etc/shadow": shadow, "etc/passwd-": passwd, "etc/shadow-": shadow,
		"etc/group":      "root:x:0:\nsudo:x:27:alice\n",
		"usr/bin/passwd": "\x7fELF\x02\x01\x01\x00root:x:0:0:root:/root:/bin/sh\n",
	})
	if len(r.Findings) != 0 {
		t.Errorf("findings on a clean system:%s", dump(r))
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("took %v", d)
	}
	if inv, _ := r.Inventory["accounts"].([]InventoryAccount); len(inv) != 6 {
		t.Errorf("inventory has %d accounts, want 6 (backups not repeated)", len(inv))
	}
}

// Near-misses that must stay below high: an empty password on an account
// without a shell (medium: other services may still take it), account
// files in a docs folder (low), a backup that differs from the live file
// (medium), a locked extra UID-0 account (low).
func TestNearMisses(t *testing.T) {
	r := analyzertest.Scan(t, all, map[string]string{
		"etc/passwd":  "root:x:0:0:root:/root:/bin/sh\nftp:x:21:21::/srv/ftp:/sbin/nologin\ntoor:x:0:0:bsd:/root:/bin/sh\n",
		"etc/shadow":  "root:*:1::::::\nftp::1::::::\ntoor:*:1::::::\n",
		"etc/passwd-": "root:x:0:0:root:/root:/bin/sh\n",
		"etc/shadow-": "root::1::::::\n",
		"usr/share/doc/busybox/examples/etc/passwd": "root::0:0:root:/root:/bin/sh\n",
	})
	if hi := analyzertest.AtLeast(r, finding.High); len(hi) != 0 {
		t.Errorf("high findings:%s", dump(r))
	}
	if f := one(t, r, RuleEmpty, "/etc/shadow"); f.Severity != finding.Medium || !strings.Contains(f.Message, "'ftp'") {
		t.Errorf("nologin empty: %+v", f)
	}
	if f := one(t, r, RuleEmpty, "/etc/shadow-"); f.Severity != finding.Medium || !strings.Contains(f.Message, "backup") {
		t.Errorf("backup: %+v", f)
	}
	if f := one(t, r, RuleEmpty, "examples/etc/passwd"); f.Severity != finding.Low {
		t.Errorf("docs: %+v", f)
	}
	if f := one(t, r, RuleExtraRoot, "/etc/passwd"); f.Severity != finding.Low {
		t.Errorf("locked toor: %+v", f)
	}
}

// A shadow file alone (no passwd extracted beside it) is still checked.
func TestLoneShadow(t *testing.T) {
	r := analyzertest.Scan(t, all, map[string]string{"etc/shadow": "admin:" + crypt.Crypt("admin", "$5$rounds=1000$abc$") + ":1:::::\n"})
	f := one(t, r, RuleDefault, "etc/shadow")
	if f.Severity != finding.High || !strings.Contains(f.Message, "UID and shell unknown") {
		t.Errorf("%+v", f)
	}
}

func TestAuthorizedKeys(t *testing.T) {
	r := analyzertest.Scan(t, all, map[string]string{"cam.bin": firmware(map[string]string{
		"root/.ssh/authorized_keys":                 "# support access\n" + vagrantKey + "\n",
		"etc/dropbear/authorized_keys":              ownKey(1, "build@vendor.invalid") + "\n",
		"home/alice/.ssh/authorized_keys":           ownKey(2, "alice@example.com") + "\n",
		"usr/lib/python3/test/.ssh/authorized_keys": vagrantKey + "\n",
	})})
	k := one(t, r, RuleKnownKey, "!/root/.ssh/authorized_keys")
	if k.Severity != finding.Critical || k.Location.Line != 2 || !strings.Contains(k.Message, "anyone can log in") || !strings.Contains(k.Evidence, vagrantFingerprint) {
		t.Errorf("vagrant key: %+v", k)
	}
	if len(k.References) == 0 {
		t.Error("no reference")
	}
	if f := one(t, r, RuleAuthKey, "!/etc/dropbear/authorized_keys"); f.Severity != finding.High {
		t.Errorf("dropbear: %+v", f)
	}
	if f := one(t, r, RuleAuthKey, "!/home/alice/.ssh/authorized_keys"); f.Severity != finding.Medium {
		t.Errorf("alice: %+v", f)
	}
	if f := one(t, r, RuleKnownKey, "test/.ssh/authorized_keys"); f.Severity != finding.Low {
		t.Errorf("fixture: %+v", f)
	}
}

func TestWebUsers(t *testing.T) {
	r := analyzertest.Scan(t, all, map[string]string{
		"etc/lighttpd.user":  "admin:admin\noperator:Zq8!vLm2#pX\n",
		"www/.htpasswd":      "support:" + crypt.Crypt("support", "$apr1$Wq1x$") + "\nops:" + crypt.Crypt("n0t-in-any-list", "$apr1$Wq1y$") + "\n",
		"etc/boa/boa.passwd": "guest:" + crypt.Crypt("guest", "Gb") + "\n",
	})
	if f := one(t, r, RuleWebDefault, "etc/lighttpd.user"); f.Severity != finding.High || f.Evidence != "admin:a****" || f.Location.Line != 1 {
		t.Errorf("lighttpd: %+v", f)
	}
	if f := one(t, r, RuleWebDefault, "www/.htpasswd"); !strings.Contains(f.Message, "'support'") || !strings.Contains(f.Message, "apr1") {
		t.Errorf("htpasswd: %+v", f)
	}
	one(t, r, RuleWebDefault, "etc/boa/boa.passwd")
	if len(r.Findings) != 3 {
		t.Errorf("findings:%s", dump(r))
	}
}

// A hostile shadow: thousands of SHA-512 hashes with a billion rounds and
// bcrypt at cost 31. The budget refuses them; the scan ends quickly.
func TestHostileBudget(t *testing.T) {
	var b strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&b, "u%d:$6$rounds=999999999$s%d$abcdefghijklmnopqrstuvwxyz:1:::::\n", i, i)
		fmt.Fprintf(&b, "v%d:$2b$31$abcdefghijklmnopqrstuuuyveVbtT6iWiF7b/Q.DzWUWjlVWNl%02d:1:::::\n", i, i%100)
	}
	start := time.Now()
	r := analyzertest.Scan(t, all, map[string]string{"etc/shadow": b.String()})
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v", d)
	}
	if len(r.Findings) != 0 {
		t.Errorf("findings:%s", dump(r))
	}
}

// The global budget stops the work across hashes: a file of many
// distinct MD5-crypt hashes costs at most the budget.
func TestCrackerGlobalBudget(t *testing.T) {
	c := newCracker(defaultDictionary())
	c.global = 20 * crypt.Cost("$1$x$y")
	tried := 0
	for i := range 10 {
		h := crypt.Crypt(fmt.Sprint("unlisted-", i), fmt.Sprint("$1$s", i, "$"))
		if c.crack("root", h) != nil {
			t.Fatal("an unlisted password cracked")
		}
		tried++
	}
	if c.spent > c.global {
		t.Errorf("spent %d of %d", c.spent, c.global)
	}
	// Once spent, even a listed password is not tried: no claim either way.
	if c.crack("root", crypt.Crypt("xc3511", "$1$late$")) != nil {
		t.Error("cracked past the budget")
	}
	fresh := newCracker(defaultDictionary())
	if fresh.crack("root", crypt.Crypt("xc3511", "$1$late$")) == nil {
		t.Error("root/xc3511 not cracked with a fresh budget")
	}
}
