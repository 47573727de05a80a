package accounts

import (
	"github.com/doorman-sec/doorman/format/crypt"
)

// Budgets of estimated work (microseconds, from crypt.Cost) for the
// dictionary check. They bound the time a hostile or huge shadow file can
// cost: per hash enough for the whole list at SHA-512-crypt's default
// rounds, the top dozen words at bcrypt cost 10; per scan half a minute.
// Estimates, not the clock, decide, so results do not depend on load.
const (
	perHashBudget = 1_500_000
	globalBudget  = 10_000_000
)

// cracker checks hashes against the dictionary within the budgets. It is
// used by the final pass only, which runs on one goroutine.
type cracker struct {
	dict            *Dictionary
	perHash, global int64 // budgets
	spent           int64
	// done caches results by (hash, user): the same hash in passwd, its
	// backup and another image is checked once.
	done map[[2]string]*Credential
}

func newCracker(d *Dictionary) *cracker {
	return &cracker{dict: d, perHash: perHashBudget, global: globalBudget, done: map[[2]string]*Credential{}}
}

// crack returns the published credential that opens hash for user, or
// nil when none does within the budget.
func (c *cracker) crack(user, hash string) *Credential {
	key := [2]string{hash, user}
	if r, ok := c.done[key]; ok {
		return r
	}
	var found *Credential
	cost := crypt.Cost(hash)
	if cost > 0 {
		var spent int64
		for _, cand := range c.dict.Candidates(user) {
			if spent+cost > c.perHash || c.spent+cost > c.global {
				break
			}
			spent += cost
			c.spent += cost
			if crypt.Verify(hash, cand.Password) {
				found = &cand
				break
			}
		}
	}
	c.done[key] = found
	return found
}
