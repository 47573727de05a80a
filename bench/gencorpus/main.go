// Command gencorpus builds the throughput benchmark corpus of bench/run.sh:
// a folder of at least -size bytes that mixes what doorman meets in real
// audits.
//
//	source/    copies of Go's own source tree ($(go env GOROOT)/src), each
//	           with a few planted secrets
//	config/    synthetic service configuration (YAML, INI, .env, JSON, XML,
//	           properties), about one file in 40 holding a planted secret
//	bin/       copies of ELF executables and libraries from /usr/bin and
//	           /usr/lib (each at most 32 MiB, in lexical order)
//	archives/  tar.gz and zip files of Go source subtrees, each with a
//	           planted .env
//	firmware/  a raw router image: a uImage-wrapped gzip kernel at offset 0,
//	           a squashfs root file system at an odd offset and a gzip'd
//	           tar configuration backup at another, in pseudo-random filler
//
// The shares are about 4% config, 25% binaries, 10% archives (compressed
// bytes), one 64 MiB firmware image (size/8 for corpora under 512 MiB), and
// source copies for the rest, so the total is reached whatever the machine
// has in /usr. Synthetic content comes from fixed seeds (-seed): given the
// same Go installation and the same /usr, two runs write identical trees.
//
// The corpus is written to DIR.partial and renamed to DIR at the end, so a
// DIR that exists is complete.
//
// Usage:
//
//	go run ./bench/gencorpus -o bench/out/corpus -size 1G
package main

import (
	"bytes"
	"debug/elf"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/doorman-sec/doorman/internal/fixture"
)

func main() {
	var (
		out    = flag.String("o", "", "output `DIR` (must not exist unless -force)")
		sizeS  = flag.String("size", "1G", "corpus `SIZE` at least (bytes, or with K, M, G suffix: binary units)")
		seed   = flag.Uint64("seed", 1, "seed of the synthetic content")
		goroot = flag.String("goroot", "", "Go installation whose src/ is copied (default: go env GOROOT)")
		bins   = flag.String("bins", "/usr/bin:/usr/lib", "colon-separated folders to copy ELF files from")
		force  = flag.Bool("force", false, "replace DIR if it exists")
	)
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: gencorpus -o DIR [-size 1G] [-seed N]\n\nBuilds the doorman throughput benchmark corpus (see bench/README.md).\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	size, err := parseSize(*sizeS)
	if err != nil || size < 16<<20 {
		fatalf("bad -size %q: want at least 16M (e.g. 200M, 1G)", *sizeS)
	}
	if *goroot == "" {
		*goroot = findGOROOT()
	}
	if _, err := os.Stat(*out); err == nil {
		if !*force {
			fatalf("%s exists; remove it or use -force", *out)
		}
		must(os.RemoveAll(*out))
	}
	tmp := *out + ".partial"
	must(os.RemoveAll(tmp))
	must(os.MkdirAll(tmp, 0o755))

	g := &gen{root: tmp, seed: *seed, parts: map[string]*tally{}}
	// The corpus holds Go source trees: its own go.mod makes it a module of
	// its own, so "./..." in the repository around it never reaches them.
	g.write("meta", "go.mod", []byte("// The doorman benchmark corpus (bench/gencorpus); not a real module.\nmodule doorman.bench/corpus\n"))
	start := time.Now()
	srcFiles := listTree(filepath.Join(*goroot, "src"))
	if len(srcFiles) == 0 {
		fatalf("no files under %s/src: pass -goroot", *goroot)
	}
	elfs := listELF(strings.Split(*bins, ":"), 32<<20)

	fwSize := int64(64 << 20)
	if size < 512<<20 {
		fwSize = (size / 8) &^ (1<<20 - 1)
	}
	g.firmware(fwSize, srcFiles, elfs)
	g.configs(size * 4 / 100)
	g.binaries(size*25/100, elfs)
	g.archives(size*10/100, srcFiles)
	g.sources(size-g.total, srcFiles) // the rest, so the total is reached

	must(os.Rename(tmp, *out))
	g.summary(os.Stdout, *out, time.Since(start))
}

// tally counts what one part of the corpus holds.
type tally struct{ files, bytes int64 }

type gen struct {
	root  string
	seed  uint64
	total int64
	parts map[string]*tally
	order []string
}

func (g *gen) rng(part uint64) *rand.Rand { return rand.New(rand.NewPCG(g.seed, part)) }

// write creates rel under the corpus with data.
func (g *gen) write(part, rel string, data []byte) {
	p := filepath.Join(g.root, filepath.FromSlash(rel))
	must(os.MkdirAll(filepath.Dir(p), 0o755))
	must(os.WriteFile(p, data, 0o644))
	g.count(part, int64(len(data)))
}

