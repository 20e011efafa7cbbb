package authn

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Throttle limits authentication attempts per client IP with a token bucket
// per IP. It is per process: behind a load balancer with N replicas an IP
// gets up to N times the rate, which still stops a single-source flood.
type Throttle struct {
	PerMinute int // sustained attempts per IP per minute
	Burst     int

	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// Allow reports whether ip may make another attempt at now; an empty ip is
// always allowed (a call that does not come from the network).
func (t *Throttle) Allow(ip string, now time.Time) bool {
	if t == nil || ip == "" || t.PerMinute <= 0 {
		return true
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.buckets == nil {
		t.buckets = make(map[string]*bucket)
	}
	if now.Sub(t.swept) > time.Minute {
		t.sweep(now)
	}
	b := t.buckets[ip]
	if b == nil {
		burst := t.Burst
		if burst <= 0 {
			burst = t.PerMinute
		}
		b = &bucket{lim: rate.NewLimiter(rate.Limit(float64(t.PerMinute)/60), burst)}
		t.buckets[ip] = b
	}
	b.seen = now
	return b.lim.AllowN(now, 1)
}

// sweep forgets IPs idle for ten minutes, so memory stays bounded by the
// number of recently active clients.
func (t *Throttle) sweep(now time.Time) {
	for ip, b := range t.buckets {
		if now.Sub(b.seen) > 10*time.Minute {
			delete(t.buckets, ip)
		}
	}
	t.swept = now
}
