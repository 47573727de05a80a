package pkgname

import "testing"

// Known real typosquats must be caught.
func TestRealTyposquats(t *testing.T) {
	cases := []struct{ eco, name, want, kind string }{
		// The 2017 npm incident: crossenv and others imitated cross-env.
		// https://blog.npmjs.org/post/163723642530/crossenv-malware-on-the-npm-registry
		{NPM, "crossenv", "cross-env", KindSeparator},
		{NPM, "cross-env.js", "cross-env", KindAffix},
		{NPM, "expresss", "express", KindTypo},
		{NPM, "lodahs", "lodash", KindTypo},
		{NPM, "cross_env", "cross-env", KindSeparator},
		// 2019 PyPI incident: python3-dateutil pulled in jeIlyfish (capital
		// I for l). https://github.com/dateutil/dateutil/issues/984
		{PyPI, "python3-dateutil", "python-dateutil", KindAffix},
		{PyPI, "jeIlyfish", "jellyfish", KindConfusable},
		{PyPI, "reqeusts", "requests", KindTypo},
		{Crates, "serde-json-rs", "serde-json", KindAffix},
		{Crates, "tokioo", "tokio", KindTypo},
		{RubyGems, "nokogiri-dev", "nokogiri", KindAffix},
		{RubyGems, "rais", "", ""}, // too short to judge
		{NPM, "types-node", "@types/node", KindScope},
		{NPM, "@typescript_eslint/parser", "@typescript-eslint/parser", KindScope},
		// Homoglyphs: Cyrillic а and о, digit 0.
		{NPM, "reаct", "react", KindConfusable},
		{NPM, "l0dash", "lodash", KindConfusable},
		{PyPI, "dj\u0430ngo", "django", KindConfusable},
		// rn renders like m.
		{NPM, "rnoment", "moment", KindConfusable},
		// 2025: github.com/boltdb-go/bolt imitated github.com/boltdb/bolt.
		// https://socket.dev/blog/malicious-package-exploits-go-module-proxy-caching-for-persistence
		{Go, "github.com/boltdb-go/bolt", "github.com/boltdb/bolt", KindOwner},
		{Go, "github.com/strechr/testify", "github.com/stretchr/testify", KindOwner},
		{Go, "github.com/stretchr/testfy", "", ""}, // only stretchr can publish it
		{Go, "github.com/sirupsen/1ogrus", "github.com/sirupsen/logrus", KindConfusable},
	}
	for _, c := range cases {
		m, k, ok := Check(c.eco, c.name)
		if c.want == "" {
			if ok {
				t.Errorf("Check(%s, %q) = %q %s, want nothing", c.eco, c.name, m, k)
			}
			continue
		}
		if !ok || m != c.want || (c.kind != "" && k != c.kind) {
			t.Errorf("Check(%s, %q) = %q %q %v, want %q %q", c.eco, c.name, m, k, ok, c.want, c.kind)
		}
	}
}

