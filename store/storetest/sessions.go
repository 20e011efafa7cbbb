package storetest

import (
	"testing"
	"time"

	"iamd/iam"
	"iamd/store"
)

var sessionCases = []testCase{
	{"RoundTrip", testSessionRoundTrip},
	{"Touch", testSessionTouch},
	{"RevokeRevokesItsTokens", testSessionRevoke},
	{"RevokeUser", testSessionRevokeUser},
	{"OfUserActiveNewestFirst", testSessionOfUser},
	{"Live", testSessionLive},
}

func sessionID(s *iam.Session) string { return s.ID }

func testSessionRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	u := mkUser(t, s, r.ID, "alice")
	o := mkOrg(t, s, r.ID, "globex")
	sessions := s.Realm(r.ID).Sessions()
	now := clock()
	sess := &iam.Session{
		ID: iam.NewID(), RealmID: r.ID, UserID: u.ID, OrgID: o.ID, AMR: []string{"pwd", "otp"}, ACR: "1",
		IP: "2001:db8::7", UserAgent: "Mozilla/5.0 (X11)", CreatedAt: now.Add(-time.Minute),
		LastSeenAt: now, ExpiresAt: now.Add(10 * time.Hour),
	}
	ok(t, sessions.Create(ctx, sess), "create")
	got, err := sessions.Get(ctx, sess.ID)
	ok(t, err, "get")
	same(t, "Sessions.Get", sess, got)

	revoked := newSession(r.ID, u.ID, now)
	at := now.Add(-time.Second)
	revoked.RevokedAt = &at
	ok(t, sessions.Create(ctx, revoked), "create a revoked session")
	got, err = sessions.Get(ctx, revoked.ID)
	ok(t, err, "get")
	same(t, "revoked session", revoked, got)

	for _, id := range []string{iam.NewID(), "not-a-uuid"} {
		_, err = sessions.Get(ctx, id)
		notFound(t, err, "Sessions.Get(%q)", id)
	}
}

func testSessionTouch(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	u := mkUser(t, s, r.ID, "alice")
	o1, o2 := mkOrg(t, s, r.ID, "o1"), mkOrg(t, s, r.ID, "o2")
	sessions := s.Realm(r.ID).Sessions()
	sess := newSession(r.ID, u.ID, clock())
	sess.OrgID = o1.ID
	ok(t, sessions.Create(ctx, sess), "create")

	at := sess.CreatedAt.Add(time.Minute)
	ok(t, sessions.Touch(ctx, sess.ID, at, ""), "touch")
	want := *sess
	want.LastSeenAt = at
	got, err := sessions.Get(ctx, sess.ID)
	ok(t, err, "get")
	same(t, "session touched without an organization (OrgID kept)", &want, got)

	at = at.Add(time.Minute)
	ok(t, sessions.Touch(ctx, sess.ID, at, o2.ID), "touch with organization")
	want.LastSeenAt, want.OrgID = at, o2.ID
	got, err = sessions.Get(ctx, sess.ID)
	ok(t, err, "get")
	same(t, "session touched with an organization", &want, got)

	notFound(t, sessions.Touch(ctx, iam.NewID(), at, ""), "touch a missing session")
	notFound(t, sessions.Touch(ctx, "not-a-uuid", at, ""), "touch a malformed id")
}

func testSessionRevoke(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	u := mkUser(t, s, r.ID, "alice")
	sc := s.Realm(r.ID)
	sess, other := mkSession(t, s, r.ID, u.ID), mkSession(t, s, r.ID, u.ID)
	fam := iam.NewID()
	t1 := mkToken(t, s, sess, fam)
	t2 := mkToken(t, s, sess, fam)
	t3 := mkToken(t, s, sess, iam.NewID()) // another family of the same session
	keep := mkToken(t, s, other, iam.NewID())

	at := clock().Add(time.Minute)
	ok(t, sc.Sessions().Revoke(ctx, sess.ID, at), "revoke")
	got, err := sc.Sessions().Get(ctx, sess.ID)
	ok(t, err, "get")
	if got.RevokedAt == nil || !got.RevokedAt.Equal(at) {
		t.Errorf("revoked session: RevokedAt = %v, want %v", got.RevokedAt, at)
	}
	if got.Active(at.Add(time.Second)) {
		t.Errorf("revoked session is still active")
	}
	for _, tok := range []*iam.RefreshToken{t1, t2, t3} {
		gt, err := sc.RefreshTokens().Get(ctx, tok.ID)
		ok(t, err, "get token")
		if gt.RevokedAt == nil {
			t.Errorf("refresh token %s of a revoked session is not revoked", tok.ID)
		}
		conflict(t, sc.RefreshTokens().MarkUsed(ctx, tok.ID, iam.NewID(), at), "use a token of a revoked session")
	}
	gt, err := sc.RefreshTokens().Get(ctx, keep.ID)
	ok(t, err, "get token of the other session")
	if gt.RevokedAt != nil {
		t.Errorf("revoking one session revoked a token of another")
	}
	gs, err := sc.Sessions().Get(ctx, other.ID)
	ok(t, err, "get the other session")
	if gs.RevokedAt != nil {
		t.Errorf("revoking one session revoked another")
	}
	notFound(t, sc.Sessions().Revoke(ctx, iam.NewID(), at), "revoke a missing session")
}

