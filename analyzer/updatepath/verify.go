package updatepath

import (
	"strings"
)

// check is a command that checks downloaded content.
type check struct {
	// files a signature check covers; empty for a checksum-list check.
	files []string
	// keys the signature check trusts: a key fetched over the same channel
	// proves nothing.
	keys []string
	// list is the checksum list of "sha256sum -c LIST" ("-": stdin).
	list string
	sig  bool
}

// parseCheck recognises signature verification (usign, signify, openssl
// dgst -verify, openssl smime/cms -verify, gpg --verify, gpgv) and
// checksum-list verification (sha256sum -c and its kin).
func parseCheck(args []string) (*check, bool) {
	name, rest := cmdName(args)
	switch name {
	case "usign", "signify", "signify-openbsd":
		if !hasArg(rest, "-V") {
			return nil, false
		}
		c := &check{sig: true}
		if m := optValue(rest, "-m"); m != "" {
			c.files = append(c.files, m)
		}
		for _, k := range []string{"-p", "-P"} {
			if v := optValue(rest, k); v != "" {
				c.keys = append(c.keys, v)
			}
		}
		return c, len(c.files) > 0
	case "openssl":
		if len(rest) == 0 {
			return nil, false
		}
		switch rest[0] {
		case "dgst", "sha256", "sha512", "sha1":
			key := optValue(rest, "-verify")
			if key == "" {
				key = optValue(rest, "-prverify")
			}
			if key == "" {
				return nil, false
			}
			p := positional(rest[1:], "-verify", "-prverify", "-signature", "-keyform", "-sigopt", "-passin")
			if len(p) == 0 {
				return nil, false
			}
			return &check{sig: true, files: p[len(p)-1:], keys: []string{key}}, true
		case "smime", "cms":
			if !hasArg(rest, "-verify") {
				return nil, false
			}
			c := &check{sig: true}
			for _, o := range []string{"-in", "-content"} {
				if v := optValue(rest, o); v != "" {
					c.files = append(c.files, v)
				}
			}
			if v := optValue(rest, "-CAfile"); v != "" {
				c.keys = append(c.keys, v)
			}
			return c, len(c.files) > 0
		}
	case "gpg", "gpg2":
		if !hasArg(rest, "--verify") {
			return nil, false
		}
		return gpgCheck(positional(rest, "--keyring", "--homedir", "--trustdb-name", "--status-fd", "--verify")), true
	case "gpgv", "gpgv2":
		return gpgCheck(positional(rest, "--keyring", "--homedir", "--status-fd")), true
	case "sha256sum", "sha512sum", "sha384sum", "sha224sum", "sha1sum", "md5sum", "b2sum", "sha3sum":
		if !hasArg(rest, "-c") && !hasArg(rest, "--check") && !clusterHas(rest, 'c') {
			return nil, false
		}
		p := positional(rest)
		list := "-"
		if len(p) > 0 {
			list = p[0]
		}
		return &check{list: list}, true
	}
	// A program or an undefined function named for verification
	// ("verify_firmware $FW", "check_signature $IMG"): trusted, since the
	// script's author says it verifies and the body is not in this file.
	l := strings.ToLower(name)
	if strings.Contains(l, "verify") || strings.Contains(l, "signature") || strings.Contains(l, "check_sig") || strings.Contains(l, "checksig") {
		if p := positional(rest); len(p) > 0 {
			return &check{sig: true, files: p}, true
		}
	}
	return nil, false
}

// gpgCheck reads "gpg --verify SIG [DATA...]": with a detached signature
// the data files follow it; alone, the file is signed data itself or
// names its data by dropping .sig or .asc.
func gpgCheck(p []string) *check {
	c := &check{sig: true}
	switch {
	case len(p) >= 2:
		c.files = p[1:]
	case len(p) == 1:
		c.files = []string{p[0]}
		for _, ext := range []string{".sig", ".asc", ".gpg"} {
			if b, ok := strings.CutSuffix(p[0], ext); ok {
				c.files = append(c.files, b)
			}
		}
	}
	return c
}

// hashOf recognises a command that prints a digest of files ("sha256sum
// FW", "openssl dgst -sha256 FW", "md5sum < FW"); files is empty when it
// hashes standard input.
func hashOf(args []string, in string) (files []string, ok bool) {
	name, rest := cmdName(args)
	switch name {
	case "sha256sum", "sha512sum", "sha384sum", "sha224sum", "sha1sum", "md5sum", "b2sum", "sha3sum":
		if hasArg(rest, "-c") || hasArg(rest, "--check") || clusterHas(rest, 'c') {
			return nil, false
		}
		files = positional(rest)
	case "openssl":
		if len(rest) == 0 || hasArg(rest, "-verify") || hasArg(rest, "-prverify") || hasArg(rest, "-sign") {
			return nil, false
		}
		switch rest[0] {
		case "dgst", "sha256", "sha512", "sha1", "md5":
			files = positional(rest[1:], "-out", "-hmac", "-mac", "-macopt", "-keyform", "-sigopt")
		default:
			return nil, false
		}
	default:
		return nil, false
	}
	if len(files) == 0 && in != "" {
		files = []string{in}
	}
	return files, true
}

// transform recognises commands whose output is their input's content
// reshaped (decompressed, decoded, cut): what comes out of a downloaded
// file is still downloaded content.
func transform(name string) bool {
	switch name {
	case "cat", "zcat", "xzcat", "bzcat", "lzcat", "zstdcat", "gunzip", "gzip", "xz", "unxz", "bunzip2", "bzip2",
		"lzma", "unlzma", "zstd", "unzstd", "head", "tail", "cut", "awk", "sed", "tr", "base64", "uudecode",
		"openssl", "dd", "tee", "grep":
		return true
	}
	return false
}

// decompressed is the file a decompressor writes beside its input:
// "fw.bin.gz" → "fw.bin".
func decompressed(name, file string) (string, bool) {
	exts := map[string][]string{
		"gunzip": {".gz", ".tgz"}, "gzip": {".gz"}, "xz": {".xz"}, "unxz": {".xz"}, "bunzip2": {".bz2"},
		"bzip2": {".bz2"}, "lzma": {".lzma"}, "unlzma": {".lzma"}, "zstd": {".zst"}, "unzstd": {".zst"},
	}
	for _, e := range exts[name] {
		if b, ok := strings.CutSuffix(file, e); ok && b != "" {
			if e == ".tgz" {
				b += ".tar"
			}
			return b, true
		}
	}
	return "", false
}

func hasArg(args []string, want string) bool {
	for _, a := range args {
		if a == want {
			return true
		}
	}
	return false
}

// clusterHas reports whether a short-option cluster ("-sc") holds c.
func clusterHas(args []string, c byte) bool {
	for _, a := range args {
		if len(a) > 2 && a[0] == '-' && a[1] != '-' && strings.IndexByte(a[1:], c) >= 0 {
			return true
		}
	}
	return false
}

// optValue returns the value of an option ("-m FILE" or "-mFILE").
func optValue(args []string, opt string) string {
	for i, a := range args {
		if a == opt && i+1 < len(args) {
			return args[i+1]
		}
		if len(opt) == 2 && strings.HasPrefix(a, opt) && len(a) > 2 {
			return a[2:]
		}
	}
	return ""
}
