package sqlite_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"iamd/iam"
	"iamd/store"
	"iamd/store/sqlstore/sqlite"
)

// These tests cover what is particular to the SQLite backend: the file and
// its directory, migrating from several processes at once, and write
// transactions that queue rather than fail. Behaviour common to every
// backend is the conformance suite's (store/storetest).

func TestOpenCreatesDirectoryAndReopens(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a", "b", "iamd.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	r := &iam.Realm{ID: iam.NewID(), Name: "acme", Enabled: true, CreatedAt: time.Now(), UpdatedAt: time.Now()}
	if err := s.Realms().Create(ctx, r); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	if _, err := s.Realms().GetByName(ctx, "ACME"); err != nil {
		t.Fatalf("realm written before reopening: %v", err)
	}
	if v, err := s.Version(ctx); err != nil || v < 1 {
		t.Fatalf("schema version %d, %v", v, err)
	}
}

func TestOpenRejectsUnusablePaths(t *testing.T) {
	for _, p := range []string{"", ":memory:", "data/x.db?mode=ro"} {
		if _, err := sqlite.Open(context.Background(), p); err == nil {
			t.Errorf("Open(%q) succeeded", p)
		}
	}
}

func TestConcurrentOpenMigratesOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "iamd.db")
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			s, err := sqlite.Open(context.Background(), path)
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
}

// TestWriteTransactionsQueue runs read-modify-write transactions at once.
// Begun IMMEDIATE they take turns, so none fails with SQLITE_BUSY and no
// increment is lost.
func TestWriteTransactionsQueue(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "iamd.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r := &iam.Realm{ID: iam.NewID(), Name: "acme", CreatedAt: time.Now(), UpdatedAt: time.Now()}
	if err := s.Realms().Create(ctx, r); err != nil {
		t.Fatal(err)
	}
	rb := &iam.Riskbit{ID: iam.NewID(), Risk: "counter", CreatedAt: time.Now()}
	if err := s.Realm(r.ID).Riskbits().Create(ctx, rb); err != nil {
		t.Fatal(err)
	}
	const n = 20
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			errs[i] = s.InTx(ctx, func(tx store.Tx) error {
				bits := tx.Realm(r.ID).Riskbits()
				cur, err := bits.Get(ctx, rb.ID)
				if err != nil {
					return err
				}
				time.Sleep(time.Millisecond) // widen the window a lost update needs
				cur.Score++
				return bits.Update(ctx, cur)
			})
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	got, err := s.Realm(r.ID).Riskbits().Get(ctx, rb.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Score != n {
		t.Errorf("score after %d increments = %d", n, got.Score)
	}
}

// TestWritersInOneProcess checks the in-process write slot: reads go on
// while a write transaction is open, a write that cannot get the slot
// gives up when its context ends instead of hanging, and a transaction
// whose function panics gives the slot and the database lock back.
func TestWritersInOneProcess(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "iamd.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r := &iam.Realm{ID: iam.NewID(), Name: "acme", CreatedAt: time.Now(), UpdatedAt: time.Now()}
	if err := s.Realms().Create(ctx, r); err != nil {
		t.Fatal(err)
	}
	rename := func(ctx context.Context, tx store.Tx, name string) error {
		cur, err := tx.Realms().Get(ctx, r.ID)
		if err != nil {
			return err
		}
		cur.Name = name
		return tx.Realms().Update(ctx, cur)
	}

	err = s.InTx(ctx, func(tx store.Tx) error {
		if err := rename(ctx, tx, "inside"); err != nil {
			return err
		}
		// A read outside the transaction sees the last commit at once.
		got, err := s.Realms().Get(ctx, r.ID)
		if err != nil || got.Name != "acme" {
			t.Errorf("read during a write transaction: %v, %v", got, err)
		}
		// A write outside it waits for the transaction, which is this
		// goroutine's: it must end with its context.
		short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		if err := rename(short, s, "outside"); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("write while the slot is taken: %v, want context.DeadlineExceeded", err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("write while the slot is taken gave up after %v", d)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	func() {
		defer func() { _ = recover() }()
		_ = s.InTx(ctx, func(tx store.Tx) error {
			if err := rename(ctx, tx, "panicked"); err != nil {
				return err
			}
			panic("boom")
		})
	}()
	short, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := rename(short, s, "after"); err != nil {
		t.Fatalf("write after a panicking transaction: %v", err)
	}
	got, err := s.Realms().Get(ctx, r.ID)
	if err != nil || got.Name != "after" {
		t.Errorf("realm after the writes: %v, %v; want name after", got, err)
	}
}

// TestWriterInAnotherProcess checks that a second store on the same file,
// as an admin command running beside the server is, still waits for the
// database lock rather than failing.
func TestWriterInAnotherProcess(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "iamd.db")
	a, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	held := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- a.InTx(ctx, func(tx store.Tx) error {
			r := &iam.Realm{ID: iam.NewID(), Name: "first", CreatedAt: time.Now(), UpdatedAt: time.Now()}
			if err := tx.Realms().Create(ctx, r); err != nil {
				return err
			}
			close(held)
			time.Sleep(200 * time.Millisecond)
			return nil
		})
	}()
	<-held
	r := &iam.Realm{ID: iam.NewID(), Name: "second", CreatedAt: time.Now(), UpdatedAt: time.Now()}
	if err := b.Realms().Create(ctx, r); err != nil {
		t.Fatalf("write from the other store: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"first", "second"} {
		if _, err := b.Realms().GetByName(ctx, name); err != nil {
			t.Errorf("realm %s: %v", name, err)
		}
	}
}
