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
	}
}()

// Pool bounds: see Open.
const (
	maxIdleConns    = 16
	maxConnIdleTime = time.Minute
)

// busyTimeoutMS is how long a connection waits for the write lock.
const busyTimeoutMS = 10000

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
	s := sqlstore.New(db, Dialect)
	if err := s.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// dsn builds the connection string; the pragmas apply to every connection
// the pool opens.
func dsn(path string) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeoutMS))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)") // durable with WAL up to the last checkpointed commit; the usual pairing
	q.Add("_pragma", "foreign_keys(1)")
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
