package executable

import (
	"strings"
	"testing"
)

// rodata lays C strings out as a compiler does: NUL-separated, side by side.
func rodata(strs ...string) []byte { return []byte("\x00" + strings.Join(strs, "\x00") + "\x00") }

func hintsIn(t *testing.T, data []byte, kw string) []CredHint {
	t.Helper()
	i := strings.Index(string(data), kw)
	if i < 0 {
		t.Fatalf("no %q", kw)
	}
	return credentialsNear(data, i, 1000)
}

// The shape of a hard-coded login back door (Mirai's list names the
// same kind of vendor passwords: xc3511, 7ujMko0admin).
func TestCredentialsNearLoginPrompt(t *testing.T) {
	data := rodata("%s login: ", "root", "Password: ", "7ujMko0admin", "Login incorrect", "/bin/sh")
	h := hintsIn(t, data, "assword")
	if len(h) != 1 || h[0].Literal != "7ujMko0admin" || h[0].Context != "Password:" || h[0].Offset <= 1000 {
		t.Fatalf("got %+v", h)
	}
	data = rodata("user", "P@ssw0rd!", "Username", "admin")
	if h := hintsIn(t, data, "Username"); len(h) != 1 || h[0].Literal != "P@ssw0rd!" {
		t.Fatalf("got %+v", h)
	}
}

// A real login program's strings: prompts, paths, formats, algorithm
// names and error messages — nothing that looks like a password.
func TestCredentialsQuietOnLoginProgram(t *testing.T) {
	// (Among them the near misses Debian's libpam, libapt-pkg and chage
	// hold: "@include", "tor+https", "iso8601".)
	data := rodata("Login incorrect", "@include", "tor+https", "iso8601", "%s login: ", "/etc/passwd", "/etc/shadow", "Password: ", "sha512", "yescrypt",
		"SIGUSR1", "x86_64", "GLIBC_2.34", "LOGIN_TIMEOUT", "pam_unix.so", "deadbeefcafebabe", "1.36.1", "admin",
		"Password changed.", "passwd: %s", "root", "x509v3", "en_US.UTF-8")
	for _, kw := range []string{"assword", "login:", "passwd"} {
		if h := hintsIn(t, data, kw); len(h) != 0 {
			t.Errorf("%s: %+v", kw, h)
		}
	}
}

func TestLooksLikePassword(t *testing.T) {
	for _, s := range []string{"xc3511", "hi3518", "Zte521", "admin123", "P@ssw0rd", "7ujMko0admin", "tlJwpbo6"} {
		if !looksLikePassword(s) {
			t.Errorf("%q should look like a password", s)
		}
	}
	for _, s := range []string{"admin", "password", "Login", "%s:%d", "/bin/sh", "sha256", "SIGUSR1", "GCC3.4", "ab12", "a very long sentence", "1234567", "ERR0R01", "x509v3", "0123456789abcdef", "utf8mb4_x", "@include", "tor+https", "iso8601"} {
		if looksLikePassword(s) {
			t.Errorf("%q should not look like a password", s)
		}
	}
}

// The window's first and last strings may be cut mid-way: never taken.
func TestCredentialsCutEdges(t *testing.T) {
	data := []byte("bc3511\x00Password: \x00xc35")
	if h := credentialsNear(data, 8, 100); len(h) != 0 {
		t.Errorf("cut strings taken: %+v", h)
	}
	if credentialsNear(data, -1, 0) != nil || credentialsNear(data, 99, 0) != nil {
		t.Error("out of range")
	}
}
