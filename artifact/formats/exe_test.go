package formats

import (
	"encoding/binary"
	"testing"

	"github.com/doorman-sec/doorman/artifact"
)

func TestDetectPE(t *testing.T) {
	pe := make([]byte, 1024)
	copy(pe, "MZ")
	binary.LittleEndian.PutUint32(pe[0x3c:], 0x80)
	copy(pe[0x80:], "PE\x00\x00\x64\x86")
	if k := artifact.Detect(pe, int64(len(pe))); k != "pe" {
		t.Errorf("PE detected as %q", k)
	}
	// "MZ" without a PE header (a DOS program, or two bytes in a blob).
	dos := append([]byte(nil), pe...)
	copy(dos[0x80:], "XX")
	if k := artifact.Detect(dos, int64(len(dos))); k == "pe" {
		t.Error("DOS stub detected as PE")
	}
	binary.LittleEndian.PutUint32(dos[0x3c:], 0xffffff00)
	if k := artifact.Detect(dos, int64(len(dos))); k == "pe" {
		t.Error("wild e_lfanew detected as PE")
	}
}

func TestDetectMachO(t *testing.T) {
	thin := make([]byte, 64)
	copy(thin, "\xcf\xfa\xed\xfe\x07\x00\x00\x01\x03\x00\x00\x00\x02\x00\x00\x00")
	if k := artifact.Detect(thin, int64(len(thin))); k != "macho" {
		t.Errorf("thin Mach-O detected as %q", k)
	}
	fat := make([]byte, 8192)
	be := binary.BigEndian
	be.PutUint32(fat, 0xcafebabe)
	be.PutUint32(fat[4:], 1)
	be.PutUint32(fat[8:], 0x01000007)
	be.PutUint32(fat[16:], 4096)
	be.PutUint32(fat[20:], 64)
	copy(fat[4096:], thin)
	if k := artifact.Detect(fat, int64(len(fat))); k != "macho" {
		t.Errorf("fat Mach-O detected as %q", k)
	}
	class := make([]byte, 512)
	copy(class, "\xca\xfe\xba\xbe\x00\x00\x00\x34")
	if k := artifact.Detect(class, int64(len(class))); k == "macho" {
		t.Error("Java class file detected as Mach-O")
	}
	bogus := append([]byte(nil), thin...)
	bogus[4] = 0x99 // no such CPU
	if k := artifact.Detect(bogus, int64(len(bogus))); k == "macho" {
		t.Error("unknown CPU type detected as Mach-O")
	}
}
