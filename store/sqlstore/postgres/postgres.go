package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"iamd/store"
	"iamd/store/sqlstore"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Dialect is PostgreSQL's sqlstore.Dialect.
var Dialect = func() *sqlstore.Dialect {
	m, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err) // the directory is embedded at build time
	}
	return &sqlstore.Dialect{
		Name:           "postgres",
		NumberedParams: true,
		Savepoints:     true,
		SkipLocked:     " FOR UPDATE SKIP LOCKED",
		// Transaction-scoped, so it is released by the migration's commit
		// or rollback whatever happens. Keyed by schema: migrators of
		// different schemas in one database need not wait for each other.
		MigrationLock: "SELECT pg_advisory_xact_lock(hashtext('iamd.migrate:' || COALESCE(current_schema(), '')))",
		Migrations:    m,
		Classify:      classify,
	}
}()

// Pool bounds. A replica needs few connections: statements are short and
// an IMMEDIATE-style queue is not needed on PostgreSQL.
const (
	maxOpenConns    = 20
	maxIdleConns    = 5
	maxConnIdleTime = 5 * time.Minute
)

// Open connects to the database at url (a postgres:// URL or a pgx
// key=value string) and migrates it to the newest schema. An unreachable
// server is store.ErrUnavailable.
func Open(ctx context.Context, url string) (*sqlstore.Store, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	db.SetMaxOpenConns(maxOpenConns)
	db.SetMaxIdleConns(maxIdleConns)
	db.SetConnMaxIdleTime(maxConnIdleTime)
	s := sqlstore.New(db, Dialect)
	if err := s.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// SQLSTATE codes (PostgreSQL manual, appendix A).
const (
	uniqueViolation     = "23505"
	foreignKeyViolation = "23503"
	adminShutdown       = "57P01"
	crashShutdown       = "57P02"
	cannotConnectNow    = "57P03"
	tooManyConnections  = "53300"
)

// classify maps PostgreSQL errors to the store's sentinels.
func classify(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case uniqueViolation:
			return store.ErrConflict
		case foreignKeyViolation:
			return store.ErrNotFound
		case adminShutdown, crashShutdown, cannotConnectNow, tooManyConnections:
			return store.ErrUnavailable
		}
		return nil
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return store.ErrUnavailable
	}
	return nil
}
