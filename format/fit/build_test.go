package fit

import (
	"bytes"
	"os"
	"os/exec"
	"testing"
)

// needTool skips when an external tool is missing, except in CI, where
// the tool is installed (.ci/run) and a skip would hide a lost test.
func needTool(t testing.TB, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s not installed (CI installs %s)", name, pkg)
		}
		t.Skipf("%s not installed (apt-get install %s)", name, pkg)
	}
	return p
}

// tnode is a node for hand-made trees; props keep their order.
type tnode struct {
	name     string
	props    []tprop
	children []tnode
}

type tprop struct {
	name  string
	value []byte
}

func cell(v uint32) []byte { return be.AppendUint32(nil, v) }

func cstr(s string) []byte { return append([]byte(s), 0) }

// fdt flattens a tree as dtc does (version 17), with extra bytes after
// the tree (external data).
func fdt(root tnode, after []byte) []byte {
	var st, strs bytes.Buffer
	off := map[string]int{}
	pad := func() {
		for st.Len()%4 != 0 {
			st.WriteByte(0)
		}
	}
	var walk func(n tnode)
	walk = func(n tnode) {
		st.Write(cell(tokBeginNode))
		st.WriteString(n.name)
		st.WriteByte(0)
		pad()
		for _, p := range n.props {
			o, ok := off[p.name]
			if !ok {
				o = strs.Len()
				off[p.name] = o
				strs.WriteString(p.name)
				strs.WriteByte(0)
			}
			st.Write(cell(tokProp))
			st.Write(cell(uint32(len(p.value))))
			st.Write(cell(uint32(o)))
			st.Write(p.value)
			pad()
		}
		for _, c := range n.children {
			walk(c)
		}
		st.Write(cell(tokEndNode))
	}
	walk(root)
	st.Write(cell(tokEnd))
	h := make([]byte, headerSize+16) // header, then an empty reserve map
	offStruct := len(h)
	offStrings := offStruct + st.Len()
	total := offStrings + strs.Len()
	be.PutUint32(h, Magic)
	be.PutUint32(h[4:], uint32(total))
	be.PutUint32(h[8:], uint32(offStruct))
	be.PutUint32(h[12:], uint32(offStrings))
	be.PutUint32(h[16:], headerSize)
	be.PutUint32(h[20:], 17)
	be.PutUint32(h[24:], 16)
	be.PutUint32(h[32:], uint32(strs.Len()))
	be.PutUint32(h[36:], uint32(st.Len()))
	out := append(append(h, st.Bytes()...), strs.Bytes()...)
	if len(after) > 0 {
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
		out = append(out, after...)
	}
	return out
}

// sampleFIT is a FIT with an inline kernel, ramdisk and device tree, as
// mkimage -f writes for a typical router or board.
func sampleFIT(kernel, ramdisk, dtb []byte) []byte {
	img := func(name, typ string, data []byte) tnode {
		return tnode{name: name, props: []tprop{
			{"description", cstr(name + " image")}, {"data", data}, {"type", cstr(typ)},
			{"arch", cstr("arm")}, {"compression", cstr("none")},
		}}
	}
	return fdt(tnode{props: []tprop{{"timestamp", cell(1700000000)}, {"description", cstr("test FIT")}, {"#address-cells", cell(1)}},
		children: []tnode{
			{name: "images", children: []tnode{img("kernel", "kernel", kernel), img("ramdisk", "ramdisk", ramdisk), img("fdt-1", "flat_dt", dtb)}},
			{name: "configurations", props: []tprop{{"default", cstr("conf-1")}},
				children: []tnode{{name: "conf-1", props: []tprop{{"kernel", cstr("kernel")}}}}},
		}}, nil)
}
