package privatekey

import (
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

func TestDefaultTable(t *testing.T) {
	tab := DefaultTable()
	// The list has 944 rows; rows for the same key merge, so there are
	// fewer distinct keys, but hundreds of them.
	if n := tab.Len(); n < 500 || n > 944 {
		t.Errorf("embedded list has %d keys", n)
	}
	header := strings.Join(tab.Header, "\n")
	for _, want := range []string{"houseofkeys", "ssh-badkeys", "Built 20"} {
		if !strings.Contains(header, want) {
			t.Errorf("embedded list's header lost %q (sources and date must stay with the data):\n%s", want, header)
		}
	}
	// A row of the House of Keys, known by its SPKI, and a Rapid7 row known
	// by both fingerprints.
	c, ok := tab.Lookup(&Key{SPKISHA256: "ec2286a9be15869daa607170b1d5d4d7ebaa02c290c1c47d66c7c3a786971a57"})
	if !ok || !strings.Contains(strings.Join(c.Products, ";"), "NETGEAR WC7520") {
		t.Errorf("House of Keys row not found: %+v", c)
	}
	c, ok = tab.Lookup(&Key{SSHFingerprint: "SHA256:s5Qw/PocHrvXYHlxaQvSI8lodaJiuCZrTp+KjEUw0tc"})
	if !ok || c.Products[0] != "Actiontec_q2000_rsa" || c.References[0] != "https://www.kb.cert.org/vuls/id/566724" {
		t.Errorf("ssh-badkeys row not found by SSH fingerprint: %+v", c)
	}
	if _, ok := tab.Lookup(&Key{SPKISHA256: strings.Repeat("0", 64)}); ok {
		t.Error("an unlisted key matched")
	}
}

const testTable = `# test list
# Sources: tests. Built 2026-01-01.
spki_sha256	ssh_fingerprint	kind	products	reference
1111111111111111111111111111111111111111111111111111111111111111		embedded-tls-or-host-key	ACME R1; ACME R2	https://example.org/a
1111111111111111111111111111111111111111111111111111111111111111		embedded-private-key	ACME R2; ACME R3	https://example.org/b
	SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA	ssh-host-key	acme_rsa	https://example.org/c
`

func TestParseTableMerges(t *testing.T) {
	tab, err := ParseTable(strings.NewReader(testTable))
	if err != nil {
		t.Fatal(err)
	}
	if tab.Len() != 2 {
		t.Errorf("%d keys, want 2 (two rows of one key merge)", tab.Len())
	}
	c, ok := tab.Lookup(&Key{SPKISHA256: strings.Repeat("1", 64), SSHFingerprint: "SHA256:unrelated"})
	if !ok {
		t.Fatal("not found by SPKI")
	}
	if got := strings.Join(c.Products, "|"); got != "ACME R1|ACME R2|ACME R3" {
		t.Errorf("products %q", got)
	}
	if got := strings.Join(c.References, "|"); got != "https://example.org/a|https://example.org/b" {
		t.Errorf("references %q", got)
	}
	if got := strings.Join(c.Kinds, "|"); got != "embedded-tls-or-host-key|embedded-private-key" {
		t.Errorf("kinds %q", got)
	}
	if _, ok := tab.Lookup(&Key{SPKISHA256: strings.Repeat("2", 64), SSHFingerprint: "SHA256:" + strings.Repeat("A", 43)}); !ok {
		t.Error("row without SPKI not found by SSH fingerprint")
	}
	if _, ok := tab.Lookup(&Key{}); ok {
		t.Error("a key without fingerprints matched")
	}
}

func TestParseTableErrors(t *testing.T) {
	head := "spki_sha256\tssh_fingerprint\tkind\tproducts\treference\n"
	for name, in := range map[string]string{
		"no header":        "abc\tdef\n",
		"empty":            "# only comments\n",
		"short row":        head + strings.Repeat("1", 64) + "\t\tkind\n",
		"no fingerprint":   head + "\t\tkind\tp\tr\n",
		"bad spki":         head + "XYZ\t\tkind\tp\tr\n",
		"bad ssh":          head + "\tMD5:aa\tkind\tp\tr\n",
		"upper-case spki?": head + strings.Repeat("G", 64) + "\t\tkind\tp\tr\n",
	} {
		if _, err := ParseTable(strings.NewReader(in)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestProductSummary(t *testing.T) {
	if got := productSummary([]string{"a", "b", "c"}, 2); got != "a; b and 1 more" {
		t.Errorf("got %q", got)
	}
	if got := productSummary([]string{"a"}, 2); got != "a" {
		t.Errorf("got %q", got)
	}
}

// TestPublicKeyInfo: an authorized_keys line can be looked up like a found
// key, by the fingerprints the list uses.
func TestPublicKeyInfo(t *testing.T) {
	k := keys(t)
	sshPub, err := ssh.NewPublicKey(k.ed.Public())
	if err != nil {
		t.Fatal(err)
	}
	parsed, _, _, _, err := ssh.ParseAuthorizedKey(ssh.MarshalAuthorizedKey(sshPub))
	if err != nil {
		t.Fatal(err)
	}
	info, err := PublicKeyInfo(parsed.(ssh.CryptoPublicKey).CryptoPublicKey())
	if err != nil {
		t.Fatal(err)
	}
	tab, err := ParseTable(strings.NewReader("spki_sha256\tssh_fingerprint\tkind\tproducts\treference\n" +
		spkiHex(t, k.ed.Public()) + "\t" + sshFP(t, k.ed.Public()) + "\tssh-authorized-key\tacme\thttps://example.org\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := tab.Lookup(info); !ok || c.Products[0] != "acme" {
		t.Errorf("authorized key not matched: %+v", info)
	}
	if _, err := PublicKeyInfo("not a key"); err == nil {
		t.Error("PublicKeyInfo accepted a string")
	}
}
