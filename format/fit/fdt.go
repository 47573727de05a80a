package fit

import (
	"bytes"
	"encoding/binary"
	"io"
)

// Flattened device tree constants (devicetree specification, ch. 5).
// Everything is big-endian.
const (
	Magic      = 0xd00dfeed
	headerSize = 40

	tokBeginNode = 1
	tokEndNode   = 2
	tokProp      = 3
	tokNop       = 4
	tokEnd       = 9

	maxDepth      = 64
	maxNodes      = 1 << 16
	maxProps      = 1 << 18
	maxNameLen    = 256
	maxStringsLen = 1 << 20
)

var be = binary.BigEndian

// Node is one node of a device tree.
type Node struct {
	Name     string
	Props    []Prop
	Children []*Node
}

// Prop is a property: its name and where its value lies in the data.
type Prop struct {
	Name   string
	Offset int64
	Len    int64
}

// Prop returns the node's property of that name, or nil.
func (n *Node) Prop(name string) *Prop {
	for i := range n.Props {
		if n.Props[i].Name == name {
			return &n.Props[i]
		}
	}
	return nil
}

// Child returns the node's child of that name, or nil.
func (n *Node) Child(name string) *Node {
	for _, c := range n.Children {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// header is the part of fdt_header the parser uses.
type header struct {
	totalSize, offStruct, offStrings, version, sizeStrings, sizeStruct uint32
}

// parseHeader checks the header against the data size.
func parseHeader(b []byte, size int64) (header, bool) {
	if len(b) < headerSize || be.Uint32(b) != Magic {
		return header{}, false
	}
	h := header{totalSize: be.Uint32(b[4:]), offStruct: be.Uint32(b[8:]), offStrings: be.Uint32(b[12:]),
		version: be.Uint32(b[20:]), sizeStrings: be.Uint32(b[32:]), sizeStruct: be.Uint32(b[36:])}
	if h.version < 16 || h.version > 17 && be.Uint32(b[24:]) > 17 {
		return header{}, false
	}
	if h.version < 17 {
		h.sizeStruct = h.totalSize - min(h.offStruct, h.totalSize)
	}
	ts := int64(h.totalSize)
	ok := ts >= headerSize && ts <= size &&
		h.offStruct >= headerSize && int64(h.offStruct)+int64(h.sizeStruct) <= ts &&
		h.offStrings >= headerSize && int64(h.offStrings)+int64(h.sizeStrings) <= ts &&
		h.offStruct%4 == 0
	return h, ok
}

// ParseFDT reads the device tree of size bytes in r and returns its root.
func ParseFDT(r io.ReaderAt, size int64) (*Node, int64, error) {
	hb := make([]byte, headerSize)
	if n, _ := r.ReadAt(hb, 0); n < headerSize {
		return nil, 0, ErrNotFIT
	}
	h, ok := parseHeader(hb, size)
	if !ok {
		return nil, 0, ErrNotFIT
	}
	if h.sizeStrings > maxStringsLen {
		return nil, 0, errorf(ErrLimit, "strings block of %d bytes", h.sizeStrings)
	}
	strs := make([]byte, h.sizeStrings)
	if n, _ := r.ReadAt(strs, int64(h.offStrings)); n < len(strs) {
		return nil, 0, errorf(ErrCorrupt, "strings block past the end")
	}
	p := &parser{r: r, pos: int64(h.offStruct), end: int64(h.offStruct) + int64(h.sizeStruct), strs: strs}
	root, err := p.parse()
	if err != nil {
		return nil, 0, err
	}
	return root, int64(h.totalSize), nil
}

type parser struct {
	r        io.ReaderAt
	pos, end int64
	strs     []byte
	nodes    int
	props    int
	buf      [maxNameLen + 1]byte
}

func (p *parser) u32() (uint32, error) {
	if p.pos+4 > p.end {
		return 0, errorf(ErrCorrupt, "structure block ends at %d inside a token", p.end)
	}
	var b [4]byte
	if n, _ := p.r.ReadAt(b[:], p.pos); n < 4 {
		return 0, errorf(ErrCorrupt, "structure past the end of the data")
	}
	p.pos += 4
	return be.Uint32(b[:]), nil
}

// name reads a NUL-terminated node name and moves past its padding.
func (p *parser) name() (string, error) {
	n, _ := p.r.ReadAt(p.buf[:min(int64(len(p.buf)), p.end-p.pos)], p.pos)
	i := bytes.IndexByte(p.buf[:n], 0)
	if i < 0 {
		return "", errorf(ErrCorrupt, "node name at %d unterminated or longer than %d", p.pos, maxNameLen)
	}
	p.pos += int64(i+1+3) &^ 3
	return string(p.buf[:i]), nil
}

// parse reads the structure block: one root node, then FDT_END.
func (p *parser) parse() (*Node, error) {
	var stack []*Node
	var root *Node
	for {
		tok, err := p.u32()
		if err != nil {
			return nil, err
		}
		switch tok {
		case tokNop:
		case tokBeginNode:
			if root != nil && len(stack) == 0 {
				return nil, errorf(ErrCorrupt, "a second root node")
			}
			if len(stack) >= maxDepth {
				return nil, errorf(ErrLimit, "deeper than %d nodes", maxDepth)
			}
			if p.nodes++; p.nodes > maxNodes {
				return nil, errorf(ErrLimit, "more than %d nodes", maxNodes)
			}
			name, err := p.name()
			if err != nil {
				return nil, err
			}
			n := &Node{Name: name}
			if len(stack) == 0 {
				root = n
			} else {
				parent := stack[len(stack)-1]
				parent.Children = append(parent.Children, n)
			}
			stack = append(stack, n)
		case tokEndNode:
			if len(stack) == 0 {
				return nil, errorf(ErrCorrupt, "FDT_END_NODE outside a node")
			}
			stack = stack[:len(stack)-1]
		case tokProp:
			if len(stack) == 0 {
				return nil, errorf(ErrCorrupt, "property outside a node")
			}
			l, err := p.u32()
			if err != nil {
				return nil, err
			}
			off, err := p.u32()
			if err != nil {
				return nil, err
			}
			if int64(off) >= int64(len(p.strs)) || p.pos+int64(l) > p.end {
				return nil, errorf(ErrCorrupt, "property at %d: name %d, %d bytes", p.pos, off, l)
			}
			nm := p.strs[off:]
			if i := bytes.IndexByte(nm, 0); i >= 0 {
				nm = nm[:i]
			}
			if p.props++; p.props > maxProps {
				return nil, errorf(ErrLimit, "more than %d properties", maxProps)
			}
			n := stack[len(stack)-1]
			n.Props = append(n.Props, Prop{Name: string(nm), Offset: p.pos, Len: int64(l)})
			p.pos += (int64(l) + 3) &^ 3
		case tokEnd:
			if root == nil || len(stack) != 0 {
				return nil, errorf(ErrCorrupt, "FDT_END inside a node")
			}
			return root, nil
		default:
			return nil, errorf(ErrCorrupt, "token %#x at %d", tok, p.pos-4)
		}
	}
}
