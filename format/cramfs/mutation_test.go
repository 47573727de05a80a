package cramfs

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestMutations runs random byte changes of real images through exercise:
// none may panic or take long (a loop, a runaway block table).
func TestMutations(t *testing.T) {
	seeds := fuzzSeeds(t)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 3000 {
		s := append([]byte(nil), seeds[i%2]...)
		for range 1 + r.IntN(8) {
			s[r.IntN(len(s))] = byte(r.Uint32())
		}
		start := time.Now()
		exercise(t, s)
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("mutation %d took %v", i, d)
		}
	}
}
