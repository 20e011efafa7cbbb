// Package pgtest gives tests their own PostgreSQL schema in the database
// named by IAMD_TEST_POSTGRES_URL, so that tests run in parallel and leave
// nothing behind. Without that variable a test skips — or fails when
// IAMD_REQUIRE_POSTGRES is set, as CI does, so that nothing skips there.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the pgx database/sql driver

	"iamd/store/sqlstore"
	"iamd/store/sqlstore/postgres"
)

// URL creates a fresh schema and returns the test database URL with
// search_path set to it; the schema is dropped when the test ends.
func URL(t testing.TB) string {
	t.Helper()
	raw := os.Getenv("IAMD_TEST_POSTGRES_URL")
	if raw == "" {
		if os.Getenv("IAMD_REQUIRE_POSTGRES") != "" {
			t.Fatal("IAMD_REQUIRE_POSTGRES is set but IAMD_TEST_POSTGRES_URL is not")
		}
		t.Skip("IAMD_TEST_POSTGRES_URL is not set; PostgreSQL tests skipped")
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("IAMD_TEST_POSTGRES_URL: %v", err)
	}
	db, err := sql.Open("pgx", raw)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	schema := "iamd_t_" + hex.EncodeToString(b)
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		db.Close()
		t.Fatalf("create test schema: %v", err)
	}
	t.Cleanup(func() {
		_, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE")
		db.Close()
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open returns a migrated store in a fresh schema, closed when the test ends.
func Open(t testing.TB) *sqlstore.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
