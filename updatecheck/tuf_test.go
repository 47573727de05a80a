package updatecheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/doorman-sec/doorman/finding"
	"github.com/theupdateframework/go-tuf/v2/metadata"
)

func dumpFindings(t *testing.T, res *TUFResult) {
	t.Helper()
	for _, f := range res.Findings {
		t.Logf("%s %s %s: %s", f.Rule, f.Severity, f.Location.Path, f.Message)
	}
}

func findRule(res *TUFResult, rule, substr string) *finding.Finding {
	for i, f := range res.Findings {
		if f.Rule == rule && strings.Contains(f.Message, substr) {
			return &res.Findings[i]
		}
	}
	return nil
}

func TestTUFValidRepository(t *testing.T) {
	r := newTestRepo(t)
	r.write()
	res := r.verify(TUFOptions{TargetsDir: r.targetsDir})
	if len(res.Findings) != 0 {
		dumpFindings(t, res)
		t.Fatal("a valid repository must have no finding")
	}
	if len(res.Roles) != 4 {
		t.Fatalf("roles = %+v, want root, timestamp, snapshot, targets", res.Roles)
	}
	for _, rs := range res.Roles {
		if !rs.Verified || rs.Version != 1 {
			t.Errorf("role %+v not verified", rs)
		}
	}
	if len(res.Targets) != 1 || res.Targets[0].Status != "verified" || len(res.Targets[0].SHA256) != 64 {
		t.Fatalf("targets = %+v", res.Targets)
	}
	if len(res.Errors) != 0 {
		t.Fatalf("errors = %+v", res.Errors)
	}
}

func TestTUFExpiredTimestampIsFreeze(t *testing.T) {
	r := newTestRepo(t)
	r.timestamp.Signed.Expires = refTime.Add(-time.Hour)
	r.write()
	res := r.verify(TUFOptions{})
	f := findRule(res, RuleTUFExpired, "timestamp v1 expired")
	if f == nil || len(res.Findings) != 1 {
		dumpFindings(t, res)
		t.Fatal("want exactly one expiry finding for the timestamp")
	}
	if f.Severity != finding.High || f.Category != finding.UpdateIntegrity || !strings.Contains(f.Message, "freeze") {
		t.Errorf("finding = %+v", f)
	}
}

func TestTUFRollbackAgainstState(t *testing.T) {
	// The previous state saw snapshot v3 and timestamp v3.
	old := newTestRepo(t)
	old.snapshot.Signed.Version = 3
	old.timestamp.Signed.Version = 3
	old.targets.Signed.Version = 2
	old.write()

	r := newTestRepo(t)
	r.root, r.signers = old.root, old.signers
	r.write()
	res := r.verify(TUFOptions{StateDir: old.dir})
	for _, want := range []string{"timestamp rolled back: version 1 is lower than version 3", "snapshot rolled back: version 1", "targets.json rolled back"} {
		if findRule(res, RuleTUFRollback, want) == nil {
			dumpFindings(t, res)
			t.Fatalf("missing rollback finding %q", want)
		}
	}
	// Without state the same repository is fine.
	if res := r.verify(TUFOptions{}); len(res.Findings) != 0 {
		dumpFindings(t, res)
		t.Fatal("no state: no finding expected")
	}
}

func TestTUFWrongKeySignature(t *testing.T) {
	r := newTestRepo(t)
	intruder := newTestKey(t)
	r.signers["snapshot"] = []testKey{intruder}
	r.write()
	res := r.verify(TUFOptions{})
	f := findRule(res, RuleTUFSignature, "snapshot v1: 0 valid signature(s), threshold 1")
	if f == nil {
		dumpFindings(t, res)
		t.Fatal("want a signature finding for snapshot")
	}
	if !strings.Contains(f.Message, shortID(intruder.id)) || !strings.Contains(f.Message, "does not trust") {
		t.Errorf("message should name the untrusted key %s: %s", shortID(intruder.id), f.Message)
	}
	if !strings.Contains(f.Message, shortID(r.root.Signed.Roles["snapshot"].KeyIDs[0])) {
		t.Errorf("message should name the expected key: %s", f.Message)
	}
	if f.Severity != finding.Critical {
		t.Errorf("severity %v", f.Severity)
	}
}

