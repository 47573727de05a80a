// Command genpristine writes verifysource/pristine.tsv, the table of
// pristine upstream m4 macro files and build-aux helpers that
// `doorman verify-source` recognises by content.
//
// It reads what Debian's autoconf, automake, gettext/autopoint, libtool,
// gnulib and autoconf-archive packages install (several gettext versions
// come from autopoint's archive.dir.tar.xz), plus the few upstream files
// in ./upstream that Debian does not ship, and records the date and the
// package versions in the table's header. Run it after
//
//	apt-get install -y autoconf automake gettext autopoint libtool gnulib autoconf-archive
//
// with: go run ./verifysource/internal/genpristine -o verifysource/pristine.tsv
package main

import (
	"archive/tar"
	"bufio"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/doorman-sec/doorman/verifysource"
	"github.com/ulikunitz/xz"
)

// packages whose files go into the table; their versions are recorded.
var packages = []string{"autoconf", "automake", "gettext", "autopoint", "libtool", "gnulib", "autoconf-archive"}

// auxNames are the build-aux helpers that automake, libtool, gnulib and
// gettext copy into a release.
var auxNames = map[string]bool{
	"compile": true, "config.guess": true, "config.sub": true, "depcomp": true,
	"install-sh": true, "missing": true, "ltmain.sh": true, "test-driver": true,
	"ar-lib": true, "mkinstalldirs": true, "mdate-sh": true, "py-compile": true,
	"ylwrap": true, "texinfo.tex": true, "tap-driver.sh": true, "config.rpath": true,
	"Makefile.in.in": true, "git-version-gen": true, "gitlog-to-changelog": true,
}

type gen struct {
	rows map[string]*verifysource.Pristine // by kind, name and sha256
}

func main() {
	out := flag.String("o", "verifysource/pristine.tsv", "table to write")
	upstream := flag.String("upstream", "verifysource/internal/genpristine/upstream", "folder of upstream files Debian does not ship")
	date := flag.String("date", time.Now().UTC().Format("2006-01-02"), "generation date recorded in the header")
	flag.Parse()
	g := &gen{rows: map[string]*verifysource.Pristine{}}

	for _, dir := range globs("/usr/share/aclocal", "/usr/share/aclocal-*", "/usr/share/gnulib/m4", "/usr/share/gettext/m4", "/usr/share/gettext-*/m4", "/usr/share/libtool/m4") {
		g.addDir(dir, "m4", func(n string) bool { return strings.HasSuffix(n, ".m4") })
	}
	for _, dir := range globs("/usr/share/automake-*", "/usr/share/libtool/build-aux", "/usr/share/gnulib/build-aux", "/usr/share/gettext", "/usr/share/gettext/po", "/usr/share/misc") {
		g.addDir(dir, "aux", func(n string) bool { return auxNames[n] })
	}
	g.addGettextArchive("/usr/share/gettext/archive.dir.tar.xz")
	g.addUpstream(*upstream)
	if len(g.rows) == 0 {
		log.Fatal("no pristine files found: install the Debian packages first (see the package comment)")
	}
	if err := g.write(*out, *date); err != nil {
		log.Fatal(err)
	}
}

func globs(patterns ...string) []string {
	var dirs []string
	for _, p := range patterns {
		m, _ := filepath.Glob(p)
		for _, d := range m {
			if fi, err := os.Stat(d); err == nil && fi.IsDir() {
				dirs = append(dirs, d)
			}
		}
	}
	return dirs
}

func (g *gen) addDir(dir, kind string, want func(string) bool) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		log.Printf("skip %s: %v", dir, err)
		return
	}
	for _, e := range ents {
		if !e.Type().IsRegular() || !want(e.Name()) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			log.Fatal(err)
		}
		g.add(kind, e.Name(), owner(filepath.Join(dir, e.Name())), b)
	}
}

