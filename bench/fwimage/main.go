// Command fwimage builds a realistic embedded-Linux firmware image from a
// real BusyBox binary, for the firmware benchmark (bench/firmware.sh) and as
// a near-miss target: the root file system of a small router or camera.
//
// Given a Debian busybox-static package (.deb, any architecture: mipsel and
// armhf are the firmware-like ones), it takes bin/busybox out of the
// package's data.tar.xz (read with our format/ar, archive/tar and
// github.com/ulikunitz/xz) and builds a BusyBox-style tree around it:
// applet symlinks (sh, ls, telnetd, httpd, getty, login, ...), daemons in
// usr/sbin that are full copies of busybox as vendors ship them, an
// inittab, rcS, passwd/shadow/group, a small web UI in www/ and empty
// lib/, dev/, proc/ ... folders. The image is 64 MiB (-size) of 0xFF flash
// padding holding
//
//	0x000000        a uImage (legacy U-Boot header) with a gzip'd kernel:
//	                deterministic filler with a Linux banner, not a kernel
//	odd offset      the root file system: squashfs (default), or with
//	                -initramfs a uImage ramdisk holding a gzip'd newc cpio
//
// By default the tree is clean: root has a strong SHA-512 crypt hash, the
// serial console runs getty with login, telnetd is installed (as the
// busybox applet) but never started. -backdoor turns it into the classic
// vendor backdoor, inertly: rcS starts "telnetd -l /bin/sh" (a root shell
// without login) and root's password is empty.
//
// The output is deterministic: the same .deb and flags give the same bytes.
//
// Usage:
//
//	go run ./bench/fwimage -o bench/out/fw/router-mipsel.bin busybox-static_1.35.0-4_mipsel.deb
//	go run ./bench/fwimage -backdoor -o bench/out/fw/router-bd.bin busybox-static_..._mipsel.deb
//	go run ./bench/fwimage -initramfs -o bench/out/fw/router-initramfs.bin busybox-static_..._armhf.deb
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"debug/elf"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path"
	"strconv"
	"strings"

	"github.com/doorman-sec/doorman/format/ar"
	"github.com/ulikunitz/xz"
)

// Bounds on what is read from the package: the whole busybox-static .deb
// is about 1 MiB compressed and its binary 2.5 MiB; anything far larger is
// not the package this tool expects.
const (
	maxMember = 64 << 20 // one member of data.tar
	maxData   = 256 << 20
)

func main() {
	var (
		out       = flag.String("o", "", "output image `FILE`")
		backdoor  = flag.Bool("backdoor", false, "plant the inert backdoor: rcS starts telnetd -l /bin/sh, root's password is empty")
		initramfs = flag.Bool("initramfs", false, "root file system as a gzip'd cpio initramfs in a uImage ramdisk instead of squashfs")
		sizeS     = flag.String("size", "64M", "image `SIZE` (bytes, or with K, M suffix: binary units)")
		tree      = flag.Bool("list", false, "print the root file system's paths to standard error")
	)
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: fwimage [-backdoor] [-initramfs] [-size 64M] -o FILE busybox-static_VERSION_ARCH.deb\n\nBuilds a BusyBox router firmware image around the package's binary (see bench/README.md).\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *out == "" || flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	size, err := parseSize(*sizeS)
	if err != nil || size < 8<<20 {
		fatalf("bad -size %q: want at least 8M", *sizeS)
	}

	pkg, err := readPackage(flag.Arg(0))
	if err != nil {
		fatalf("%s: %v", flag.Arg(0), err)
	}
	arch, machine, err := uimageArch(pkg.busybox)
	pkg.arch = machine
	if err != nil {
		fatalf("%s: bin/busybox: %v", flag.Arg(0), err)
	}
	files := rootfs(pkg, *backdoor)
	if *tree {
		for _, f := range files {
			fmt.Fprintln(os.Stderr, f.Path)
		}
	}
	img, layout := build(files, arch, *initramfs, size)
	if err := writeFile(*out, img); err != nil {
		fatalf("%v", err)
	}
	kind := "clean"
	if *backdoor {
		kind = "backdoor"
	}
	fmt.Fprintf(os.Stderr, "fwimage: %s: %d bytes, %s rootfs of %d entries (busybox %s, %d bytes); %s\n",
		*out, len(img), kind, len(files), pkg.arch, len(pkg.busybox), layout)
}

