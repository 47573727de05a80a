package analyzer

import (
	"strings"

	"github.com/doorman-sec/doorman/artifact"
)

// testDirs are folder names under which code and keys exist to test or
// document software, not to run it: a key in a library's test fixtures is
// not a key shipped to devices.
var testDirs = []string{"test", "tests", "testdata", "test-data", "__tests__", "spec", "fixtures", "fixture", "examples", "example", "samples", "sample", "docs", "doc", "demo", "mocks", "mock", "_fixture", "_fixtures", "__fixtures__", "__mocks__", "testfixtures", "test_data", "_testdata", "man",
	"testutil", "testutils", "testkeys", "testing", "test-infra", "functest", "e2e", "fuzz", "fakes"}

// InTestOrDocs reports whether the entry, or any container around it, lives
// in a test, example or documentation folder: a tarball of fixtures in
// testdata/ holds test data all the way down, although the names inside it
// ("files/api.go") do not say so.
func InTestOrDocs(e *artifact.Entry) bool {
	for ; e != nil; e = e.Parent {
		if nameInTestOrDocs(e.Name) {
			return true
		}
	}
	return false
}

func nameInTestOrDocs(name string) bool {
	parts := strings.Split(strings.ToLower(name), "/")
	for _, p := range parts[:len(parts)-1] {
		for _, t := range testDirs {
			if p == t {
				return true
			}
		}
		if strings.HasPrefix(p, "e2e") { // e2e, e2ex509, e2etest
			return true
		}
	}
	base := parts[len(parts)-1]
	if strings.HasSuffix(base, ".md") || strings.HasSuffix(base, ".rst") || strings.HasSuffix(base, ".adoc") || strings.HasSuffix(base, ".markdown") {
		return true // prose: README.md quoting a docker config teaches, it does not deploy
	}
	for _, w := range []string{"fake", "dummy", "mock", "_test_", "-test-"} {
		if strings.Contains(base, w) { // gcs-fake-service-account.json, verify_test_dsa.go
			return true
		}
	}
	return strings.HasPrefix(base, "test_") || strings.Contains(base, "_test.") || strings.Contains(base, ".test.") || strings.Contains(base, ".spec.")
}

// PathInTestOrDocs is InTestOrDocs for a display path without its target
// (what a fact of the final pass carries): each nested name between "!/"
// boundaries is checked.
func PathInTestOrDocs(p string) bool {
	for _, part := range strings.Split(p, "!/") {
		if nameInTestOrDocs(strings.TrimPrefix(part, "/")) {
			return true
		}
	}
	return false
}
