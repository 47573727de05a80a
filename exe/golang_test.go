package exe

import (
	"strings"
	"testing"
)

func TestGoBinaries(t *testing.T) {
	cases := []struct {
		name, src string
		have      []CapName
		lack      []CapName
		pkgs      []string
	}{
		{"hello", goHello, nil, []CapName{CapNetListen, CapNetConnect, CapExec, CapDupFD, CapSelfUpdate, CapShell}, []string{"fmt", "main", "runtime"}},
		{"listener", goListener, []CapName{CapNetListen}, []CapName{CapNetConnect, CapExec}, []string{"net", "io"}},
		{"dialer", goDialer, []CapName{CapNetConnect}, []CapName{CapNetListen, CapExec}, []string{"net"}},
		{"backdoor", goBackdoor, []CapName{CapNetListen, CapExec, CapShell}, []CapName{CapNetConnect}, []string{"os/exec", "net"}},
		{"updater", goUpdater, []CapName{CapNetConnect, CapExec, CapSelfUpdate}, []CapName{CapNetListen}, []string{"net/http", "os/exec"}},
	}
	for _, goarch := range []string{"amd64", "mipsle", "arm", "arm64"} {
		for _, stripped := range []bool{false, true} {
			for _, c := range cases {
				if goarch != "amd64" && (c.name != "backdoor" || !stripped) {
					// Building the standard library for another
					// architecture is slow; one stripped build each
					// checks that nothing depends on amd64.
					continue
				}
				label := c.name + "/" + goarch
				if stripped {
					label += "/stripped"
				}
				t.Run(label, func(t *testing.T) {
					in := parseFile(t, buildGo(t, c.name, c.src, goarch, stripped))
					if in.Go == nil {
						t.Fatalf("not recognised as Go: %+v", in)
					}
					if !strings.HasPrefix(in.Go.Version, "go1.") || in.Go.Main != "example.org/"+c.name {
						t.Errorf("build info %+v", in.Go)
					}
					if in.Stripped != stripped || in.Linkage != "static" {
						t.Errorf("stripped=%v linkage=%s", in.Stripped, in.Linkage)
					}
					for _, p := range c.pkgs {
						if !hasString(in.Go.Packages, p) {
							t.Errorf("package %s missing from %v", p, in.Go.Packages)
						}
					}
					wantCaps(t, label, in, c.have, c.lack)
				})
			}
		}
	}
}

func TestGoPackage(t *testing.T) {
	for fn, want := range map[string]string{
		"net/http.(*Client).Do":              "net/http",
		"main.main.func1":                    "main",
		"gopkg.in/yaml%2ev3.Marshal":         "gopkg.in/yaml.v3",
		"github.com/a/b.F[...]":              "github.com/a/b",
		"slices.Sort[go.shape.int]":          "slices",
		"type:.eq.[2]interface {}":           "",
		"go:buildid":                         "",
		"runtime.gcenable":                   "runtime",
		"vendor/golang.org/x/net/dns.(*P).F": "vendor/golang.org/x/net/dns",
	} {
		if got := goPackage(fn); got != want {
			t.Errorf("goPackage(%q) = %q, want %q", fn, got, want)
		}
	}
}
