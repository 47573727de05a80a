package scan_test

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/artifact/artifacttest"
	"github.com/doorman-sec/doorman/scan"
)

// TestRegionsInInventory: a firmware blob with 512 KiB of AES-CTR
// ciphertext between plain parts has the region in its errors and in the
// inventory under "regions"; a plain blob has neither.
func TestRegionsInInventory(t *testing.T) {
	const off, n = 0x40000, 512 << 10
	block, err := aes.NewCipher([]byte("0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	blob := make([]byte, 0x100000) // zeros (erased flash reads 0xff; either is plain)
	copy(blob[0x1000:], artifacttest.Words(0x30000, 1))
	copy(blob[0xd0000:], artifacttest.Words(0x20000, 2))
	cipher.NewCTR(block, make([]byte, 16)).XORKeyStream(blob[off:off+n], make([]byte, n))
	dir := t.TempDir()
	enc := filepath.Join(dir, "enc.bin")
	plain := filepath.Join(dir, "plain.bin")
	must(t, os.WriteFile(enc, blob, 0o600))
	must(t, os.WriteFile(plain, append(blob[:off:off], blob[off+n:]...), 0o600))

	rep, err := scan.Run(context.Background(), []string{enc, plain}, scan.Options{Limits: artifact.DefaultLimits()})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) != 1 || rep.Errors[0].Path != enc || !strings.HasPrefix(rep.Errors[0].Error, "high-entropy region 0x40000–0xc0000 (524288 bytes, 7.9") {
		t.Errorf("errors %+v", rep.Errors)
	}
	raw, err := json.Marshal(rep.Inventory["regions"])
	if err != nil {
		t.Fatal(err)
	}
	var regions []map[string]any
	must(t, json.Unmarshal(raw, &regions))
	if len(regions) != 1 {
		t.Fatalf("inventory regions %s", raw)
	}
	r := regions[0]
	if r["path"] != enc || r["offset"] != float64(off) || r["length"] != float64(n) || r["kind"] != "high-entropy" {
		t.Errorf("region %s", raw)
	}
	if e, _ := r["entropy"].(float64); e < 7.99 || e > 8 {
		t.Errorf("entropy %v", r["entropy"])
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