// copyFile copies src to rel under the corpus (real bytes, never a link, so
// every copy is read from its own pages).
func (g *gen) copyFile(part, rel, src string) int64 {
	p := filepath.Join(g.root, filepath.FromSlash(rel))
	must(os.MkdirAll(filepath.Dir(p), 0o755))
	in, err := os.Open(src)
	must(err)
	defer in.Close()
	o, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	must(err)
	n, err := io.Copy(o, in)
	must(err)
	must(o.Close())
	g.count(part, n)
	return n
}

func (g *gen) count(part string, n int64) {
	t := g.parts[part]
	if t == nil {
		t = &tally{}
		g.parts[part] = t
		g.order = append(g.order, part)
	}
	t.files++
	t.bytes += n
	g.total += n
}

func (g *gen) summary(w io.Writer, dir string, took time.Duration) {
	fmt.Fprintf(w, "corpus %s: %d bytes (%.1f MiB) in %s\n", dir, g.total, float64(g.total)/(1<<20), took.Round(time.Second))
	for _, p := range g.order {
		t := g.parts[p]
		fmt.Fprintf(w, "  %-10s %7d files %10.1f MiB\n", p, t.files, float64(t.bytes)/(1<<20))
	}
}

// ---- inputs from the machine ----

type srcFile struct {
	rel  string // slash-separated, relative to GOROOT/src
	abs  string
	size int64
}

// listTree returns the regular files under dir in lexical order (symlinks
// and special files are skipped).
func listTree(dir string) []srcFile {
	var out []srcFile
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, srcFile{rel: filepath.ToSlash(rel), abs: p, size: info.Size()})
		return nil
	})
	return out
}

// listELF returns the ELF regular files under dirs, at most maxSize bytes
// each, once per inode, in lexical order.
func listELF(dirs []string, maxSize int64) []srcFile {
	var out []srcFile
	seen := map[[2]uint64]bool{}
	for _, dir := range dirs {
		_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return nil
			}
			info, err := d.Info()
			if err != nil || info.Size() < 1024 || info.Size() > maxSize {
				return nil
			}
			if st, ok := info.Sys().(*syscall.Stat_t); ok {
				k := [2]uint64{uint64(st.Dev), uint64(st.Ino)}
				if seen[k] {
					return nil
				}
				seen[k] = true
			}
			if !isELF(p) {
				return nil
			}
			out = append(out, srcFile{rel: strings.TrimPrefix(p, "/"), abs: p, size: info.Size()})
			return nil
		})
	}
	return out
}

func isELF(p string) bool {
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	var m [4]byte
	_, err = io.ReadFull(f, m[:])
	return err == nil && string(m[:]) == elf.ELFMAG
}

func findGOROOT() string {
	if b, err := exec.Command("go", "env", "GOROOT").Output(); err == nil {
		if s := strings.TrimSpace(string(b)); s != "" {
			return s
		}
	}
	fatalf("cannot run `go env GOROOT`: pass -goroot")
	return ""
}

// ---- parts ----

// sources copies GOROOT/src as source/goN/ until budget bytes are written,
// planting a few secrets in each copy.
func (g *gen) sources(budget int64, files []srcFile) {
	r := g.rng(1)
	var done int64
	for c := 1; done < budget; c++ {
		base := fmt.Sprintf("source/go%d/", c)
		// Each copy is its own module (as GOROOT/src is), whatever part of
		// it is copied: go.mod first.
		if gomod := findFile(files, "go.mod"); gomod != nil {
			done += g.copyFile("source", base+"go.mod", gomod.abs)
		} else {
			g.write("source", base+"go.mod", []byte("module std\n"))
		}
		for _, s := range plantedSourceFiles(r, c) {
			g.write("source", base+s.Path, s.Data)
			done += int64(len(s.Data))
		}
		for _, f := range files {
			if done >= budget {
				break
			}
			if f.rel == "go.mod" {
				continue
			}
			done += g.copyFile("source", base+f.rel, f.abs)
		}
	}
}

func findFile(files []srcFile, rel string) *srcFile {
	for i := range files {
		if files[i].rel == rel {
			return &files[i]
		}
	}
	return nil
}