// pkgFiles is what the generator takes from the package.
type pkgFiles struct {
	busybox  []byte
	arch     string            // ELF machine, for the summary line
	examples map[string][]byte // usr/share/doc/busybox*/examples/NAME → data
}

// readPackage opens a .deb (an ar archive) and reads bin/busybox and the
// packaged examples out of its data.tar.xz (or .gz).
func readPackage(name string) (*pkgFiles, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := ar.NewReader(f)
	for {
		h, err := r.Next()
		if err == io.EOF {
			return nil, errors.New("no data.tar.xz or data.tar.gz member: not a Debian package")
		}
		if err != nil {
			return nil, err
		}
		var tr io.Reader
		switch h.Name {
		case "data.tar.xz":
			xr, err := xz.NewReader(io.LimitReader(r, h.Size))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", h.Name, err)
			}
			tr = xr
		case "data.tar.gz":
			zr, err := gzip.NewReader(io.LimitReader(r, h.Size))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", h.Name, err)
			}
			tr = zr
		default:
			continue
		}
		return readData(io.LimitReader(tr, maxData))
	}
}

func readData(r io.Reader) (*pkgFiles, error) {
	p := &pkgFiles{examples: map[string][]byte{}}
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("data.tar: %w", err)
		}
		if h.Typeflag != tar.TypeReg || h.Size > maxMember {
			continue
		}
		name := path.Clean(strings.TrimPrefix(h.Name, "./"))
		isBusybox := name == "bin/busybox"
		dir, base := path.Split(name)
		isExample := strings.HasPrefix(dir, "usr/share/doc/busybox") && strings.Contains(dir, "/examples/")
		if !isBusybox && !isExample {
			continue
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return nil, fmt.Errorf("data.tar: %s: %w", name, err)
		}
		if isBusybox {
			p.busybox = data
		} else {
			p.examples[strings.TrimPrefix(path.Base(strings.TrimSuffix(dir, "/"))+"/"+base, "examples/")] = data
		}
	}
	if p.busybox == nil {
		return nil, errors.New("no bin/busybox in data.tar: not a busybox-static package")
	}
	return p, nil
}

// uimageArch maps busybox's ELF machine to U-Boot's architecture code, so
// the uImage headers say what a vendor's would.
func uimageArch(bin []byte) (byte, string, error) {
	f, err := elf.NewFile(bytes.NewReader(bin))
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	code, err := archCode(f.Machine)
	return code, strings.TrimPrefix(f.Machine.String(), "EM_"), err
}

func archCode(m elf.Machine) (byte, error) {
	switch m {
	case elf.EM_ARM:
		return 2, nil
	case elf.EM_MIPS:
		return 5, nil
	case elf.EM_PPC:
		return 7, nil
	case elf.EM_AARCH64:
		return 22, nil
	case elf.EM_386:
		return 3, nil
	case elf.EM_X86_64:
		return 24, nil
	case elf.EM_RISCV:
		return 26, nil
	}
	return 0, fmt.Errorf("unexpected ELF machine %v", m)
}

func writeFile(name string, data []byte) error {
	tmp := name + ".partial"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}

func parseSize(s string) (int64, error) {
	s = strings.TrimSuffix(strings.TrimSuffix(strings.ToUpper(strings.TrimSpace(s)), "B"), "I")
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "K"):
		mult, s = 1<<10, strings.TrimSuffix(s, "K")
	case strings.HasSuffix(s, "M"):
		mult, s = 1<<20, strings.TrimSuffix(s, "M")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n > 1<<40/mult {
		return 0, errors.New("bad size")
	}
	return n * mult, nil
}

func fatalf(f string, a ...any) {
	fmt.Fprintf(os.Stderr, "fwimage: "+f+"\n", a...)
	os.Exit(1)
}
