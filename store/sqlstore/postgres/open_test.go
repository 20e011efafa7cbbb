package postgres_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"iamd/store"
	"iamd/store/sqlstore/postgres"
	"iamd/store/sqlstore/postgres/pgtest"
)

// These tests cover what is particular to the PostgreSQL backend: several
// replicas migrating one schema at once, and an unreachable server.
// Behaviour common to every backend is the conformance suite's
// (store/storetest).

func TestConcurrentOpenMigratesOnce(t *testing.T) {
	dsn := pgtest.URL(t)
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Go(func() {
			s, err := postgres.Open(context.Background(), dsn)
			if err == nil {
				s.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Open %d: %v", i, err)
		}
	}
	s, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var rows int
	if err := s.DB().QueryRow("SELECT COUNT(*) FROM schema_migrations").Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Version(context.Background()); err != nil || int64(rows) != v {
		t.Errorf("schema_migrations has %d rows for version %d (%v): a migration ran twice", rows, v, err)
	}
}

func TestUnreachableServerIsUnavailable(t *testing.T) {
	// Port 1 on the loopback refuses connections.
	_, err := postgres.Open(context.Background(), "postgres://iamd@127.0.0.1:1/iamd?sslmode=disable&connect_timeout=2")
	if !errors.Is(err, store.ErrUnavailable) {
		t.Fatalf("Open of an unreachable server: want ErrUnavailable, got %v", err)
	}
}
