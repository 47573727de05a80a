package bootsvc

import (
	"strings"
	"testing"
	"time"
)

func FuzzParseInittab(f *testing.F) {
	f.Add([]byte(busyboxInittab))
	f.Add([]byte("id:2:initdefault:\nl2:2:wait:/etc/init.d/rc 2\nttyS0::respawn:-/bin/sh\n"))
	f.Add([]byte(":::\n::::\n\x00:\xff:respawn:\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, e := range ParseInittab(data) {
			if e.Line < 1 || e.Action == "" {
				t.Fatalf("bad entry %+v", e)
			}
			if e.terminal() == "" {
				t.Fatalf("no terminal: %+v", e)
			}
			if d := consoleShell(e, strings.Fields(e.Process)); d != nil && (!e.respawns() && e.Action != "once") {
				t.Fatalf("console shell for %+v", e)
			}
		}
	})
}

// FuzzParseScript feeds arbitrary bytes to the shell reader and runs the
// classification over everything it returns: no panic, bounded output.
func FuzzParseScript(f *testing.F) {
	f.Add([]byte(rcSLoop))
	f.Add([]byte(openwrtTelnet))
	f.Add([]byte("X=${Y:-$(a)}; $X -l /bin/sh & f() { f; }; f; sh -c 'eval \"nc -lp 1 -e sh\"'\n"))
	f.Add([]byte("case $1 in st*) a|b|c ;; esac; for i in /etc/*; do . $i; done"))
	f.Add([]byte("((((((((((((((((((((((((((((((("))
	f.Fuzz(func(t *testing.T, data []byte) {
		s := ParseScript(data)
		n := len(s.Top)
		check := func(cs []Cmd) {
			for _, c := range cs {
				if len(c.Text) > maxTextLen+4 {
					t.Fatalf("text too long: %d", len(c.Text))
				}
				classify(c.Args, c.Pipe)
				unwrap(c.Args)
				daemonish(c.Args)
			}
		}
		check(s.Top)
		for _, b := range s.Funcs {
			n += len(b)
			check(b)
		}
		if n > maxCmds*2 {
			t.Fatalf("%d commands", n)
		}
	})
}

// FuzzConfigs feeds the same bytes to every other boot-file reader.
func FuzzConfigs(f *testing.F) {
	f.Add([]byte("[Service]\nExecStart=-/usr/sbin/in.telnetd \\\n -l /bin/sh\n[Socket]\nListenStream=23\n"))
	f.Add([]byte("service telnet\n{\n disable = no\n server = /usr/sbin/in.telnetd\n}\n"))
	f.Add([]byte("telnet stream tcp nowait root /usr/sbin/tcpd in.telnetd\n"))
	f.Add([]byte("on boot\n setprop service.adb.tcp.port 5555\nservice x /bin/x\n disabled\n exec -- /bin/y\n"))
	f.Add([]byte("config dropbear\n option PasswordAuth 'on'\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		u := ParseUnit(unitBase("lib/systemd/system/x.service.d/y.conf"), data)
		for _, c := range u.Exec {
			classify(c.Args, c.Pipe)
		}
		for _, s := range append(ParseInetd(data), ParseXinetd(data)...) {
			classify(s.Cmd.Args, s.Cmd.Pipe)
		}
		ParseUCI(data)
		ParseSSHD(data)
		rootPasswordEmpty(data)
		for _, p := range ParseProps(data) {
			propPort(p.Value)
		}
		rc := ParseRC(data)
		for _, s := range rc.Services {
			classify(s.Cmd.Args, nil)
		}
	})
}

// TestHostileScripts: recursion, source loops, symlink loops, deep nesting
// and a very long line finish quickly without a panic.
func TestHostileScripts(t *testing.T) {
	start := time.Now()
	deep := strings.Repeat("if true; then ", 3000) + "telnetd -l /bin/sh" + strings.Repeat("; fi", 3000) + "\n"
	parens := strings.Repeat("(", 20000) + "\n"
	long := "echo " + strings.Repeat("A", 500000) + "\n"
	many := strings.Repeat("f() { g; }; g() { f; }; f\n", 2000)
	rep := scanTree(t, tree{files: map[string]string{
		"etc/inittab":     "::sysinit:/etc/init.d/rcS\n" + strings.Repeat("::respawn:/etc/init.d/rcS\n", 200),
		"etc/init.d/rcS":  "#!/bin/sh\n. /etc/init.d/a\nf() { f; }\nf\nfor i in /etc/init.d/*; do $i; done\n/etc/init.d/rcS\n",
		"etc/init.d/a":    "#!/bin/sh\n. /etc/init.d/b\n" + many,
		"etc/init.d/b":    "#!/bin/sh\n. /etc/init.d/a\n/etc/init.d/S99loop start\n",
		"etc/init.d/deep": "#!/bin/sh\n" + deep,
		"etc/init.d/par":  "#!/bin/sh\n" + parens,
		"etc/init.d/long": "#!/bin/sh\n" + long,
	}, links: map[string]string{"etc/init.d/S99loop": "S99loop", "etc/init.d/S98x": "S97y", "etc/init.d/S97y": "S98x"}})
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("took %v", d)
	}
	for _, e := range rep.Errors {
		if strings.Contains(e.Error, "internal error") {
			t.Errorf("panic: %s", e.Error)
		}
	}
}
