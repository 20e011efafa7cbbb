package directory_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"iamd/authn/password"
	"iamd/directory"
	"iamd/iam"
	"iamd/store"
	"iamd/store/sqlstore/postgres/pgtest"
)

// onBoth runs fn against a fresh SQLite store and a fresh PostgreSQL
// schema (skipped, or failed in CI, when PostgreSQL is not configured).
func onBoth(t *testing.T, fn func(t *testing.T, f *fixture)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, newFixture(t, newService(t))) })
	t.Run("postgres", func(t *testing.T) {
		s := &directory.Service{Store: pgtest.Open(t), Passwords: password.New(password.Params{Memory: 1024, Time: 1, Threads: 1}, 0)}
		fn(t, newFixture(t, s))
	})
}

// fixture is a service with two realms: acme, where the test works, and
// other, whose records must stay invisible from acme.
type fixture struct {
	s     *directory.Service
	ctx   context.Context
	realm *iam.Realm
	other *iam.Realm
}

func newFixture(t *testing.T, s *directory.Service) *fixture {
	t.Helper()
	f := &fixture{s: s, ctx: context.Background()}
	var err error
	if f.realm, err = s.CreateRealm(f.ctx, "acme", "Acme"); err != nil {
		t.Fatal(err)
	}
	if f.other, err = s.CreateRealm(f.ctx, "other", "Other"); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) user(t *testing.T, realm *iam.Realm, name string) *iam.User {
	t.Helper()
	u, err := f.s.CreateUser(f.ctx, realm, directory.NewUser{Username: name, Email: name + "@example.com", Password: "Correct-Horse-" + name}, "")
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func (f *fixture) app(t *testing.T, realm *iam.Realm, clientID, name string) *iam.App {
	t.Helper()
	a, _, err := f.s.CreateApp(f.ctx, realm, directory.NewApp{ClientID: clientID, Name: name, Public: true}, "")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (f *fixture) org(t *testing.T, realm *iam.Realm, name string) *iam.Organization {
	t.Helper()
	o, err := f.s.CreateOrganization(f.ctx, realm, directory.NewOrganization{Name: name}, "")
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// signIn gives the user a session with one refresh token, as a sign-in does.
func (f *fixture) signIn(t *testing.T, u *iam.User) (*iam.Session, *iam.RefreshToken) {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Microsecond)
	sess := &iam.Session{ID: iam.NewID(), RealmID: u.RealmID, UserID: u.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
	sc := f.s.Store.Realm(u.RealmID)
	if err := sc.Sessions().Create(f.ctx, sess); err != nil {
		t.Fatal(err)
	}
	rt := &iam.RefreshToken{ID: iam.NewID(), RealmID: u.RealmID, SessionID: sess.ID, FamilyID: iam.NewID(), Hash: iam.HashToken(iam.NewSecret(16)),
		UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
	if err := sc.RefreshTokens().Create(f.ctx, rt); err != nil {
		t.Fatal(err)
	}
	return sess, rt
}

// signedOut asserts that the user has no active session and that tok is
// revoked.
func (f *fixture) signedOut(t *testing.T, u *iam.User, tok *iam.RefreshToken) {
	t.Helper()
	sc := f.s.Store.Realm(u.RealmID)
	active, err := sc.Sessions().OfUser(f.ctx, u.ID, time.Now())
	if err != nil || len(active) != 0 {
		t.Fatalf("want no active session, got %d %v", len(active), err)
	}
	got, err := sc.RefreshTokens().Get(f.ctx, tok.ID)
	if err != nil || got.RevokedAt == nil {
		t.Fatalf("want the refresh token revoked: %+v %v", got, err)
	}
}

// events returns the types of the realm's audit events of type typ.
func (f *fixture) events(t *testing.T, realm *iam.Realm, typ string) []*iam.Event {
	t.Helper()
	list, err := f.s.Store.Realm(realm.ID).Events().List(f.ctx, store.EventQuery{Type: typ})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func wantCode(t *testing.T, err error, code iam.Code, what string) {
	t.Helper()
	if iam.ErrorCode(err) != code {
		t.Fatalf("%s: want %s, got %v", what, code, err)
	}
}

func wantField(t *testing.T, err error, field, what string) {
	t.Helper()
	var e *iam.Error
	if !errors.As(err, &e) || e.Code != iam.CodeInvalid || e.Field != field {
		t.Fatalf("%s: want invalid_argument on %q, got %#v", what, field, err)
	}
}

func ptr[T any](v T) *T { return &v }
