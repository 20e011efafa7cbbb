package notify

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"iamd/iam"
	"iamd/store"
)

// Dispatcher delivers the outbox: it claims due messages from the store,
// hands each to Send and records the outcome. Delivery is at least once: a
// message whose MarkSent fails, or whose lease runs out mid-send, may be
// sent again. Several dispatchers (replicas) may share one store; the
// claim lease keeps them from taking the same message at the same time.
//
// It never logs a message's text, code or link.
type Dispatcher struct {
	Store store.Store
	Send  Sender // normally a *Router
	// Logger receives one line per failed attempt; nil means slog.Default().
	Logger *slog.Logger
	// Interval between polls when idle; 0 means 500ms.
	Interval time.Duration
	// Lease is how long a claimed message is hidden from other claims;
	// 0 means 5 minutes. It must exceed the time a batch takes to send.
	Lease time.Duration
	// BatchSize is how many messages one claim takes; 0 means 32.
	BatchSize int
	// Concurrency is how many messages of a batch are sent at once; 0 means 8.
	Concurrency int
	// MaxAttempts is after how many failed attempts a message is given
	// up (marked failed); 0 means 12.
	MaxAttempts int
	// Backoff is the delay after failed attempt number n (1 for the first
	// failure); nil means DefaultBackoff. Results below 1s count as 1s.
	Backoff func(attempt int) time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Backlog, if set, is called by Run after each pass with the number of
	// pending messages (for a metrics gauge).
	Backlog func(n int)

	kickOnce sync.Once
	kick     chan struct{}
}

// DefaultBackoff waits 2s, 4s, 8s, … doubling per attempt, capped at 10
// minutes, less a random jitter of up to a quarter so that messages that
// failed together do not retry together.
func DefaultBackoff(attempt int) time.Duration {
	d := 10 * time.Minute
	if attempt < 1 {
		attempt = 1
	}
	if attempt <= 9 { // 2s<<9 > 10m
		d = min(d, 2*time.Second<<(attempt-1))
	}
	return d - rand.N(d/4+1)
}

// Kick wakes Run now instead of at the next poll, e.g. right after a
// transaction enqueued a message. It never blocks.
func (d *Dispatcher) Kick() {
	select {
	case d.kickChan() <- struct{}{}:
	default:
	}
}

func (d *Dispatcher) kickChan() chan struct{} {
	d.kickOnce.Do(func() { d.kick = make(chan struct{}, 1) })
	return d.kick
}

// Run delivers until ctx is cancelled, then returns nil. A store error of
// one pass is logged and the next pass tries again. A message cut off by
// the cancellation is not counted as an attempt; it is retried once its
// Lease has run out.
func (d *Dispatcher) Run(ctx context.Context) error {
	interval := d.Interval
	if interval <= 0 {
		interval = 500 * time.Millisecond
	}
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-d.kickChan():
		}
		if _, err := d.DrainOnce(ctx); err != nil && ctx.Err() == nil {
			d.logger().Error("outbox pass failed", "error", err)
		}
		if d.Backlog != nil && ctx.Err() == nil {
			if n, err := d.Pending(ctx); err == nil {
				d.Backlog(n)
			}
		}
		t.Reset(interval)
	}
}

// Pending returns the number of undelivered messages that are not given up.
func (d *Dispatcher) Pending(ctx context.Context) (int, error) {
	return d.Store.Outbox().Pending(ctx)
}

// DrainOnce delivers every message due now, batch after batch, and
// returns how many were sent. Failures are recorded on the messages
// (retry later, or failed); the error is only for the store or ctx.
func (d *Dispatcher) DrainOnce(ctx context.Context) (int, error) {
	limit := d.BatchSize
	if limit <= 0 {
		limit = 32
	}
	sent := 0
	for {
		batch, err := d.Store.Outbox().Claim(ctx, d.now(), d.lease(), limit)
		if err != nil {
			return sent, err
		}
		n, err := d.deliver(ctx, batch)
		sent += n
		if err != nil || len(batch) < limit {
			return sent, err
		}
	}
}

