// Package verifysource compares a release archive with the tagged source in
// a git repository and explains every difference, the check behind
// `doorman verify-source`.
//
// A release tarball is usually not a copy of the tag: `make dist` adds
// files that autotools, gettext and libtool generate (configure,
// Makefile.in, aclocal.m4, build-aux helpers, m4 macros, .gmo catalogs).
// That is exactly where the xz-utils 5.6.0/5.6.1 backdoor hid: the git tag
// was clean, but the tarball carried a modified m4/build-to-host.m4 (still
// claiming to be gettext's, with serial 30 so autoreconf would not replace
// it) that extracted a payload from "corrupt" binary test files at build
// time (https://research.swtch.com/xz-script,
// https://www.openwall.com/lists/oss-security/2024/03/29/4).
//
// Compare reads the git tree at a ref with go-git (no git binary) and the
// release through the artifact walker (so every archive format and every
// resource limit of `doorman scan` applies), then classifies each
// difference: generated outputs are explained, m4 macro files and build
// helpers are recognised by content against an embedded table of pristine
// upstream versions (see pristine.tsv and internal/genpristine), and what
// stays unexplained becomes a build-tampering or release-source-mismatch
// finding.
package verifysource
