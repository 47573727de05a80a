// Package romfs reads ROMFS images ("-rom1fs-"), the tiny read-only
// filesystem of boot loaders, initramfs-like root images and many
// embedded-Linux and uClinux firmware builds, without cgo or external
// tools.
//
// The layout is the one Documentation/filesystems/romfs.rst in the Linux
// tree describes: a 16-byte superblock (magic, full size, checksum) and a
// volume name, then 16-byte aligned file headers, each holding the offset
// of the next header of its directory (with the type in the low bits), a
// type-specific word, the file size, a checksum and the name, with the
// file's data right after the name. Everything is big-endian.
//
// Hostile images are expected: header chains that loop back are cut (every
// header is visited once), offsets past the image end are reported,
// hard-link chains and directory nesting are capped, and Options bounds the
// number of entries reported. Nothing read from the image decides an
// allocation beyond a 4 KiB name. Errors wrap ErrNotRomfs, ErrTruncated,
// ErrCorrupt and ErrLimit.
package romfs
