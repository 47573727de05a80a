package updatepath

import (
	"path"
	"strings"
)

// sink is a command that writes content to flash or installs it: what
// runs next boot, or now, is whatever reached it.
type sink struct {
	what   string   // "mtd write", "sysupgrade", "opkg install"...
	inputs []string // files read; "-" for standard input
}

// flashDevice reports whether a path is a raw flash or disk device.
func flashDevice(p string) bool {
	for _, pre := range []string{"/dev/mtd", "/dev/mmcblk", "/dev/sd", "/dev/nand", "/dev/ubi", "/dev/hd", "/dev/vd", "/dev/nvme", "/dev/block/"} {
		if strings.HasPrefix(p, pre) {
			return true
		}
	}
	return false
}

// parseSink recognises the commands that flash an image or install a
// package, and the files they read.
func parseSink(args []string, out string) (*sink, bool) {
	name, rest := cmdName(args)
	switch name {
	case "mtd":
		for i, a := range rest {
			if (a == "write" || a == "jffs2write") && i+1 < len(rest) {
				return &sink{what: "mtd " + a, inputs: []string{rest[i+1]}}, true
			}
		}
	case "sysupgrade":
		for _, a := range rest {
			switch a {
			case "-T", "--test", "-b", "--create-backup", "-l", "--list-backup", "-h", "--help", "-r", "--restore-backup":
				return nil, false // tests, backs up or restores configuration: flashes nothing
			}
		}
		if p := positional(rest, "-f", "-o"); len(p) > 0 {
			return &sink{what: "sysupgrade", inputs: []string{p[len(p)-1]}}, true
		}
	case "dd":
		in, of := "-", ""
		for _, a := range rest {
			if v, ok := strings.CutPrefix(a, "if="); ok {
				in = v
			}
			if v, ok := strings.CutPrefix(a, "of="); ok {
				of = v
			}
		}
		if flashDevice(of) {
			return &sink{what: "dd of=" + of, inputs: []string{in}}, true
		}
	case "flashcp":
		if p := positional(rest); len(p) >= 2 {
			return &sink{what: "flashcp", inputs: []string{p[0]}}, true
		}
	case "nandwrite":
		p := positional(rest, "-s", "--start")
		if len(p) == 1 {
			return &sink{what: "nandwrite", inputs: []string{"-"}}, true
		}
		if len(p) >= 2 {
			return &sink{what: "nandwrite", inputs: []string{p[1]}}, true
		}
	case "ubiupdatevol":
		if p := positional(rest, "-s", "--size", "-n", "--vol_id"); len(p) >= 2 {
			return &sink{what: "ubiupdatevol", inputs: []string{p[1]}}, true
		}
	case "opkg", "ipkg":
		p := positional(rest, "-d", "--dest", "-o", "--offline-root", "-f", "--conf", "--add-arch", "--add-dest", "--cache", "-t", "--tmp-dir", "-l", "--lists-dir")
		if len(p) >= 2 && p[0] == "install" {
			return &sink{what: name + " install", inputs: p[1:]}, true
		}
	case "rpm":
		install := false
		for _, a := range rest {
			if a == "--install" || a == "--upgrade" || a == "--freshen" ||
				(len(a) > 1 && a[0] == '-' && a[1] != '-' && strings.ContainsAny(a[1:2], "iUF")) {
				install = true
			}
		}
		if p := positional(rest, "--root", "-r", "--dbpath", "--define", "-D", "--prefix", "--relocate"); install && len(p) > 0 {
			return &sink{what: "rpm install", inputs: p}, true
		}
	case "dpkg":
		install := false
		for _, a := range rest {
			if a == "-i" || a == "--install" || a == "--unpack" {
				install = true
			}
		}
		if p := positional(rest, "--root", "--instdir", "--admindir"); install && len(p) > 0 {
			return &sink{what: "dpkg install", inputs: p}, true
		}
	case "tar":
		if t, ok := parseTar(rest); ok && (t.dir == "/" || t.dir == "/overlay" || t.dir == "/overlay/upper") {
			return &sink{what: "tar extract into " + t.dir, inputs: []string{t.file}}, true
		}
	case "sh", "ash", "bash", "dash", "ksh", ".", "source":
		for _, a := range rest {
			if a == "-c" {
				return nil, false
			}
		}
		p := positional(rest)
		if len(p) == 0 {
			return &sink{what: name, inputs: []string{"-"}}, true
		}
		return &sink{what: name, inputs: []string{p[0]}}, true
	}
	// Anything written into a flash device: "cat fw.bin > /dev/mtdblock2".
	if flashDevice(out) {
		switch name {
		case "cat", "zcat", "gunzip", "xzcat", "bzcat", "lzcat", "zstdcat", "head", "tail", "tee":
			p := positional(rest)
			if len(p) == 0 {
				p = []string{"-"}
			}
			return &sink{what: name + " > " + out, inputs: p}, true
		}
	}
	return nil, false
}

// tarCmd is what a tar extraction reads and where it writes.
type tarCmd struct {
	file string // archive read; "-" for standard input
	dir  string // -C folder; "" for the current one
}

// parseTar reads "tar xzf FILE -C DIR", "tar -x -f FILE --directory=DIR"
// and the like; ok only for extraction.
func parseTar(args []string) (tarCmd, bool) {
	t := tarCmd{file: "-"}
	extract := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		next := func() string {
			if i+1 < len(args) {
				i++
				return args[i]
			}
			return ""
		}
		switch {
		case a == "--extract" || a == "--get":
			extract = true
		case a == "--file":
			t.file = next()
		case strings.HasPrefix(a, "--file="):
			t.file = strings.TrimPrefix(a, "--file=")
		case a == "--directory":
			t.dir = next()
		case strings.HasPrefix(a, "--directory="):
			t.dir = strings.TrimPrefix(a, "--directory=")
		case a == "-C":
			t.dir = next()
		case strings.HasPrefix(a, "--"):
		case strings.HasPrefix(a, "-") || (i == 0 && a != "" && strings.Trim(a, "xzjJvfpoOcrtu") == ""):
			// "-xzf FILE" or the old style "xzf FILE" as the first word.
			cl := strings.TrimPrefix(a, "-")
			for j := 0; j < len(cl); j++ {
				switch cl[j] {
				case 'x':
					extract = true
				case 'f':
					if v := cl[j+1:]; v != "" && a[0] == '-' {
						t.file = v
						j = len(cl)
					} else {
						t.file = next()
					}
				case 'C':
					if v := cl[j+1:]; v != "" {
						t.dir = v
						j = len(cl)
					} else {
						t.dir = next()
					}
				}
			}
		}
	}
	if t.dir != "" && t.dir != "/" {
		t.dir = strings.TrimSuffix(path.Clean(t.dir), "/")
	}
	return t, extract
}
