package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"iamd/iam"
	"iamd/store"
	"iamd/store/sqlstore/sqlite"
)

// These benchmarks replay the store calls of the hottest OIDC requests on
// a real database file, so that a change to the SQLite write path can be
// measured without an HTTP server in the way (iamd bench measures that).
// Run: go test ./store/sqlstore/sqlite -run '^$' -bench . -cpu 1,2,8

// benchWorld is one realm with an app and a user holding a session.
type benchWorld struct {
	s     store.Store
	realm *iam.Realm
	app   *iam.App
	user  *iam.User
	sess  *iam.Session
}

func newBenchWorld(b *testing.B) *benchWorld {
	b.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "iamd.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	now := time.Now()
	w := &benchWorld{s: s}
	w.realm = &iam.Realm{ID: iam.NewID(), Name: "bench", Enabled: true, CreatedAt: now, UpdatedAt: now}
	w.app = &iam.App{ID: iam.NewID(), RealmID: w.realm.ID, ClientID: "bench-app", Name: "bench", Enabled: true,
		GrantTypes: []string{iam.GrantRefreshToken}, CreatedAt: now, UpdatedAt: now}
	w.user = &iam.User{ID: iam.NewID(), RealmID: w.realm.ID, Username: "bench", Email: "bench@example.com",
		Enabled: true, CreatedAt: now, UpdatedAt: now}
	w.sess = &iam.Session{ID: iam.NewID(), RealmID: w.realm.ID, UserID: w.user.ID, AMR: []string{"pwd"},
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
	sc := s.Realm(w.realm.ID)
	for _, err := range []error{
		s.Realms().Create(ctx, w.realm),
		sc.Apps().Create(ctx, w.app),
		sc.Users().Create(ctx, w.user),
		sc.Sessions().Create(ctx, w.sess),
	} {
		if err != nil {
			b.Fatal(err)
		}
	}
	return w
}

var benchSeq atomic.Int64

// token returns a new unused refresh token of the session, in family fam
// after parent.
func (w *benchWorld) token(fam, parent string) *iam.RefreshToken {
	now := time.Now()
	return &iam.RefreshToken{ID: iam.NewID(), RealmID: w.realm.ID, SessionID: w.sess.ID, FamilyID: fam,
		ParentID: parent, Hash: fmt.Sprintf("hash-%d-%d", benchSeq.Add(1), now.UnixNano()), AppID: w.app.ID,
		UserID: w.user.ID, Scope: "openid offline_access", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
}

// refresh is what one refresh-token grant asks of the store: find the
// realm, the client, the presented token, its session and user, then
// rotate the token in one transaction.
func (w *benchWorld) refresh(ctx context.Context, t *iam.RefreshToken) (*iam.RefreshToken, error) {
	if _, err := w.s.Realms().GetByName(ctx, w.realm.Name); err != nil {
		return nil, err
	}
	sc := w.s.Realm(w.realm.ID)
	if _, err := sc.Apps().GetByClientID(ctx, w.app.ClientID); err != nil {
		return nil, err
	}
	got, err := sc.RefreshTokens().GetByHash(ctx, t.Hash)
	if err != nil {
		return nil, err
	}
	if _, err := sc.Sessions().Get(ctx, got.SessionID); err != nil {
		return nil, err
	}
	if _, err := sc.Users().Get(ctx, got.UserID); err != nil {
		return nil, err
	}
	succ := w.token(got.FamilyID, got.ID)
	err = w.s.InTx(ctx, func(tx store.Tx) error {
		rt := tx.Realm(w.realm.ID).RefreshTokens()
		if err := rt.MarkUsed(ctx, got.ID, succ.ID, time.Now()); err != nil {
			return err
		}
		return rt.Create(ctx, succ)
	})
	return succ, err
}

// BenchmarkRefreshLikeWrite runs refresh grants in parallel, each
// goroutine rotating its own token family.
func BenchmarkRefreshLikeWrite(b *testing.B) {
	w := newBenchWorld(b)
	ctx := context.Background()
	b.SetParallelism(4) // more requests in flight than CPUs, as under HTTP load
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		fam := iam.NewID()
		t := w.token(fam, "")
		if err := w.s.Realm(w.realm.ID).RefreshTokens().Create(ctx, t); err != nil {
			b.Error(err)
			return
		}
		for pb.Next() {
			succ, err := w.refresh(ctx, t)
			if err != nil {
				b.Error(err)
				return
			}
			t = succ
		}
	})
}

// BenchmarkSingleWrite runs lone write statements (no transaction) in
// parallel: a session touch, as the authorization endpoint does.
func BenchmarkSingleWrite(b *testing.B) {
	w := newBenchWorld(b)
	ctx := context.Background()
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		sess := w.s.Realm(w.realm.ID).Sessions()
		for pb.Next() {
			if err := sess.Touch(ctx, w.sess.ID, time.Now(), ""); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkReads runs the lookups of an introspection or client
// credentials request (realm, client, user) in parallel: no writes, so
// nothing here may wait for a writer.
func BenchmarkReads(b *testing.B) {
	w := newBenchWorld(b)
	ctx := context.Background()
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		sc := w.s.Realm(w.realm.ID)
		for pb.Next() {
			if _, err := w.s.Realms().GetByName(ctx, w.realm.Name); err != nil {
				b.Error(err)
				return
			}
			if _, err := sc.Apps().GetByClientID(ctx, w.app.ClientID); err != nil {
				b.Error(err)
				return
			}
			if _, err := sc.Users().Get(ctx, w.user.ID); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
