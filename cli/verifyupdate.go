package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/doorman-sec/doorman/finding"
	"github.com/doorman-sec/doorman/updatecheck"
)

// verifyUpdateFlags are verify-update's own flags; one of --root,
// --bundle and --sig picks the mode.
type verifyUpdateFlags struct {
	root, state, targets, at  string
	bundle, trustedRoot, key  string
	identity, issuer, sig, ns string
	rf                        reportFlags
}

func (f *verifyUpdateFlags) register(fs *flag.FlagSet) {
	f.rf.register(fs)
	fs.StringVar(&f.root, "root", "", "TUF mode: the trusted root metadata (`ROOT.json`) the chain starts from")
	fs.StringVar(&f.state, "state", "", "TUF mode: `DIR` of previously trusted metadata; lower versions are rollbacks")
	fs.StringVar(&f.targets, "targets", "", "TUF mode: `DIR` of target files to check against their signed lengths and hashes")
	fs.StringVar(&f.at, "at", "", "check expiry at this `TIME` (RFC 3339) instead of now")
	fs.StringVar(&f.bundle, "bundle", "", "Sigstore mode: the bundle (`FILE`) to verify ARTIFACT with")
	fs.StringVar(&f.trustedRoot, "trusted-root", "", "Sigstore mode: trusted_root.json (`FILE`) with the CAs, logs and timestamp authorities")
	fs.StringVar(&f.identity, "identity", "", "Sigstore mode: expected certificate identity (e-mail or URI)")
	fs.StringVar(&f.issuer, "issuer", "", "Sigstore mode: expected OIDC issuer")
	fs.StringVar(&f.sig, "sig", "", "signature mode: detached signature `FILE` (minisign, OpenPGP, SSH, Ed25519)")
	fs.StringVar(&f.key, "key", "", "signature mode (and key-signed bundles): the public key `FILE`")
	fs.StringVar(&f.ns, "namespace", "file", "signature mode: expected SSH signature namespace")
}