// addGettextArchive reads autopoint's archive of every gettext release's
// m4 files and po/Makefile.in.in (gettext-0.19.8/m4/po.m4, …).
func (g *gen) addGettextArchive(p string) {
	f, err := os.Open(p)
	if err != nil {
		log.Printf("skip %s: %v", p, err)
		return
	}
	defer f.Close()
	xr, err := xz.NewReader(bufio.NewReader(f))
	if err != nil {
		log.Fatal(err)
	}
	tr := tar.NewReader(xr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			log.Fatal(err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		parts := strings.SplitN(h.Name, "/", 2)
		if len(parts) != 2 {
			continue
		}
		base := path.Base(h.Name)
		kind := ""
		switch {
		case strings.HasPrefix(parts[1], "m4/") && strings.HasSuffix(base, ".m4"):
			kind = "m4"
		case auxNames[base]:
			kind = "aux"
		default:
			continue
		}
		b, err := io.ReadAll(io.LimitReader(tr, 16<<20))
		if err != nil {
			log.Fatal(err)
		}
		g.add(kind, base, strings.Replace(parts[0], "-", " ", 1)+" (autopoint archive) "+parts[1], b)
	}
}

func (g *gen) addUpstream(dir string) {
	b, err := os.ReadFile(filepath.Join(dir, "SOURCES"))
	if err != nil {
		log.Printf("skip %s: %v", dir, err)
		return
	}
	for _, l := range strings.Split(string(b), "\n") {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		f := strings.Split(l, "\t")
		if len(f) != 3 {
			log.Fatalf("%s/SOURCES: want file, origin, URL: %q", dir, l)
		}
		c, err := os.ReadFile(filepath.Join(dir, f[0]))
		if err != nil {
			log.Fatal(err)
		}
		name := f[0][:strings.LastIndex(f[0], ".")] // build-to-host.m4.serial3
		kind := "aux"
		if strings.HasSuffix(name, ".m4") {
			kind = "m4"
		}
		g.add(kind, name, f[1]+" "+f[2], c)
	}
}

func (g *gen) add(kind, name, origin string, b []byte) {
	sha := verifysource.ContentSHA256(b)
	key := kind + "\x00" + name + "\x00" + sha
	if r, ok := g.rows[key]; ok {
		if !strings.Contains(r.Origin, origin) && len(r.Origin) < 300 {
			r.Origin += "; " + origin
		}
		return
	}
	g.rows[key] = &verifysource.Pristine{Kind: kind, Name: name, Version: verifysource.Version(b), SHA256: sha, Origin: origin, Lines: verifysource.LineSet(b)}
}

// owner names the Debian package and version that installed a file, from
// dpkg's file lists (one dpkg-query per file would take minutes).
func owner(file string) string {
	if owners == nil {
		owners = map[string]string{}
		lists, _ := filepath.Glob("/var/lib/dpkg/info/*.list")
		for _, l := range lists {
			pkg := strings.SplitN(strings.TrimSuffix(filepath.Base(l), ".list"), ":", 2)[0]
			b, err := os.ReadFile(l)
			if err != nil {
				continue
			}
			for _, f := range strings.Split(string(b), "\n") {
				if strings.HasPrefix(f, "/usr/share/") {
					owners[f] = pkg
				}
			}
		}
	}
	pkg, ok := owners[file]
	if !ok {
		if r, err := filepath.EvalSymlinks(file); err == nil {
			pkg, ok = owners[r]
		}
	}
	if !ok {
		pkg = "?"
	}
	return pkg + " " + version(pkg) + " " + file
}

var owners map[string]string

var versions = map[string]string{}

func version(pkg string) string {
	if v, ok := versions[pkg]; ok {
		return v
	}
	out, _ := exec.Command("dpkg-query", "-W", "-f", "${Version}", pkg).Output()
	versions[pkg] = strings.TrimSpace(string(out))
	return versions[pkg]
}

func (g *gen) write(out, date string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# doorman pristine build files: generated by go run ./verifysource/internal/genpristine; do not edit.\n")
	fmt.Fprintf(&b, "# generated %s from Debian packages:", date)
	for _, p := range packages {
		fmt.Fprintf(&b, " %s %s;", p, version(p))
	}
	fmt.Fprintf(&b, " plus verifysource/internal/genpristine/upstream.\n")
	fmt.Fprintf(&b, "# columns: kind name version sha256(normalised content) origin base64(sorted distinct line hashes)\n")
	keys := make([]string, 0, len(g.rows))
	for k := range g.rows {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		b.WriteString(verifysource.FormatRow(g.rows[k]))
		b.WriteByte('\n')
	}
	return os.WriteFile(out, []byte(b.String()), 0o644)
}
