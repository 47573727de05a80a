package crypt

import (
	"strings"
	"testing"
)

// vectors were produced by glibc/libxcrypt crypt(3) through Python's crypt
// module (DES, $1$, $5$, $6$, $2b$) and by `openssl passwd -apr1` ($apr1$),
// on Debian.
var vectors = []struct{ pw, hash string }{
	{"password", "abJnggxhB/yWI"},
	{"xc3511", "Xk0da/ogU2nlA"},
	{"", "abmF1QH4PEr.E"},
	{"admin", "./nlIXYriZaB2"},
	{"12345678901", "zzRtj6pNdfpLE"}, // DES uses only the first 8 characters
	{"vizxv", "9A72/Lw1lf0/Q"},
	{"PrOw!aN_fXp", "aaTqSygHCqMvA"},
	{"password", "$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/"},
	{"", "$1$abc$Or2rbeUYTvt12aiVzMuS/."},
	{"admin", "$1$Qd8H0sKv$.SN4Rce4CAk9x66zPIRmL0"},
	{"a very long password exceeding sixteen bytes of md5 block", "$1$12345678$LHl5IejfKwpGm2XHclr81/"},
	{"xc3511", "$1$$hQiTVNKLVKcUAWvU.Bcye1"},
	{"password", "$apr1$saltsalt$yAAkm4libquA.ZWLHbSBq/"},
	{"admin", "$apr1$abc$OH5apFdc8k9Op/fAtLfU8."},
	{"password", "$5$saltstring$OH4IDuTlsuTYPdED1gsuiRMyTAwNlRWyA6Xr3I4/dQ5"},
	{"", "$5$x$yHbtfs4Y8t6X1xcJemNX.4JQRfUTafA2qQenWGLBee2"},
	{"Hello world!", "$5$rounds=10000$saltstringsaltst$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA"},
	{"admin", "$5$rounds=1000$abc$ZMkxNdb1Aqlx5KS0Nx7P/n7/gwe4Ap7uy94GTInj2iC"},
	{"password", "$6$saltstring$adDbXsJjcDlq2662QPgd.tkSOVmnG9Tt3oXl4HR60SusC3AGjirnDenVZp3DGwLwqy6iYKCzannhaX9DR72nN1"},
	{"", "$6$x$QSmr1Bx2g4O6BzKvdkgOcyU6H91X6I/XBv5pSalMhSPkwdH6Beo3F455xZJg0v//bxVK5F4OE5k1.0xuR26MK0"},
	{"Hello world!", "$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v."},
	{strings.Repeat("a", 100), "$6$rounds=1000$abcdefghijklmnop$h4Fwv0TWRht1NKryTphGRK5F0cd2bJrnMPICXvINBFFTg4c.2qxLWpEKAnhq5uM6khzQJg/irNcnf72XzlDOm0"},
	{"admin", "$2b$04$QFseyW0J.wH/UwRjzNVI3OHt1kyOxzqDqaNYm0un7PnyUWptxWmEi"},
	{"xc3511", "$2b$04$abcdefghijklmnopqrstuuuyveVbtT6iWiF7b/Q.DzWUWjlVWNlOW"},
	{"admin", "{SHA}0DPiKuNIrrVmD8IUCuw1hQxNqZc="},
}

func TestVectors(t *testing.T) {
	for _, v := range vectors {
		if !Verify(v.hash, v.pw) {
			t.Errorf("Verify(%q, %q) = false; Crypt gives %q", v.hash, v.pw, Crypt(v.pw, v.hash))
		}
		if Verify(v.hash, v.pw+"x") && Identify(v.hash) != DES {
			t.Errorf("Verify(%q, %q+x) = true", v.hash, v.pw)
		}
		if Verify(v.hash, "wrong") {
			t.Errorf("Verify(%q, wrong) = true", v.hash)
		}
		if Identify(v.hash) != Bcrypt {
			if got := Crypt(v.pw, v.hash); got != v.hash {
				t.Errorf("Crypt(%q, %q) = %q", v.pw, v.hash, got)
			}
		}
		if Cost(v.hash) <= 0 {
			t.Errorf("Cost(%q) = %d", v.hash, Cost(v.hash))
		}
	}
}

func TestIdentify(t *testing.T) {
	for h, want := range map[string]Scheme{
		"abJnggxhB/yWI":         DES,
		"$1$x$y":                MD5,
		"$apr1$x$y":             APR1,
		"$5$x$y":                SHA256,
		"$6$rounds=5000$x$y":    SHA512,
		"$2y$10$abc":            Bcrypt,
		"$y$j9T$abc$def":        Yescrypt,
		"{SHA}abc=":             SHA1Plain,
		"x":                     Unknown,
		"*":                     Unknown,
		"!":                     Unknown,
		"":                      Unknown,
		"abJnggxhB/yW!":         Unknown,
		"!$6$saltstring$abcdef": Unknown, // locked with usermod -L
	} {
		if got := Identify(h); got != want {
			t.Errorf("Identify(%q) = %s, want %s", h, got, want)
		}
	}
}

// A hostile round count is clamped and costed, so a budget can refuse it.
func TestHostileRounds(t *testing.T) {
	h := "$6$rounds=999999999999$salt$abc"
	if c := Cost(h); c < 100_000_000 {
		t.Errorf("Cost of a billion rounds = %d", c)
	}
	if Verify("$6$rounds=abc$salt$x", "a") || Verify("$6$rounds=", "a") || Verify("$1$", "") || Verify("$2b$99$x", "a") {
		t.Error("a malformed hash verified")
	}
	if c := Cost("$2b$31$abcdefghijklmnopqrstuuuyveVbtT6iWiF7b/Q.DzWUWjlVWNlOW"); c < 1<<30 {
		t.Errorf("bcrypt cost 31 = %d", c)
	}
}

func FuzzVerify(f *testing.F) {
	for _, v := range vectors {
		if Identify(v.hash) != Bcrypt && !strings.Contains(v.hash, "rounds=10000") {
			f.Add(v.hash, v.pw)
		}
	}
	f.Fuzz(func(t *testing.T, h, pw string) {
		if Cost(h) > 5000 { // keep each input fast; costs are checked above
			return
		}
		Verify(h, pw)
		Crypt(pw, h)
	})
}

func BenchmarkDES(b *testing.B) {
	for b.Loop() {
		Verify("abJnggxhB/yWI", "secret")
	}
}

func BenchmarkMD5(b *testing.B) {
	for b.Loop() {
		Verify("$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/", "secret")
	}
}

func BenchmarkSHA512(b *testing.B) {
	for b.Loop() {
		Verify("$6$saltstring$adDbXsJjcDlq2662QPgd.tkSOVmnG9Tt3oXl4HR60SusC3AGjirnDenVZp3DGwLwqy6iYKCzannhaX9DR72nN1", "secret")
	}
}
