package oidc_test

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"iamd/authn"
	"iamd/authn/password"
	"iamd/directory"
	"iamd/httpapi"
	"iamd/iam"
	"iamd/internal/testclock"
	"iamd/notify"
	"iamd/oidc"
	"iamd/oidc/signer"
	"iamd/seal"
	"iamd/store"
	"iamd/store/sqlstore/postgres/pgtest"
	"iamd/store/sqlstore/sqlite"
)

// fixture is a running iamd OIDC provider on a real store, behind the real
// middleware, reachable at URL. Tests create what they need through Dir.
type fixture struct {
	t        *testing.T
	URL      string
	Store    store.Store
	Dir      *directory.Service
	Authn    *authn.Service
	Keys     *signer.Keys
	Provider *oidc.Provider
	Realm    *iam.Realm

	clock testclock.Clock
}

// backends runs fn once per storage backend: SQLite always, PostgreSQL when
// IAMD_TEST_POSTGRES_URL is set (required when IAMD_REQUIRE_POSTGRES is).
func backends(t *testing.T, fn func(t *testing.T, f *fixture)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, newFixture(t, openSQLite(t))) })
	t.Run("postgres", func(t *testing.T) { fn(t, newFixture(t, openPostgres(t))) })
}

func openSQLite(t *testing.T) store.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "iamd.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func openPostgres(t *testing.T) store.Store { return pgtest.Open(t) }

func newFixture(t *testing.T, st store.Store) *fixture {
	t.Helper()
	f := &fixture{t: t, Store: st}
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	box, err := seal.New(key)
	if err != nil {
		t.Fatal(err)
	}
	h := password.New(password.Params{Memory: 1024, Time: 1, Threads: 1}, 0)
	f.Dir = &directory.Service{Store: st, Passwords: h, Now: f.now}
	f.Authn = &authn.Service{Store: st, Passwords: h, Now: f.now, Templates: &notify.Templates{}, CodeKey: key}
	f.Keys = &signer.Keys{Store: st, Box: box, Now: f.now}
	mux := http.NewServeMux()
	srv := httptest.NewUnstartedServer(nil)
	f.URL = "http://" + srv.Listener.Addr().String()
	f.Provider = &oidc.Provider{Store: st, Authn: f.Authn, Keys: f.Keys, PublicURL: f.URL, CookieKey: key, Logger: slog.Default(), Now: f.now}
	f.Provider.Mount(mux)
	mux.HandleFunc("/", httpapi.NotFound)
	mw := &httpapi.Middleware{Logger: slog.New(slog.DiscardHandler), Metrics: httpapi.NewMetrics(), MaxBodyBytes: 1 << 20}
	srv.Config.Handler = mw.Wrap(mux)
	srv.Start()
	t.Cleanup(srv.Close)
	f.Realm, err = f.Dir.CreateRealm(context.Background(), "acme", "Acme")
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// now is the fixture's clock: real time unless a test moved it.
func (f *fixture) now() time.Time { return f.clock.Now() }

// advance moves the clock (fixing it at real now first).
func (f *fixture) advance(d time.Duration) { f.clock.Advance(d) }

// realm creates another realm.
func (f *fixture) realm(name string) *iam.Realm {
	f.t.Helper()
	r, err := f.Dir.CreateRealm(context.Background(), name, "")
	if err != nil {
		f.t.Fatal(err)
	}
	return r
}

// user creates a user with a password (and e-mail name@example.com) in realm.
func (f *fixture) user(realm *iam.Realm, name, pw string, roles ...string) *iam.User {
	f.t.Helper()
	u, err := f.Dir.CreateUser(context.Background(), realm, directory.NewUser{
		Username: name, Password: pw, Email: name + "@example.com", EmailVerified: true, RealmRoles: roles,
	}, "")
	if err != nil {
		f.t.Fatal(err)
	}
	return u
}

// app registers an app in realm and returns it with its secret ("" if public).
func (f *fixture) app(realm *iam.Realm, in directory.NewApp) (*iam.App, string) {
	f.t.Helper()
	a, secret, err := f.Dir.CreateApp(context.Background(), realm, in, "")
	if err != nil {
		f.t.Fatal(err)
	}
	return a, secret
}

// issuer is the realm's issuer under the /realms prefix.
func (f *fixture) issuer(realm *iam.Realm) string { return f.URL + "/realms/" + realm.Name }
