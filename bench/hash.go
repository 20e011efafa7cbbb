package bench

import (
	"context"
	"slices"
	"sync"
	"time"

	"iamd/authn/password"
)

// HashResult is the raw argon2id rate of this machine.
type HashResult struct {
	Params      password.Params // defaults filled in
	Concurrency int
	Elapsed     time.Duration
	Hashes      int
	Rate        float64 // hashes per second
	Mean, P50   time.Duration
	P99         time.Duration
	CPUPerHash  time.Duration // CPU time of this process per hash
}

// HashRate hashes with params on concurrency goroutines for d, through the
// same Hasher (and its CPU semaphore) the server uses, and reports the rate:
// the ceiling of password logins, each of which costs one verification.
func HashRate(ctx context.Context, params password.Params, concurrency int, d time.Duration) (*HashResult, error) {
	h := password.New(params, concurrency)
	lat := make([][]time.Duration, concurrency)
	cpu0 := ownCPU()
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	var firstErr error
	var mu sync.Mutex
	for i := range concurrency {
		wg.Go(func() {
			for time.Now().Before(deadline) && ctx.Err() == nil {
				t0 := time.Now()
				if _, err := h.Hash(ctx, "bench-password-0123456789"); err != nil {
					mu.Lock()
					firstErr = err
					mu.Unlock()
					return
				}
				lat[i] = append(lat[i], time.Since(t0))
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res := &HashResult{Params: h.Params(), Concurrency: concurrency, Elapsed: time.Since(start)}
	cpu := ownCPU() - cpu0
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	res.Hashes = len(all)
	res.Rate = float64(len(all)) / res.Elapsed.Seconds()
	res.Mean, res.P50, res.P99 = summarize(all)
	if len(all) > 0 {
		res.CPUPerHash = cpu / time.Duration(len(all))
	}
	return res, nil
}

func summarize(ds []time.Duration) (mean, p50, p99 time.Duration) {
	if len(ds) == 0 {
		return 0, 0, 0
	}
	sorted := append([]time.Duration(nil), ds...)
	slices.Sort(sorted)
	var sum time.Duration
	for _, d := range sorted {
		sum += d
	}
	at := func(q float64) time.Duration { return sorted[min(len(sorted)-1, int(q*float64(len(sorted))))] }
	return sum / time.Duration(len(sorted)), at(0.50), at(0.99)
}
