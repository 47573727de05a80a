// Package updatediff answers "what does this update add?": it scans two
// versions of a target with the same analyzers and limits and compares the
// reports.
//
// Findings are matched across versions by rule, normalised location path
// and evidence (see Key): the target's own name is dropped from the path,
// the offsets of carved regions ("squashfs@0x1a0000") are written
// "squashfs@*" because a rebuilt image moves them, and line numbers are
// ignored because an edit above a finding moves it. Findings of NEW with no
// match in OLD are introduced; findings of OLD with no match in NEW are
// removed. Only introduced findings decide the exit code.
//
// The inventories are compared too: accounts added or whose password
// changed, services newly started at boot, executables new, renamed or
// changed and the capabilities they gained, new setuid/setgid files, new
// hard-coded endpoints, keys added, update paths that lost their signature
// check, and OS version changes. Entries are matched by normalised path
// and, for files that moved, by content hash. Every difference becomes a
// finding.Change; the significant ones that no analyzer of NEW already
// reported also become findings of NEW (rules DM-DIFF-*), so a reviewer
// and a CI gate see them with the rest.
//
// Compare is pure: it reads two reports and writes a result, so it can be
// tested, and run on saved JSON reports, without scanning anything. Run
// scans both versions, adding a probe analyzer (Probe) that records each
// file's size, mode and SHA-256 and a digest of each password hash, which
// Compare needs for renamed files, setuid bits and password changes.
package updatediff
