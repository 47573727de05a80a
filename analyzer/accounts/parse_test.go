package accounts

import (
	"strings"
	"testing"
)

func TestParsePasswd(t *testing.T) {
	// A BusyBox passwd with a DES hash in the passwd field itself, a
	// comment, a NIS include, a short line and a non-numeric UID.
	data := "# vendor\nroot:Xk0da/ogU2nlA:0:0:root:/root:/bin/sh\n+::::::\nbroken:x:0\nbad:x:zero:0::/:/bin/sh\r\nnobody:*:65534:65534:nobody:/nonexistent:\n"
	got := ParsePasswd([]byte(data))
	if len(got) != 2 {
		t.Fatalf("got %d entries: %+v", len(got), got)
	}
	r := got[0]
	if r.User != "root" || r.Password != "Xk0da/ogU2nlA" || r.UID != 0 || r.Shell != "/bin/sh" || r.Line.Line != 2 || r.Offset != 9 {
		t.Errorf("root = %+v", r)
	}
	if n := got[1]; n.User != "nobody" || n.Line.Line != 6 || n.Shell != "" {
		t.Errorf("nobody = %+v", n)
	}
}

func TestParseShadowGroupWeb(t *testing.T) {
	sh := ParseShadow([]byte("root:$6$abc$def:19000:0:99999:7:::\nadmin::19000::::::\nuser:x:1000:1000::/home/user:/bin/sh\njunk\n"))
	if len(sh) != 2 || sh[0].Password != "$6$abc$def" || sh[1].User != "admin" || sh[1].Password != "" || sh[1].Line.Line != 2 {
		t.Errorf("shadow = %+v", sh)
	}
	gr := ParseGroup([]byte("root:x:0:\nwheel:x:10:root,admin, ops\nbad:x:y:\n"))
	if len(gr) != 2 || gr[1].GID != 10 || strings.Join(gr[1].Members, ",") != "root,admin,ops" {
		t.Errorf("group = %+v", gr)
	}
	web := ParseWebUsers([]byte("admin:$apr1$abc$OH5apFdc8k9Op/fAtLfU8.\nuser:realm:0123456789abcdef\nguest:guest\n"))
	if len(web) != 2 || web[0].User != "admin" || web[1].Password != "guest" || web[1].Line.Line != 3 {
		t.Errorf("web = %+v", web)
	}
}

func TestParseAuthorizedKeys(t *testing.T) {
	keys := ParseAuthorizedKeys([]byte("# keys\n" + `no-pty,command="/bin/true" ` + vagrantKey + "\nnot a key\n"))
	if len(keys) != 1 || keys[0].Fingerprint != vagrantFingerprint || keys[0].Line.Line != 2 || keys[0].Comment != "vagrant insecure public key" {
		t.Errorf("keys = %+v", keys)
	}
}

func TestKindOf(t *testing.T) {
	for name, want := range map[string]fileKind{
		"etc/passwd":                      kindPasswd,
		"etc/passwd-":                     kindPasswd,
		"rootfs/etc/shadow":               kindShadow,
		"etc/config/passwd":               kindPasswd,
		"var/passwd":                      kindPasswd,
		"etc/group":                       kindGroup,
		"etc/boa/boa.passwd":              kindVendorPw,
		"root/.ssh/authorized_keys":       kindAuthKeys,
		"home/alice/.ssh/authorized_keys": kindAuthKeys,
		"etc/dropbear/authorized_keys":    kindAuthKeys,
		"etc/lighttpd.user":               kindWebPlain,
		"www/.htpasswd":                   kindHTPasswd,
		"usr/bin/passwd":                  kindNone,
		"usr/share/passwd":                kindNone,
		"authorized_keys":                 kindNone,
		"lib/foo.passwd":                  kindNone,
	} {
		if got := kindOf(name); got != want {
			t.Errorf("kindOf(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestPasswordState(t *testing.T) {
	for pw, want := range map[string]string{
		"": stateEmpty, "!": stateLocked, "*": stateLocked, "!!": stateLocked, "!$6$x$y": stateLocked, "*LK*": stateLocked,
		"Xk0da/ogU2nlA": "hash:descrypt", "$1$a$b": "hash:md5crypt", "$6$a$b": "hash:sha512crypt", "$2b$10$x": "hash:bcrypt",
		"$y$j9T$a$b": "hash:yescrypt", "NP": stateUnknown,
	} {
		if got := passwordState(pw); got != want {
			t.Errorf("passwordState(%q) = %q, want %q", pw, got, want)
		}
	}
	for sh, want := range map[string]bool{"/bin/sh": true, "": true, "/bin/ash": true, "/bin/false": false, "/usr/sbin/nologin": false, "/sbin/nologin": false, "/bin/sync": false} {
		if loginShell(sh) != want {
			t.Errorf("loginShell(%q) != %v", sh, want)
		}
	}
	for in, want := range map[string]string{"$1$Qd8H0sKv$5ClOwlSg.5rcFhAf0Jb1t/": "$1$Qd8H…", "Xk0da/ogU2nlA": "Xk0d…", "*": "*", "": "", "x": "x", "$6$rounds=5000$abc$def": "$6$roun…"} {
		if got := shortHash(in); got != want {
			t.Errorf("shortHash(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDictionary(t *testing.T) {
	d := defaultDictionary()
	mirai := 0
	for _, c := range d.Creds {
		if !strings.HasPrefix(c.Source.URL, "https://") {
			t.Errorf("%s/%s: source without URL", c.User, c.Password)
		}
		if c.Source.ID == "mirai" {
			mirai++
		}
	}
	// 62 rows in scanner.c, one of them a duplicate.
	if mirai != 61 {
		t.Errorf("%d Mirai credentials, want 61", mirai)
	}
	c := d.Candidates("zyfwp")
	if c[0].Password != "PrOw!aN_fXp" || c[0].Source.ID != "cve-2020-29583" {
		t.Errorf("first candidate for zyfwp = %+v", c[0])
	}
	seen := map[string]bool{}
	for _, x := range d.Candidates("root") {
		if seen[x.Password] {
			t.Errorf("candidate %q twice", x.Password)
		}
		seen[x.Password] = true
	}
	if _, err := ParseDictionary("cred\troot\tx\tnosuch\tn\n"); err == nil {
		t.Error("a credential without a source parsed")
	}
	if _, err := ParseDictionary("source\tx\thttp://example.com\td\n"); err == nil {
		t.Error("a source without https parsed")
	}
}
