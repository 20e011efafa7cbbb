package sqlstore

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
)

// maxCachedStmts bounds the statement cache. The store's statements are
// constants of this package, but list filters combine into variants;
// beyond the bound a statement simply runs unprepared.
const maxCachedStmts = 512

// stmtCache keeps one prepared statement per statement text
// (Dialect.Prepare). Parsing and planning a statement cost SQLite about as
// much as running one of the store's, so the hot paths spent a fifth of
// their CPU re-parsing the same few statements. A *sql.Stmt of the pool
// prepares itself on each connection it runs on, once, and keeps it;
// modernc's driver keeps the compiled statement and resets it between
// runs.
type stmtCache struct {
	pool *sql.DB
	m    sync.Map // statement text → *sql.Stmt
	n    atomic.Int32
}

func newStmtCache(pool *sql.DB, d *Dialect) *stmtCache {
	if !d.Prepare {
		return nil
	}
	return &stmtCache{pool: pool}
}

// get returns the prepared statement for query, or nil if it cannot be
// prepared (the caller runs it unprepared and gets the error) or the
// cache is full.
func (c *stmtCache) get(ctx context.Context, query string) *sql.Stmt {
	if v, ok := c.m.Load(query); ok {
		return v.(*sql.Stmt)
	}
	if c.n.Load() >= maxCachedStmts {
		return nil
	}
	st, err := c.pool.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	if v, loaded := c.m.LoadOrStore(query, st); loaded {
		st.Close() // another caller prepared it meanwhile
		return v.(*sql.Stmt)
	}
	c.n.Add(1)
	return st
}

// close closes every cached statement.
func (c *stmtCache) close() {
	c.m.Range(func(k, v any) bool {
		v.(*sql.Stmt).Close()
		c.m.Delete(k)
		return true
	})
}
