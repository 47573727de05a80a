// Package formats registers with the artifact package every container and
// stream format doorman opens. Each file registers one format (or a family)
// from its init function: adding a format is adding a file here. Import it
// for its side effect:
//
//	import _ "github.com/doorman-sec/doorman/artifact/formats"
package formats
