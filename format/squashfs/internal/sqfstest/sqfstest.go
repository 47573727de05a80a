// Package sqfstest holds test support shared by the squashfs reader and
// writer tests: the fixture tree, data generators and the rule for tests
// that need squashfs-tools.
package sqfstest

import (
	"bytes"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"testing"

	"github.com/doorman-sec/doorman/format/squashfs/sqfswrite"
)

// RequireTool returns the path of an external tool. Without it the test is
// skipped, except under CI=true where a missing tool is a broken setup.
func RequireTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s not found but CI=true: install squashfs-tools", name)
		}
		t.Skipf("%s not found; install squashfs-tools to run this test", name)
	}
	return p
}

// Text returns n bytes of compressible but varied text.
func Text(seed uint64, n int) []byte {
	words := []string{"squash", "firmware", "busybox", "root", "etc", "passwd", "lib", "init", "\n", "0x1f", " "}
	r := rand.New(rand.NewPCG(seed, 1))
	var b bytes.Buffer
	for b.Len() < n {
		b.WriteString(words[r.IntN(len(words))])
		b.WriteByte(' ')
	}
	return b.Bytes()[:n]
}

// Noise returns n incompressible bytes.
func Noise(seed uint64, n int) []byte {
	r := rand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8)})
	b := make([]byte, n)
	_, _ = r.Read(b)
	return b
}

// FixtureBlockSize is the block size the fixture is meant for: its larger
// files then span several blocks and end in fragments.
const FixtureBlockSize = 4096

// Fixture is a small tree covering every entry type: nested and implicit
// directories, a setuid file spanning blocks, a symlink, devices, a fifo,
// a socket, an empty file, incompressible data, a sparse file and a sticky
// directory, with a few owners.
func Fixture() []sqfswrite.Entry {
	sparse := make([]byte, 5*FixtureBlockSize+10)
	copy(sparse[2*FixtureBlockSize:], "not all zero")
	return []sqfswrite.Entry{
		{Path: "bin/busybox", Mode: fs.ModeSetuid | 0o755, Data: Text(1, 3*FixtureBlockSize+1000)},
		{Path: "bin/sh", Mode: fs.ModeSymlink | 0o777, LinkTarget: "busybox"},
		{Path: "dev/console", Mode: fs.ModeDevice | fs.ModeCharDevice | 0o600, Rdev: 5<<8 | 1},
		{Path: "dev/sda", Mode: fs.ModeDevice | 0o660, Rdev: 8 << 8, GID: 6},
		{Path: "dev/initctl", Mode: fs.ModeNamedPipe | 0o600},
		{Path: "dev/log", Mode: fs.ModeSocket | 0o666},
		{Path: "etc/passwd", Mode: 0o644, Data: []byte("root:x:0:0:root:/root:/bin/sh\n")},
		{Path: "etc/shadow", Mode: 0o600, Data: []byte("root::0:0:99999:7:::\n"), GID: 42},
		{Path: "etc/empty", Mode: 0o644},
		{Path: "home/user/.profile", Mode: 0o644, Data: Text(2, 700), UID: 1000, GID: 1000},
		{Path: "lib/firmware.bin", Mode: 0o644, Data: Noise(3, FixtureBlockSize+123)},
		{Path: "tmp", Mode: fs.ModeDir | fs.ModeSticky | 0o777},
		{Path: "var/sparse.img", Mode: 0o644, Data: sparse},
	}
}

// ImplicitDirs lists the directories Fixture creates without naming them.
var ImplicitDirs = []string{"bin", "dev", "etc", "home", "home/user", "lib", "var"}
