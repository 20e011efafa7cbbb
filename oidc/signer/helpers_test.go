package signer_test

import (
	"context"
	"crypto/rand"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"iamd/iam"
	"iamd/oidc/signer"
	"iamd/seal"
	"iamd/store"
	"iamd/store/sqlstore/postgres/pgtest"
	"iamd/store/sqlstore/sqlite"
)

// backends runs fn on SQLite, and on PostgreSQL when IAMD_TEST_POSTGRES_URL
// is set (pgtest fails the test instead of skipping when
// IAMD_REQUIRE_POSTGRES is set).
func backends(t *testing.T, fn func(t *testing.T, st store.Store)) {
	t.Run("sqlite", func(t *testing.T) {
		st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "iamd.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		fn(t, st)
	})
	t.Run("postgres", func(t *testing.T) { fn(t, pgtest.Open(t)) })
}

// clock is a settable test clock shared by the replicas of a test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Now().UTC().Truncate(time.Microsecond)} }

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newBox(t testing.TB) *seal.Box {
	t.Helper()
	key := make([]byte, seal.KeySize)
	_, _ = rand.Read(key)
	box, err := seal.New(key)
	if err != nil {
		t.Fatal(err)
	}
	return box
}

func mkRealm(t testing.TB, st store.Store, name string) *iam.Realm {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Microsecond)
	r := &iam.Realm{ID: iam.NewID(), Name: name, Enabled: true, CreatedAt: now, UpdatedAt: now}
	if err := st.Realms().Create(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	return r
}

type claims struct {
	Sub string `json:"sub"`
	N   int    `json:"n"`
}

func sign(t *testing.T, k *signer.Keys, r *iam.Realm, alg string, n int) string {
	t.Helper()
	tok, err := k.Sign(t.Context(), r, alg, "", claims{Sub: "alice", N: n})
	if err != nil {
		t.Fatalf("Sign %s: %v", alg, err)
	}
	return tok
}

// header decodes a token's protected header without verifying it.
func header(t *testing.T, tok string) jose.Header {
	t.Helper()
	jws, err := jose.ParseSignedCompact(tok, []jose.SignatureAlgorithm{jose.ES256, jose.RS256})
	if err != nil {
		t.Fatalf("parse %q: %v", tok, err)
	}
	return jws.Signatures[0].Header
}

func kidOf(t *testing.T, tok string) string { t.Helper(); return header(t, tok).KeyID }

func mustVerify(t *testing.T, k *signer.Keys, r *iam.Realm, tok, what string) []byte {
	t.Helper()
	payload, err := k.Verify(t.Context(), r, tok)
	if err != nil {
		t.Fatalf("%s: Verify: %v", what, err)
	}
	return payload
}

func mustReject(t *testing.T, k *signer.Keys, r *iam.Realm, tok, what string) {
	t.Helper()
	payload, err := k.Verify(t.Context(), r, tok)
	if err == nil {
		t.Fatalf("%s: Verify accepted it (payload %s)", what, payload)
	}
	if !iam.IsCode(err, iam.CodeUnauthorized) || !strings.Contains(err.Error(), "invalid token") {
		t.Fatalf("%s: want an invalid-token error, got %v", what, err)
	}
}

// countingStore counts how often the signer reads a realm's key list.
type countingStore struct {
	store.Store
	lists *atomic.Int64
}

func (c countingStore) Realm(id string) store.Scope { return countingScope{c.Store.Realm(id), c.lists} }

type countingScope struct {
	store.Scope
	lists *atomic.Int64
}

func (c countingScope) Keys() store.Keys { return countingKeys{c.Scope.Keys(), c.lists} }

type countingKeys struct {
	store.Keys
	lists *atomic.Int64
}

func (c countingKeys) List(ctx context.Context) ([]*iam.SigningKey, error) {
	c.lists.Add(1)
	return c.Keys.List(ctx)
}
