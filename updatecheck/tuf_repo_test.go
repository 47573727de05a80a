package updatecheck

import (
	"crypto/ed25519"
	"crypto/rand"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sigstore/sigstore/pkg/signature"
	"github.com/theupdateframework/go-tuf/v2/metadata"
)

// refTime is the "now" of every TUF test, so expiry never depends on the
// day the tests run.
var refTime = time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)

// testKey is an Ed25519 key with its TUF key id.
type testKey struct {
	priv ed25519.PrivateKey
	key  *metadata.Key
	id   string
}

func newTestKey(t *testing.T) testKey {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	k, err := metadata.KeyFromPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	id, err := k.ID()
	if err != nil {
		t.Fatal(err)
	}
	return testKey{priv: priv, key: k, id: id}
}

// testRepo builds a TUF repository with go-tuf's metadata API: one key
// per top-level role, one target file, everything valid for 30 days after
// refTime. Tests change fields, then call write.
type testRepo struct {
	t          *testing.T
	dir        string // metadata folder
	trusted    string // trusted root.json, outside dir
	targetsDir string
	signers    map[string][]testKey // who signs each role
	root       *metadata.Metadata[metadata.RootType]
	timestamp  *metadata.Metadata[metadata.TimestampType]
	snapshot   *metadata.Metadata[metadata.SnapshotType]
	targets    *metadata.Metadata[metadata.TargetsType]
	files      map[string][]byte
}

func newTestRepo(t *testing.T) *testRepo {
	t.Helper()
	base := t.TempDir()
	exp := refTime.Add(30 * 24 * time.Hour)
	r := &testRepo{t: t, dir: filepath.Join(base, "metadata"), trusted: filepath.Join(base, "trusted-root.json"),
		targetsDir: filepath.Join(base, "targets"), signers: map[string][]testKey{},
		root: metadata.Root(exp), timestamp: metadata.Timestamp(exp), snapshot: metadata.Snapshot(exp), targets: metadata.Targets(exp),
		files: map[string][]byte{"app/firmware.bin": []byte("firmware image v1\x00\x01\x02")}}
	for _, role := range []string{"root", "timestamp", "snapshot", "targets"} {
		k := newTestKey(t)
		if err := r.root.Signed.AddKey(k.key, role); err != nil {
			t.Fatal(err)
		}
		r.signers[role] = []testKey{k}
	}
	for name, data := range r.files {
		tf, err := metadata.TargetFile().FromBytes(name, data, "sha256", "sha512")
		if err != nil {
			t.Fatal(err)
		}
		r.targets.Signed.Targets[name] = tf
	}
	for _, d := range []string{r.dir, r.targetsDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

func signMD[T metadata.Roles](t *testing.T, md *metadata.Metadata[T], keys []testKey) []byte {
	t.Helper()
	md.ClearSignatures()
	for _, k := range keys {
		s, err := signature.LoadED25519Signer(k.priv)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := md.Sign(s); err != nil {
			t.Fatal(err)
		}
	}
	b, err := md.ToBytes(true)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (r *testRepo) put(name string, data []byte) {
	r.t.Helper()
	if err := os.WriteFile(filepath.Join(r.dir, name), data, 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// write signs every role, fills the snapshot and timestamp meta (with
// lengths and hashes) and writes metadata, trusted root and target files.
func (r *testRepo) write() {
	t := r.t
	t.Helper()
	rootB := signMD(t, r.root, r.signers["root"])
	r.put("root.json", rootB)
	r.put("1.root.json", rootB)
	if err := os.WriteFile(r.trusted, rootB, 0o644); err != nil {
		t.Fatal(err)
	}
	r.writeTail()
	for name, data := range r.files {
		p := filepath.Join(r.targetsDir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// writeTail writes targets, snapshot and timestamp only (after a root
// rotation the trusted root must stay the old one).
func (r *testRepo) writeTail() {
	t := r.t
	targetsB := signMD(t, r.targets, r.signers["targets"])
	r.put("targets.json", targetsB)
	r.snapshot.Signed.Meta["targets.json"] = metaFor(t, r.targets.Signed.Version, targetsB)
	snapB := signMD(t, r.snapshot, r.signers["snapshot"])
	r.put("snapshot.json", snapB)
	r.timestamp.Signed.Meta["snapshot.json"] = metaFor(t, r.snapshot.Signed.Version, snapB)
	r.put("timestamp.json", signMD(t, r.timestamp, r.signers["timestamp"]))
}

func metaFor(t *testing.T, v int64, data []byte) *metadata.MetaFiles {
	t.Helper()
	m := metadata.MetaFile(v)
	m.Length = int64(len(data))
	tf, err := metadata.TargetFile().FromBytes("x", data, "sha256")
	if err != nil {
		t.Fatal(err)
	}
	m.Hashes = tf.Hashes
	return m
}

func (r *testRepo) verify(o TUFOptions) *TUFResult {
	r.t.Helper()
	if o.Now.IsZero() {
		o.Now = refTime
	}
	res, err := VerifyTUF(r.trusted, r.dir, o)
	if err != nil {
		r.t.Fatalf("VerifyTUF: %v", err)
	}
	return res
}

// rules lists the rules of the findings, for compact assertions.
func rulesOf(res *TUFResult) map[string]int {
	m := map[string]int{}
	for _, f := range res.Findings {
		m[f.Rule]++
	}
	return m
}
