package ubifs

import "github.com/doorman-sec/doorman/format/unixmode"

// Short names for the st_mode type bits in the tests' node builders.
const (
	sIFMT   = unixmode.TypeMask
	sIFSOCK = unixmode.Socket
	sIFLNK  = unixmode.Symlink
	sIFREG  = unixmode.Regular
	sIFBLK  = unixmode.Block
	sIFDIR  = unixmode.Dir
	sIFCHR  = unixmode.Char
	sIFIFO  = unixmode.Fifo
)