func testSessionRevokeUser(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	alice, bob := mkUser(t, s, r.ID, "alice"), mkUser(t, s, r.ID, "bob")
	sessions := s.Realm(r.ID).Sessions()
	a1, a2 := mkSession(t, s, r.ID, alice.ID), mkSession(t, s, r.ID, alice.ID)
	tok := mkToken(t, s, a1, iam.NewID())
	b1 := mkSession(t, s, r.ID, bob.ID)
	at := clock().Add(time.Minute)
	n, err := sessions.RevokeUser(ctx, alice.ID, at)
	ok(t, err, "revoke user")
	if n != 2 {
		t.Errorf("RevokeUser returned %d, want 2", n)
	}
	for _, x := range []*iam.Session{a1, a2} {
		got, err := sessions.Get(ctx, x.ID)
		ok(t, err, "get")
		if got.RevokedAt == nil {
			t.Errorf("session %s of alice is not revoked", x.ID)
		}
	}
	got, err := sessions.Get(ctx, b1.ID)
	ok(t, err, "get")
	if got.RevokedAt != nil {
		t.Errorf("bob's session was revoked with alice's")
	}
	list, err := sessions.OfUser(ctx, alice.ID, at.Add(time.Second))
	ok(t, err, "of user")
	if len(list) != 0 {
		t.Errorf("alice has %d active sessions after RevokeUser", len(list))
	}
	gt, err := s.Realm(r.ID).RefreshTokens().Get(ctx, tok.ID)
	ok(t, err, "get token")
	if gt.RevokedAt == nil {
		t.Errorf("RevokeUser left a refresh token of a revoked session live")
	}
	n, err = sessions.RevokeUser(ctx, iam.NewID(), at)
	if err == nil && n != 0 {
		t.Errorf("RevokeUser of a user without sessions returned %d", n)
	}
}

func testSessionOfUser(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	alice, bob := mkUser(t, s, r.ID, "alice"), mkUser(t, s, r.ID, "bob")
	sessions := s.Realm(r.ID).Sessions()
	now := clock()
	mk := func(u *iam.User, created, expires time.Duration, revoked bool) string {
		x := newSession(r.ID, u.ID, now.Add(created))
		x.ExpiresAt = now.Add(expires)
		if revoked {
			x.RevokedAt = ptr(now.Add(-time.Second))
		}
		ok(t, sessions.Create(ctx, x), "create")
		return x.ID
	}
	older := mk(alice, -3*time.Hour, time.Hour, false)
	newest := mk(alice, -1*time.Hour, time.Hour, false)
	middle := mk(alice, -2*time.Hour, time.Hour, false)
	mk(alice, -30*time.Minute, -time.Minute, false) // expired
	mk(alice, -20*time.Minute, time.Hour, true)     // revoked
	mk(bob, -10*time.Minute, time.Hour, false)
	list, err := sessions.OfUser(ctx, alice.ID, now)
	ok(t, err, "of user")
	sameStrings(t, "alice's active sessions, newest first", []string{newest, middle, older}, idsOf(list, sessionID))
	list, err = sessions.OfUser(ctx, alice.ID, now.Add(2*time.Hour))
	ok(t, err, "of user later")
	if len(list) != 0 {
		t.Errorf("OfUser after every session expired = %d sessions", len(list))
	}
}

// testSessionLive checks that Live is true only for an active session of
// the named user who is enabled and not deleted, and (false, nil) for
// every other case, a missing session or one of another realm included.
func testSessionLive(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	other := mkRealm(t, s, "globex")
	alice, bob := mkUser(t, s, r.ID, "alice"), mkUser(t, s, r.ID, "bob")
	carol, dave := mkUser(t, s, r.ID, "carol"), mkUser(t, s, r.ID, "dave")
	sc := s.Realm(r.ID)
	sessions := sc.Sessions()
	now := clock()
	live := func(what string, sc store.Scope, sid, uid string, at time.Time, want bool) {
		t.Helper()
		got, err := sc.Sessions().Live(ctx, sid, uid, at)
		ok(t, err, "Live: %s", what)
		if got != want {
			t.Errorf("Live: %s = %v, want %v", what, got, want)
		}
	}

	a := mkSession(t, s, r.ID, alice.ID)
	live("active session of an enabled user", sc, a.ID, alice.ID, now, true)
	live("at the expiry instant", sc, a.ID, alice.ID, a.ExpiresAt, false)
	live("after expiry", sc, a.ID, alice.ID, a.ExpiresAt.Add(time.Second), false)
	live("another user's session", sc, a.ID, bob.ID, now, false)
	live("a missing session", sc, iam.NewID(), alice.ID, now, false)
	live("a malformed id", sc, "not-a-uuid", alice.ID, now, false)
	live("through another realm", s.Realm(other.ID), a.ID, alice.ID, now, false)

	b := mkSession(t, s, r.ID, bob.ID)
	ok(t, sessions.Revoke(ctx, b.ID, now), "revoke")
	live("a revoked session", sc, b.ID, bob.ID, now, false)

	c := mkSession(t, s, r.ID, carol.ID)
	carol.Enabled = false
	ok(t, sc.Users().Update(ctx, carol), "disable carol")
	live("a disabled user's session", sc, c.ID, carol.ID, now, false)

	d := mkSession(t, s, r.ID, dave.ID)
	ok(t, sc.Users().SoftDelete(ctx, dave.ID, "test", now), "soft-delete dave")
	live("a deleted user's session", sc, d.ID, dave.ID, now, false)

	live("the first session, still", sc, a.ID, alice.ID, now, true)
}
