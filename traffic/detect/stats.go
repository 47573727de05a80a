package detect

import (
	"math"
	"sort"
)

// quartiles returns Q1, the median and Q3 of sorted values (linear
// interpolation between closest ranks).
func quartiles(s []float64) (q1, q2, q3 float64) {
	return quantile(s, 0.25), quantile(s, 0.5), quantile(s, 0.75)
}

func quantile(s []float64, q float64) float64 {
	if len(s) == 0 {
		return 0
	}
	pos := q * float64(len(s)-1)
	lo := int(math.Floor(pos))
	hi := int(math.Ceil(pos))
	frac := pos - float64(lo)
	return s[lo] + (s[hi]-s[lo])*frac
}

// bowley is the quartile skewness (Q1 + Q3 − 2·Q2)/(Q3 − Q1), in [−1, 1],
// 0 when the quartiles coincide (a perfectly regular series). Robust to
// the outliers a missed or retried check-in makes.
func bowley(sorted []float64) float64 {
	q1, q2, q3 := quartiles(sorted)
	den := q3 - q1
	if den == 0 || q2 == q1 || q2 == q3 {
		return 0
	}
	return (q1 + q3 - 2*q2) / den
}

// madm is the median absolute deviation about the median.
func madm(sorted []float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	m := quantile(sorted, 0.5)
	dev := make([]float64, len(sorted))
	for i, v := range sorted {
		dev[i] = math.Abs(v - m)
	}
	sort.Float64s(dev)
	return quantile(dev, 0.5)
}

// mode returns the most common value (the smallest among ties).
func mode(sorted []float64) float64 {
	best, bestN := 0.0, 0
	for i := 0; i < len(sorted); {
		j := i
		for j < len(sorted) && sorted[j] == sorted[i] {
			j++
		}
		if j-i > bestN {
			best, bestN = sorted[i], j-i
		}
		i = j
	}
	return best
}

func clamp01(v float64) float64 {
	return math.Max(0, math.Min(1, v))
}
