package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"strconv"
	"strings"
	"syscall"
	"time"

	"iamd/store"
)

// Dialect is what one database needs beyond standard SQL. The subpackages
// sqlite and postgres each build one.
type Dialect struct {
	// Name is a short label for messages: "sqlite" or "postgres".
	Name string
	// NumberedParams rewrites the ? placeholders to $1, $2, ... .
	NumberedParams bool
	// Savepoints guards statements that may break a constraint with a
	// savepoint inside a transaction. PostgreSQL aborts the whole
	// transaction on any error; SQLite only undoes the failing statement.
	// With the guard both behave alike: a caller that gets ErrConflict in
	// a transaction may go on and commit.
	Savepoints bool
	// SkipLocked is appended to the SELECT that picks outbox messages to
	// claim, so that concurrent dispatchers skip each other's rows.
	SkipLocked string
	// MigrationLock is run first in the migration transaction to serialise
	// concurrent migrators ("" when beginning the transaction already does).
	MigrationLock string
	// Migrations holds the versioned schema files, NNNN_name.sql, at its
	// root.
	Migrations fs.FS
	// OneWriter serialises the store's writers within the process: a
	// transaction, or a write statement outside one, first waits for the
	// store's one write slot (see writeGate). For a database with a single
	// write lock whose waiters poll for it, as SQLite's do.
	OneWriter bool
	// WriterWait is how long a writer waits for the slot before failing
	// with store.ErrUnavailable; it matches the database's own lock wait.
	WriterWait time.Duration
	// Prepare keeps one prepared statement per statement text and reuses
	// it (see stmtCache). Unset for a driver that caches statements by
	// itself, as pgx does.
	Prepare bool
	// Checkpoint, if set, is run in the background on a reading
	// connection after every CheckpointEvery commits of the store (see
	// checkpointer), so that the writer's own automatic checkpoints, which
	// the subpackage makes rarer, find little left to do.
	Checkpoint      string
	CheckpointEvery int
	// Classify maps a driver error to store.ErrConflict (unique
	// violation), store.ErrNotFound (foreign-key violation: the referenced
	// record is not in the realm) or store.ErrUnavailable (the database
	// cannot be reached), and returns nil for any other error.
	Classify func(error) error
}

// rebind rewrites ? placeholders for dialects with numbered parameters.
// Question marks inside quoted literals are left alone.
func (d *Dialect) rebind(query string) string {
	if !d.NumberedParams || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n, quoted := 0, false
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'':
			quoted = !quoted
		case c == '?' && !quoted:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// translate turns a driver error into the store's vocabulary. The driver's
// text is kept in the message for logs; its types are not, so no caller
// can come to depend on one backend's errors.
func (d *Dialect) translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return store.ErrNotFound
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrConflict), errors.Is(err, store.ErrUnavailable):
		return err
	}
	if d.Classify != nil {
		if kind := d.Classify(err); kind != nil {
			return fmt.Errorf("%w: %s: %v", kind, d.Name, err)
		}
	}
	if unreachable(err) {
		return fmt.Errorf("%w: %s: %v", store.ErrUnavailable, d.Name, err)
	}
	return err
}

// unreachable reports errors that mean "the database is not there" whatever
// the driver: a broken or refused connection. A cancelled or expired
// context is the caller's doing and is left as it is.
func unreachable(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	return strings.Contains(err.Error(), "connection refused")
}
