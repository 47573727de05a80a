package formats

import (
	"errors"
	"fmt"
	"io"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/format/trx"
)

// TRX, the firmware container of Broadcom-based routers: a header with a
// CRC and up to four partition offsets. Each partition (loader, kernel,
// root filesystem) becomes a child read in place; its kind is detected
// from its bytes.
func init() {
	artifact.Register(&artifact.Format{
		Kind:     "trx",
		Priority: 70,
		Magic:    [][]byte{[]byte(trx.Magic)},
		Detect: func(h []byte, _ int64) bool {
			_, err := trx.Parse(h)
			return err == nil
		},
		Open: openTRX,
		Length: func(src artifact.Source) int64 {
			h, err := trxHeader(src)
			if err != nil {
				return -1
			}
			return min(int64(h.Len), src.Size())
		},
		// "HDR0" is four printable bytes: carve only an image whose CRC
		// holds.
		CarveCheck: func(src artifact.Source) (int64, bool) {
			h, err := trxHeader(src)
			if err != nil || int64(h.Len) > src.Size() {
				return -1, false
			}
			ok, err := h.CheckCRC(src)
			return int64(h.Len), ok && err == nil
		},
	})
}

func trxHeader(src artifact.Source) (*trx.Header, error) {
	var b [32]byte
	n, _ := src.ReadAt(b[:], 0)
	return trx.Parse(b[:n])
}

func openTRX(oc *artifact.OpenContext, src artifact.Source, emit func(artifact.Child) error) error {
	h, err := trxHeader(src)
	if err != nil {
		return err
	}
	if int64(h.Len) > src.Size() {
		oc.Warn(fmt.Errorf("trx: truncated image: header says %d bytes, %d present", h.Len, src.Size()))
	} else if ok, err := h.CheckCRC(src); err == nil && !ok {
		// Worth saying: a repacked image whose CRC was not fixed.
		oc.Warn(errors.New("trx: CRC mismatch (the image was changed after it was built)"))
	}
	for _, p := range h.Partitions(src.Size()) {
		c := artifact.Child{Name: fmt.Sprintf("part%d", p.Index), Size: p.Size, Section: io.NewSectionReader(src, p.Offset, p.Size)}
		if err := emit(c); err != nil {
			return err
		}
	}
	return nil
}
