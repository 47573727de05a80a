package gosumdb

import (
	"crypto/rand"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/note"
)

// fakeProxy serves a checksum database made by x/mod's test server under
// /sumdb/NAME, as a module proxy does, on loopback.
func fakeProxy(t *testing.T, sums map[string]string) (string, string) {
	t.Helper()
	skey, vkey, err := note.GenerateKey(rand.Reader, "sum.example.com")
	if err != nil {
		t.Fatal(err)
	}
	ts := sumdb.NewTestServer(skey, func(path, vers string) ([]byte, error) {
		s, ok := sums[path+" "+vers]
		if !ok {
			return nil, os.ErrNotExist // the server answers 404, as sum.golang.org does
		}
		return []byte(s), nil
	})
	srv := sumdb.NewServer(ts)
	mux := http.NewServeMux()
	for _, p := range sumdb.ServerPaths {
		mux.Handle("/sumdb/sum.example.com"+p, http.StripPrefix("/sumdb/sum.example.com", srv))
	}
	hs := httptest.NewServer(mux)
	t.Cleanup(hs.Close)
	return hs.URL, vkey
}

func TestLookup(t *testing.T) {
	lines := "example.com/m v1.0.0 h1:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=\nexample.com/m v1.0.0/go.mod h1:yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy=\n"
	url, vkey := fakeProxy(t, map[string]string{"example.com/m v1.0.0": lines})
	c, err := New(url, vkey, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Lookup("example.com/m", "v1.0.0")
	if err != nil || len(got) != 1 || got[0] != "example.com/m v1.0.0 h1:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=" {
		t.Fatalf("lookup: %q %v", got, err)
	}
	got, err = c.Lookup("example.com/m", "v1.0.0/go.mod")
	if err != nil || len(got) != 1 || got[0] != "example.com/m v1.0.0/go.mod h1:yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy=" {
		t.Fatalf("go.mod lookup: %q %v", got, err)
	}
	if _, err := c.Lookup("example.com/other", "v0.1.0"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown module: %v, want ErrNotFound", err)
	}
}

// A database signed by another key is refused: the tree head does not
// verify, so no hash from it is believed.
func TestWrongKey(t *testing.T) {
	url, _ := fakeProxy(t, map[string]string{"example.com/m v1.0.0": "example.com/m v1.0.0 h1:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=\n"})
	_, other, err := note.GenerateKey(rand.Reader, "sum.example.com")
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(url, other, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Lookup("example.com/m", "v1.0.0"); err == nil {
		t.Fatal("a tree signed by another key was believed")
	}
	if _, err := New(url, "no-plus-sign", nil); err == nil {
		t.Error("malformed key accepted")
	}
}