// Real popular packages whose names are close to other popular packages
// must never be flagged.
func TestLegitimateNearPairs(t *testing.T) {
	cases := []struct{ eco, name string }{
		{NPM, "react"}, {NPM, "preact"}, {NPM, "colors"}, {NPM, "color"},
		{NPM, "chalk"}, {NPM, "chai"}, {NPM, "request"}, {NPM, "cross-env"},
		{NPM, "debug"}, {NPM, "lodash"}, {NPM, "lodash.merge"}, {NPM, "lodash-es"},
		{NPM, "@types/node"}, {NPM, "@babel/core"}, {NPM, "uuid"}, {NPM, "yargs"},
		{NPM, "ms"}, {NPM, "glob"}, {NPM, "globby"}, {NPM, "minimist"}, {NPM, "minimatch"},
		{NPM, "webpack"}, {NPM, "webpack-cli"}, {NPM, "eslint"}, {NPM, "jest"},
		{PyPI, "requests"}, {PyPI, "python-dateutil"}, {PyPI, "jellyfish"},
		{PyPI, "urllib3"}, {PyPI, "Django"}, {PyPI, "typing_extensions"},
		{PyPI, "pyyaml"}, {PyPI, "PyYAML"}, {PyPI, "boto3"}, {PyPI, "botocore"},
		{PyPI, "numpy"}, {PyPI, "scipy"}, {PyPI, "pandas"}, {PyPI, "attrs"}, {PyPI, "attr"},
		{Crates, "serde"}, {Crates, "serde_json"}, {Crates, "rand_core"}, {Crates, "rand-core"},
		{Crates, "tokio-util"}, {Crates, "syn"}, {Crates, "openssl-sys"},
		{RubyGems, "rails"}, {RubyGems, "railties"}, {RubyGems, "rack"}, {RubyGems, "rake"},
		{Go, "github.com/stretchr/testify"}, {Go, "github.com/urfave/cli/v3"},
		{Go, "gopkg.in/yaml.v3"}, {Go, "golang.org/x/net"}, {Go, "golang.org/x/vet"},
		{Go, "github.com/spf13/cobra-cli"}, {Go, "github.com/Sirupsen/logrus"},
		{Go, "github.com/someone/testify"}, // a fork, not a typo
		{Go, "github.com/jackc/pgx/v5"},
		// Unrelated names and versions.
		{NPM, "babel-preset-env"}, {NPM, "@aws-sdk/client-sfn"}, {PyPI, "tox-uv"}, {PyPI, "nox-uv"},
		{NPM, "my-internal-tool"}, {NPM, "vue3"}, {PyPI, "mycompany-utils"},
		{NPM, ""}, {"cpan", "DBI"},
	}
	for _, c := range cases {
		if m, k, ok := Check(c.eco, c.name); ok {
			t.Errorf("Check(%s, %q) = %q (%s), want nothing", c.eco, c.name, m, k)
		}
	}
}

// Cross-ecosystem: names popular in one ecosystem say nothing in another.
func TestEcosystemsNotMixed(t *testing.T) {
	if _, _, ok := Check(PyPI, "requests"); ok {
		t.Error("pypi requests flagged")
	}
	if _, _, ok := Check(NPM, "request"); ok {
		t.Error("npm request flagged")
	}
	if !Known(NPM, "React") || Known(NPM, "requests-but-not") {
		t.Error("Known wrong")
	}
}

func TestDamerau(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"abc", "abc", 0}, {"abc", "acb", 1}, {"abc", "ab", 1}, {"abc", "abcc", 1},
		{"kitten", "sitting", 3}, {"", "", 0}, {"", "ab", 2}, {"ca", "abc", 3},
	}
	for _, c := range cases {
		if got := damerau([]rune(c.a), []rune(c.b), 5); got != c.want {
			t.Errorf("damerau(%q,%q)=%d want %d", c.a, c.b, got, c.want)
		}
	}
	if got := damerau([]rune("kitten"), []rune("sitting"), 1); got != 2 {
		t.Errorf("bounded damerau = %d, want limit+1", got)
	}
}

func TestListsHaveSources(t *testing.T) {
	for eco, f := range files {
		b, err := dataFS.ReadFile(f.file)
		if err != nil || len(b) < 100 || b[0] != '#' {
			t.Errorf("%s: %s lacks its source header", eco, f.file)
		}
		if l := load()[eco]; len(l.targets) < 150 {
			t.Errorf("%s: only %d targets", eco, len(l.targets))
		}
	}
}

func FuzzCheck(f *testing.F) {
	for _, s := range []string{"crossenv", "jeIlyfish", "@types/node", "github.com/a/b/v2", "\xff", "rnrnrn", "ｒｅａｃｔ"} {
		f.Add("npm", s)
		f.Add("go", s)
		f.Add("pypi", s)
	}
	f.Fuzz(func(t *testing.T, eco, name string) {
		m, k, ok := Check(eco, name)
		if ok && (m == "" || k == "") {
			t.Fatalf("ok without match: %q %q", m, k)
		}
	})
}

func BenchmarkCheck(b *testing.B) {
	for b.Loop() {
		Check(NPM, "some-unknown-package-name")
	}
}
