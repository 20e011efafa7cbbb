package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"iamd/store"
)

// Store is a store.Store on a database/sql connection pool.
type Store struct {
	view
	db *sql.DB
	d  *Dialect
}

var _ store.Store = (*Store)(nil)

// New wraps an open pool. It does not migrate; call Migrate (the
// subpackages' Open functions do).
func New(db *sql.DB, d *Dialect) *Store {
	return &Store{view: view{c: &conn{q: db, d: d, db: db}}, db: db, d: d}
}

// DB returns the underlying pool, for tools and tests.
func (s *Store) DB() *sql.DB { return s.db }

// InTx runs fn in one transaction. fn's Tx sees its own writes; they
// commit together when fn returns nil and are rolled back otherwise.
func (s *Store) InTx(ctx context.Context, fn func(tx store.Tx) error) error {
	return runTx(ctx, s.db, s.d, func(c *conn) error { return fn(view{c: c}) })
}

// Ping reports whether the database answers; any failure is
// store.ErrUnavailable.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("%w: %s: %v", store.ErrUnavailable, s.d.Name, err)
	}
	return nil
}

// Close closes the pool.
func (s *Store) Close() error { return s.db.Close() }

// view is a store.Tx on one conn: the pool (the Store) or a transaction.
type view struct{ c *conn }

var _ store.Tx = view{}

func (v view) Realms() store.Realms { return realms{v.c} }

func (v view) Realm(realmID string) store.Scope { return scope{c: v.c, realm: realmID} }

func (v view) Outbox() store.Outbox { return outbox{v.c} }
