// Package pkgname tells whether a package name imitates a popular one.
//
// It carries, as embedded data files, the most used package names of npm,
// PyPI, crates.io, RubyGems and Go modules (each file names its source and
// date), and answers Check: is this name a typosquat of a popular package
// (a character dropped, doubled, swapped or replaced; a separator added or
// removed; a meaningless prefix or suffix such as "-js" or "python3-"; an
// npm scope turned into a prefix) or a Unicode confusable of one (Cyrillic
// or Greek letters that look Latin, 0 for o, I for l, rn for m)?
//
// Precision matters more than recall: a lockfile has hundreds of names and
// every false alarm costs a reviewer's trust. So any name that is itself in
// the embedded lists is never flagged (react and preact, color and colors,
// chalk and chai are all popular), edit distance is used only for names of
// five characters or more, and the ecosystems are never mixed (PyPI's
// requests is not npm's request).
package pkgname