func TestTUFThresholdTwoWithOneSignature(t *testing.T) {
	r := newTestRepo(t)
	second := newTestKey(t)
	if err := r.root.Signed.AddKey(second.key, "timestamp"); err != nil {
		t.Fatal(err)
	}
	r.root.Signed.Roles["timestamp"].Threshold = 2
	r.write() // signed by the first timestamp key only
	res := r.verify(TUFOptions{})
	f := findRule(res, RuleTUFSignature, "timestamp v1: 1 valid signature(s), threshold 2")
	if f == nil {
		dumpFindings(t, res)
		t.Fatal("want a threshold finding")
	}
	if !strings.Contains(f.Message, "not signed: "+shortID(second.id)) {
		t.Errorf("message should name the missing key: %s", f.Message)
	}
	// Both keys sign: verified.
	r.signers["timestamp"] = append(r.signers["timestamp"], second)
	r.write()
	if res := r.verify(TUFOptions{}); len(res.Findings) != 0 {
		dumpFindings(t, res)
		t.Fatal("threshold met: no finding expected")
	}
}

func TestTUFTamperedTargetFile(t *testing.T) {
	r := newTestRepo(t)
	r.write()
	p := filepath.Join(r.targetsDir, "app", "firmware.bin")
	// Same length, different content: only the hashes catch it.
	data := []byte("firmware image v1\x00\x01\x03")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	res := r.verify(TUFOptions{TargetsDir: r.targetsDir})
	f := findRule(res, RuleTUFTargetHash, `target "app/firmware.bin"`)
	if f == nil {
		dumpFindings(t, res)
		t.Fatal("want a target hash finding")
	}
	if !strings.Contains(f.Message, "sha256: expected") || !strings.Contains(f.Message, "sha512: expected") {
		t.Errorf("message should give expected vs got for each hash: %s", f.Message)
	}
	if res.Targets[0].Status != "mismatch" {
		t.Errorf("target status %q", res.Targets[0].Status)
	}
	// A longer file: the length is named.
	if err := os.WriteFile(p, append(data, 'x'), 0o644); err != nil {
		t.Fatal(err)
	}
	res = r.verify(TUFOptions{TargetsDir: r.targetsDir})
	if findRule(res, RuleTUFTargetHash, "length: expected 20 bytes, got more") == nil {
		dumpFindings(t, res)
		t.Fatal("want a length finding")
	}
	// Missing file: not a finding, an error (not verified).
	os.Remove(p)
	res = r.verify(TUFOptions{TargetsDir: r.targetsDir})
	if len(res.Findings) != 0 || len(res.Errors) != 1 || res.Targets[0].Status != "missing" {
		t.Fatalf("missing target: findings %v errors %v", res.Findings, res.Errors)
	}
}

// rotate makes root v2 with a new root key and a new timestamp key,
// signed by the keys in signers, and re-signs the tail with the new
// timestamp key. The trusted root stays v1.
func rotate(t *testing.T, r *testRepo, signers func(oldRoot, newRoot testKey) []testKey) {
	t.Helper()
	oldRoot := r.signers["root"][0]
	newRoot, newTS := newTestKey(t), newTestKey(t)
	if err := r.root.Signed.RevokeKey(oldRoot.id, "root"); err != nil {
		t.Fatal(err)
	}
	if err := r.root.Signed.AddKey(newRoot.key, "root"); err != nil {
		t.Fatal(err)
	}
	if err := r.root.Signed.RevokeKey(r.signers["timestamp"][0].id, "timestamp"); err != nil {
		t.Fatal(err)
	}
	if err := r.root.Signed.AddKey(newTS.key, "timestamp"); err != nil {
		t.Fatal(err)
	}
	r.root.Signed.Version = 2
	b := signMD(t, r.root, signers(oldRoot, newRoot))
	r.put("2.root.json", b)
	r.put("root.json", b)
	r.signers["root"] = []testKey{newRoot}
	r.signers["timestamp"] = []testKey{newTS}
	r.writeTail()
}

