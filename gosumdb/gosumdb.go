// Package gosumdb checks go.sum lines against the Go checksum database
// (sum.golang.org), read through a module proxy as the go command does
// (https://go.dev/ref/mod#checksum-database): the tree heads are signed, and
// every record is proven to be in the log before its hashes are believed
// (golang.org/x/mod/sumdb does the proofs). A go.sum line whose hash differs
// from the database's is code that differs from what everybody else got.
//
// It reaches the network, so it runs only when asked (`doorman scan
// --online`). Nothing is written to disk: the verified tree and the tiles
// live in memory for one run.
package gosumdb

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/sumdb"
)

// SumGolangOrg is the public key of sum.golang.org, as the go command
// knows it (cmd/go/internal/modfetch/key.go).
const SumGolangOrg = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"

// DefaultProxy is where the database is read when GOPROXY names none.
const DefaultProxy = "https://proxy.golang.org"

// maxResponse bounds one answer of the database (a lookup or a tile).
const maxResponse = 1 << 20

// Checker looks up modules in one checksum database.
type Checker struct {
	client *sumdb.Client
	ops    *ops
}

// New returns a Checker for the database with the verifier key vkey
// ("name+hash+key"), reached through the module proxy at proxyURL
// (proxyURL/sumdb/name/...). httpClient nil means a client with a
// 20-second timeout.
func New(proxyURL, vkey string, httpClient *http.Client) (*Checker, error) {
	name, _, ok := strings.Cut(vkey, "+")
	if !ok || name == "" {
		return nil, fmt.Errorf("checksum database key %q is not name+hash+key", vkey)
	}
	if httpClient == nil {
		httpClient = &http.Client{Timeout: 20 * time.Second}
	}
	o := &ops{base: strings.TrimSuffix(proxyURL, "/") + "/sumdb/" + name, key: vkey, name: name, http: httpClient,
		config: map[string][]byte{}, cache: map[string][]byte{}}
	return &Checker{client: sumdb.NewClient(o), ops: o}, nil
}

// Skip names module path patterns the database is not asked about, in the
// GONOSUMDB / GOPRIVATE syntax (comma-separated globs): private modules.
func (c *Checker) Skip(patterns string) { c.client.SetGONOSUMDB(patterns) }

// Lookup returns the database's go.sum line for path@version (version
// "v1.2.3" for the module's hash, "v1.2.3/go.mod" for its go.mod's). An error wraps ErrNotFound when the
// database has no such module version (a private module, a version never
// published), and ErrSecurity when the server's answers do not prove out.
func (c *Checker) Lookup(path, version string) ([]string, error) {
	lines, err := c.client.Lookup(path, version)
	if err != nil {
		if sec := c.ops.securityError(); sec != "" {
			return nil, fmt.Errorf("%w: %s", ErrSecurity, sec)
		}
		if strings.Contains(err.Error(), "404") || strings.Contains(err.Error(), "not found") || strings.Contains(err.Error(), "410") {
			return nil, fmt.Errorf("%w: %v", ErrNotFound, err)
		}
		return nil, err
	}
	return lines, nil
}

// Errors of Lookup.
var (
	ErrNotFound = errors.New("not in the checksum database")
	ErrSecurity = errors.New("checksum database misbehaves")
)

// ops are the client's external operations, all in memory.
type ops struct {
	base, key, name string
	http            *http.Client

	mu       sync.Mutex
	config   map[string][]byte
	cache    map[string][]byte
	security string
}

func (o *ops) ReadRemote(path string) ([]byte, error) {
	resp, err := o.http.Get(o.base + path)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s%s: %s", o.base, path, resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxResponse {
		return nil, fmt.Errorf("%s%s: answer larger than %d bytes", o.base, path, maxResponse)
	}
	return b, nil
}

func (o *ops) ReadConfig(file string) ([]byte, error) {
	if file == "key" {
		return []byte(o.key), nil
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.config[file], nil // empty: start from an empty tree
}

func (o *ops) WriteConfig(file string, old, new []byte) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if string(o.config[file]) != string(old) {
		return sumdb.ErrWriteConflict
	}
	o.config[file] = new
	return nil
}

func (o *ops) ReadCache(file string) ([]byte, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if b, ok := o.cache[file]; ok {
		return b, nil
	}
	return nil, errors.New("not cached")
}

func (o *ops) WriteCache(file string, data []byte) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.cache[file] = data
}

func (o *ops) Log(string) {}

func (o *ops) SecurityError(msg string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.security == "" {
		o.security = msg
	}
}

func (o *ops) securityError() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.security
}
