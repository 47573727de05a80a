package updatecheck

import (
	"fmt"
	"strings"

	"github.com/theupdateframework/go-tuf/v2/metadata"
)

// roleKeys is what a delegator says about one role: which keys may sign
// it and how many of them must.
type roleKeys struct {
	keys      map[string]*metadata.Key
	keyIDs    []string
	threshold int
}

// sigDiagnosis says, key by key, why a role's signatures do or do not
// reach its threshold, so a finding can name the keys involved.
type sigDiagnosis struct {
	valid, bad, missing, foreign []string
}

// safeVerify runs go-tuf's VerifyDelegate and turns a panic into an
// error: crypto/ed25519 panics on a public key of the wrong length, and a
// hostile root can declare one.
func safeVerify(delegator any, role string, md any) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("verification aborted on malformed key material: %v", p)
		}
	}()
	switch d := delegator.(type) {
	case *metadata.Metadata[metadata.RootType]:
		return d.VerifyDelegate(role, md)
	case *metadata.Metadata[metadata.TargetsType]:
		return d.VerifyDelegate(role, md)
	}
	return fmt.Errorf("internal: %T cannot delegate", delegator)
}

// diagnose checks each authorised key on its own. It reuses go-tuf's
// verification through a one-key, threshold-1 stub delegator rather than
// reimplementing canonical JSON and the signature schemes.
func diagnose(rk roleKeys, role string, md any, sigs []metadata.Signature) sigDiagnosis {
	var d sigDiagnosis
	has := map[string]bool{}
	for _, s := range sigs {
		has[s.KeyID] = true
	}
	authorised := map[string]bool{}
	for _, kid := range rk.keyIDs {
		authorised[kid] = true
		if !has[kid] {
			d.missing = append(d.missing, kid)
			continue
		}
		stub := &metadata.Metadata[metadata.RootType]{Signed: metadata.RootType{
			Keys:  rk.keys,
			Roles: map[string]*metadata.Role{role: {KeyIDs: []string{kid}, Threshold: 1}},
		}}
		if safeVerify(stub, role, md) == nil {
			d.valid = append(d.valid, kid)
		} else {
			d.bad = append(d.bad, kid)
		}
	}
	for _, s := range sigs {
		if !authorised[s.KeyID] {
			d.foreign = append(d.foreign, s.KeyID)
		}
	}
	return d
}

func (d sigDiagnosis) String() string {
	list := func(ids []string) string {
		if len(ids) == 0 {
			return "none"
		}
		s := make([]string, len(ids))
		for i, id := range ids {
			s[i] = shortID(id)
		}
		return strings.Join(s, ", ")
	}
	out := fmt.Sprintf("valid: %s; bad signature: %s; not signed: %s", list(d.valid), list(d.bad), list(d.missing))
	if len(d.foreign) > 0 {
		out += "; signed by keys the role does not trust: " + list(d.foreign)
	}
	return out
}

// checkSignatures verifies md (role `role`, version v) against what its
// delegator authorises and reports a finding when the threshold is not
// met. label starts the message ("timestamp v3", "root v2 signed by the
// root keys of v1").
func checkSignatures[T metadata.Roles](r *tufRun, rule, label, file string, delegator any, rk roleKeys, role string, v int64, md *metadata.Metadata[T]) bool {
	err := safeVerify(delegator, role, md)
	if err == nil {
		return true
	}
	d := diagnose(rk, role, md, md.Signatures)
	msg := fmt.Sprintf("%s: %d valid signature(s), threshold %d (%s); go-tuf: %v",
		label, len(d.valid), rk.threshold, d, err)
	ev := fmt.Sprintf("%s v%d threshold=%d valid=%s bad=%s missing=%s", role, v, rk.threshold,
		strings.Join(d.valid, ","), strings.Join(d.bad, ","), strings.Join(d.missing, ","))
	r.add(rule, file, msg, ev)
	return false
}

// rootRole returns what a root says about one of the top-level roles.
func rootRole(root *metadata.Metadata[metadata.RootType], role string) roleKeys {
	rk := roleKeys{keys: root.Signed.Keys}
	if r := root.Signed.Roles[role]; r != nil {
		rk.keyIDs, rk.threshold = r.KeyIDs, r.Threshold
	}
	return rk
}