// plantedSourceFiles are the secrets planted in a source copy: the kinds a
// developer commits by mistake.
func plantedSourceFiles(r *rand.Rand, copy int) []fixture.File {
	return []fixture.File{
		{Path: "internal/deploy/credentials.go", Data: fmt.Appendf(nil,
			"package deploy\n\n// Credentials used by the release job. TODO: move to the vault.\nconst (\n\tgithubToken = %q\n\tslackHook   = %q\n)\n",
			"ghp_"+alnum(r, 36), "xoxb-"+digits(r, 11)+"-"+digits(r, 12)+"-"+alnum(r, 24))},
		{Path: "internal/deploy/.env", Data: fmt.Appendf(nil,
			"# release environment\nAWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=%s\nSTRIPE_API_KEY=sk_live_%s\n",
			awsKeyID(r), base64ish(r, 40), alnum(r, 24))},
		{Path: "internal/deploy/keys/signing.pem", Data: fixture.PKCS8Key(byte(copy))},
	}
}

// configs writes synthetic service configuration until budget bytes.
func (g *gen) configs(budget int64) {
	r := g.rng(2)
	var done int64
	kinds := []string{"app.yaml", ".env", "settings.ini", "config.json", "server.xml", "application.properties", "docker-compose.yml"}
	for i := 0; done < budget; i++ {
		kind := kinds[i%len(kinds)]
		secret := i%40 == 17
		data := configFile(r, kind, secret)
		svc := i / len(kinds)
		g.write("config", fmt.Sprintf("config/%s/svc%04d/%s", teams[svc%len(teams)], svc, kind), data)
		done += int64(len(data))
	}
}

// binaries copies ELF files until budget bytes.
func (g *gen) binaries(budget int64, elfs []srcFile) {
	if len(elfs) == 0 {
		fmt.Fprintln(os.Stderr, "gencorpus: warning: no ELF files found; bin/ is empty and source/ fills its share")
		return
	}
	var done int64
	for _, f := range elfs {
		if done >= budget {
			return
		}
		if done+f.size > budget+budget/20 {
			continue // keep the share close to its budget
		}
		done += g.copyFile("bin", "bin/"+f.rel, f.abs)
	}
}

// archives writes tar.gz and zip files of Go source subtrees (alternating)
// until budget compressed bytes are written.
func (g *gen) archives(budget int64, files []srcFile) {
	r := g.rng(3)
	trees := subtrees(files, 2<<20, 24<<20)
	var done int64
	for i := 0; done < budget && len(trees) > 0; i++ {
		t := trees[i%len(trees)]
		members := readMembers(files, t, "go/src/")
		members = append(members, fixture.File{Path: "go/deploy/.env", Data: fmt.Appendf(nil,
			"AWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=%s\nGITHUB_TOKEN=ghp_%s\n", awsKeyID(r), base64ish(r, 40), alnum(r, 36))})
		name := strings.ReplaceAll(t, "/", "-")
		var data []byte
		if i%2 == 0 {
			data = fixture.Gzip(fixture.Tar(members))
			name = fmt.Sprintf("archives/%03d-%s.tar.gz", i, name)
		} else {
			data = fixture.Zip(members)
			name = fmt.Sprintf("archives/%03d-%s.zip", i, name)
		}
		g.write("archives", name, data)
		done += int64(len(data))
	}
}

// subtrees returns the folders of the source tree (relative) whose files
// add up to between lo and hi bytes and that are not inside another such
// folder, in lexical order.
func subtrees(files []srcFile, lo, hi int64) []string {
	sum := map[string]int64{}
	for _, f := range files {
		for d := path.Dir(f.rel); d != "."; d = path.Dir(d) {
			sum[d] += f.size
		}
	}
	var dirs []string
	for d, n := range sum {
		if n >= lo && n <= hi {
			dirs = append(dirs, d)
		}
	}
	sort.Strings(dirs)
	var out []string
	for _, d := range dirs {
		if len(out) > 0 && strings.HasPrefix(d, out[len(out)-1]+"/") {
			continue
		}
		out = append(out, d)
	}
	return out
}

func readMembers(files []srcFile, dir, prefix string) []fixture.File {
	var out []fixture.File
	for _, f := range files {
		if strings.HasPrefix(f.rel, dir+"/") {
			b, err := os.ReadFile(f.abs)
			must(err)
			out = append(out, fixture.File{Path: prefix + f.rel, Data: b})
		}
	}
	return out
}

