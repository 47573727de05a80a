package ubi

import (
	"encoding/binary"
	"hash/crc32"
)

// Header sizes and magics (drivers/mtd/ubi/ubi-media.h). All fields are
// big-endian.
const (
	hdrSize  = 64
	ecMagic  = 0x55424923 // "UBI#"
	vidMagic = 0x55424921 // "UBI!"
	// LayoutVolumeID is the internal volume that holds the volume table.
	LayoutVolumeID = 0x7fffefff
	// MaxVolumes is the number of records in a volume table.
	MaxVolumes = 128
)

// Volume types as stored in the volume-id header and the volume table.
const (
	Dynamic = 1
	Static  = 2
)

var be = binary.BigEndian

// CRC computes UBI's CRC-32: the kernel's crc32_le seeded with all ones
// and without the final inversion.
func CRC(b []byte) uint32 { return ^crc32.ChecksumIEEE(b) }

// ecHeader is the part of ubi_ec_hdr the reader uses.
type ecHeader struct {
	vidOff, dataOff uint32
}

// parseEC checks an erase-counter header (magic, version, CRC).
func parseEC(b []byte) (ecHeader, bool) {
	if len(b) < hdrSize || be.Uint32(b) != ecMagic || b[4] != 1 || CRC(b[:60]) != be.Uint32(b[60:]) {
		return ecHeader{}, false
	}
	return ecHeader{vidOff: be.Uint32(b[16:]), dataOff: be.Uint32(b[20:])}, true
}

// Sniff reports whether b starts with a valid erase-counter header whose
// offsets are plausible. Open also needs the next PEB's header.
func Sniff(b []byte) bool {
	h, ok := parseEC(b)
	return ok && h.vidOff >= hdrSize && h.vidOff%8 == 0 && h.dataOff >= h.vidOff+hdrSize && h.dataOff <= maxPEB
}

// vidHeader is the part of ubi_vid_hdr the reader uses.
type vidHeader struct {
	volType  uint8
	copyFlag bool
	volID    uint32
	lnum     uint32
	dataSize uint32 // static volumes and copies: bytes of data in the LEB
	usedEBs  uint32 // static volumes: LEBs the volume uses
	dataPad  uint32
	dataCRC  uint32
	sqnum    uint64
}

// parseVID checks a volume-id header (magic, version, CRC, type).
func parseVID(b []byte) (vidHeader, bool) {
	if len(b) < hdrSize || be.Uint32(b) != vidMagic || b[4] != 1 || CRC(b[:60]) != be.Uint32(b[60:]) {
		return vidHeader{}, false
	}
	h := vidHeader{
		volType: b[5], copyFlag: b[6] != 0,
		volID: be.Uint32(b[8:]), lnum: be.Uint32(b[12:]),
		dataSize: be.Uint32(b[20:]), usedEBs: be.Uint32(b[24:]),
		dataPad: be.Uint32(b[28:]), dataCRC: be.Uint32(b[32:]),
		sqnum: be.Uint64(b[40:]),
	}
	if h.volType != Dynamic && h.volType != Static {
		return vidHeader{}, false
	}
	return h, true
}
