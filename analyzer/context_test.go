package analyzer

import "testing"

func TestPathInTestOrDocs(t *testing.T) {
	for p, want := range map[string]bool{
		"etc/ssl/private/server.key":                       false,
		"usr/sbin/httpd":                                   false,
		"fw.bin!/squashfs@0x20!/etc/shadow":                false,
		"pkg/x509/e2ex509/util.go":                         true,
		"gcsfs/gcs-fake-service-account.json":              true,
		"verify_test_dsa.go":                               true,
		"internal/testutils/keystore/root_key":             true,
		"usr/share/man/man5/apt.conf.5.gz!/apt.conf.5":     true,
		"pkg/authn/README.md":                              true,
		"x.tgz!/x.tar!/package/test/fixtures/key.pem":      true,
		"go-tuf/internal/testutils/repository_data/root_k": true,
	} {
		if got := PathInTestOrDocs(p); got != want {
			t.Errorf("%s: %v, want %v", p, got, want)
		}
	}
}
