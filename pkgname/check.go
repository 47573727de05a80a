package pkgname

import (
	"strings"
	"unicode/utf8"
)

// Kinds of imitation Check reports.
const (
	// KindConfusable: the name looks the same as a popular one on screen
	// (homoglyphs, 0/o, I/l, rn/m).
	KindConfusable = "confusable"
	// KindSeparator: the name is a popular one with separators added,
	// removed or changed ("crossenv" for "cross-env").
	KindSeparator = "separator"
	// KindAffix: a popular name with a meaningless prefix or suffix added,
	// dropped or swapped ("python3-dateutil" for "python-dateutil").
	KindAffix = "affix"
	// KindScope: an npm scope turned into a prefix or imitated
	// ("types-node" for "@types/node").
	KindScope = "scope"
	// KindTypo: one or two characters dropped, doubled, swapped or replaced.
	KindTypo = "typo"
	// KindOwner: a Go module whose owner imitates a popular module's owner
	// ("github.com/boltdb-go/bolt" for "github.com/boltdb/bolt").
	KindOwner = "owner"
)

// maxName bounds the names Check looks at: no registry allows longer ones,
// and the edit distance is quadratic.
const maxName = 214

// Ecosystems lists the ecosystems Check knows.
func Ecosystems() []string { return []string{NPM, PyPI, Crates, RubyGems, Go} }

// Known reports whether name is in the ecosystem's embedded list.
func Known(ecosystem, name string) bool {
	l := load()[canonEco(ecosystem)]
	return l != nil && l.known[normalize(l.eco, name)]
}

// Check reports whether name imitates a popular package of the ecosystem
// ("npm", "pypi", "crates", "rubygems", "go"; a few aliases such as
// "cargo", "gem" and "golang" are accepted). It returns the imitated name
// as the list spells it, the kind of imitation (the Kind constants) and
// ok=true; names that are themselves popular, unknown ecosystems and names
// too short to judge return ok=false.
func Check(ecosystem, name string) (match string, kind string, ok bool) {
	l := load()[canonEco(ecosystem)]
	if l == nil || name == "" || len(name) > maxName || !utf8.ValidString(name) {
		return "", "", false
	}
	n := normalize(l.eco, name)
	if l.known[n] {
		return "", "", false
	}
	// Homoglyphs first: they are never innocent in a package name.
	// Go module paths differing only in case are the same module to a
	// reader (github.com/Sirupsen/logrus is logrus's old spelling).
	if m, ok := l.skel[normalize(l.eco, skeleton(name))]; ok && m != n && !(l.eco == Go && strings.EqualFold(m, n)) {
		return m, KindConfusable, true
	}
	if !asciiOnly(n) {
		// Registries other than Go's forbid non-ASCII names; one that is
		// not a known name's skeleton is odd but not an imitation.
		return "", "", false
	}
	if l.eco == Go {
		return checkGo(l, n)
	}
	if l.eco == NPM {
		if m, ok := checkScope(l, n); ok {
			return m, KindScope, true
		}
	}
	if f := flatten(n); len(f) >= 5 {
		if m, ok := l.flat[f]; ok && m != n {
			return m, KindSeparator, true
		}
	}
	if c := core(l.eco, n); len(c) >= 4 {
		if m, ok := l.core[c]; ok && m != n {
			return m, KindAffix, true
		}
	}
	if m, ok := nearest(l, n); ok {
		return m, KindTypo, true
	}
	return "", "", false
}

func canonEco(e string) string {
	switch strings.ToLower(e) {
	case "npm", "node", "yarn", "pnpm":
		return NPM
	case "pypi", "pip", "python":
		return PyPI
	case "crates", "crates.io", "cargo", "rust":
		return Crates
	case "rubygems", "gem", "gems", "ruby":
		return RubyGems
	case "go", "golang", "gomod":
		return Go
	}
	return ""
}

// limitFor is the edit distance that still counts as a typo for a name of
// n characters: none below five (too many real short names are one edit
// apart), one up to thirteen, two from fourteen on. Measured on the 5000
// npm and PyPI names just below the embedded lists (all legitimate), a
// limit of two from ten characters on flagged twice as many of them.
func limitFor(n int) int {
	switch {
	case n < 5:
		return 0
	case n < 14:
		return 1
	}
	return 2
}

// nearest returns the most popular target within the typo distance of n.
func nearest(l *list, n string) (string, bool) {
	rn := []rune(n)
	lim := limitFor(len(rn))
	if lim == 0 {
		return "", false
	}
	best, bestRank := "", -1
	scope := npmScope(n)
	for k := len(rn) - lim; k <= len(rn)+lim; k++ {
		for _, t := range l.byLen[k] {
			rt := []rune(t)
			// Typosquats keep the first letter, which readers check first;
			// names that differ there ("nox-uv"/"tox-uv") are other words.
			if rt[0] != rn[0] {
				continue
			}
			// Only a scope's owner can publish in it: a near name in the
			// same scope is the owner's own package.
			if scope != "" && npmScope(t) == scope {
				continue
			}
			if lim2 := min(lim, limitFor(len(rt))); lim2 == 0 || damerau(rn, rt, lim2) > lim2 {
				continue
			}
			if onlyDigitsDiffer(n, t) {
				continue // "semver4", "es2015"/"es2016": versions, not typos
			}
			if r := rank(l, t); bestRank < 0 || r < bestRank {
				best, bestRank = t, r
			}
		}
	}
	return best, bestRank >= 0
}

