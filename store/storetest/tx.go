package storetest

import (
	"errors"
	"testing"
	"time"

	"iamd/iam"
	"iamd/store"
)

var txCases = []testCase{
	{"CommitsWhenFnSucceeds", testTxCommit},
	{"RollsBackWhenFnFails", testTxRollback},
	{"OutboxMessageCommitsWithUser", testTxOutboxCommit},
	{"OutboxMessageRollsBackWithUser", testTxOutboxRollback},
	{"RollsBackAfterAStoreError", testTxStoreError},
	{"RollsBackUpdatesAndDeletes", testTxRollbackChanges},
	{"SeesItsOwnWrites", testTxReadsOwnWrites},
}

var errBoom = errors.New("storetest: fn failed on purpose")

func testTxCommit(t *testing.T, s store.Store) {
	ctx := t.Context()
	var r *iam.Realm
	var u *iam.User
	var a *iam.App
	ok(t, s.InTx(ctx, func(tx store.Tx) error {
		r = mkRealm(t, tx, "acme")
		u = mkUser(t, tx, r.ID, "alice")
		a = mkApp(t, tx, r.ID, "portal")
		return nil
	}), "InTx")
	got, err := s.Realms().GetByName(ctx, "acme")
	ok(t, err, "realm created in a committed transaction")
	same(t, "realm", r, got)
	gu, err := s.Realm(r.ID).Users().Get(ctx, u.ID)
	ok(t, err, "user created in a committed transaction")
	same(t, "user", u, gu)
	ga, err := s.Realm(r.ID).Apps().Get(ctx, a.ID)
	ok(t, err, "app created in a committed transaction")
	same(t, "app", a, ga)
}

func testTxRollback(t *testing.T, s store.Store) {
	ctx := t.Context()
	var r *iam.Realm
	var u *iam.User
	err := s.InTx(ctx, func(tx store.Tx) error {
		r = mkRealm(t, tx, "acme")
		u = mkUser(t, tx, r.ID, "alice")
		mkApp(t, tx, r.ID, "portal")
		return errBoom
	})
	isErr(t, err, errBoom, "InTx returns fn's error")
	_, err = s.Realms().Get(ctx, r.ID)
	notFound(t, err, "realm of a rolled back transaction")
	_, err = s.Realms().GetByName(ctx, "acme")
	notFound(t, err, "realm of a rolled back transaction, by name")
	_, err = s.Realm(r.ID).Users().Get(ctx, u.ID)
	notFound(t, err, "user of a rolled back transaction")
	mkRealm(t, s, "acme") // the name was never taken
}

func testTxOutboxCommit(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	now := clock()
	var u *iam.User
	var m *iam.Message
	ok(t, s.InTx(ctx, func(tx store.Tx) error {
		u = mkUser(t, tx, r.ID, "alice")
		m = mkMessage(t, tx, r.ID, now.Add(-time.Second))
		return nil
	}), "InTx")
	_, err := s.Realm(r.ID).Users().Get(ctx, u.ID)
	ok(t, err, "user of a committed transaction")
	same(t, "message of a committed transaction", m, getMessage(t, s, m))
	n, err := s.Outbox().Pending(ctx)
	ok(t, err, "pending")
	if n != 1 {
		t.Errorf("Pending = %d, want 1", n)
	}
	list, err := s.Outbox().Claim(ctx, now, time.Minute, 10)
	ok(t, err, "claim")
	claimed(t, "claim after the transaction committed", []*iam.Message{m}, list)
}

func testTxOutboxRollback(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	now := clock()
	var u *iam.User
	var m *iam.Message
	err := s.InTx(ctx, func(tx store.Tx) error {
		u = mkUser(t, tx, r.ID, "alice")
		m = mkMessage(t, tx, r.ID, now.Add(-time.Second))
		return errBoom
	})
	isErr(t, err, errBoom, "InTx returns fn's error")
	_, err = s.Realm(r.ID).Users().Get(ctx, u.ID)
	notFound(t, err, "user of a rolled back transaction")
	_, err = s.Realm(r.ID).Users().Find(ctx, "alice")
	notFound(t, err, "Find the user of a rolled back transaction")
	_, err = s.Realm(r.ID).Messages().Get(ctx, m.ID)
	notFound(t, err, "message of a rolled back transaction")
	n, err := s.Outbox().Pending(ctx)
	ok(t, err, "pending")
	if n != 0 {
		t.Errorf("Pending after rollback = %d, want 0", n)
	}
	list, err := s.Outbox().Claim(ctx, now.Add(time.Hour), time.Minute, 10)
	ok(t, err, "claim")
	if len(list) != 0 {
		t.Errorf("Claim after rollback returned %d messages", len(list))
	}
	mkUser(t, s, r.ID, "alice") // the username was never taken
}