func TestTUFRootRotationGood(t *testing.T) {
	r := newTestRepo(t)
	r.write()
	rotate(t, r, func(o, n testKey) []testKey { return []testKey{o, n} })
	res := r.verify(TUFOptions{})
	if len(res.Findings) != 0 {
		dumpFindings(t, res)
		t.Fatal("a rotation signed by old and new root must verify")
	}
	if res.Roles[0].Role != "root" || res.Roles[0].Version != 2 {
		t.Fatalf("final root %+v, want v2", res.Roles[0])
	}
}

func TestTUFRootRotationBad(t *testing.T) {
	r := newTestRepo(t)
	r.write()
	// Only the new key signs: an attacker who made up a root.
	rotate(t, r, func(o, n testKey) []testKey { return []testKey{n} })
	res := r.verify(TUFOptions{})
	f := findRule(res, RuleTUFRootChain, "root v2 signed by the root keys of v1: 0 valid signature(s), threshold 1")
	if f == nil {
		dumpFindings(t, res)
		t.Fatal("want a root chain finding")
	}
	if findRule(res, RuleTUFRootChain, "chain from the trusted root stops at version 1") == nil {
		dumpFindings(t, res)
		t.Fatal("want the stalled chain named")
	}
	// The timestamp is signed by the new root's key, which v1 does not trust.
	if findRule(res, RuleTUFSignature, "timestamp v1") == nil {
		dumpFindings(t, res)
		t.Fatal("want the timestamp rejected under root v1")
	}
}

