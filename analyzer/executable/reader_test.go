package executable

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// The reader stays inside the entry and stops a parser that rereads the
// same bytes without end.
func TestBoundedReader(t *testing.T) {
	data := bytes.Repeat([]byte{0xAB}, 100)
	r := newBoundedReader(bytes.NewReader(data), 100)
	buf := make([]byte, 40)
	if n, err := r.ReadAt(buf, 80); n != 20 || err != io.EOF {
		t.Errorf("read past the end: %d, %v", n, err)
	}
	if _, err := r.ReadAt(buf, 100); err != io.EOF {
		t.Errorf("read at the end: %v", err)
	}
	if _, err := r.ReadAt(buf, -1); err == nil {
		t.Error("negative offset accepted")
	}
	total := int64(0)
	var err error
	big := make([]byte, 1<<16)
	r = newBoundedReader(bytes.NewReader(make([]byte, 1<<16)), 1<<16)
	for i := 0; i < 1<<20 && (err == nil || err == io.EOF); i++ {
		var n int
		n, err = r.ReadAt(big, 0)
		total += int64(n)
	}
	if !errors.Is(err, errBudget) || total > readBudget(1<<16) {
		t.Errorf("budget: read %d bytes, err %v", total, err)
	}
}