// npmScope returns "@scope" of a scoped npm name, "" otherwise.
func npmScope(n string) string {
	if s, _, ok := strings.Cut(n, "/"); ok && strings.HasPrefix(s, "@") {
		return s
	}
	return ""
}

// rank is a target's position in the popularity order.
func rank(l *list, t string) int {
	for i, x := range l.targets {
		if x == t {
			return i
		}
	}
	return len(l.targets)
}

// onlyDigitsDiffer reports whether a and b differ only in their digits.
func onlyDigitsDiffer(a, b string) bool {
	strip := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return -1
			}
			return r
		}, s)
	}
	return a != b && strip(a) == strip(b)
}

// checkScope catches npm scope confusion: "types-node" or "typesnode" for
// "@types/node", "@babel-core/x" style scopes that add the package name, and
// a scope one edit from a popular scope with the same package name.
func checkScope(l *list, n string) (string, bool) {
	if !strings.HasPrefix(n, "@") {
		for _, sep := range []string{"-", "_", ".", ""} {
			if scope, pkg, ok := cutAfterScope(n, sep); ok {
				if m := "@" + scope + "/" + pkg; l.known[m] && len(pkg) >= 3 {
					return m, true
				}
			}
		}
		return "", false
	}
	scope, pkg, ok := strings.Cut(n[1:], "/")
	if !ok || scope == "" || pkg == "" {
		return "", false
	}
	// "@lodash/lodash" or "@cross-env/core" style: a scope nobody owns
	// named after a popular unscoped package.
	if len(scope) >= 5 && l.known[scope] && rank(l, scope) < len(l.targets) && !scopeExists(l, scope) {
		return scope, true
	}
	rs := []rune(scope)
	lim := max(1, limitFor(len(rs)))
	if len(rs) < 4 {
		return "", false
	}
	for _, t := range l.targets {
		if !strings.HasPrefix(t, "@") {
			continue
		}
		ts, tp, _ := strings.Cut(t[1:], "/")
		if tp != pkg || ts == scope {
			continue
		}
		if flatten(ts) == flatten(scope) || damerau(rs, []rune(ts), lim) <= lim {
			return t, true
		}
	}
	return "", false
}

// cutAfterScope splits "types-node" into a scope known in the list and the
// rest, for each popular scope.
func cutAfterScope(n, sep string) (scope, pkg string, ok bool) {
	for _, s := range popularScopes {
		if strings.HasPrefix(n, s+sep) && len(n) > len(s+sep) {
			return s, n[len(s+sep):], true
		}
	}
	return "", "", false
}

// popularScopes are the npm scopes whose packages typosquatters flatten
// into prefixes. Scopes whose projects published unscoped names before
// (babel-preset-env, angular-animate, vue-router) are left out: their
// unscoped names are mostly the project's own older packages.
var popularScopes = []string{"types", "typescript-eslint", "testing-library", "tanstack", "radix-ui", "vitejs", "swc", "octokit", "opentelemetry", "smithy", "aws-crypto", "fortawesome", "nestjs"}

func scopeExists(l *list, scope string) bool {
	p := "@" + scope + "/"
	for n := range l.known {
		if strings.HasPrefix(n, p) {
			return true
		}
	}
	return false
}

// codeHosts are where anyone can register an owner name; a module under a
// vanity host (golang.org/x, k8s.io, go.uber.org) is published by whoever
// controls the domain and cannot be squatted by a stranger.
var codeHosts = map[string]bool{"github.com": true, "gitlab.com": true, "bitbucket.org": true, "codeberg.org": true, "gitee.com": true}

// checkGo compares module paths on code hosts: a different owner whose
// name imitates a popular owner with the same repository is an owner
// squat; the same owner with another repository is the owner's own work;
// a small edit to the whole path is a typo.
func checkGo(l *list, n string) (string, string, bool) {
	parts := strings.Split(n, "/")
	if len(parts) < 3 || !codeHosts[parts[0]] {
		return "", "", false
	}
	owner, repo := parts[1], parts[2]
	for _, t := range l.targets {
		tp := strings.Split(t, "/")
		if len(tp) < 3 || !codeHosts[tp[0]] {
			continue
		}
		if strings.EqualFold(tp[1], owner) {
			continue // same owner: theirs to name
		}
		if strings.EqualFold(tp[2], repo) && ownerImitates(owner, tp[1]) {
			return t, KindOwner, true
		}
	}
	for _, t := range l.targets {
		tp := strings.Split(t, "/")
		if len(tp) < 3 || strings.EqualFold(tp[1], owner) || !codeHosts[tp[0]] {
			continue
		}
		if strings.EqualFold(t[len(tp[0])+len(tp[1])+2:], n[len(parts[0])+len(parts[1])+2:]) {
			continue // a fork under another owner: common, and not a typo
		}
		rn, rt := []rune(strings.ToLower(n)), []rune(strings.ToLower(t))
		if damerau(rn, rt, 1) <= 1 {
			return t, KindTypo, true
		}
	}
	return "", "", false
}

// ownerImitates reports whether owner looks like a variation of popular:
// one or two edits, separators, or an affix such as "-go" or "golang-".
func ownerImitates(owner, popular string) bool {
	o, p := strings.ToLower(owner), strings.ToLower(popular)
	if len(p) < 4 {
		return false
	}
	if flatten(o) == flatten(p) {
		return true
	}
	for _, a := range []string{"-go", "go-", "golang-", "-golang", "-dev", "-official", "-io", "-hq", "-lib"} {
		if o == p+a || o == a+p {
			return true
		}
	}
	return damerau([]rune(o), []rune(p), 1) <= 1
}
