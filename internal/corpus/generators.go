package corpus

import (
	"bytes"
	"os"
	"path/filepath"

	"github.com/doorman-sec/doorman/format/crypt"
	"github.com/doorman-sec/doorman/internal/fixture"
)

// Generators build case targets that are binary or hold key material, so
// the repository carries the code that makes them rather than the bytes.
// Each takes a scratch folder and returns the target's path.
var Generators = map[string]func(tmp string) (string, error){
	"demo-router": func(tmp string) (string, error) {
		return write(tmp, "router.bin", fixture.DemoRouter())
	},
	// A 16 MiB dump: uImage kernel at 0, squashfs root at an odd offset,
	// as the carving requirement describes.
	"firmware-16mib": func(tmp string) (string, error) {
		kernel := fixture.UImage("Linux-5.4.0", fixture.Gzip(make([]byte, 1<<20)), 1)
		rootfs := fixture.Squashfs([]fixture.File{
			{Path: "etc/dropbear/dropbear_ed25519_host_key.pem", Mode: 0o600, Data: fixture.PKCS8Key(7)},
			{Path: "etc/banner", Data: []byte("welcome\n")},
		})
		return write(tmp, "dump.bin", fixture.Blob(16<<20, 99, fixture.Part{Offset: 0, Data: kernel}, fixture.Part{Offset: 0x9a3e1, Data: rootfs}))
	},
	// An application release whose config ships live-looking credentials.
	"app-release-tgz": func(tmp string) (string, error) {
		files := []fixture.File{
			{Path: "app/.env", Data: []byte("NODE_ENV=production\nGITHUB_TOKEN=ghp_8kV2mQ7rT1xN4pL9sD3fH6jB0cZ5wY2eR7uA\nDATABASE_URL=postgres://app:Xk82!mPq9zR@db.example.com:5432/app\n")},
			{Path: "app/server.js", Data: []byte("const url = process.env.DATABASE_URL;\nmodule.exports = { url };\n")},
			{Path: "app/README.md", Data: []byte("Set DATABASE_URL=postgres://user:password@localhost/db before starting.\n")},
		}
		return write(tmp, "app-1.2.0.tgz", fixture.Gzip(fixture.Tar(files)))
	},
	// Zyxel USG/ATP firmware with the undocumented "zyfwp" account and its
	// published password (CVE-2020-29583), re-created inertly in a squashfs
	// inside a raw image.
	"zyxel-zyfwp": func(tmp string) (string, error) {
		rootfs := fixture.Squashfs([]fixture.File{
			{Path: "etc/passwd", Data: []byte("root:x:0:0:root:/root:/bin/sh\nzyfwp:x:10007:10007:zyfwp:/home/zyfwp:/bin/sh\n")},
			{Path: "etc/shadow", Mode: 0o600, Data: []byte("root:" + crypt.Crypt("an unguessable root passphrase 91c2", "$6$rounds=5000$Zr8pQ2mV$") + ":18000:0:99999:7:::\nzyfwp:" + crypt.Crypt("PrOw!aN_fXp", "$1$zYx3Kp9a$") + ":18000:0:99999:7:::\n")},
		})
		return write(tmp, "zld.bin", fixture.Blob(1<<20, 5, fixture.Part{Offset: 0x10013, Data: rootfs}))
	},
	// A Mirai-era camera: root's DES hash in the passwd field itself (BusyBox
	// style) for a password from Mirai's published credential table.
	"mirai-camera-des": func(tmp string) (string, error) {
		cpio := fixture.CpioNewc([]fixture.File{
			{Path: "etc/passwd", Data: []byte("root:" + crypt.Crypt("xc3511", "ab") + ":0:0:root:/:/bin/sh\n")},
			{Path: "etc/init.d/rcS", Mode: 0o755, Data: []byte("#!/bin/sh\nmount -a\n")},
		})
		return write(tmp, "initramfs.cpio.gz", fixture.Gzip(cpio))
	},
	// A clean Debian-like system: locked system accounts, a strong root hash.
	"clean-debian-accounts": func(tmp string) (string, error) {
		root := filepath.Join(tmp, "rootfs")
		files := map[string][]byte{
			"etc/passwd": []byte("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\nsshd:x:100:65534::/run/sshd:/usr/sbin/nologin\nalice:x:1000:1000:Alice,,,:/home/alice:/bin/bash\n"),
			"etc/shadow": []byte("root:" + crypt.Crypt("correct horse battery staple 7731", "$6$rounds=5000$q9Wm2Lx8$") + ":19500:0:99999:7:::\ndaemon:*:19500:0:99999:7:::\nbin:*:19500:0:99999:7:::\nsshd:!:19500::::::\nalice:!:19500:0:99999:7:::\n"),
			"etc/group":  []byte("root:x:0:\ndaemon:x:1:\nsudo:x:27:alice\n"),
		}
		for name, data := range files {
			p := filepath.Join(root, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return "", err
			}
			if err := os.WriteFile(p, data, 0o644); err != nil {
				return "", err
			}
		}
		return root, nil
	},
	// A Broadcom-style router update: TRX header, gzip kernel, big-endian
	// JFFS2 root file system carrying a telnet root shell at boot and an
	// open root account (the demo's backdoors in another packing).
	"trx-jffs2-router": func(tmp string) (string, error) {
		kernel := fixture.Gzip(bytes.Repeat([]byte("Linux version 2.6.36.4brcmarm kernel image\n"), 200))
		rootfs := fixture.JFFS2(fixture.RouterRootfs(), true)
		return write(tmp, "router.trx", fixture.TRX(kernel, rootfs))
	},
	// A clean library: a key in its test fixtures, documentation examples,
	// public certificates and code that parses PEM: nothing high.
	"clean-library": func(tmp string) (string, error) {
		root := filepath.Join(tmp, "libtls-2.3.1")
		files := map[string][]byte{
			"testdata/server.key":   fixture.PKCS8Key(9),
			"docs/configuration.md": []byte("# Configuration\n\n    aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n    aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n\npassword = \"\"\n"),
			"src/pem.go":            []byte("package tls\n\nconst rsaHeader = \"-----BEGIN RSA PRIVATE KEY-----\"\n\nfunc isKey(b string) bool { return len(b) > len(rsaHeader) && b[:len(rsaHeader)] == rsaHeader }\n"),
			"src/config.go":         []byte("package tls\n\nimport \"os\"\n\nvar password = os.Getenv(\"TLS_KEY_PASSWORD\")\n"),
			"config/settings.yaml":  []byte("database:\n  user: app\n  password: ${DB_PASSWORD}\n  host: localhost\n"),
			"certs/ca.pem":          []byte("-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2V0aWZpY2F0ZUV4YW1wbGUwCgYIKoZIzj0EAwIwDzEN\n-----END CERTIFICATE-----\n"),
			"keys/id_ed25519.pub":   []byte("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGRlbW8ta2V5LWZvci10ZXN0cy1vbmx5LW5vdC1yZWFs demo@example.com\n"),
		}
		for name, data := range files {
			p := filepath.Join(root, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return "", err
			}
			if err := os.WriteFile(p, data, 0o644); err != nil {
				return "", err
			}
		}
		return root, nil
	},
}

func write(tmp, name string, data []byte) (string, error) {
	p := filepath.Join(tmp, name)
	return p, os.WriteFile(p, data, 0o644)
}
