// Package updatecheck verifies update channels and artifact signatures
// offline, the way a device or package manager should before it installs
// anything, and turns every failure into an update-integrity finding.
//
// Three verifiers share the package:
//
//   - VerifyTUF checks a TUF repository's metadata from a trusted root:
//     the root rotation chain, timestamp → snapshot → targets (and simple
//     delegations), signature thresholds, expiry (freeze attacks), rollback
//     against a previously trusted state, and target files' lengths and
//     hashes. It keeps going after a failure so one run names every problem.
//   - VerifyBundle checks a Sigstore bundle against a trusted root file
//     (and, for key-signed bundles, a public key), with an optional
//     expected signer identity.
//   - VerifySignature checks a detached signature over an artifact; it
//     recognises minisign, raw/base64/PEM Ed25519, OpenPGP and SSH
//     signatures by their shape.
//
// Nothing here touches the network: the trust anchors are files the caller
// supplies. Every input is treated as hostile: sizes are bounded before
// reading and parsers never panic on malformed data.
package updatecheck
