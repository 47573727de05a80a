package scan_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/analyzers"
	"github.com/doorman-sec/doorman/artifact"
	_ "github.com/doorman-sec/doorman/artifact/formats" // every format, as the CLI has them
	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/rules"
	"github.com/doorman-sec/doorman/scan"
)

// BenchmarkScanFolder measures the whole engine (walk, detection, carving,
// the shared keyword pass, every analyzer with the built-in rules) over a
// generated folder of about 64 MiB: source-like and configuration text with
// a few planted secrets, and binaries (pseudo-random bytes with strings in
// them, as compiled code looks to a keyword scan). MB/s is over the
// folder's bytes. bench/run.sh measures the real CLI on a 1 GiB corpus;
// this is the quick loop for profiling:
//
//	go test -run '^$' -bench ScanFolder -cpuprofile cpu.out ./scan/
//	go tool pprof -top scan.test cpu.out
func BenchmarkScanFolder(b *testing.B) {
	dir := b.TempDir()
	size := benchFolder(b, dir, 64<<20)
	set, err := rules.Load()
	if err != nil {
		b.Fatal(err)
	}
	opt := scan.Options{
		Limits:    artifact.DefaultLimits(),
		Analyzers: analyzers.New(set),
		Tool:      finding.Tool{Name: "doorman", Version: "bench"},
	}
	b.SetBytes(size)
	b.ReportAllocs()
	var rep *finding.Report
	for b.Loop() {
		rep, err = scan.Run(context.Background(), []string{dir}, opt)
		if err != nil {
			b.Fatal(err)
		}
	}
	if len(rep.Findings) == 0 {
		b.Fatal("no finding: the planted secrets were missed")
	}
	b.ReportMetric(float64(len(rep.Findings)), "findings")
	b.ReportMetric(float64(rep.Stats.Bytes)/float64(size), "examined/read")
}

// benchFolder writes about size bytes under dir, deterministically: 70%
// text files of 1 to 64 KiB, 30% binaries of 256 KiB to 4 MiB. It returns
// the bytes written.
func benchFolder(b *testing.B, dir string, size int64) int64 {
	b.Helper()
	r := rand.New(rand.NewPCG(7, 11))
	var total int64
	write := func(rel string, data []byte) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			b.Fatal(err)
		}
		total += int64(len(data))
	}
	for i := 0; total < size*7/10; i++ {
		ext := textExt[i%len(textExt)]
		n, secret := 1<<10+r.IntN(63<<10), i%60 == 7
		var data []byte
		if i%4 == 3 {
			ext = configExt[i%len(configExt)]
			data = benchConfig(r, n/4, ext, secret)
		} else {
			data = benchText(r, n, secret)
		}
		write(fmt.Sprintf("src/pkg%03d/file%05d%s", i%150, i, ext), data)
	}
	for i := 0; total < size; i++ {
		write(fmt.Sprintf("bin/tool%03d", i), benchBinary(r, 256<<10+r.IntN(3840<<10)))
	}
	return total
}

var (
	textExt   = []string{".go", ".c", ".js", ".py", ".java", ".rs", ".md"}
	configExt = []string{".yaml", ".conf", ".json"}
)

var benchWords = []string{"config", "value", "handler", "request", "response", "client", "server", "timeout",
	"retry", "buffer", "index", "token", "user", "name", "path", "password", "key", "secret", "session", "cache",
	"conn", "reader", "writer", "entry", "node", "list", "count", "offset", "limit", "state"}

// benchText is code-like text: statements over camelCase identifiers, some
// of which hold the words a secret scanner keys on ("password", "token",
// "secret", "key"), so the keyword pass hits and the confirmation step runs
// and rejects, as in real code; and a planted secret when secret is set.
func benchText(r *rand.Rand, n int, secret bool) []byte {
	var buf bytes.Buffer
	for buf.Len() < n {
		for range r.IntN(4) {
			buf.WriteByte('\t')
		}
		a, c, d := benchIdent(r), benchIdent(r), benchIdent(r)
		switch r.IntN(6) {
		case 0:
			fmt.Fprintf(&buf, "if err := %s.%s(ctx, %s); err != nil {\n", a, strings.ToUpper(c[:1])+c[1:], d)
		case 1:
			fmt.Fprintf(&buf, "%s := %s.%s(%s)\n", a, c, strings.ToUpper(d[:1])+d[1:], benchIdent(r))
		case 2:
			fmt.Fprintf(&buf, "// %s returns the %s of the %s, or nil when %s is unset.\n", a, c, d, benchIdent(r))
		case 3:
			fmt.Fprintf(&buf, "return %s, fmt.Errorf(\"%s %s: %%w\", err)\n", a, c, d)
		case 4:
			fmt.Fprintf(&buf, "for _, %s := range %s.%s {\n", a, c, d)
		default:
			fmt.Fprintf(&buf, "%s: %s.%s,\n", strings.ToUpper(a[:1])+a[1:], c, d)
		}
	}
	if secret {
		fmt.Fprintf(&buf, "aws_access_key_id = AKIA%s\ngithub_token = \"ghp_%s\"\n", randFrom(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16), randFrom(r, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 36))
	}
	return buf.Bytes()
}

// benchConfig is a configuration file: settings whose credentials, as in
// well-kept configuration, name environment variables or files; and a
// planted secret when secret is set.
func benchConfig(r *rand.Rand, n int, ext string, secret bool) []byte {
	var buf bytes.Buffer
	line := func(k, v string) {
		switch ext {
		case ".json":
			fmt.Fprintf(&buf, "  %q: %q,\n", k, v)
		case ".conf":
			fmt.Fprintf(&buf, "%s = %s\n", k, v)
		default:
			fmt.Fprintf(&buf, "  %s: %s\n", k, v)
		}
	}
	for buf.Len() < n {
		k := benchWords[r.IntN(len(benchWords))] + "_" + benchWords[r.IntN(len(benchWords))]
		switch r.IntN(4) {
		case 0:
			line(k, fmt.Sprint(r.IntN(65536)))
		case 1:
			line(k, "${"+strings.ToUpper(k)+"}")
		case 2:
			line(k, "/etc/app/"+benchWords[r.IntN(len(benchWords))]+".conf")
		default:
			line(k, fmt.Sprintf("%ds", 1+r.IntN(300)))
		}
	}
	if secret {
		line("aws_access_key_id", "AKIA"+randFrom(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16))
	}
	return buf.Bytes()
}

// benchIdent is a camelCase identifier of one or two words.
func benchIdent(r *rand.Rand) string {
	w := benchWords[r.IntN(len(benchWords))]
	if r.IntN(2) == 0 {
		x := benchWords[r.IntN(len(benchWords))]
		w += strings.ToUpper(x[:1]) + x[1:]
	}
	return w
}

// benchBinary is pseudo-random bytes with a printable string every few
// hundred bytes, as symbol tables and messages sit in compiled code.
func benchBinary(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := 0; i+8 <= n; i += 8 {
		v := r.Uint64()
		for j := range 8 {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	for off := r.IntN(512); off+64 < n; off += 128 + r.IntN(768) {
		s := fmt.Sprintf("%s_%s: %s\x00", benchWords[r.IntN(len(benchWords))], benchWords[r.IntN(len(benchWords))], benchWords[r.IntN(len(benchWords))])
		copy(b[off:], s)
	}
	return b
}

func randFrom(r *rand.Rand, set string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = set[r.IntN(len(set))]
	}
	return string(b)
}
