// Package squashfs reads SquashFS 4.0 images, the read-only filesystem of
// most Linux-based firmware, without cgo or external tools.
//
// All six compressors that mksquashfs writes are supported: gzip (zlib),
// lzma (LZMA-alone streams), lzo (LZO1X), xz (LZMA2, alone or after any of
// the BCJ filters mksquashfs -Xbcj offers: x86, powerpc, ia64, arm,
// armthumb, sparc), lz4 (raw blocks) and zstd. Only little-endian images
// are read; that is the only byte order SquashFS 4.0 has.
//
// The reader is built for hostile images, since a scanner meets them as a
// matter of course. No size or count read from the image decides an
// allocation on its own: decompressed metadata blocks are capped at 8 KiB
// and data blocks at the block size, file content is streamed one block at
// a time, and Options bounds the number of entries Walk reports and the
// metadata it decompresses. Directory loops are detected. Errors wrap the
// sentinels ErrNotSquashfs, ErrTruncated, ErrCorrupt, ErrUnsupported and
// ErrLimit, which callers test with errors.Is.
//
// An Image is safe for concurrent use; readers returned by Image.Open are
// not (each is meant for one goroutine).
package squashfs
