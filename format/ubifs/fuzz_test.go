package ubifs

import "testing"

// FuzzOpen starts from the hand-made image (mkfs.ubifs's are read by
// TestMkfsUBIFS; at 1.5 MiB they are too big to fuzz from).
func FuzzOpen(f *testing.F) {
	f.Add(image(sampleLeaves(), nil))
	f.Add(withJournal(image(sampleLeaves(), nil), [][]byte{
		inoNode(9, sIFREG|0o755, 11, nil).node,
		dataNode(9, 0, ComprNone, 11, []byte("#!/bin/sh\nx")).node,
		dentNode(1, 9, "new").node,
		trunNode(5, 100),
	}))
	f.Fuzz(func(t *testing.T, data []byte) { exercise(t, data) })
}