// firmware writes one raw router image of size bytes.
func (g *gen) firmware(size int64, files []srcFile, elfs []srcFile) {
	r := g.rng(4)
	// Kernel: a gzip'd ELF (or text when the machine has none) in a uImage.
	kernelPayload := bytes.Repeat([]byte("benchmark kernel image, not a real kernel\n"), 20000)
	if k := firstELF(elfs, 512<<10, 4<<20); k != nil {
		kernelPayload = k
	}
	kernel := fixture.UImage("Linux-5.10.0-bench", fixture.Gzip(kernelPayload), 1)

	// Root file system: the demo router's tree plus real binaries and a
	// web UI's worth of text, bounded so the image holds it.
	rootfs := fixture.RouterRootfs()
	rootBudget := size / 3
	var used int64
	names := map[string]bool{}
	for _, e := range elfs {
		if used > rootBudget/2 {
			break
		}
		if e.size > rootBudget/8 || names[path.Base(e.rel)] {
			continue
		}
		names[path.Base(e.rel)] = true
		b, err := os.ReadFile(e.abs)
		must(err)
		rootfs = append(rootfs, fixture.File{Path: "usr/lib/" + path.Base(e.rel), Mode: 0o755, Data: b})
		used += e.size
	}
	for _, f := range files {
		if used > rootBudget {
			break
		}
		if !strings.HasPrefix(f.rel, "net/http/") {
			continue
		}
		b, err := os.ReadFile(f.abs)
		must(err)
		rootfs = append(rootfs, fixture.File{Path: "www/src/" + f.rel, Data: b})
		used += f.size
	}
	sq := fixture.Squashfs(rootfs)

	backup := fixture.Gzip(fixture.Tar([]fixture.File{
		{Path: "config/system", Data: []byte("config system\n\toption hostname 'bench-router'\n\toption timezone 'UTC'\n")},
		{Path: "config/cloud.json", Data: fmt.Appendf(nil, `{"endpoint":"https://iot.example.net","access_key_id":"%s","secret_access_key":"%s"}`+"\n", awsKeyID(r), base64ish(r, 40))},
		{Path: "config/tr069", Data: fmt.Appendf(nil, "acs_url=https://acs.example.net\nacs_username=cpe\nacs_password=%s\n", alnum(r, 16))},
	}))

	const rootOff = 0x200013 // odd, as vendors' images are to a carver
	backupOff := int64(rootOff+len(sq)+0x10000) | 0x7
	if backupOff+int64(len(backup)) > size {
		fatalf("firmware image of %d bytes cannot hold its %d-byte root file system: use a larger -size", size, len(sq))
	}
	img := fixture.Blob(size, uint32(g.seed)^0xf17e, fixture.Part{Offset: 0, Data: kernel},
		fixture.Part{Offset: rootOff, Data: sq}, fixture.Part{Offset: backupOff, Data: backup})
	g.write("firmware", "firmware/router-bench.bin", img)
}

func firstELF(elfs []srcFile, lo, hi int64) []byte {
	for _, e := range elfs {
		if e.size >= lo && e.size <= hi {
			b, err := os.ReadFile(e.abs)
			if err == nil {
				return b
			}
		}
	}
	return nil
}

// ---- synthetic text ----

var (
	teams    = []string{"payments", "identity", "search", "ingest", "billing", "edge", "mobile", "analytics", "platform", "storage"}
	words    = []string{"cache", "queue", "worker", "gateway", "index", "session", "metrics", "tracing", "retry", "backoff", "pool", "timeout", "region", "replica", "shard", "bucket", "topic", "consumer", "producer", "scheduler", "limit", "feature", "rollout", "canary", "upstream", "healthcheck", "listener", "tls", "cors", "locale"}
	hosts    = []string{"db.internal", "redis.internal", "kafka-0.kafka", "search.svc.cluster.local", "10.0.3.17", "api.example.com", "auth.example.com", "localhost"}
	comments = []string{"managed by the platform team", "do not edit by hand", "see the runbook before changing", "values for staging are in the overlay", "defaults are safe for production", "keep in sync with the helm chart"}
)

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

func key(r *rand.Rand) string { return pick(r, words) + "_" + pick(r, words) }

func value(r *rand.Rand) string {
	switch r.IntN(6) {
	case 0:
		return strconv.Itoa(r.IntN(65536))
	case 1:
		return strconv.FormatBool(r.IntN(2) == 0)
	case 2:
		return pick(r, hosts)
	case 3:
		return fmt.Sprintf("%ds", 1+r.IntN(300))
	case 4:
		return "${" + strings.ToUpper(key(r)) + "}"
	default:
		return pick(r, words) + "-" + pick(r, words)
	}
}

// secretLines are planted credentials in config syntax (k = v pairs).
func secretPairs(r *rand.Rand) [][2]string {
	switch r.IntN(5) {
	case 0:
		return [][2]string{{"aws_access_key_id", awsKeyID(r)}, {"aws_secret_access_key", base64ish(r, 40)}}
	case 1:
		return [][2]string{{"github_token", "ghp_" + alnum(r, 36)}}
	case 2:
		return [][2]string{{"slack_token", "xoxb-" + digits(r, 11) + "-" + digits(r, 12) + "-" + alnum(r, 24)}}
	case 3:
		return [][2]string{{"stripe_secret_key", "sk_live_" + alnum(r, 24)}}
	default:
		return [][2]string{{"db_password", alnum(r, 12) + "!" + digits(r, 3)}, {"api_key", alnum(r, 32)}}
	}
}

