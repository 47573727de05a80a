package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/analyzer/lockfile"
)

func TestScanGoModCacheFlag(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.sum"), []byte("example.com/m v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"), 0o644)
	var out, errb bytes.Buffer
	if code := Main([]string{"scan", dir, "--go-mod-cache", filepath.Join(dir, "nope"), "--quiet"}, &out, &errb); code != ExitError || !strings.Contains(errb.String(), "not a Go module cache") {
		t.Fatalf("a folder that is no module cache: exit %d, %s", code, errb.String())
	}
	cache := t.TempDir()
	os.MkdirAll(filepath.Join(cache, "cache", "download"), 0o755)
	t.Cleanup(func() { lockfile.GoModCache = "" })
	if code := Main([]string{"scan", dir, "--go-mod-cache", cache, "--quiet", "--fail-on", "none"}, &out, &errb); code != ExitClean || lockfile.GoModCache != cache {
		t.Fatalf("exit %d, cache %q: %s", code, lockfile.GoModCache, errb.String())
	}
}

func TestGoProxyChoice(t *testing.T) {
	for in, want := range map[string]string{
		"":                                   "https://proxy.golang.org",
		"direct":                             "https://proxy.golang.org",
		"https://goproxy.example.com,direct": "https://goproxy.example.com",
		"off|https://p.example.com":          "https://p.example.com",
	} {
		if got := goProxy(in); got != want {
			t.Errorf("GOPROXY=%q: %q, want %q", in, got, want)
		}
	}
}
