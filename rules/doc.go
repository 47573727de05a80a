// Package rules holds doorman's detection rules as data. A rule names the
// literals that must occur (keywords, fed to the one Aho-Corasick pass that
// every entry gets), an optional regular expression that confirms a keyword
// hit within a window around it, which part of the match is a secret, and
// filters that tell a real secret from a placeholder. Every rule carries
// its own positive and negative samples, which Check runs through the same
// matcher the scan uses. The built-in pack is embedded from builtin/*.yaml;
// users add folders of rule files with --rules.
//
// A rule file is YAML: a top-level "rules" list, and optionally "shared",
// a place for values that rules reuse through YAML anchors (&name, *name;
// a list alias inside a list is flattened). A rule's fields:
//
//	id               unique, upper-case words and digits joined by '-' (DM-SEC-001)
//	title            short name of what is found
//	description      what it is and why it matters
//	category         one of finding.Categories (hardcoded-credential, ...)
//	cwe              list, e.g. [CWE-798]
//	severity         critical, high, medium, low or info
//	confidence       high, medium or low
//	references       list of http(s) URLs; required for known-backdoor
//	keywords         literals of at least 3 bytes; the rule is tried only where one occurs
//	keywords_nocase  also use the lower, UPPER and Title spelling of each keyword
//	regex            RE2 syntax; absent: the keyword itself is the match
//	secret_group     capture group (number or name; a name may recur in
//	                 alternatives) holding the secret, which is masked in
//	                 evidence and checked by entropy and allow; required for
//	                 hardcoded-credential rules
//	entropy          minimum Shannon entropy of the secret, bits per byte
//	allow            regexes: a secret matching one is a placeholder, not a finding
//	allow_match      regexes on the whole match, same effect
//	requires         literals that must all occur in a window before the regex runs there
//	paths            globs on the entry's name in its container; a glob without
//	exclude_paths    '/' matches the base name at any depth; "**/" is any folders
//	kinds            artifact kinds (text, data, elf, ...); default all
//	window           {before: BYTES, after: BYTES, line: BOOL}: where around a hit
//	                 the regex runs (default 512 before, 4096 after); line: true
//	                 also stops the window at the ends of the hit's line
//	anchored         the match starts where the keyword starts: one cheap anchored
//	                 attempt per hit instead of a scan of the window
//	generic          a broad shape (a password assignment): gives way to a
//	                 specific rule reporting the same secret
//	tests            {positive: [...], negative: [...]}: samples, each a text or
//	                 {text, path, kind}; path and kind, when given, apply the
//	                 rule's path and kind filters as the scan would
//
// A file with any problem is refused as a whole, and every problem is
// reported with its file and line.
package rules
