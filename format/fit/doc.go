// Package fit reads U-Boot FIT images (Flattened Image Trees): a
// flattened device tree (magic 0xd00dfeed) whose /images node holds the
// kernel, ramdisk, device trees and firmware blobs of a boot, either
// inline as each image node's "data" property or, in the external-data
// variant (mkimage -E), behind the tree at "data-offset" (from the end
// of the tree, 4-byte aligned) or "data-position" (from the start of the
// image), "data-size" bytes long.
//
// The flattened device tree is read by a small parser of its own: the
// header, the strings block and the structure block's tokens. Property
// values are not copied: a property is its offset and length in the
// data, so a 30 MiB inline kernel costs nothing until read.
//
// The parser is built for hostile input: every offset is checked against
// the data, the tree is bounded in depth, nodes and properties, and a
// structure that runs off its block ends the parse with ErrCorrupt.
package fit
