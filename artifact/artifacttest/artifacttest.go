// Package artifacttest builds the fixtures that tests of the artifact tree
// need, ordinary and hostile: archives, compressed streams, firmware
// headers, and the bombs a crafted target uses against a scanner. Every
// fixture is made in memory from Go code, so tests need no binary files and
// no network.
package artifacttest

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
	"github.com/ulikunitz/xz"
	"github.com/ulikunitz/xz/lzma"
)

// TarMember is one member of a tar built by Tar. Typeflag, Linkname and
// device numbers go in Header; Size is set from Data for regular members.
type TarMember struct {
	Header tar.Header
	Data   []byte
}

// File is a regular tar member.
func File(name string, data []byte) TarMember {
	return TarMember{Header: tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644}, Data: data}
}

// Tar writes the members as a GNU/PAX tar, in order.
func Tar(tb testing.TB, members ...TarMember) []byte {
	tb.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, m := range members {
		h := m.Header
		if h.Typeflag == tar.TypeReg || h.Typeflag == 0 {
			h.Size = int64(len(m.Data))
		}
		if h.Mode == 0 {
			h.Mode = 0o644
		}
		if err := tw.WriteHeader(&h); err != nil {
			tb.Fatalf("tar header %q: %v", h.Name, err)
		}
		if _, err := tw.Write(m.Data); err != nil {
			tb.Fatalf("tar data %q: %v", h.Name, err)
		}
	}
	if err := tw.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// ZipMember is one member of a zip built by Zip.
type ZipMember struct {
	Name  string
	Data  []byte
	Store bool // stored, not deflated
}

// Zip writes the members as a zip.
func Zip(tb testing.TB, members ...ZipMember) []byte {
	tb.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestCompression)
	})
	for _, m := range members {
		method := zip.Deflate
		if m.Store {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: m.Name, Method: method})
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write(m.Data); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// Deflate compresses data as a raw deflate stream at the best ratio.
func Deflate(tb testing.TB, data io.Reader) (compressed []byte, crc uint32, size int64) {
	tb.Helper()
	var b bytes.Buffer
	fw, _ := flate.NewWriter(&b, flate.BestCompression)
	h := crc32.NewIEEE()
	n, err := io.Copy(fw, io.TeeReader(data, h))
	if err != nil {
		tb.Fatal(err)
	}
	if err := fw.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes(), h.Sum32(), n
}

