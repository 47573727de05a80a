package lockfile

import (
	"testing"

	"github.com/doorman-sec/doorman/analyzer"
	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/finding"
)

// FuzzLockfiles feeds arbitrary bytes to every lockfile parser; none may
// panic, and findings stay bounded.
func FuzzLockfiles(f *testing.F) {
	f.Add([]byte(`{"lockfileVersion":3,"packages":{"node_modules/a":{"resolved":"http://x","integrity":"sha512-"}}}`))
	f.Add([]byte("a@^1:\n  resolved \"https://registry.yarnpkg.com/a.tgz#zz\"\n  integrity sha1-\n"))
	f.Add([]byte("packages:\n  /a@1(b@2):\n    resolution: {tarball: 'git://x'}\n"))
	f.Add([]byte("-i http://x\nfoo==1 \\\n --hash=sha256:0\n--extra-index-url\n"))
	f.Add([]byte("[[package]]\nname = \"x\"\nsource = \"git+http://x\"\n"))
	f.Add([]byte("example.com/x v1.0.0 h1:AAAA\n\n a b\n"))
	names := []string{"package-lock.json", "yarn.lock", "pnpm-lock.yaml", "requirements.txt", "Cargo.lock", "go.sum"}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, n := range names {
			e := &artifact.Entry{Target: "t", Path: "t/" + n, Name: n, Kind: artifact.KindText, Size: int64(len(data))}
			s := analyzer.NewShared(e, nil, data)
			count := 0
			p := analyzer.NewPass(Analyzer, s, nil, func(finding.Finding) { count++ }, func(analyzer.Fact) {})
			Analyzer.Run(p)
			if count > 20*maxFindings {
				t.Fatalf("%s: %d findings", n, count)
			}
		}
	})
}