// configFile renders one config file of kind, 1 to 16 KiB.
func configFile(r *rand.Rand, kind string, secret bool) []byte {
	var pairs [][2]string
	n := 20 + r.IntN(400)
	for range n {
		pairs = append(pairs, [2]string{key(r), value(r)})
	}
	// Real configs name their credentials; most point to a variable.
	pairs = append(pairs, [2]string{"password", "${DB_PASSWORD}"}, [2]string{"token_file", "/run/secrets/token"})
	if secret {
		at := r.IntN(len(pairs))
		sp := secretPairs(r)
		pairs = append(pairs[:at], append(sp, pairs[at:]...)...)
	}
	var b bytes.Buffer
	c := pick(r, comments)
	switch kind {
	case "app.yaml", "docker-compose.yml":
		fmt.Fprintf(&b, "# %s\nservice:\n", c)
		for i, p := range pairs {
			if i%12 == 0 {
				fmt.Fprintf(&b, "  %s:\n", pick(r, words))
			}
			fmt.Fprintf(&b, "    %s: %q\n", p[0], p[1])
		}
	case ".env":
		fmt.Fprintf(&b, "# %s\n", c)
		for _, p := range pairs {
			fmt.Fprintf(&b, "%s=%s\n", strings.ToUpper(p[0]), p[1])
		}
	case "settings.ini", "application.properties":
		fmt.Fprintf(&b, "; %s\n", c)
		for i, p := range pairs {
			if i%10 == 0 && kind == "settings.ini" {
				fmt.Fprintf(&b, "\n[%s]\n", pick(r, words))
			}
			if kind == "application.properties" {
				fmt.Fprintf(&b, "app.%s=%s\n", strings.ReplaceAll(p[0], "_", "."), p[1])
			} else {
				fmt.Fprintf(&b, "%s = %s\n", p[0], p[1])
			}
		}
	case "config.json":
		m := map[string]string{}
		for _, p := range pairs {
			m[p[0]] = p[1]
		}
		j, _ := json.MarshalIndent(map[string]any{"_comment": c, "settings": m}, "", "  ")
		b.Write(j)
		b.WriteByte('\n')
	case "server.xml":
		fmt.Fprintf(&b, "<?xml version=\"1.0\"?>\n<!-- %s -->\n<server>\n", c)
		for _, p := range pairs {
			fmt.Fprintf(&b, "  <property name=%q value=%q/>\n", p[0], p[1])
		}
		b.WriteString("</server>\n")
	}
	if b.Len() > 16<<10 {
		// Cut at a line end; a planted secret past the cut is dropped,
		// which only changes how many there are, not determinism.
		cut := bytes.LastIndexByte(b.Bytes()[:16<<10], '\n') + 1
		b.Truncate(cut)
	}
	return b.Bytes()
}

const (
	upperDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	alnumChars  = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b64Chars    = alnumChars + "+/"
)

func randFrom(r *rand.Rand, set string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = set[r.IntN(len(set))]
	}
	return string(b)
}

func alnum(r *rand.Rand, n int) string     { return randFrom(r, alnumChars, n) }
func digits(r *rand.Rand, n int) string    { return randFrom(r, "0123456789", n) }
func base64ish(r *rand.Rand, n int) string { return randFrom(r, b64Chars, n) }
func awsKeyID(r *rand.Rand) string         { return "AKIA" + randFrom(r, upperDigits, 16) }

// ---- helpers ----

func parseSize(s string) (int64, error) {
	s = strings.TrimSpace(strings.ToUpper(s))
	s = strings.TrimSuffix(strings.TrimSuffix(s, "B"), "I")
	mult := int64(1)
	if s != "" {
		switch s[len(s)-1] {
		case 'K':
			mult = 1 << 10
		case 'M':
			mult = 1 << 20
		case 'G':
			mult = 1 << 30
		}
		if mult > 1 {
			s = s[:len(s)-1]
		}
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || n < 0 {
		return 0, errors.New("bad size")
	}
	return int64(n * float64(mult)), nil
}

func must(err error) {
	if err != nil {
		fatalf("%v", err)
	}
}

func fatalf(f string, a ...any) {
	fmt.Fprintf(os.Stderr, "gencorpus: "+f+"\n", a...)
	os.Exit(1)
}