// rawZip writes n deflated members named name(i), all with the same
// already-compressed content, without compressing it n times.
func rawZip(tb testing.TB, n int, name func(int) string, comp []byte, crc uint32, size int64) []byte {
	tb.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for i := range n {
		w, err := zw.CreateRaw(&zip.FileHeader{
			Name: name(i), Method: zip.Deflate, CRC32: crc,
			CompressedSize64: uint64(len(comp)), UncompressedSize64: uint64(size),
		})
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write(comp); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// NestedZipBomb builds a 42.zip-style bomb: levels of zips, each holding
// width copies of the level below, the innermost holding width members of
// leaf zero bytes. It unpacks to width^levels * leaf bytes; each level is
// compressed once and its bytes reused, so building it is cheap.
func NestedZipBomb(tb testing.TB, levels, width int, leaf int64) []byte {
	tb.Helper()
	comp, crc, size := Deflate(tb, io.LimitReader(Zeros{}, leaf))
	data := rawZip(tb, width, func(i int) string { return leafName(i) }, comp, crc, size)
	for l := levels - 1; l > 0; l-- {
		comp, crc, size = Deflate(tb, bytes.NewReader(data))
		data = rawZip(tb, width, func(i int) string { return levelName(l, i) }, comp, crc, size)
	}
	return data
}

func leafName(i int) string     { return "leaf" + itoa(i) + ".bin" }
func levelName(l, i int) string { return "lvl" + itoa(l) + "-" + itoa(i) + ".zip" }

func itoa(i int) string {
	var b [20]byte
	p := len(b)
	for {
		p--
		b[p] = byte('0' + i%10)
		i /= 10
		if i == 0 {
			return string(b[p:])
		}
	}
}

// Zeros reads as an endless run of zero bytes.
type Zeros struct{}

func (Zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// OverlapZip builds an overlapping-entry zip bomb in its simplest form
// (after David Fifield's construction): one local file header and one
// deflate stream of `size` zero bytes, and n central-directory entries that
// all point at it. A reader that trusts the directory unpacks the stream n
// times.
func OverlapZip(tb testing.TB, n int, size int64) []byte {
	tb.Helper()
	comp, crc, usize := Deflate(tb, io.LimitReader(Zeros{}, size))
	var b bytes.Buffer
	le := binary.LittleEndian
	name := []byte("kernel")
	// Local file header at offset 0.
	var lh [30]byte
	le.PutUint32(lh[0:], 0x04034b50)
	le.PutUint16(lh[4:], 20)
	le.PutUint16(lh[8:], zip.Deflate)
	le.PutUint32(lh[14:], crc)
	le.PutUint32(lh[18:], uint32(len(comp)))
	le.PutUint32(lh[22:], uint32(usize))
	le.PutUint16(lh[26:], uint16(len(name)))
	b.Write(lh[:])
	b.Write(name)
	b.Write(comp)
	cdStart := b.Len()
	for i := range n {
		cname := []byte("f" + itoa(i))
		var ch [46]byte
		le.PutUint32(ch[0:], 0x02014b50)
		le.PutUint16(ch[4:], 20)
		le.PutUint16(ch[6:], 20)
		le.PutUint16(ch[10:], zip.Deflate)
		le.PutUint32(ch[16:], crc)
		le.PutUint32(ch[20:], uint32(len(comp)))
		le.PutUint32(ch[24:], uint32(usize))
		le.PutUint16(ch[28:], uint16(len(cname)))
		le.PutUint32(ch[42:], 0) // every entry: the same local header
		b.Write(ch[:])
		b.Write(cname)
	}
	cdLen := b.Len() - cdStart
	var eocd [22]byte
	le.PutUint32(eocd[0:], 0x06054b50)
	le.PutUint16(eocd[8:], uint16(n))
	le.PutUint16(eocd[10:], uint16(n))
	le.PutUint32(eocd[12:], uint32(cdLen))
	le.PutUint32(eocd[16:], uint32(cdStart))
	b.Write(eocd[:])
	return b.Bytes()
}

// PatchZipSizes rewrites the uncompressed size that the central directory
// gives every member, so that the zip lies about what it holds. Readers
// trust the directory (Go's writer leaves the local headers' sizes zero and
// puts them in data descriptors). Zip64 records are not handled: Zip writes
// none for small members.
func PatchZipSizes(tb testing.TB, z []byte, usize uint32) []byte {
	tb.Helper()
	out := bytes.Clone(z)
	le := binary.LittleEndian
	eocd := bytes.LastIndex(out, []byte("PK\x05\x06"))
	if eocd < 0 || eocd+22 > len(out) {
		tb.Fatal("PatchZipSizes: no end of central directory")
	}
	n := int(le.Uint16(out[eocd+10:]))
	p := int(le.Uint32(out[eocd+16:]))
	for range n {
		if p+46 > len(out) || le.Uint32(out[p:]) != 0x02014b50 {
			tb.Fatal("PatchZipSizes: bad central directory")
		}
		le.PutUint32(out[p+24:], usize)
		p += 46 + int(le.Uint16(out[p+28:])) + int(le.Uint16(out[p+30:])) + int(le.Uint16(out[p+32:]))
	}
	return out
}

// Gzip compresses data as one gzip member. name, when not empty, goes in
// the header's original file name.
func Gzip(tb testing.TB, data []byte, name string) []byte {
	tb.Helper()
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zw.Name = name
	if _, err := zw.Write(data); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// GzipNest wraps data in n layers of gzip. Each layer is written by hand
// with stored deflate blocks: a gzip.Writer per layer would allocate its
// compressor 10 000 times and take tens of seconds.
func GzipNest(tb testing.TB, data []byte, n int) []byte {
	tb.Helper()
	for range n {
		data = storedGzip(data)
	}
	return data
}

// storedGzip is a gzip member (RFC 1952) holding data in stored blocks.
func storedGzip(data []byte) []byte {
	const maxBlock = 0xffff
	out := make([]byte, 0, 10+len(data)+5*(len(data)/maxBlock+1)+8)
	out = append(out, 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff)
	rest := data
	for first := true; first || len(rest) > 0; first = false {
		n := min(len(rest), maxBlock)
		final := byte(0)
		if n == len(rest) {
			final = 1
		}
		out = append(out, final, byte(n), byte(n>>8), ^byte(n), ^byte(n>>8))
		out = append(out, rest[:n]...)
		rest = rest[n:]
	}
	out = binary.LittleEndian.AppendUint32(out, crc32.ChecksumIEEE(data))
	return binary.LittleEndian.AppendUint32(out, uint32(len(data)))
}

// XZ compresses data as a single-stream xz.
func XZ(tb testing.TB, data []byte) []byte {
	tb.Helper()
	var b bytes.Buffer
	w, err := xz.WriterConfig{DictCap: 1 << 16}.NewWriter(&b)
	if err != nil {
		tb.Fatal(err)
	}
	w.Write(data)
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// LZMA compresses data as LZMA-alone (.lzma), the format of many kernels
// and squashfs-lzma firmware, with the given dictionary size.
func LZMA(tb testing.TB, data []byte, dict int) []byte {
	tb.Helper()
	var b bytes.Buffer
	w, err := lzma.WriterConfig{DictCap: dict}.NewWriter(&b)
	if err != nil {
		tb.Fatal(err)
	}
	w.Write(data)
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// Zstd compresses data as one zstd frame.
func Zstd(tb testing.TB, data []byte) []byte {
	tb.Helper()
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1))
	if err != nil {
		tb.Fatal(err)
	}
	defer enc.Close()
	return enc.EncodeAll(data, nil)
}

// LZ4 compresses data as an lz4 frame of 64 KiB blocks (the default 4 MiB
// block would hold a whole small fixture, and a cut one yields nothing).
func LZ4(tb testing.TB, data []byte) []byte {
	tb.Helper()
	var b bytes.Buffer
	w := lz4.NewWriter(&b)
	if err := w.Apply(lz4.BlockSizeOption(lz4.Block64Kb)); err != nil {
		tb.Fatal(err)
	}
	w.Write(data)
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// Bzip2 compresses data with the bzip2 program (Go has no bzip2 encoder),
// with the smallest block size so that a few hundred KiB make several
// blocks. The test is skipped where the program is missing.
func Bzip2(tb testing.TB, data []byte) []byte {
	tb.Helper()
	bin, err := exec.LookPath("bzip2")
	if err != nil {
		tb.Skip("bzip2 program not installed")
	}
	cmd := exec.Command(bin, "-1", "-c")
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("bzip2: %v", err)
	}
	return out
}

// ELF64 is a minimal little-endian x86-64 ELF header followed by one empty
// section header, 128 bytes in all.
func ELF64() []byte {
	h := make([]byte, 128)
	copy(h, "\x7fELF\x02\x01\x01")
	le := binary.LittleEndian
	le.PutUint16(h[16:], 2)    // ET_EXEC
	le.PutUint16(h[18:], 0x3e) // x86-64
	le.PutUint32(h[20:], 1)
	le.PutUint64(h[40:], 64) // e_shoff
	le.PutUint16(h[52:], 64) // e_ehsize
	le.PutUint16(h[58:], 64) // e_shentsize
	le.PutUint16(h[60:], 1)  // e_shnum
	return h
}

// Write puts data in dir/name (creating folders) and returns its path.
func Write(tb testing.TB, dir, name string, data []byte) string {
	tb.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}

// Files lists every file, folder and link under dir as slash-separated
// relative paths, so a test can check that a walk wrote nothing. Entries
// that vanish while it lists (a scan removing its spool files) are left
// out.
func Files(tb testing.TB, dir string) []string {
	tb.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil && p != dir && errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		if p != dir {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// Words returns n bytes of deterministic text made of random words: it
// compresses about 3:1 like real files, so a compressed stream of it has
// many blocks and a truncated one still holds a decodable prefix.
func Words(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, 0, n+16)
	for len(b) < n {
		for range 2 + r.IntN(8) {
			b = append(b, byte('a'+r.IntN(26)))
		}
		if r.IntN(12) == 0 {
			b = append(b, '\n')
		} else {
			b = append(b, ' ')
		}
	}
	return b[:n]
}

// Random returns n deterministic pseudo-random bytes.
func Random(n int, seed uint64) []byte {
	b := make([]byte, n)
	r := rand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8), byte(seed >> 16), byte(seed >> 24)})
	r.Read(b)
	return b
}

// Passwd is the account file that hostile fixtures put in their images;
// it differs from any real /etc/passwd.
const Passwd = "root:x:0:0:root:/root:/bin/sh\nadmin:x:0:0::/home/admin:/bin/sh\n"

// HostileTar is a tar that attacks an extractor: names that climb out of
// the extraction folder ("../../x", "/etc/x", "a/../../b"), a device node,
// a hard link and a symlink to /etc/passwd, a symlink loop, a symlink to
// /etc followed by a member written "through" it, and a clean file.
func HostileTar(tb testing.TB) []byte {
	tb.Helper()
	link := func(name, target string, typ byte) TarMember {
		return TarMember{Header: tar.Header{Name: name, Linkname: target, Typeflag: typ, Mode: 0o777}}
	}
	return Tar(tb,
		File("../../x", []byte("climbs two levels\n")),
		File("/etc/x", []byte("absolute path\n")),
		File("a/../../b", []byte("climbs through a folder\n")),
		TarMember{Header: tar.Header{Name: "dev/sda", Typeflag: tar.TypeBlock, Devmajor: 8, Devminor: 0, Mode: 0o660}},
		TarMember{Header: tar.Header{Name: "dev/null", Typeflag: tar.TypeChar, Devmajor: 1, Devminor: 3, Mode: 0o666}},
		link("hardpasswd", "/etc/passwd", tar.TypeLink),
		link("passwd", "/etc/passwd", tar.TypeSymlink),
		link("loop-a", "loop-b", tar.TypeSymlink),
		link("loop-b", "loop-a", tar.TypeSymlink),
		link("etc", "/etc", tar.TypeSymlink),
		File("etc/through-link", []byte("written through the etc link by a naive extractor\n")),
		File("clean.txt", []byte("a clean file\n")),
	)
}

// CpioMember is one member of a newc cpio archive built by Cpio.
type CpioMember struct {
	Name string
	Mode uint32 // with the type bits (0o100644 for a file); 0 means a regular file
	Data []byte
	// Size, when not zero, is written as c_filesize instead of len(Data):
	// a lying header.
	Size uint32
}

// Cpio writes the members as a newc ("070701") archive with its trailer,
// the initramfs format.
func Cpio(members ...CpioMember) []byte {
	var b bytes.Buffer
	pad := func() {
		for b.Len()%4 != 0 {
			b.WriteByte(0)
		}
	}
	members = append(members, CpioMember{Name: "TRAILER!!!", Mode: 0o100000})
	for i, m := range members {
		mode, size := m.Mode, m.Size
		if mode == 0 {
			mode = 0o100644
		}
		if size == 0 {
			size = uint32(len(m.Data))
		}
		fmt.Fprintf(&b, "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
			i+1, mode, 0, 0, 1, 0, size, 0, 0, 0, 0, len(m.Name)+1, 0)
		b.WriteString(m.Name)
		b.WriteByte(0)
		pad()
		b.Write(m.Data)
		pad()
	}
	return b.Bytes()
}
