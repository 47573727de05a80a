// Package ubootenv finds and reads U-Boot environment blocks: a CRC-32 of
// the data area, an optional flag byte (redundant environments keep two
// copies and mark the current one), then NUL-terminated "name=value"
// strings ending with an empty string, padded to the size of the flash
// area. The size is not stored anywhere: it is found by trying the usual
// sizes (and the size of a whole dumped partition) until the CRC holds.
//
// The layout is U-Boot's env_t (include/env_internal.h,
// https://github.com/u-boot/u-boot/blob/master/include/env_internal.h) and
// what fw_printenv from u-boot-tools reads.
package ubootenv

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
)

// Sizes are the environment sizes (CONFIG_ENV_SIZE) tried, smallest first.
var Sizes = []int64{0x400, 0x800, 0x1000, 0x2000, 0x4000, 0x8000, 0x10000, 0x20000, 0x40000}

// MaxSize is the largest environment considered.
const MaxSize = 0x40000

// Errors.
var (
	ErrNotEnv = errors.New("ubootenv: not a u-boot environment")
	ErrCRC    = errors.New("ubootenv: no size for which the CRC holds")
)

// Var is one variable.
type Var struct{ Name, Value string }

// Env is a parsed environment block.
type Env struct {
	Size      int64 // bytes of the block, CRC and flag included
	Redundant bool  // a flag byte follows the CRC
	Flag      byte
	BigEndian bool // the CRC is stored big-endian (the CPU's order)
	Vars      []Var
}

// hdr returns the header size: the CRC, and the flag byte of a redundant
// environment.
func hdr(redundant bool) int {
	if redundant {
		return 5
	}
	return 4
}

func nameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.'
}

// parse reads the variables of a data area up to the empty string that
// ends them. strict also demands mostly printable values, for sniffing.
// It returns false when a string is not "name=value" or the data ends
// before the terminator (unless partial is set).
func parse(data []byte, strict, partial bool) ([]Var, bool) {
	var vars []Var
	for len(data) > 0 {
		i := bytes.IndexByte(data, 0)
		if i < 0 {
			return vars, partial && len(vars) > 0
		}
		s := data[:i]
		data = data[i+1:]
		if len(s) == 0 {
			return vars, len(vars) > 0
		}
		eq := bytes.IndexByte(s, '=')
		if eq <= 0 {
			return nil, false
		}
		for _, c := range s[:eq] {
			if !nameByte(c) {
				return nil, false
			}
		}
		if strict {
			bad := 0
			for _, c := range s[eq+1:] {
				if c < 0x20 && c != '\t' && c != '\n' || c == 0x7f {
					bad++
				}
			}
			if bad*10 > len(s) {
				return nil, false
			}
		}
		vars = append(vars, Var{string(s[:eq]), string(s[eq+1:])})
	}
	return vars, partial && len(vars) > 0
}

// Sniff reports whether head (the first bytes of a candidate) looks like
// an environment block: after the header, well-formed "name=value"
// strings up to the terminator or the end of head. It does not check the
// CRC, which needs the whole block.
func Sniff(head []byte, redundant bool) bool {
	h := hdr(redundant)
	if len(head) < h+4 || !nameByte(head[h]) {
		return false
	}
	if redundant && nameByte(head[4]) {
		return false // a plain block, seen one byte late
	}
	_, ok := parse(head[h:], true, true)
	return ok
}

// Find reads the block at the start of r (size bytes): it tries each of
// Sizes, and size itself when it is at most MaxSize (a dumped partition),
// in one pass over the data, and returns the first size whose CRC holds.
func Find(r io.ReaderAt, size int64, redundant bool) (*Env, error) {
	h := int64(hdr(redundant))
	limit := min(size, MaxSize)
	if limit < h+2 {
		return nil, ErrNotEnv
	}
	buf := make([]byte, limit)
	n, _ := r.ReadAt(buf, 0)
	buf = buf[:n]
	if int64(n) < h+2 {
		return nil, ErrNotEnv
	}
	le, be := binary.LittleEndian.Uint32(buf), binary.BigEndian.Uint32(buf)
	var candidates []int64
	for _, s := range Sizes {
		if s <= int64(n) {
			candidates = append(candidates, s)
		}
	}
	if size <= MaxSize && int64(n) == size && (len(candidates) == 0 || candidates[len(candidates)-1] != size) {
		candidates = append(candidates, size)
	}
	var crc uint32
	at := h
	for _, s := range candidates {
		if s < at {
			continue
		}
		crc = crc32.Update(crc, crc32.IEEETable, buf[at:s])
		at = s
		if crc != le && crc != be {
			continue
		}
		vars, ok := parse(buf[h:s], false, false)
		if !ok {
			continue
		}
		e := &Env{Size: s, Redundant: redundant, BigEndian: crc != le, Vars: vars}
		if redundant {
			e.Flag = buf[4]
		}
		return e, nil
	}
	return nil, ErrCRC
}

// Text returns the variables as "name=value" lines, as fw_printenv
// prints them.
func (e *Env) Text() []byte {
	var b bytes.Buffer
	for _, v := range e.Vars {
		b.WriteString(v.Name)
		b.WriteByte('=')
		b.WriteString(v.Value)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// Get returns the value of a variable and whether it is set.
func (e *Env) Get(name string) (string, bool) {
	for _, v := range e.Vars {
		if v.Name == name {
			return v.Value, true
		}
	}
	return "", false
}
