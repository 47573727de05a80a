package updatediff

import "testing"

func TestNormPath(t *testing.T) {
	for _, c := range []struct{ path, target, want string }{
		{"fw-1.0.bin!/squashfs@0x1a0000!/etc/shadow", "fw-1.0.bin", "!/squashfs@*!/etc/shadow"},
		{"fw-1.1.bin!/squashfs@0x1B2000!/etc/shadow", "fw-1.1.bin", "!/squashfs@*!/etc/shadow"},
		{"out/v2/fw.bin!/uimage@0x0!/data!/init", "out/v2/fw.bin", "!/uimage@*!/data!/init"},
		// Stream names derived from the target carry its version.
		{"d/cam-2.0.1.tgz!/cam-2.0.1.tar!/etc/passwd", "d/cam-2.0.1.tgz", "!/~!/etc/passwd"},
		{"app-3.1.tar.gz!/app-3.1.tar!/bin/app", "app-3.1.tar.gz", "!/~!/bin/app"},
		{"rootfs.cpio.xz!/rootfs.cpio!/etc/inittab", "rootfs.cpio.xz", "!/~!/etc/inittab"},
		{"fw.bin.gz!/fw.bin!/squashfs@0x40!/etc/passwd", "fw.bin.gz", "!/~!/squashfs@*!/etc/passwd"},
		// A member that merely shares a prefix is kept.
		{"pkg.tar!/pkg/etc/conf", "pkg.tar", "!/pkg/etc/conf"},
		{"pkg.tar!/pkg.conf", "pkg.tar", "!/pkg.conf"},
		// Folders as targets.
		{"rootfs-1/etc/passwd", "rootfs-1", "/etc/passwd"},
		{"rootfs-1/", "rootfs-1/", ""},
		// The target's name is cut only at a boundary.
		{"fw2.bin!/etc/x", "fw", "fw2.bin!/etc/x"},
		{"other!/etc/x", "", "other!/etc/x"},
	} {
		if got := NormPath(c.path, c.target); got != c.want {
			t.Errorf("NormPath(%q, %q) = %q, want %q", c.path, c.target, got, c.want)
		}
	}
}

func TestInnerPath(t *testing.T) {
	for in, want := range map[string]string{
		"!/squashfs@*!/usr/sbin/x": "/usr/sbin/x",
		"/etc/passwd":              "/etc/passwd",
		"!/~!/etc/passwd":          "/etc/passwd",
		"etc/passwd":               "/etc/passwd",
	} {
		if got := innerPath(in); got != want {
			t.Errorf("innerPath(%q) = %q, want %q", in, got, want)
		}
	}
}
