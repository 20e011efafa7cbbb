package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
)

// querier is what *sql.DB and *sql.Tx have in common, so every repository
// runs unchanged inside and outside a transaction.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// conn runs statements in the store's dialect on the database or on one
// transaction, and returns errors in the store's vocabulary.
type conn struct {
	q  querier
	d  *Dialect
	db *sql.DB // set outside a transaction, to start one for atomic
}

func (c *conn) inTx() bool { return c.db == nil }

func (c *conn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := c.q.ExecContext(ctx, c.d.rebind(query), args...)
	return res, c.d.translate(err)
}

// affected runs a statement and returns how many rows it changed.
func (c *conn) affected(ctx context.Context, query string, args ...any) (int, error) {
	res, err := c.exec(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), c.d.translate(err)
}

func (c *conn) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	rows, err := c.q.QueryContext(ctx, c.d.rebind(query), args...)
	return rows, c.d.translate(err)
}

// row runs a single-row statement and scans it into dest; no row is
// store.ErrNotFound.
func (c *conn) row(ctx context.Context, query string, args []any, dest ...any) error {
	err := c.q.QueryRowContext(ctx, c.d.rebind(query), args...).Scan(dest...)
	return c.d.translate(err)
}

// guard runs fn, a write that may break a unique or foreign-key
// constraint, so that its failure leaves an enclosing transaction usable
// (see Dialect.Savepoints).
func (c *conn) guard(ctx context.Context, fn func() error) error {
	if !c.inTx() || !c.d.Savepoints {
		return fn()
	}
	if _, err := c.exec(ctx, "SAVEPOINT sqlstore_guard"); err != nil {
		return err
	}
	if err := fn(); err != nil {
		if _, rerr := c.exec(ctx, "ROLLBACK TO SAVEPOINT sqlstore_guard"); rerr != nil {
			return fmt.Errorf("%w (and rolling back to the savepoint: %v)", err, rerr)
		}
		return err
	}
	_, err := c.exec(ctx, "RELEASE SAVEPOINT sqlstore_guard")
	return err
}

// atomic runs fn in a transaction: the enclosing one if there is one, else
// a new one. It is for methods that need more than one statement.
func (c *conn) atomic(ctx context.Context, fn func(c *conn) error) error {
	if c.inTx() {
		return fn(c)
	}
	return runTx(ctx, c.db, c.d, fn)
}

// runTx runs fn in a new transaction on db and commits it when fn returns
// nil.
func runTx(ctx context.Context, db *sql.DB, d *Dialect, fn func(c *conn) error) (err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return d.translate(err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err = fn(&conn{q: tx, d: d}); err != nil {
		return err
	}
	return d.translate(tx.Commit())
}