// deliver sends a claimed batch with bounded concurrency.
func (d *Dispatcher) deliver(ctx context.Context, batch []*iam.Message) (int, error) {
	realms := d.realms(ctx, batch)
	workers := d.Concurrency
	if workers <= 0 {
		workers = 8
	}
	sem := make(chan struct{}, workers)
	var (
		wg       sync.WaitGroup
		sent     atomic.Int64
		errOnce  sync.Once
		firstErr error
	)
	for _, m := range batch {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			ok, err := d.one(ctx, realms[m.RealmID], m)
			if ok {
				sent.Add(1)
			}
			if err != nil {
				errOnce.Do(func() { firstErr = err })
			}
		})
	}
	wg.Wait()
	return int(sent.Load()), firstErr
}

// realmResult is a realm lookup: the realm, or why there is none.
type realmResult struct {
	realm *iam.Realm
	err   error
}

func (d *Dispatcher) realms(ctx context.Context, batch []*iam.Message) map[string]realmResult {
	out := make(map[string]realmResult)
	for _, m := range batch {
		if _, ok := out[m.RealmID]; !ok {
			r, err := d.Store.Realms().Get(ctx, m.RealmID)
			out[m.RealmID] = realmResult{r, err}
		}
	}
	return out
}

// one sends m and records the outcome; ok reports delivery. The error is
// only for failing to record it.
func (d *Dispatcher) one(ctx context.Context, rr realmResult, m *iam.Message) (ok bool, err error) {
	attempt := m.Attempts + 1
	var sendErr error
	switch {
	case errors.Is(rr.err, store.ErrNotFound):
		sendErr = Permanent(errors.New("notify: realm no longer exists"))
	case rr.err != nil:
		// The store hiccupped; the lease expires and a later pass retries
		// without counting an attempt.
		return false, rr.err
	default:
		sendErr = d.Send.Send(ctx, rr.realm, m)
	}
	log := d.logger().With("message_id", m.ID, "realm_id", m.RealmID, "channel", m.Channel,
		"purpose", m.Purpose, "attempt", attempt)
	if rr.realm != nil {
		log = log.With("realm", rr.realm.Name)
	}
	if sendErr == nil {
		if err := d.Store.Outbox().MarkSent(ctx, m.ID, d.now()); err != nil {
			log.Error("message sent but not marked sent; it may be sent again", "error", err)
			return true, err
		}
		return true, nil
	}
	if ctx.Err() != nil {
		return false, ctx.Err() // shutting down: not the message's fault
	}
	failed := IsPermanent(sendErr) || attempt >= d.maxAttempts()
	next := d.now().Add(max(d.backoff(attempt), time.Second))
	if err := d.Store.Outbox().MarkRetry(ctx, m.ID, truncate(sendErr.Error(), 1000), next, failed); err != nil {
		log.Error("recording failed delivery", "error", err, "send_error", sendErr)
		return false, err
	}
	if failed {
		log.Error("message given up", "error", sendErr, "permanent", IsPermanent(sendErr))
	} else {
		log.Warn("message delivery failed; will retry", "error", sendErr, "next_attempt_at", next)
	}
	return false, nil
}

func (d *Dispatcher) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

func (d *Dispatcher) lease() time.Duration {
	if d.Lease <= 0 {
		return 5 * time.Minute
	}
	return d.Lease
}

func (d *Dispatcher) maxAttempts() int {
	if d.MaxAttempts <= 0 {
		return 12
	}
	return d.MaxAttempts
}

func (d *Dispatcher) backoff(attempt int) time.Duration {
	if d.Backoff != nil {
		return d.Backoff(attempt)
	}
	return DefaultBackoff(attempt)
}

func (d *Dispatcher) logger() *slog.Logger {
	if d.Logger != nil {
		return d.Logger
	}
	return slog.Default()
}

// truncate cuts s to at most n bytes without splitting a character.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
