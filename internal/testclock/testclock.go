// Package testclock is the movable clock the end-to-end test fixtures
// hand to the services as their Now: real time until a test moves it.
package testclock

import (
	"sync"
	"time"
)

// Clock is safe for concurrent use; the zero value reads real time.
type Clock struct {
	mu    sync.Mutex
	fixed time.Time // zero: real time
}

// Now returns the clock's time in UTC at microsecond precision, as the
// store keeps it.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fixed.IsZero() {
		return time.Now().UTC().Truncate(time.Microsecond)
	}
	return c.fixed
}

// Advance moves the clock by d, first fixing it at the real time if it
// still follows it.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fixed.IsZero() {
		c.fixed = time.Now().UTC().Truncate(time.Microsecond)
	}
	c.fixed = c.fixed.Add(d)
}
