package exe

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Fixtures are compiled by the tests from the sources below, with the
// host gcc, Debian's cross compilers and the Go toolchain. A missing
// compiler skips the test locally and fails it when CI=true.

var (
	fixtureDir  string
	fixtureMu   sync.Mutex
	fixtureDone = map[string]string{}
)

func TestMain(m *testing.M) {
	d, err := os.MkdirTemp("", "exe-fixtures-")
	if err != nil {
		panic(err)
	}
	fixtureDir = d
	code := m.Run()
	os.RemoveAll(d)
	os.Exit(code)
}

// needTool returns the path of a tool or skips (fails under CI).
func needTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not installed (Debian: gcc gcc-mipsel-linux-gnu gcc-arm-linux-gnueabi gcc-aarch64-linux-gnu gcc-mingw-w64-x86-64 busybox-static)", name)
		}
		t.Skipf("%s is not installed", name)
	}
	return p
}

// buildC compiles src with cc and flags, once per combination.
func buildC(t testing.TB, cc, name, src string, flags ...string) string {
	t.Helper()
	tool := needTool(t, cc)
	key := cc + "|" + name + "|" + strings.Join(flags, " ")
	fixtureMu.Lock()
	defer fixtureMu.Unlock()
	if p, ok := fixtureDone[key]; ok {
		return p
	}
	base := strings.NewReplacer("|", "_", " ", "_", "/", "_", "=", "_").Replace(key)
	srcPath := filepath.Join(fixtureDir, name+".c")
	if err := os.WriteFile(srcPath, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(fixtureDir, base)
	args := append([]string{"-O1", "-o", out, srcPath}, flags...)
	if b, err := exec.Command(tool, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", cc, strings.Join(args, " "), err, b)
	}
	if _, err := os.Stat(out); err != nil {
		os.Rename(out+".exe", out) // MinGW appends .exe
	}
	fixtureDone[key] = out
	return out
}

// buildGo cross-compiles a Go program (CGO_ENABLED=0).
func buildGo(t testing.TB, name, src, goarch string, stripped bool) string {
	t.Helper()
	gotool := filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	if _, err := os.Stat(gotool); err != nil {
		gotool = needTool(t, "go")
	}
	key := "go|" + name + "|" + goarch + "|" + map[bool]string{true: "s", false: "u"}[stripped]
	fixtureMu.Lock()
	defer fixtureMu.Unlock()
	if p, ok := fixtureDone[key]; ok {
		return p
	}
	dir := filepath.Join(fixtureDir, "go-"+name)
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644)
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.org/"+name+"\n\ngo 1.22\n"), 0o644)
	out := filepath.Join(fixtureDir, strings.ReplaceAll(key, "|", "_"))
	args := []string{"build", "-trimpath", "-o", out}
	if stripped {
		args = append(args, "-ldflags=-s -w")
	}
	cmd := exec.Command(gotool, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH="+goarch, "CGO_ENABLED=0", "GOTOOLCHAIN=local", "GOFLAGS=-mod=mod", "GOWORK=off")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s for %s: %v\n%s", name, goarch, err, b)
	}
	fixtureDone[key] = out
	return out
}

// parseFile runs Parse on a file.
func parseFile(t testing.TB, path string) *Info {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	info, err := Parse(f, st.Size())
	if err != nil {
		t.Fatalf("Parse(%s): %v", path, err)
	}
	return info
}

func capOf(in *Info, name CapName) *Capability {
	for i := range in.Capabilities {
		if in.Capabilities[i].Name == name {
			return &in.Capabilities[i]
		}
	}
	return nil
}

// wantCaps checks which capabilities are present and which absent.
func wantCaps(t *testing.T, label string, in *Info, have []CapName, lack []CapName) {
	t.Helper()
	for _, c := range have {
		if capOf(in, c) == nil {
			t.Errorf("%s: no %s; capabilities %+v", label, c, in.Capabilities)
		}
	}
	for _, c := range lack {
		if cp := capOf(in, c); cp != nil {
			t.Errorf("%s: unexpected %s (evidence %v)", label, c, cp.Evidence)
		}
	}
}

func hasString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
