package postgres_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"iamd/store"
	"iamd/store/sqlstore/postgres"
	"iamd/store/storetest"
)

// TestConformance runs the storage conformance suite against the
// PostgreSQL server at IAMD_TEST_POSTGRES_URL, each case in a new schema
// that is dropped afterwards. Without the variable the test is skipped (CI
// sets it and fails on skips).
func TestConformance(t *testing.T) {
	base := os.Getenv("IAMD_TEST_POSTGRES_URL")
	if base == "" {
		t.Skip("IAMD_TEST_POSTGRES_URL is not set; set it to a PostgreSQL URL to run the conformance suite")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("connect to %s: %v", redact(base), err)
	}
	t.Cleanup(func() { admin.Close() })
	if err := admin.PingContext(t.Context()); err != nil {
		t.Fatalf("connect to %s: %v", redact(base), err)
	}

	storetest.Run(t, func(t *testing.T) store.Store {
		schema := newSchema(t, admin)
		u, err := url.Parse(base)
		if err != nil {
			t.Fatalf("parse IAMD_TEST_POSTGRES_URL: %v", err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		s, err := postgres.Open(t.Context(), u.String())
		if err != nil {
			t.Fatalf("open postgres store in schema %s: %v", schema, err)
		}
		t.Cleanup(func() {
			if err := s.Close(); err != nil {
				t.Errorf("close postgres store: %v", err)
			}
		})
		return s
	})
}

// newSchema creates an empty schema and drops it when t ends (after the
// store, whose cleanup is registered later, is closed).
func newSchema(t *testing.T, admin *sql.DB) string {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "iamd_t_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(t.Context(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return schema
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "IAMD_TEST_POSTGRES_URL"
	}
	return u.Redacted()
}
