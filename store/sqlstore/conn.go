package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// querier is what *sql.DB and *sql.Tx have in common, so every repository
// runs unchanged inside and outside a transaction.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// database is what every conn of one Store shares.
type database struct {
	d *Dialect
	// read runs statements outside a transaction that do not write;
	// write runs transactions and the other statements. They are one
	// pool unless the store was given a writer (NewSplit).
	read, write *pool
	gate        *writeGate    // nil unless Dialect.OneWriter
	ckpt        *checkpointer // nil unless Dialect.Checkpoint
}

// pools returns the read pool and, if it is another, the write pool.
func (db *database) pools() []*pool {
	if db.write == db.read {
		return []*pool{db.read}
	}
	return []*pool{db.read, db.write}
}

// pool is a database/sql pool and its prepared statements.
type pool struct {
	db    *sql.DB
	stmts *stmtCache // nil unless Dialect.Prepare
}

// conn runs statements in the store's dialect on the database or on one
// transaction, and returns errors in the store's vocabulary.
type conn struct {
	d  *Dialect
	db *database
	tx *sql.Tx // nil outside a transaction
}

func (c *conn) inTx() bool { return c.tx != nil }

// start begins running query, already rebound. Outside a transaction a
// statement that writes takes the write slot (see Dialect.OneWriter) and
// goes to the write pool; the caller passes the returned write to finish
// once the statement is done. Inside a transaction nothing takes the slot
// again, as the transaction holds it for its whole length (runTx), and
// reads never need it: WAL readers do not wait for the writer.
//
// It returns the cached prepared statement to run (bound to the
// transaction inside one), or a nil one and the transaction or pool to
// run query on unprepared: when the dialect does not prepare, the cache is
// full, or preparing failed, in which case running it unprepared reports
// the error the usual way.
func (c *conn) start(ctx context.Context, query string) (st *sql.Stmt, q querier, write bool, err error) {
	write = c.tx == nil && !isRead(query)
	if write && c.db.gate != nil {
		if err := c.db.gate.enter(ctx); err != nil {
			return nil, nil, false, err
		}
	}
	p := c.db.read
	if write || c.tx != nil {
		p = c.db.write
	}
	q = p.db
	if c.tx != nil {
		q = c.tx
	}
	if p.stmts == nil {
		return nil, q, write, nil
	}
	st = p.stmts.get(ctx, query)
	if st != nil && c.tx != nil {
		// Reuses the statement already prepared on the transaction's
		// connection, preparing it there the first time.
		st = c.tx.StmtContext(ctx, st)
	}
	return st, q, write, nil
}

// finish ends what start began: after a write outside a transaction it
// gives the write slot back and counts the commit.
func (c *conn) finish(write bool) {
	if !write {
		return
	}
	if c.db.gate != nil {
		c.db.gate.leave()
	}
	c.db.ckpt.committed()
}

// isRead reports whether query is a plain SELECT. Anything else counts as
// a write, including UPDATE ... RETURNING: wrongly gating a read costs a
// wait, wrongly not gating a write costs a collision on the database lock.
func isRead(query string) bool {
	q := strings.TrimLeft(query, " \t\r\n")
	return len(q) >= 6 && strings.EqualFold(q[:6], "SELECT")
}

func (c *conn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	query = c.d.rebind(query)
	st, q, write, err := c.start(ctx, query)
	if err != nil {
		return nil, err
	}
	defer c.finish(write)
	var res sql.Result
	if st != nil {
		res, err = st.ExecContext(ctx, args...)
	} else {
		res, err = q.ExecContext(ctx, query, args...)
	}
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

// each runs a statement that returns rows and hands them to read; the rows
// are closed when read returns, so that a write returning rows holds the
// write slot exactly as long as it runs.
func (c *conn) each(ctx context.Context, query string, args []any, read func(*sql.Rows) error) error {
	query = c.d.rebind(query)
	st, q, write, err := c.start(ctx, query)
	if err != nil {
		return err
	}
	defer c.finish(write)
	var rows *sql.Rows
	if st != nil {
		rows, err = st.QueryContext(ctx, args...)
	} else {
		rows, err = q.QueryContext(ctx, query, args...)
	}
	if err != nil {
		return c.d.translate(err)
	}
	defer rows.Close()
	if err := read(rows); err != nil {
		return c.d.translate(err)
	}
	return c.d.translate(rows.Err())
}

// scanRow runs a single-row statement and hands the row to scan; no row is
// store.ErrNotFound.
func (c *conn) scanRow(ctx context.Context, query string, args []any, scan func(*sql.Row) error) error {
	query = c.d.rebind(query)
	st, q, write, err := c.start(ctx, query)
	if err != nil {
		return err
	}
	defer c.finish(write)
	var r *sql.Row
	if st != nil {
		r = st.QueryRowContext(ctx, args...)
	} else {
		r = q.QueryRowContext(ctx, query, args...)
	}
	// Scan closes the row's statement, ending a write before the slot is
	// given back.
	return c.d.translate(scan(r))
}

// row runs a single-row statement and scans it into dest; no row is
// store.ErrNotFound.
func (c *conn) row(ctx context.Context, query string, args []any, dest ...any) error {
	return c.scanRow(ctx, query, args, func(r *sql.Row) error { return r.Scan(dest...) })
}

// scanOne runs a single-row statement on c and reads the row with scan; no
// row is store.ErrNotFound.
func scanOne[T any](ctx context.Context, c *conn, scan func(scanner) (*T, error), query string, args ...any) (*T, error) {
	var v *T
	err := c.scanRow(ctx, query, args, func(r *sql.Row) error {
		var err error
		v, err = scan(r)
		return err
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// scanAll runs a statement on c and reads every row with scan. It never
// returns a nil slice with a nil error (see collect).
func scanAll[T any](ctx context.Context, c *conn, scan func(scanner) (*T, error), query string, args ...any) ([]*T, error) {
	var out []*T
	err := c.each(ctx, query, args, func(rows *sql.Rows) error {
		var err error
		out, err = collect(rows, scan)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
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
	return runTx(ctx, c.db, fn)
}

// runTx runs fn in a new transaction on db's write pool and commits it
// when fn returns nil. With Dialect.OneWriter the transaction holds the
// write slot from before BEGIN until after COMMIT or ROLLBACK: SQLite's
// transactions begin IMMEDIATE, taking the database's write lock, so a
// second one started meanwhile would only sleep in the busy handler.
func runTx(ctx context.Context, db *database, fn func(c *conn) error) (err error) {
	if db.gate != nil {
		if err := db.gate.enter(ctx); err != nil {
			return err
		}
		defer db.gate.leave()
	}
	tx, err := db.write.db.BeginTx(ctx, nil)
	if err != nil {
		return db.d.translate(err)
	}
	done := false
	defer func() {
		// Also on a panic in fn: an open SQLite transaction would keep
		// the database's write lock for good.
		if !done {
			_ = tx.Rollback()
		}
	}()
	if err = fn(&conn{d: db.d, db: db, tx: tx}); err != nil {
		return err
	}
	done = true
	defer db.ckpt.committed()
	return db.d.translate(tx.Commit())
}
