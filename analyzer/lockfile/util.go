package lockfile

import "sort"

// sortedKeys returns a map's keys in order, so findings come out the same
// way on every run.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
