package ubi

import "testing"

// FuzzOpen starts from hand-made images (ubinize's are read by
// TestUbinize; their headers are the same structures).
func FuzzOpen(f *testing.F) {
	f.Add(build(map[uint32]string{0: "a", 1: "b"},
		peb{vol: 0, lnum: 0, sqnum: 3, data: fill('a', 100)},
		peb{vol: 1, lnum: 1, sqnum: 4, static: true, usedEBs: 2, dataSize: 10, data: fill('b', 10)},
		peb{vol: 0, lnum: 0, sqnum: 5, copyFlag: true, dataSize: 5, data: fill('c', 10)}))
	f.Fuzz(func(t *testing.T, data []byte) { exercise(t, data) })
}
