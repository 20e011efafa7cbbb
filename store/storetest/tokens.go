package storetest

import (
	"testing"
	"time"

	"iamd/iam"
	"iamd/store"
)

var tokenCases = []testCase{
	{"RoundTrip", testTokenRoundTrip},
	{"MarkUsed", testTokenMarkUsed},
	{"RevokeFamily", testTokenRevokeFamily},
}

func testTokenRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	u := mkUser(t, s, r.ID, "alice")
	app := mkApp(t, s, r.ID, "portal")
	o := mkOrg(t, s, r.ID, "globex")
	sess := mkSession(t, s, r.ID, u.ID)
	tokens := s.Realm(r.ID).RefreshTokens()
	now := clock()
	parent := newToken(sess, iam.NewID(), "")
	parent.AppID, parent.OrgID, parent.Scope = app.ID, o.ID, "openid profile offline_access"
	used, revoked := now.Add(-time.Second), now
	parent.UsedAt, parent.RevokedAt, parent.SuccessorID = &used, &revoked, iam.NewID()
	ok(t, tokens.Create(ctx, parent), "create")
	child := newToken(sess, parent.FamilyID, parent.ID)
	child.AppID = app.ID
	ok(t, tokens.Create(ctx, child), "create child")
	for _, tok := range []*iam.RefreshToken{parent, child} {
		got, err := tokens.Get(ctx, tok.ID)
		ok(t, err, "get")
		same(t, "RefreshTokens.Get", tok, got)
		got, err = tokens.GetByHash(ctx, tok.Hash)
		ok(t, err, "get by hash")
		same(t, "RefreshTokens.GetByHash", tok, got)
	}
	_, err := tokens.GetByHash(ctx, "no-such-hash")
	notFound(t, err, "GetByHash of an unknown hash")
	_, err = tokens.Get(ctx, "not-a-uuid")
	notFound(t, err, "Get(malformed id)")
}

func testTokenMarkUsed(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	u := mkUser(t, s, r.ID, "alice")
	sess := mkSession(t, s, r.ID, u.ID)
	tokens := s.Realm(r.ID).RefreshTokens()
	tok := mkToken(t, s, sess, iam.NewID())
	succ := iam.NewID()
	at := clock()
	ok(t, tokens.MarkUsed(ctx, tok.ID, succ, at), "mark used")
	got, err := tokens.Get(ctx, tok.ID)
	ok(t, err, "get")
	want := *tok
	want.UsedAt, want.SuccessorID = &at, succ
	same(t, "used token", &want, got)

	conflict(t, tokens.MarkUsed(ctx, tok.ID, iam.NewID(), at.Add(time.Second)), "use a used token")
	got, err = tokens.Get(ctx, tok.ID)
	ok(t, err, "get")
	same(t, "used token after a second use", &want, got)

	rev := mkToken(t, s, sess, iam.NewID())
	_, err = tokens.RevokeFamily(ctx, rev.FamilyID, at)
	ok(t, err, "revoke family")
	conflict(t, tokens.MarkUsed(ctx, rev.ID, iam.NewID(), at), "use a revoked token")
	got, err = tokens.Get(ctx, rev.ID)
	ok(t, err, "get")
	if got.UsedAt != nil || got.SuccessorID != "" {
		t.Errorf("refused MarkUsed of a revoked token changed it: UsedAt %v, SuccessorID %q", got.UsedAt, got.SuccessorID)
	}

	notFound(t, tokens.MarkUsed(ctx, iam.NewID(), succ, at), "use a missing token")
	notFound(t, tokens.MarkUsed(ctx, "not-a-uuid", succ, at), "use a malformed id")
}

func testTokenRevokeFamily(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	u := mkUser(t, s, r.ID, "alice")
	sess := mkSession(t, s, r.ID, u.ID)
	tokens := s.Realm(r.ID).RefreshTokens()
	fam := iam.NewID()
	t1 := mkToken(t, s, sess, fam)
	t2 := mkToken(t, s, sess, fam)
	t3 := mkToken(t, s, sess, fam)
	other := mkToken(t, s, sess, iam.NewID())
	// already was revoked before the family was.
	already := newToken(sess, fam, "")
	earlier := clock().Add(-time.Hour)
	already.RevokedAt = &earlier
	ok(t, tokens.Create(ctx, already), "create revoked token")

	at := clock()
	n, err := tokens.RevokeFamily(ctx, fam, at)
	ok(t, err, "revoke family")
	if n != 3 {
		t.Errorf("RevokeFamily returned %d, want 3 (the live tokens)", n)
	}
	for _, tok := range []*iam.RefreshToken{t1, t2, t3} {
		got, err := tokens.Get(ctx, tok.ID)
		ok(t, err, "get")
		if got.RevokedAt == nil || !got.RevokedAt.Equal(at) {
			t.Errorf("token of a revoked family: RevokedAt = %v, want %v", got.RevokedAt, at)
		}
	}
	got, err := tokens.Get(ctx, already.ID)
	ok(t, err, "get")
	if got.RevokedAt == nil || !got.RevokedAt.Equal(earlier) {
		t.Errorf("revoking a family moved the RevokedAt of an already revoked token to %v, want %v", got.RevokedAt, earlier)
	}
	got, err = tokens.Get(ctx, other.ID)
	ok(t, err, "get")
	if got.RevokedAt != nil {
		t.Errorf("revoking a family revoked a token of another family")
	}
	n, err = tokens.RevokeFamily(ctx, fam, at.Add(time.Second))
	ok(t, err, "revoke family again")
	if n != 0 {
		t.Errorf("second RevokeFamily returned %d, want 0", n)
	}
}
