package storetest

import (
	"testing"
	"time"

	"iamd/iam"
	"iamd/store"
)

var codeCases = []testCase{
	{"RoundTrip", testCodeRoundTrip},
	{"GetByHandleNewest", testCodeGetByHandle},
	{"GetByHashPurpose", testCodeGetByHash},
	{"SpendAttempt", testCodeSpendAttempt},
	{"Consume", testCodeConsume},
	{"DeleteExpired", testCodeDeleteExpired},
}

func testCodeRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	u := mkUser(t, s, r.ID, "alice")
	codes := s.Realm(r.ID).Codes()
	c := newCode(r.ID, u.ID, iam.PurposeMFA, 5)
	c.Target = "+4915112345678"
	c.Data = map[string]string{"redirect_uri": "https://example.com/cb", "nonce": "n-0S6"}
	ok(t, codes.Create(ctx, c), "create")
	got, err := codes.Get(ctx, c.ID)
	ok(t, err, "get")
	same(t, "Codes.Get", c, got)

	// A code may belong to no user yet (sign-up) and may be stored consumed.
	anon := newCode(r.ID, "", iam.PurposeSignup, 3)
	consumed := clock().Add(-time.Second)
	anon.ConsumedAt = &consumed
	ok(t, codes.Create(ctx, anon), "create a code without a user")
	got, err = codes.Get(ctx, anon.ID)
	ok(t, err, "get")
	same(t, "code without a user", anon, got)

	for _, id := range []string{iam.NewID(), "not-a-uuid"} {
		_, err = codes.Get(ctx, id)
		notFound(t, err, "Codes.Get(%q)", id)
	}
}

func testCodeGetByHandle(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	codes := s.Realm(r.ID).Codes()
	t0 := clock().Add(-time.Minute)
	mk := func(purpose string, at time.Duration) *iam.OneTimeCode {
		c := newCode(r.ID, "", purpose, 3)
		c.Handle, c.CreatedAt = "flow-1", t0.Add(at)
		ok(t, codes.Create(ctx, c), "create")
		return c
	}
	mk(iam.PurposeSignIn, 0)
	newest := mk(iam.PurposeSignIn, 20*time.Second)
	mk(iam.PurposeSignIn, 10*time.Second)
	mfa := mk(iam.PurposeMFA, 30*time.Second) // newer, but another purpose
	got, err := codes.GetByHandle(ctx, "flow-1", iam.PurposeSignIn)
	ok(t, err, "get by handle")
	same(t, "newest sign-in code of the handle", newest, got)
	got, err = codes.GetByHandle(ctx, "flow-1", iam.PurposeMFA)
	ok(t, err, "get by handle")
	same(t, "MFA code of the handle", mfa, got)
	_, err = codes.GetByHandle(ctx, "flow-1", iam.PurposeResetPass)
	notFound(t, err, "GetByHandle with a purpose the handle has no code for")
	_, err = codes.GetByHandle(ctx, "flow-2", iam.PurposeSignIn)
	notFound(t, err, "GetByHandle of an unknown handle")
}

func testCodeGetByHash(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	codes := s.Realm(r.ID).Codes()
	c := mkCode(t, s, r.ID, "", iam.PurposeMagicLink, 1)
	got, err := codes.GetByHash(ctx, c.Hash, iam.PurposeMagicLink)
	ok(t, err, "get by hash")
	same(t, "Codes.GetByHash", c, got)
	_, err = codes.GetByHash(ctx, c.Hash, iam.PurposeResetPass)
	notFound(t, err, "GetByHash with another purpose")
	_, err = codes.GetByHash(ctx, "unknown", iam.PurposeMagicLink)
	notFound(t, err, "GetByHash of an unknown hash")
}

func testCodeSpendAttempt(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	codes := s.Realm(r.ID).Codes()
	c := mkCode(t, s, r.ID, "", iam.PurposeSignIn, 3)
	for want := 2; want >= 0; want-- {
		n, err := codes.SpendAttempt(ctx, c.ID)
		ok(t, err, "spend attempt")
		if n != want {
			t.Errorf("SpendAttempt returned %d, want %d", n, want)
		}
	}
	_, err := codes.SpendAttempt(ctx, c.ID)
	conflict(t, err, "spend an attempt of a code with none left")
	got, err := codes.Get(ctx, c.ID)
	ok(t, err, "get")
	if got.AttemptsLeft != 0 {
		t.Errorf("AttemptsLeft = %d after spending all, want 0", got.AttemptsLeft)
	}

	consumed := mkCode(t, s, r.ID, "", iam.PurposeSignIn, 3)
	ok(t, codes.Consume(ctx, consumed.ID, clock()), "consume")
	_, err = codes.SpendAttempt(ctx, consumed.ID)
	conflict(t, err, "spend an attempt of a consumed code")
	got, err = codes.Get(ctx, consumed.ID)
	ok(t, err, "get")
	if got.AttemptsLeft != 3 {
		t.Errorf("refused SpendAttempt changed AttemptsLeft to %d, want 3", got.AttemptsLeft)
	}

	for _, id := range []string{iam.NewID(), "not-a-uuid"} {
		_, err = codes.SpendAttempt(ctx, id)
		notFound(t, err, "SpendAttempt(%q)", id)
	}
}

func testCodeConsume(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	codes := s.Realm(r.ID).Codes()
	c := mkCode(t, s, r.ID, "", iam.PurposeResetPass, 3)
	at := clock()
	ok(t, codes.Consume(ctx, c.ID, at), "consume")
	got, err := codes.Get(ctx, c.ID)
	ok(t, err, "get")
	want := *c
	want.ConsumedAt = &at
	same(t, "consumed code", &want, got)
	conflict(t, codes.Consume(ctx, c.ID, at.Add(time.Second)), "consume twice")
	got, err = codes.Get(ctx, c.ID)
	ok(t, err, "get")
	same(t, "code after a second Consume", &want, got)
	for _, id := range []string{iam.NewID(), "not-a-uuid"} {
		notFound(t, codes.Consume(ctx, id, at), "Consume(%q)", id)
	}
}

func testCodeDeleteExpired(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	codes := s.Realm(r.ID).Codes()
	now := clock()
	mk := func(expires time.Duration, consume bool) string {
		c := newCode(r.ID, "", iam.PurposeSignIn, 3)
		c.ExpiresAt = now.Add(expires)
		ok(t, codes.Create(ctx, c), "create")
		if consume {
			ok(t, codes.Consume(ctx, c.ID, now), "consume")
		}
		return c.ID
	}
	gone := []string{mk(-time.Hour, false), mk(-time.Second, true), mk(-time.Minute, false)}
	kept := []string{mk(time.Minute, false), mk(time.Hour, true)}
	n, err := codes.DeleteExpired(ctx, now)
	ok(t, err, "delete expired")
	if n != len(gone) {
		t.Errorf("DeleteExpired returned %d, want %d", n, len(gone))
	}
	for _, id := range gone {
		_, err := codes.Get(ctx, id)
		notFound(t, err, "expired code after DeleteExpired")
	}
	for _, id := range kept {
		_, err := codes.Get(ctx, id)
		ok(t, err, "unexpired code after DeleteExpired")
	}
	n, err = codes.DeleteExpired(ctx, now)
	ok(t, err, "delete expired again")
	if n != 0 {
		t.Errorf("second DeleteExpired returned %d, want 0", n)
	}
}