func TestTUFReportsEveryProblem(t *testing.T) {
	r := newTestRepo(t)
	r.timestamp.Signed.Expires = refTime.Add(-time.Minute)
	r.signers["targets"] = []testKey{newTestKey(t)}
	r.snapshot.Signed.Expires = refTime.Add(-time.Minute)
	r.write()
	if err := os.WriteFile(filepath.Join(r.targetsDir, "app", "firmware.bin"), []byte("evil"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := r.verify(TUFOptions{TargetsDir: r.targetsDir})
	got := rulesOf(res)
	if got[RuleTUFExpired] != 2 || got[RuleTUFSignature] != 1 || got[RuleTUFTargetHash] != 1 {
		dumpFindings(t, res)
		t.Fatalf("rules = %v, want 2 expired, 1 signature, 1 target hash", got)
	}
}

func TestTUFSnapshotHashAndVersionMismatch(t *testing.T) {
	r := newTestRepo(t)
	r.write()
	// Re-sign a different snapshot (v2) without updating the timestamp:
	// its length/hash and version no longer match what timestamp signed.
	r.snapshot.Signed.Version = 2
	r.put("snapshot.json", signMD(t, r.snapshot, r.signers["snapshot"]))
	res := r.verify(TUFOptions{})
	if findRule(res, RuleTUFMetaHash, "snapshot metadata") == nil || findRule(res, RuleTUFVersion, "snapshot is version 2 but timestamp names version 1") == nil {
		dumpFindings(t, res)
		t.Fatal("want hash and version findings for snapshot")
	}
}

func TestTUFDelegations(t *testing.T) {
	r := newTestRepo(t)
	dk := newTestKey(t)
	r.targets.Signed.Delegations = &metadata.Delegations{Keys: map[string]*metadata.Key{}, Roles: []metadata.DelegatedRole{{Name: "bins", Threshold: 1, Paths: []string{"bins/*"}}}}
	if err := r.targets.Signed.AddKey(dk.key, "bins"); err != nil {
		t.Fatal(err)
	}
	bins := metadata.Targets(refTime.Add(time.Hour))
	good := []byte("good binary")
	evil := []byte("outside its delegation")
	for name, data := range map[string][]byte{"bins/tool": good, "app/firmware.bin": evil} {
		tf, err := metadata.TargetFile().FromBytes(name, data, "sha256")
		if err != nil {
			t.Fatal(err)
		}
		bins.Signed.Targets[name] = tf
	}
	r.files["bins/tool"] = good
	binsB := signMD(t, bins, []testKey{dk})
	r.put("bins.json", binsB)
	r.snapshot.Signed.Meta["bins.json"] = metaFor(t, 1, binsB)
	r.write()
	res := r.verify(TUFOptions{TargetsDir: r.targetsDir})
	if findRule(res, RuleTUFDelegation, `role bins lists target "app/firmware.bin" outside the paths`) == nil || len(res.Findings) != 1 {
		dumpFindings(t, res)
		t.Fatal("want exactly the out-of-delegation finding")
	}
	var verified []string
	for _, ts := range res.Targets {
		if ts.Status == "verified" {
			verified = append(verified, ts.Role+":"+ts.Name)
		}
	}
	if strings.Join(verified, ",") != "targets:app/firmware.bin,bins:bins/tool" {
		t.Fatalf("verified targets = %v", verified)
	}

	// The delegated role signed by the wrong key.
	r.put("bins.json", signMD(t, bins, []testKey{newTestKey(t)}))
	binsB, _ = os.ReadFile(filepath.Join(r.dir, "bins.json"))
	r.snapshot.Signed.Meta["bins.json"] = metaFor(t, 1, binsB)
	r.writeTail()
	res = r.verify(TUFOptions{})
	if findRule(res, RuleTUFSignature, "bins v1: 0 valid") == nil {
		dumpFindings(t, res)
		t.Fatal("want a signature finding for the delegated role")
	}
}

func TestTUFHostileMetadata(t *testing.T) {
	r := newTestRepo(t)
	// A 31-byte Ed25519 key makes crypto/ed25519 panic if reached.
	bad := newTestKey(t)
	bad.key.Value.PublicKey = bad.key.Value.PublicKey[:62]
	r.root.Signed.Keys["badkey"] = bad.key
	r.root.Signed.Roles["snapshot"].KeyIDs = append(r.root.Signed.Roles["snapshot"].KeyIDs, "badkey")
	r.write()
	r.put("timestamp.json", []byte(`{"signed": {"_type": "timestamp", "version": "x"`))
	res := r.verify(TUFOptions{})
	if findRule(res, RuleTUFMalformed, "timestamp metadata is malformed") == nil {
		dumpFindings(t, res)
		t.Fatal("want a malformed timestamp finding")
	}
	// The role naming the broken key is reported, not crashed on.
	if f := findRule(res, RuleTUFSignature, "snapshot v1"); f == nil {
		dumpFindings(t, res)
		t.Fatal("want the snapshot role with a broken key reported")
	} else {
		t.Log(f.Message)
	}

	// Oversized metadata is refused, not read.
	r.put("snapshot.json", append(make([]byte, 9000), '{', '}'))
	res = r.verify(TUFOptions{MaxMetadataSize: 8192})
	if findRule(res, RuleTUFMalformed, "larger than 8192 bytes") == nil {
		dumpFindings(t, res)
		t.Fatal("want oversized metadata refused")
	}
	// The trusted root itself oversized or missing: an error, not a finding.
	if _, err := VerifyTUF(r.trusted, r.dir, TUFOptions{MaxMetadataSize: 64}); err == nil {
		t.Fatal("oversized trusted root must be an error")
	}
	if _, err := VerifyTUF(filepath.Join(r.dir, "nope.json"), r.dir, TUFOptions{}); err == nil {
		t.Fatal("missing trusted root must be an error")
	}
	// A missing timestamp is a finding.
	os.Remove(filepath.Join(r.dir, "timestamp.json"))
	res = r.verify(TUFOptions{})
	if findRule(res, RuleTUFMalformed, "timestamp metadata is missing") == nil {
		dumpFindings(t, res)
		t.Fatal("want a missing timestamp finding")
	}
}

func TestTUFUnsafeTargetName(t *testing.T) {
	r := newTestRepo(t)
	tf, err := metadata.TargetFile().FromBytes("../../etc/passwd", []byte("x"), "sha256")
	if err != nil {
		t.Fatal(err)
	}
	r.targets.Signed.Targets["../../etc/passwd"] = tf
	r.write()
	res := r.verify(TUFOptions{TargetsDir: r.targetsDir})
	if findRule(res, RuleTUFDelegation, "escapes the targets folder") == nil {
		dumpFindings(t, res)
		t.Fatal("want a path traversal finding")
	}
}
