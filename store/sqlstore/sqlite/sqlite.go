package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"iamd/store"
	"iamd/store/sqlstore"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Dialect is SQLite's sqlstore.Dialect.
var Dialect = func() *sqlstore.Dialect {
	m, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err) // the directory is embedded at build time
	}
	return &sqlstore.Dialect{
		Name:       "sqlite",
		Migrations: m,
		Classify:   classify,
		// No MigrationLock: the migration transaction begins IMMEDIATE,
		// which already excludes every other writer.

		// One writer at a time holds the database anyway; queueing the
		// process's writers in Go hands the lock over at once instead of
		// after a busy-handler sleep. busy_timeout stays for other
		// processes writing the same file.
		OneWriter:  true,
		WriterWait: busyTimeoutMS * time.Millisecond,
		// modernc's driver compiles a statement on every unprepared call
		// and keeps it compiled for a prepared one.
		Prepare: true,
		// See checkpointEvery.
		Checkpoint:      "PRAGMA wal_checkpoint(PASSIVE)",
		CheckpointEvery: checkpointEvery,
	}
}()

// Pool bounds: see Open.
const (
	maxIdleConns    = 16
	maxConnIdleTime = time.Minute
	writerConns     = 2
)

// busyTimeoutMS is how long a connection waits for the write lock.
const busyTimeoutMS = 10000

// Checkpoints (see sqlstore.Dialect.Checkpoint): a reading connection
// copies the log into the database after every checkpointEvery commits,
// outside the write slot. The writer still checkpoints by itself once the
// log reaches writerAutocheckpoint pages (4 KiB each); by then little is
// left to copy, and only a checkpoint made with the write slot held is
// sure to catch up with the writes, letting the next write transaction
// start the log over. Without it the log would grow without end under
// steady writes.
const (
	checkpointEvery      = 64
	writerAutocheckpoint = 4000
)

// Open opens (creating if needed) the database file at path, creating its
// parent directory, and migrates it to the newest schema.
func Open(ctx context.Context, path string) (*sqlstore.Store, error) {
	if path == "" || path == ":memory:" || strings.ContainsAny(path, "?#") {
		// An in-memory database would be a different one per pooled
		// connection; ? and # would be read as DSN syntax.
		return nil, fmt.Errorf("sqlite: %q is not a usable database file path", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("sqlite: creating the data directory: %w", err)
	}
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	// database/sql keeps 2 idle connections by default: under concurrent
	// load every other connection would be closed after its statement and
	// reopened, pragmas and all, for the next one, which cost the hot read
	// paths several times their work. Idle ones are let go after a while
	// so that an idle server stays small.
	db.SetMaxIdleConns(maxIdleConns)
	db.SetConnMaxIdleTime(maxConnIdleTime)
	writer, err := sql.Open("sqlite", dsn(path, fmt.Sprintf("wal_autocheckpoint(%d)", writerAutocheckpoint)))
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	// The store lets one writer at a time at the writer pool (see
	// sqlstore.NewSplit), so it needs one connection. The second is for
	// preparing a statement first met inside a transaction, which holds
	// the first; it is idle otherwise and soon closed (database/sql hands
	// out the most recently used idle connection).
	writer.SetMaxOpenConns(writerConns)
	writer.SetMaxIdleConns(writerConns)
	writer.SetConnMaxIdleTime(maxConnIdleTime)
	s := sqlstore.NewSplit(db, writer, Dialect)
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// dsn builds the connection string; the pragmas, and the extra ones,
// apply to every connection the pool opens.
func dsn(path string, extra ...string) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeoutMS))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)") // durable with WAL up to the last checkpointed commit; the usual pairing
	q.Add("_pragma", "foreign_keys(1)")
	for _, p := range extra {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	return path + "?" + q.Encode()
}

// classify maps SQLite result codes (extended codes are on in modernc's
// driver) to the store's sentinels.
func classify(err error) error {
	var e *msqlite.Error
	if !errors.As(err, &e) {
		return nil
	}
	switch e.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return store.ErrConflict
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return store.ErrNotFound
	}
	switch e.Code() & 0xff {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR:
		// Still locked after the busy timeout, or the file is not
		// there or not readable: the database is not usable now.
		return store.ErrUnavailable
	}
	return nil
}
