package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"iamd/store"
)

// Store is a store.Store on a database/sql connection pool.
type Store struct {
	view
	db *database
}

var _ store.Store = (*Store)(nil)

// New wraps an open pool. It does not migrate; call Migrate (the
// subpackages' Open functions do).
func New(db *sql.DB, d *Dialect) *Store { return NewSplit(db, nil, d) }

// NewSplit is New with a second pool, writer, for transactions and for
// statements that write; db keeps the reads outside a transaction. For a
// database with one writer at a time (Dialect.OneWriter) writer is a pool
// of a single connection: that connection's page cache and prepared
// statements stay warm, where on a shared pool each write would run on
// whichever connection is idle, whose cache every other connection's
// commits have invalidated, and re-read the pages it changes. A nil
// writer means db does everything.
func NewSplit(db, writer *sql.DB, d *Dialect) *Store {
	read := &pool{db: db, stmts: newStmtCache(db, d)}
	write := read
	if writer != nil {
		write = &pool{db: writer, stmts: newStmtCache(writer, d)}
	}
	sdb := &database{d: d, read: read, write: write, gate: newWriteGate(d), ckpt: newCheckpointer(read, d)}
	return &Store{view: view{c: &conn{d: d, db: sdb}}, db: sdb}
}

// DB returns the underlying pool (the reading one of NewSplit), for tools
// and tests.
func (s *Store) DB() *sql.DB { return s.db.read.db }

// InTx runs fn in one transaction. fn's Tx sees its own writes; they
// commit together when fn returns nil and are rolled back otherwise.
func (s *Store) InTx(ctx context.Context, fn func(tx store.Tx) error) error {
	return runTx(ctx, s.db, func(c *conn) error { return fn(view{c: c}) })
}

// Ping reports whether the database answers; any failure is
// store.ErrUnavailable.
func (s *Store) Ping(ctx context.Context) error {
	for _, p := range s.db.pools() {
		if err := p.db.PingContext(ctx); err != nil {
			return fmt.Errorf("%w: %s: %v", store.ErrUnavailable, s.db.d.Name, err)
		}
	}
	return nil
}

// Close closes the cached statements and the pools.
func (s *Store) Close() error {
	s.db.ckpt.close()
	var errs []error
	for _, p := range s.db.pools() {
		if p.stmts != nil {
			p.stmts.close()
		}
		errs = append(errs, p.db.Close())
	}
	return errors.Join(errs...)
}

// view is a store.Tx on one conn: the pool (the Store) or a transaction.
type view struct{ c *conn }

var _ store.Tx = view{}

func (v view) Realms() store.Realms { return realms{v.c} }

func (v view) Realm(realmID string) store.Scope { return scope{c: v.c, realm: realmID} }

func (v view) Outbox() store.Outbox { return outbox{v.c} }
