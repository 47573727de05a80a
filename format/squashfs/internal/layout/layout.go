// Package layout holds the SquashFS 4.0 on-disk constants shared by the
// reader (package squashfs) and the writer (package sqfswrite), so the two
// cannot drift apart. Everything on disk is little-endian.
package layout

// Superblock.
const (
	// Magic is "hsqs" read as a little-endian uint32.
	Magic uint32 = 0x73717368
	// MagicSwapped is the byte-swapped magic of big-endian images.
	MagicSwapped uint32 = 0x68737173
	// SuperblockSize is the fixed size of the version 4 superblock.
	SuperblockSize = 96
	// VersionMajor and VersionMinor are the only version understood.
	VersionMajor = 4
	VersionMinor = 0
	// MinBlockLog and MaxBlockLog bound the data block size (4 KiB..1 MiB).
	MinBlockLog = 12
	MaxBlockLog = 20
	// NoTable marks an absent optional table (xattr, export).
	NoTable = ^uint64(0)
)

// Superblock field offsets.
const (
	OffMagic          = 0
	OffInodeCount     = 4
	OffModTime        = 8
	OffBlockSize      = 12
	OffFragmentCount  = 16
	OffCompression    = 20
	OffBlockLog       = 22
	OffFlags          = 24
	OffIDCount        = 26
	OffVersionMajor   = 28
	OffVersionMinor   = 30
	OffRootInode      = 32
	OffBytesUsed      = 40
	OffIDTable        = 48
	OffXattrTable     = 56
	OffInodeTable     = 64
	OffDirectoryTable = 72
	OffFragmentTable  = 80
	OffExportTable    = 88
)

// Compressor IDs.
const (
	CompGzip = 1
	CompLZMA = 2
	CompLZO  = 3
	CompXZ   = 4
	CompLZ4  = 5
	CompZstd = 6
)

// Superblock flags. The UNCOMPRESSED_* flags are informational only: each
// block says itself whether it is compressed.
const (
	FlagUncompressedInodes    = 0x0001
	FlagUncompressedData      = 0x0002
	FlagUncompressedFragments = 0x0008
	FlagNoFragments           = 0x0010
	FlagNoXattrs              = 0x0200
	FlagCompressorOptions     = 0x0400
	FlagUncompressedIDs       = 0x0800
)

// Metadata blocks: a 16-bit header whose top bit marks an uncompressed
// payload of at most MetadataSize bytes.
const (
	MetadataSize         = 8192
	MetadataUncompressed = 0x8000
	MetadataSizeMask     = 0x7fff
)

// Data blocks and fragments: bit 24 of the size word marks an uncompressed
// block; a size of 0 is a sparse block of zeros.
const (
	DataUncompressed = 1 << 24
	DataSizeMask     = DataUncompressed - 1
	// NoFragment in a file inode means the file has no fragment tail.
	NoFragment = 0xffffffff
	// FragmentEntrySize is the size of one fragment table entry.
	FragmentEntrySize = 16
	// FragmentsPerBlock and IDsPerBlock are the table entries that fill
	// one metadata block.
	FragmentsPerBlock = MetadataSize / FragmentEntrySize
	IDsPerBlock       = MetadataSize / 4
)

// Inode types. Extended types are the basic type plus 7.
const (
	TypeDir      = 1
	TypeFile     = 2
	TypeSymlink  = 3
	TypeBlockDev = 4
	TypeCharDev  = 5
	TypeFifo     = 6
	TypeSocket   = 7
	ExtendedBase = 7
	TypeLDir     = TypeDir + ExtendedBase
	TypeLFile    = TypeFile + ExtendedBase
	// InodeHeaderSize is the header common to all inode types.
	InodeHeaderSize = 16
	// NoXattr is the xattr index of an inode without extended attributes.
	NoXattr = 0xffffffff
)

// Directory listings: a header (count-1, inode block start, base inode
// number) followed by up to DirMaxEntries entries; a directory inode's size
// is the listing length plus DirSizeOffset (for "." and "..").
const (
	DirHeaderSize = 12
	DirEntrySize  = 8
	DirMaxEntries = 256
	DirMaxName    = 256
	DirSizeOffset = 3
)

// Permission bits as stored in inodes (the Unix st_mode low 12 bits).
const (
	ModeSetuid = 0o4000
	ModeSetgid = 0o2000
	ModeSticky = 0o1000
	ModePerm   = 0o777
)
