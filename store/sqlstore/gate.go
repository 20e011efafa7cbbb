package sqlstore

import (
	"context"
	"fmt"
	"runtime"
	"time"

	"iamd/store"
)

// writeGate admits one writer of a Store at a time (Dialect.OneWriter).
//
// SQLite has one write lock per database. Writers that meet it taken
// sleep in the busy handler, with a backoff of up to tens of
// milliseconds, and so often sleep long after the lock was freed: under
// concurrent writes much of a request's time went to sleeping. Queuing
// them here instead hands the lock over the moment it is free, in
// arrival order (a channel serves blocked senders first come, first
// served). Other processes on the same file (the admin commands) still
// meet the lock and wait in the busy handler, as before.
type writeGate struct {
	slot chan struct{}
	wait time.Duration
	name string
}

func newWriteGate(d *Dialect) *writeGate {
	if !d.OneWriter {
		return nil
	}
	return &writeGate{slot: make(chan struct{}, 1), wait: d.WriterWait, name: d.Name}
}

// enter waits for the slot. It gives up with ctx's error when ctx ends,
// and with store.ErrUnavailable after the dialect's WriterWait, as a
// writer waiting that long for the database lock would: this also turns
// a write outside a transaction that its own goroutine holds open (which
// cannot get the lock either way) into an error rather than a hang.
func (g *writeGate) enter(ctx context.Context) error {
	select {
	case g.slot <- struct{}{}:
		return nil
	default:
	}
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slot <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return fmt.Errorf("%w: %s: no turn to write after %v", store.ErrUnavailable, g.name, g.wait)
	}
}

// leave gives the slot to the next writer. When one was waiting (the
// receive moved its token into the buffer) the caller yields its CPU to
// it: the scheduler readies the waiter on this P but runs it only once the
// caller blocks, and on a busy server that is after the caller's whole
// response; meanwhile every writer waits for it. sync.Mutex hands off
// the same way once it sees waiters starve.
func (g *writeGate) leave() {
	<-g.slot
	if len(g.slot) > 0 {
		runtime.Gosched()
	}
}
