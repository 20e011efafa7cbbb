package storetest

import (
	"testing"
	"time"

	"iamd/iam"
	"iamd/store"
)

var eventCases = []testCase{
	{"RoundTrip", testEventRoundTrip},
	{"ListFiltersNewestFirst", testEventList},
	{"PageLimitCapped", testEventPageCap},
}

func eventID(e *iam.Event) string { return e.ID }

func testEventRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	u, admin := mkUser(t, s, r.ID, "alice"), mkUser(t, s, r.ID, "admin")
	app := mkApp(t, s, r.ID, "portal")
	events := s.Realm(r.ID).Events()
	e := &iam.Event{
		ID: iam.NewID(), RealmID: r.ID, Type: iam.EventLoginFailed, UserID: u.ID, ActorID: admin.ID,
		AppID: app.ID, IP: "203.0.113.5", Detail: map[string]string{"reason": "bad_password", "attempt": "3"},
		CreatedAt: clock(),
	}
	ok(t, events.Append(ctx, e), "append")
	bare := &iam.Event{ID: iam.NewID(), RealmID: r.ID, Type: iam.EventRealmCreated, CreatedAt: clock().Add(-time.Second)}
	ok(t, events.Append(ctx, bare), "append bare event")
	list, err := events.List(ctx, store.EventQuery{})
	ok(t, err, "list")
	if len(list) != 2 {
		t.Fatalf("List = %d events, want 2", len(list))
	}
	same(t, "Events.List", []*iam.Event{e, bare}, list)
}

func testEventList(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	alice, bob := mkUser(t, s, r.ID, "alice"), mkUser(t, s, r.ID, "bob")
	events := s.Realm(r.ID).Events()
	t0 := clock().Add(-3 * time.Hour)
	mk := func(typ string, u *iam.User, at time.Duration) string {
		e := &iam.Event{ID: iam.NewID(), RealmID: r.ID, Type: typ, UserID: u.ID, CreatedAt: t0.Add(at)}
		ok(t, events.Append(ctx, e), "append")
		return e.ID
	}
	e1 := mk(iam.EventLoginSucceeded, alice, 0)
	e4 := mk(iam.EventLoginFailed, alice, 3*time.Hour)
	e2 := mk(iam.EventLoginFailed, bob, time.Hour)
	e3 := mk(iam.EventLoginFailed, alice, 2*time.Hour)
	for _, c := range []struct {
		name string
		q    store.EventQuery
		want []string
	}{
		{"all", store.EventQuery{}, []string{e4, e3, e2, e1}},
		{"UserID", store.EventQuery{UserID: alice.ID}, []string{e4, e3, e1}},
		{"Type", store.EventQuery{Type: iam.EventLoginFailed}, []string{e4, e3, e2}},
		{"UserID and Type", store.EventQuery{UserID: alice.ID, Type: iam.EventLoginFailed}, []string{e4, e3}},
		{"Since", store.EventQuery{Since: t0.Add(90 * time.Minute)}, []string{e4, e3}},
		{"page", store.EventQuery{Page: store.Page{Offset: 1, Limit: 2}}, []string{e3, e2}},
		{"no match", store.EventQuery{Type: iam.EventUserDeleted}, nil},
	} {
		list, err := events.List(ctx, c.q)
		ok(t, err, "list %s", c.name)
		sameStrings(t, "events ("+c.name+"), newest first", c.want, idsOf(list, eventID))
	}
}

// testEventPageCap checks the Page rule that Limit is capped at 1000.
func testEventPageCap(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	t0 := clock().Add(-time.Hour)
	ok(t, s.InTx(ctx, func(tx store.Tx) error {
		for i := range 1001 {
			e := &iam.Event{ID: iam.NewID(), RealmID: r.ID, Type: iam.EventLoginSucceeded, CreatedAt: t0.Add(time.Duration(i) * time.Millisecond)}
			if err := tx.Realm(r.ID).Events().Append(ctx, e); err != nil {
				return err
			}
		}
		return nil
	}), "append 1001 events")
	list, err := s.Realm(r.ID).Events().List(ctx, store.EventQuery{Page: store.Page{Limit: 5000}})
	ok(t, err, "list")
	if len(list) != 1000 {
		t.Errorf("List with Limit 5000 returned %d events, want 1000 (the cap)", len(list))
	}
}