func runVerifyUpdate(e *env, args []string) int {
	fs := flag.NewFlagSet("verify-update", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var f verifyUpdateFlags
	f.register(fs)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage:
  doorman verify-update [flags] --root ROOT.json METADATA_DIR
  doorman verify-update [flags] --bundle BUNDLE --trusted-root TRUSTED_ROOT.json ARTIFACT
  doorman verify-update [flags] --sig SIG --key KEY ARTIFACT

Verify an update channel or an artifact's signature offline, as a device
should before installing it. Every failure is an update-integrity finding.

TUF (--root): walks root rotations from the trusted root, then timestamp,
snapshot, targets and simple delegations: signature thresholds (naming the
key ids that did and did not sign), expiry (freeze attacks), versions,
lengths and hashes; with --state, rollbacks below previously trusted
versions; with --targets, each target file's length and hashes.

Sigstore (--bundle): checks the bundle against a trusted_root.json; the
policy follows the trusted root (a Rekor log in it means a log entry is
required). --identity/--issuer pin the signer; --key verifies key-signed
bundles.

Signature (--sig): recognises minisign, OpenPGP (armored or binary), SSH
signatures (ssh-keygen -Y sign) and raw, hex or base64 Ed25519 signatures;
the key may be a minisign key, an OpenPGP key, an authorized_keys or
allowed_signers line, or a raw, hex, base64 or PEM Ed25519 key.

Examples:
  doorman verify-update --root trusted/root.json repo/metadata --targets repo/targets
  doorman verify-update --root root.json --state /var/lib/app/tuf metadata --format json
  doorman verify-update --bundle app.sigstore.json --trusted-root trusted_root.json \
      --identity release@example.com --issuer https://accounts.google.com app.tar.gz
  doorman verify-update --sig app.tar.gz.minisig --key minisign.pub app.tar.gz
  doorman verify-update --sig fw.bin.asc --key vendor.asc fw.bin --fail-on critical

Flags:
`)
		fs.PrintDefaults()
		fmt.Fprint(fs.Output(), `
Exit codes: 0 verified, 1 a finding at or above --fail-on, 2 bad usage,
an unreadable input or an unrecognised signature or key format.
`)
	}
	if wantsHelp(args) {
		fs.SetOutput(e.stdout)
		fs.Usage()
		return ExitClean
	}
	pos, err := parseArgs(fs, args)
	if err != nil {
		return ExitError
	}
	modes := 0
	for _, m := range []string{f.root, f.bundle, f.sig} {
		if m != "" {
			modes++
		}
	}
	if modes != 1 {
		return e.errorf("verify-update needs exactly one of --root, --bundle or --sig; see doorman verify-update --help")
	}
	if len(pos) != 1 {
		return e.errorf("verify-update needs exactly one METADATA_DIR or ARTIFACT, got %d; see doorman verify-update --help", len(pos))
	}
	var now time.Time
	if f.at != "" {
		if now, err = time.Parse(time.RFC3339, f.at); err != nil {
			return e.errorf("--at %q: want an RFC 3339 time such as 2030-01-02T15:04:05Z", f.at)
		}
	}
	opts, code := f.rf.resolve(e)
	if code != 0 {
		return code
	}
	started := time.Now()
	rep := &finding.Report{SchemaVersion: finding.SchemaVersion, Tool: finding.Tool{Name: "doorman", Version: Version},
		Command: "verify-update", Findings: []finding.Finding{}, Errors: []finding.Error{}}
	var summary string
	switch {
	case f.root != "":
		summary, err = verifyTUF(rep, f, pos[0], now)
	case f.bundle != "":
		summary, err = verifyBundle(rep, f, pos[0])
	default:
		summary, err = verifySig(rep, f, pos[0], now)
	}
	if err != nil {
		return e.errorf("verify-update: %v", err)
	}
	rep.Stats.DurationMS = time.Since(started).Milliseconds()
	rep.Stats.Files = int64(len(rep.Targets))
	finding.Sort(rep.Findings)
	if !f.rf.quiet && summary != "" {
		fmt.Fprintln(e.stderr, summary)
	}
	out, closeOut, err := openOutput(e, f.rf.output)
	if err != nil {
		return e.errorf("cannot write the report: %v", err)
	}
	return finishReport(e, rep, opts, out, closeOut)
}

// fileTarget describes a file the user named, with its SHA-256.
func fileTarget(p string) (finding.Target, error) {
	t := finding.Target{Path: p}
	fh, err := os.Open(p)
	if err != nil {
		return t, err
	}
	defer fh.Close()
	h := sha256.New()
	n, err := io.Copy(h, fh)
	if err != nil {
		return t, err
	}
	t.SHA256, t.Size = hex.EncodeToString(h.Sum(nil)), n
	return t, nil
}

func verifyTUF(rep *finding.Report, f verifyUpdateFlags, dir string, now time.Time) (string, error) {
	res, err := updatecheck.VerifyTUF(f.root, dir, updatecheck.TUFOptions{Now: now, StateDir: f.state, TargetsDir: f.targets})
	if err != nil {
		return "", err
	}
	rep.Targets = append(rep.Targets, finding.Target{Path: dir})
	verified := 0
	for _, t := range res.Targets {
		// Targets are listed as the metadata signs them: the sha256 and
		// length a client would check before installing.
		rep.Targets = append(rep.Targets, finding.Target{Path: t.Name, SHA256: t.SHA256, Size: t.Length})
		rep.Stats.Bytes += t.Length
		if t.Status == "verified" {
			verified++
		}
	}
	rep.Findings = append(rep.Findings, res.Findings...)
	rep.Errors = append(rep.Errors, res.Errors...)
	rep.Inventory = map[string]any{"tuf": map[string]any{"roles": res.Roles, "targets": res.Targets}}
	s := "TUF:"
	for _, r := range res.Roles {
		mark := "ok"
		if !r.Verified {
			mark = "FAILED"
		}
		s += fmt.Sprintf(" %s v%d (expires %s, %s);", r.Role, r.Version, r.Expires.UTC().Format("2006-01-02"), mark)
	}
	s += fmt.Sprintf(" %s listed", plural(len(res.Targets), "target", "targets"))
	if f.targets != "" {
		s += fmt.Sprintf(", %d verified", verified)
	}
	return s, nil
}

func verifyBundle(rep *finding.Report, f verifyUpdateFlags, artifact string) (string, error) {
	res, err := updatecheck.VerifyBundle(f.bundle, artifact, updatecheck.BundleOptions{TrustedRoot: f.trustedRoot, Key: f.key, Identity: f.identity, Issuer: f.issuer})
	if err != nil {
		return "", err
	}
	t, err := fileTarget(artifact)
	if err != nil {
		return "", err
	}
	rep.Targets = []finding.Target{t}
	rep.Stats.Bytes = t.Size
	rep.Findings = append(rep.Findings, res.Findings...)
	rep.Inventory = map[string]any{"sigstore": res}
	for _, n := range res.Notes {
		rep.Errors = append(rep.Errors, finding.Error{Path: f.bundle, Error: n})
	}
	if len(res.Findings) > 0 {
		return "", nil
	}
	if res.KeyBased {
		return "Sigstore bundle verified with the given key", nil
	}
	return fmt.Sprintf("Sigstore bundle verified: signed by %s via %s", res.Identity, res.Issuer), nil
}

func verifySig(rep *finding.Report, f verifyUpdateFlags, artifact string, now time.Time) (string, error) {
	if f.key == "" {
		return "", errors.New("--sig needs --key FILE")
	}
	res, err := updatecheck.VerifySignature(f.sig, f.key, artifact, updatecheck.SigOptions{Now: now, Namespace: f.ns})
	if err != nil {
		return "", err
	}
	t, err := fileTarget(artifact)
	if err != nil {
		return "", err
	}
	rep.Targets = []finding.Target{t}
	rep.Stats.Bytes = t.Size
	rep.Findings = append(rep.Findings, res.Findings...)
	rep.Inventory = map[string]any{"signature": res}
	if len(res.Findings) > 0 {
		return "", nil
	}
	s := fmt.Sprintf("%s signature verified (key %s)", res.Format, res.KeyID)
	if res.Signer != "" {
		s += fmt.Sprintf(", signer %q", res.Signer)
	}
	return s, nil
}
