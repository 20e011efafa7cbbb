package sqlstore

import (
	"context"
	"sync"
	"sync/atomic"
)

// checkpointer copies the write-ahead log back into the database in the
// background (Dialect.Checkpoint), instead of the writer whose commit
// crosses SQLite's autocheckpoint threshold doing it inside that commit:
// there it held the write slot, and with it every other writer, through
// the copy and its fsyncs.
type checkpointer struct {
	pool  *pool
	query string
	every uint64
	n     atomic.Uint64
	kick  chan struct{}
	stop  chan struct{}
	done  sync.WaitGroup
}

func newCheckpointer(p *pool, d *Dialect) *checkpointer {
	if d.Checkpoint == "" {
		return nil
	}
	c := &checkpointer{pool: p, query: d.Checkpoint, every: uint64(d.CheckpointEvery),
		kick: make(chan struct{}, 1), stop: make(chan struct{})}
	if c.every == 0 {
		c.every = 1
	}
	c.done.Add(1)
	go c.run()
	return c
}

// committed counts a commit and wakes the checkpointer after every
// CheckpointEvery of them; it never blocks.
func (c *checkpointer) committed() {
	if c == nil || c.n.Add(1)%c.every != 0 {
		return
	}
	select {
	case c.kick <- struct{}{}:
	default: // one is pending already
	}
}

func (c *checkpointer) run() {
	defer c.done.Done()
	for {
		select {
		case <-c.stop:
			return
		case <-c.kick:
		}
		// A failed checkpoint (the database busy with another process's
		// checkpoint, say) is retried at the next kick; the log is still
		// read correctly meanwhile, only longer.
		_, _ = c.pool.db.ExecContext(context.Background(), c.query)
	}
}

func (c *checkpointer) close() {
	if c == nil {
		return
	}
	close(c.stop)
	c.done.Wait()
}