func testTxStoreError(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	mkUser(t, s, r.ID, "taken")
	var first *iam.User
	err := s.InTx(ctx, func(tx store.Tx) error {
		first = mkUser(t, tx, r.ID, "first")
		return tx.Realm(r.ID).Users().Create(ctx, newUser(r.ID, "Taken"))
	})
	isErr(t, err, store.ErrConflict, "InTx returns the conflict fn returned")
	_, err = s.Realm(r.ID).Users().Get(ctx, first.ID)
	notFound(t, err, "user written before the failing call")
	mkUser(t, s, r.ID, "first")
}

func testTxRollbackChanges(t *testing.T, s store.Store) {
	ctx := t.Context()
	w := buildWorld(t, s, "a")
	before := snap(t, s, w)
	rid := w.realm.ID
	at := clock().Add(time.Minute)
	err := s.InTx(ctx, func(tx store.Tx) error {
		sc := tx.Realm(rid)
		realm := *w.realm
		realm.DisplayName = "changed"
		u := *w.user
		u.FirstName = "Changed"
		steps := []error{
			tx.Realms().Update(ctx, &realm),
			sc.Users().Update(ctx, &u),
			sc.Users().SetLockout(ctx, w.user2.ID, iam.Lockout{Permanent: true}),
			drop(sc.Users().AddFailure(ctx, w.user.ID, true, at, "192.0.2.9")),
			sc.Users().SoftDelete(ctx, w.user2.ID, "x", at),
			sc.Credentials().Delete(ctx, w.cred.ID),
			sc.Apps().SoftDelete(ctx, w.app.ID, at),
			sc.Roles().Revoke(ctx, w.user.ID, w.realmRole.ID),
			sc.Roles().Grant(ctx, w.user2.ID, w.appRole.ID),
			sc.Groups().RemoveMember(ctx, w.group.ID, w.user.ID),
			sc.Organizations().RemoveMember(ctx, w.org.ID, w.user.ID),
			sc.RefreshTokens().MarkUsed(ctx, w.token.ID, iam.NewID(), at),
			sc.Sessions().Revoke(ctx, w.session.ID, at),
			drop(sc.Codes().SpendAttempt(ctx, w.code.ID)),
			sc.Codes().Consume(ctx, w.code.ID, at),
			sc.Invitations().Delete(ctx, w.inv.ID),
			drop(sc.Riskbits().DeleteAll(ctx)),
			sc.Events().Append(ctx, &iam.Event{ID: iam.NewID(), RealmID: rid, Type: iam.EventUserDeleted, CreatedAt: at}),
			tx.Outbox().MarkSent(ctx, w.msg.ID, at),
		}
		for i, err := range steps {
			if err != nil {
				t.Errorf("step %d inside the transaction: %v", i, err)
			}
		}
		return errBoom
	})
	isErr(t, err, errBoom, "InTx returns fn's error")
	same(t, "realm after a rolled back transaction", before, snap(t, s, w))
}

func testTxReadsOwnWrites(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	ok(t, s.InTx(ctx, func(tx store.Tx) error {
		u := mkUser(t, tx, r.ID, "alice")
		users := tx.Realm(r.ID).Users()
		got, err := users.Find(ctx, "ALICE")
		ok(t, err, "Find inside the transaction")
		same(t, "user read back inside the transaction", u, got)
		_, total, err := users.List(ctx, store.UserQuery{})
		ok(t, err, "List inside the transaction")
		if total != 1 {
			t.Errorf("List inside the transaction: total %d, want 1", total)
		}
		conflict(t, users.Create(ctx, newUser(r.ID, "Alice")), "duplicate inside the transaction")
		return nil
	}), "InTx")
}
