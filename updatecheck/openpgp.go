package updatecheck

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	pgperrors "github.com/ProtonMail/go-crypto/openpgp/errors"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// readPGPKeyring reads an armored or binary OpenPGP public key (ring).
func readPGPKeyring(b []byte) (openpgp.EntityList, error) {
	var el openpgp.EntityList
	var err error
	if bytes.HasPrefix(bytes.TrimSpace(b), []byte("-----BEGIN PGP")) {
		el, err = openpgp.ReadArmoredKeyRing(bytes.NewReader(b))
	} else {
		el, err = openpgp.ReadKeyRing(bytes.NewReader(b))
	}
	if err != nil {
		return nil, fmt.Errorf("%w: the key is not an OpenPGP public key: %v", ErrUnknownFormat, err)
	}
	if len(el) == 0 {
		return nil, fmt.Errorf("%w: no OpenPGP key in the key file", ErrUnknownFormat)
	}
	return el, nil
}

// pgpSigPacket unarmors a signature and reads its first packet, to name
// the issuer and creation time in findings.
func pgpSigPacket(b []byte) ([]byte, *packet.Signature, error) {
	raw := b
	if bytes.HasPrefix(bytes.TrimSpace(b), []byte("-----BEGIN PGP")) {
		blk, err := armor.Decode(bytes.NewReader(b))
		if err != nil {
			return nil, nil, err
		}
		if raw, err = readAll(blk.Body); err != nil {
			return nil, nil, err
		}
	}
	p, err := packet.NewReader(bytes.NewReader(raw)).Next()
	if err != nil {
		return nil, nil, err
	}
	sp, ok := p.(*packet.Signature)
	if !ok {
		return nil, nil, fmt.Errorf("first packet is %T, not a signature", p)
	}
	return raw, sp, nil
}

func verifyOpenPGP(c *sigCheck) (err error) {
	ring, err := readPGPKeyring(c.key)
	if err != nil {
		return err
	}
	// The OpenPGP parser is large and fed hostile input: a panic in it is
	// a malformed signature, not a crash.
	defer func() {
		if p := recover(); p != nil {
			c.fail(RuleSigMalformed, fmt.Sprintf("malformed OpenPGP signature: parser failed: %v", p), "openpgp panic")
			err = nil
		}
	}()
	raw, sp, perr := pgpSigPacket(c.sig)
	if perr != nil {
		c.fail(RuleSigMalformed, "malformed OpenPGP signature: "+perr.Error(), "openpgp malformed")
		return nil
	}
	if sp.IssuerKeyId != nil {
		c.res.KeyID = fmt.Sprintf("%016X", *sp.IssuerKeyId)
	}
	f, err := c.openArtifact()
	if err != nil {
		return err
	}
	defer f.Close()
	now := c.opts.Now
	cfg := &packet.Config{Time: func() time.Time { return now }}
	signer, verr := openpgp.CheckDetachedSignature(ring, f, bytes.NewReader(raw), cfg)
	if signer != nil {
		for name := range signer.Identities {
			c.res.Signer = name
			break
		}
	}
	if verr == nil {
		return nil
	}
	created := sp.CreationTime.UTC().Format("2006-01-02T15:04:05Z")
	ev := "openpgp key=" + c.res.KeyID
	switch {
	case errors.Is(verr, pgperrors.ErrUnknownIssuer):
		c.fail(RuleSigInvalid, fmt.Sprintf("OpenPGP signature was made by key %s, which is not in the trusted key file (%s)", c.res.KeyID, keyringIDs(ring)), ev)
	case errors.Is(verr, pgperrors.ErrKeyExpired):
		c.fail(RuleSigKeyExpired, fmt.Sprintf("OpenPGP signature (made %s) is by key %s, which had expired when checked at %s", created, c.res.KeyID, now.UTC().Format("2006-01-02T15:04:05Z")), ev+" expired")
	case errors.Is(verr, pgperrors.ErrKeyRevoked):
		c.fail(RuleSigKeyExpired, fmt.Sprintf("OpenPGP signature is by key %s, which is revoked", c.res.KeyID), ev+" revoked")
	case errors.Is(verr, pgperrors.ErrSignatureExpired):
		c.fail(RuleSigKeyExpired, fmt.Sprintf("OpenPGP signature by key %s (made %s) has expired", c.res.KeyID, created), ev+" signature expired")
	default:
		var se pgperrors.SignatureError
		if errors.As(verr, &se) {
			c.fail(RuleSigInvalid, fmt.Sprintf("OpenPGP signature by key %s does not verify over %s: %v (the artifact was altered)", c.res.KeyID, c.artifact, verr), ev)
		} else {
			c.fail(RuleSigMalformed, fmt.Sprintf("OpenPGP signature by key %s cannot be checked: %v", c.res.KeyID, verr), ev+" unusable")
		}
	}
	return nil
}

// keyringIDs lists the primary key ids of a key ring for messages.
func keyringIDs(el openpgp.EntityList) string {
	var b bytes.Buffer
	for i, e := range el {
		if i > 0 {
			b.WriteString(", ")
		}
		if e.PrimaryKey != nil {
			fmt.Fprintf(&b, "%016X", e.PrimaryKey.KeyId)
		}
	}
	return b.String()
}
