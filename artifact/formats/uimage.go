package formats

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"

	"github.com/doorman-sec/doorman/artifact"
)

// uImage: U-Boot's legacy image header (64 bytes, big-endian, with its own
// CRC), in front of most embedded kernels and many ramdisks. The payload is
// handed on as a child whose kind is detected from its bytes; multi-file
// images list each part.
const uimageMagic = 0x27051956

func init() {
	artifact.Register(&artifact.Format{
		Kind:     "uimage",
		Priority: 70,
		Magic:    [][]byte{{0x27, 0x05, 0x19, 0x56}},
		Detect: func(h []byte, _ int64) bool {
			return len(h) >= 64 && binary.BigEndian.Uint32(h) == uimageMagic && uimageCRCOK(h[:64])
		},
		Open: openUImage,
		Length: func(src artifact.Source) int64 {
			var h [64]byte
			if n, _ := src.ReadAt(h[:], 0); n < 64 {
				return -1
			}
			end := 64 + int64(binary.BigEndian.Uint32(h[12:]))
			if end > src.Size() {
				return src.Size()
			}
			return end
		},
	})
}

func uimageCRCOK(h []byte) bool {
	want := binary.BigEndian.Uint32(h[4:8])
	var c [64]byte
	copy(c[:], h)
	c[4], c[5], c[6], c[7] = 0, 0, 0, 0
	return crc32.ChecksumIEEE(c[:]) == want
}

func openUImage(oc *artifact.OpenContext, src artifact.Source, emit func(artifact.Child) error) error {
	var h [64]byte
	if n, _ := src.ReadAt(h[:], 0); n < 64 {
		return errors.New("truncated uImage header")
	}
	size := int64(binary.BigEndian.Uint32(h[12:]))
	if 64+size > src.Size() {
		oc.Warn(fmt.Errorf("truncated image: header says %d payload bytes, %d present", size, src.Size()-64))
		size = src.Size() - 64
	}
	name := string(bytes.TrimRight(h[32:64], "\x00"))
	if name == "" {
		name = "payload"
	}
	const typeMulti = 4
	if h[30] != typeMulti {
		return emit(artifact.Child{Name: name, Size: size, Section: io.NewSectionReader(src, 64, size)})
	}
	// Multi-file: a zero-terminated table of big-endian sizes, then each
	// part padded to 4 bytes.
	var sizes []int64
	off := int64(64)
	for len(sizes) < 64 {
		var b [4]byte
		if n, _ := src.ReadAt(b[:], off); n < 4 {
			return errors.New("truncated multi-file uImage table")
		}
		off += 4
		s := int64(binary.BigEndian.Uint32(b[:]))
		if s == 0 {
			break
		}
		sizes = append(sizes, s)
	}
	for i, s := range sizes {
		if off+s > src.Size() {
			oc.Warn(fmt.Errorf("truncated image: part %d runs past the end", i))
			s = src.Size() - off
		}
		if s <= 0 {
			break
		}
		if err := emit(artifact.Child{Name: fmt.Sprintf("%s.part%d", name, i), Size: s, Section: io.NewSectionReader(src, off, s)}); err != nil {
			return err
		}
		off += (s + 3) &^ 3
	}
	return nil
}
