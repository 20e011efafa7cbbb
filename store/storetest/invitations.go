package storetest

import (
	"testing"
	"time"

	"iamd/iam"
	"iamd/store"
)

var invitationCases = []testCase{
	{"RoundTrip", testInvitationRoundTrip},
	{"CreateNeedsOrgOfRealm", testInvitationNeedsOrg},
	{"ListNewestFirst", testInvitationList},
	{"Update", testInvitationUpdate},
	{"Delete", testInvitationDelete},
}

func invID(i *iam.Invitation) string { return i.ID }

func newInvitation(realmID, orgID string, created time.Time) *iam.Invitation {
	return &iam.Invitation{
		ID: iam.NewID(), RealmID: realmID, OrgID: orgID, Email: "invitee@example.com",
		Roles:     []iam.OrgRole{{App: "portal", Role: "member"}},
		TokenHash: "inv-" + iam.NewID(), Status: iam.InvitePending,
		CreatedAt: created, ExpiresAt: created.Add(72 * time.Hour),
	}
}

func testInvitationRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	o := mkOrg(t, s, r.ID, "globex")
	admin, joiner := mkUser(t, s, r.ID, "admin"), mkUser(t, s, r.ID, "joiner")
	invs := s.Realm(r.ID).Invitations()
	now := clock()
	inv := &iam.Invitation{
		ID: iam.NewID(), RealmID: r.ID, OrgID: o.ID, Email: "joiner@example.com", Phone: "+4915199999999",
		Roles:     []iam.OrgRole{{App: "portal", Role: "admin", ShortCode: "A"}, {App: "billing", Role: "viewer"}},
		InvitedBy: admin.ID, TokenHash: "inv-" + iam.NewID(), Status: iam.InviteAccepted,
		CreatedAt: now.Add(-time.Hour), ExpiresAt: now.Add(time.Hour), AcceptedAt: &now, UserID: joiner.ID,
	}
	ok(t, invs.Create(ctx, inv), "create")
	got, err := invs.Get(ctx, inv.ID)
	ok(t, err, "get")
	same(t, "Invitations.Get", inv, got)
	got, err = invs.GetByTokenHash(ctx, inv.TokenHash)
	ok(t, err, "get by token hash")
	same(t, "Invitations.GetByTokenHash", inv, got)
	_, err = invs.GetByTokenHash(ctx, "unknown")
	notFound(t, err, "GetByTokenHash of an unknown hash")
	_, err = invs.Get(ctx, "not-a-uuid")
	notFound(t, err, "Get(malformed id)")
}

func testInvitationNeedsOrg(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	invs := s.Realm(r.ID).Invitations()
	inv := newInvitation(r.ID, iam.NewID(), clock())
	notFound(t, invs.Create(ctx, inv), "invitation to a missing organization")
	_, err := invs.Get(ctx, inv.ID)
	notFound(t, err, "the refused invitation")
}

func testInvitationList(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	o1, o2 := mkOrg(t, s, r.ID, "o1"), mkOrg(t, s, r.ID, "o2")
	invs := s.Realm(r.ID).Invitations()
	t0 := clock().Add(-time.Hour)
	mk := func(o *iam.Organization, at time.Duration) string {
		inv := newInvitation(r.ID, o.ID, t0.Add(at))
		ok(t, invs.Create(ctx, inv), "create")
		return inv.ID
	}
	a := mk(o1, 2*time.Minute)
	b := mk(o2, 3*time.Minute)
	c := mk(o1, 1*time.Minute)
	d := mk(o1, 4*time.Minute)
	list, err := invs.List(ctx, o1.ID, store.Page{})
	ok(t, err, "list o1")
	sameStrings(t, "o1's invitations, newest first", []string{d, a, c}, idsOf(list, invID))
	list, err = invs.List(ctx, "", store.Page{})
	ok(t, err, "list all")
	sameStrings(t, "all invitations, newest first", []string{d, b, a, c}, idsOf(list, invID))
	list, err = invs.List(ctx, "", store.Page{Offset: 1, Limit: 2})
	ok(t, err, "list page")
	sameStrings(t, "second page of 2", []string{b, a}, idsOf(list, invID))
}

func testInvitationUpdate(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	o := mkOrg(t, s, r.ID, "globex")
	joiner := mkUser(t, s, r.ID, "joiner")
	invs := s.Realm(r.ID).Invitations()
	inv := newInvitation(r.ID, o.ID, clock())
	ok(t, invs.Create(ctx, inv), "create")

	at := clock().Add(time.Minute)
	in := *inv
	in.Status, in.Roles, in.ExpiresAt = iam.InviteAccepted, []iam.OrgRole{{App: "portal", Role: "owner"}}, at.Add(time.Hour)
	in.AcceptedAt, in.UserID, in.TokenHash = &at, joiner.ID, ""
	in.Email, in.Phone, in.CreatedAt = "changed@example.com", "+4915100000000", at // not written
	ok(t, invs.Update(ctx, &in), "update")
	want := *inv
	want.Status, want.Roles, want.ExpiresAt = in.Status, in.Roles, in.ExpiresAt
	want.AcceptedAt, want.UserID, want.TokenHash = in.AcceptedAt, in.UserID, in.TokenHash
	got, err := invs.Get(ctx, inv.ID)
	ok(t, err, "get")
	same(t, "invitation after Update (Email, Phone, CreatedAt kept)", &want, got)
	_, err = invs.GetByTokenHash(ctx, inv.TokenHash)
	notFound(t, err, "GetByTokenHash of the token hash the update cleared")

	notFound(t, invs.Update(ctx, newInvitation(r.ID, o.ID, clock())), "update a missing invitation")
}

func testInvitationDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	o := mkOrg(t, s, r.ID, "globex")
	invs := s.Realm(r.ID).Invitations()
	inv, keep := newInvitation(r.ID, o.ID, clock()), newInvitation(r.ID, o.ID, clock())
	ok(t, invs.Create(ctx, inv), "create")
	ok(t, invs.Create(ctx, keep), "create")
	ok(t, invs.Delete(ctx, inv.ID), "delete")
	_, err := invs.Get(ctx, inv.ID)
	notFound(t, err, "get a deleted invitation")
	notFound(t, invs.Delete(ctx, inv.ID), "delete twice")
	_, err = invs.Get(ctx, keep.ID)
	ok(t, err, "the other invitation survives")
}
