package pkgname

import (
	"bufio"
	"embed"
	"strings"
	"sync"
)

// Ecosystem names accepted by Check.
const (
	NPM      = "npm"
	PyPI     = "pypi"
	Crates   = "crates"
	RubyGems = "rubygems"
	Go       = "go"
)

//go:embed data/*.txt
var dataFS embed.FS

// list is one ecosystem's popular names, prepared for Check.
type list struct {
	eco string
	// known holds every listed name, normalized: a name in it is never
	// flagged.
	known map[string]bool
	// targets are the names typosquats aim at (the most popular part of the
	// list), normalized, in popularity order.
	targets []string
	// byLen indexes targets by rune length for the edit-distance search.
	byLen map[int][]string
	// skel maps the skeleton of every known name to the name.
	skel map[string]string
	// flat maps every known name without separators to the name.
	flat map[string]string
	// core maps every target without meaningless affixes to the name.
	core map[string]string
}

// files and how many names of each file are typosquat targets (0: all).
// The npm and PyPI lists hold 5000 names each so that established packages
// are recognised as legitimate, but only the top 2000 are targets: a name
// one edit away from the 4000th package is usually just another package.
var files = map[string]struct {
	file    string
	targets int
}{
	NPM:      {"data/npm.txt", 2000},
	PyPI:     {"data/pypi.txt", 2000},
	Crates:   {"data/crates.txt", 0},
	RubyGems: {"data/rubygems.txt", 0},
	Go:       {"data/go.txt", 0},
}

var (
	loadOnce sync.Once
	lists    map[string]*list
)

func load() map[string]*list {
	loadOnce.Do(func() {
		lists = map[string]*list{}
		for eco, f := range files {
			lists[eco] = parseList(eco, f.file, f.targets)
		}
	})
	return lists
}

func parseList(eco, file string, ntargets int) *list {
	l := &list{eco: eco, known: map[string]bool{}, byLen: map[int][]string{}, skel: map[string]string{}, flat: map[string]string{}, core: map[string]string{}}
	b, err := dataFS.ReadFile(file)
	if err != nil {
		panic("pkgname: embedded list missing: " + file) // a build error, not input
	}
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		n := normalize(eco, line)
		if l.known[n] {
			continue
		}
		l.known[n] = true
		isTarget := ntargets == 0 || len(l.targets) < ntargets
		if sk := normalize(eco, skeleton(n)); l.skel[sk] == "" {
			l.skel[sk] = n
		}
		if _, ok := l.flat[flatten(n)]; !ok {
			l.flat[flatten(n)] = n
		}
		if isTarget {
			l.targets = append(l.targets, n)
			k := len([]rune(n))
			l.byLen[k] = append(l.byLen[k], n)
			if c := core(eco, n); len(c) >= 4 {
				if _, ok := l.core[c]; !ok {
					l.core[c] = n
				}
			}
		}
	}
	return l
}

// normalize returns the name as the registry compares names: PyPI folds
// case and treats runs of "-", "_" and "." as one "-" (PEP 503); crates.io
// folds case and treats "-" and "_" alike; npm names are lower case; Go
// module paths drop a major-version suffix, which names the same module.
func normalize(eco, name string) string {
	switch eco {
	case PyPI:
		var b strings.Builder
		sep := false
		for _, r := range strings.ToLower(name) {
			if r == '-' || r == '_' || r == '.' {
				sep = true
				continue
			}
			if sep && b.Len() > 0 {
				b.WriteByte('-')
			}
			sep = false
			b.WriteRune(r)
		}
		return b.String()
	case Crates:
		return strings.ReplaceAll(strings.ToLower(name), "_", "-")
	case Go:
		return stripMajor(name)
	default:
		return strings.ToLower(name)
	}
}

// stripMajor removes a Go major-version suffix: "/v2" or gopkg.in's ".v3".
func stripMajor(p string) string {
	if i := strings.LastIndexAny(p, "/."); i > 0 && i+2 <= len(p) && p[i+1] == 'v' {
		digits := p[i+2:]
		if digits != "" && strings.Trim(digits, "0123456789") == "" {
			return p[:i]
		}
	}
	return p
}

// flatten drops the separators, so that "crossenv" meets "cross-env".
func flatten(n string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r == '.' {
			return -1
		}
		return r
	}, n)
}

// affixes carry no meaning in a package name; attackers add, drop or swap
// them ("python3-dateutil" for "python-dateutil", "lodash-js" for
// "lodash"). The longest come first so "python3" is removed before "py".
var (
	prefixes = []string{"python3-", "python-", "py3-", "py-", "node-", "js-", "go-", "rust-", "ruby-", "lib"}
	suffixes = []string{"-python3", "-python", "-py3", "-py", "-nodejs", "-node", "-js", ".js", "js", "-dev", "-lib", "-go", "-rs", "-rb", "-official", "-pkg"}
)

// core is the name, flattened and without affixes.
func core(eco, n string) string {
	for changed := true; changed; {
		changed = false
		for _, p := range prefixes {
			if strings.HasPrefix(n, p) && len(n) > len(p)+3 {
				n, changed = n[len(p):], true
			}
		}
		for _, s := range suffixes {
			if strings.HasSuffix(n, s) && len(n) > len(s)+3 {
				n, changed = n[:len(n)-len(s)], true
			}
		}
	}
	return flatten(n)
}
