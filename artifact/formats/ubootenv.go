package formats

import (
	"bytes"
	"io"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/format/ubootenv"
)

// U-Boot environment blocks: "bootargs", "bootcmd" and the rest, whose
// values say how a device boots (an init=/bin/sh, a console without a
// login). The block has no magic: its CRC covers a data area whose size is
// not stored. Carving looks for the names an environment usually starts
// with (U-Boot exports variables sorted, older versions in the order of
// the default environment) right after the CRC (4 bytes) or the CRC and
// flag byte of a redundant environment (5 bytes), hence two kinds; the
// CRC then decides. A block whose first variable is not in the list is
// found only when it is a whole entry (a dumped env partition). Its one
// child, uboot-env.txt, holds the variables as fw_printenv prints them.
var ubootenvFirstNames = []string{
	"arch", "autoload", "baudrate", "board", "board_name", "bootargs", "bootcmd",
	"bootdelay", "bootfile", "bootcount", "bootlimit", "ethact", "ethaddr",
	"fdt_high", "ipaddr", "loadaddr", "serverip", "stderr", "stdin", "stdout", "ver",
}

func init() {
	var magic [][]byte
	for _, n := range ubootenvFirstNames {
		magic = append(magic, []byte(n+"="))
	}
	for _, redundant := range []bool{false, true} {
		kind, off, prio := artifact.Kind("ubootenv"), 4, 20
		if redundant {
			kind, off, prio = "ubootenv-redundant", 5, 19
		}
		artifact.Register(&artifact.Format{
			Kind:        kind,
			Priority:    prio,
			Magic:       magic,
			MagicOffset: off,
			Detect:      func(h []byte, _ int64) bool { return ubootenv.Sniff(h, redundant) },
			Open: func(oc *artifact.OpenContext, src artifact.Source, emit func(artifact.Child) error) error {
				return openUbootEnv(src, redundant, emit)
			},
			Length: func(src artifact.Source) int64 {
				e, err := ubootenv.Find(src, src.Size(), redundant)
				if err != nil {
					return -1
				}
				return e.Size
			},
			CarveCheck: func(src artifact.Source) (int64, bool) {
				e, err := ubootenv.Find(src, src.Size(), redundant)
				if err != nil {
					return -1, false
				}
				return e.Size, true
			},
		})
	}
}

func openUbootEnv(src artifact.Source, redundant bool, emit func(artifact.Child) error) error {
	e, err := ubootenv.Find(src, src.Size(), redundant)
	if err != nil {
		return err
	}
	text := e.Text()
	return emit(artifact.Child{
		Name: "uboot-env.txt", Mode: 0o644, Size: int64(len(text)),
		Section: io.NewSectionReader(bytes.NewReader(text), 0, int64(len(text))),
	})
}
