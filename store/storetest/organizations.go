package storetest

import (
	"testing"
	"time"

	"iamd/iam"
	"iamd/store"
)

var organizationCases = []testCase{
	{"RoundTrip", testOrgRoundTrip},
	{"NameUnique", testOrgUnique},
	{"ListSearchPaged", testOrgList},
	{"ListSearchIsLiteral", testOrgListLiteral},
	{"Update", testOrgUpdate},
	{"SoftDelete", testOrgSoftDelete},
	{"MembershipRoundTrip", testOrgMembership},
	{"PutMemberReplaces", testOrgPutMemberReplaces},
	{"PutMemberNeedsOrgAndUser", testOrgPutMemberNeeds},
	{"MembersAndOfUser", testOrgMembers},
}

func orgID(o *iam.Organization) string { return o.ID }

func testOrgRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	orgs := s.Realm(r.ID).Organizations()
	now := clock()
	o := &iam.Organization{
		ID: iam.NewID(), RealmID: r.ID, Name: "globex", DisplayName: "Globex Corporation",
		Attributes: map[string]string{"plan": "gold", "vat": "DE123"}, CreatedAt: now.Add(-time.Hour), UpdatedAt: now,
	}
	ok(t, orgs.Create(ctx, o), "create")
	if o.Num <= 0 {
		t.Errorf("Create assigned Num %d, want a positive number", o.Num)
	}
	o2 := mkOrg(t, s, r.ID, "initech")
	if o2.Num == o.Num {
		t.Errorf("two organizations got the same Num %d", o.Num)
	}
	got, err := orgs.Get(ctx, o.ID)
	ok(t, err, "get")
	same(t, "Organizations.Get", o, got)
	got, err = orgs.GetByNum(ctx, o.Num)
	ok(t, err, "get by num")
	same(t, "Organizations.GetByNum", o, got)
	_, err = orgs.Get(ctx, "not-a-uuid")
	notFound(t, err, "Organizations.Get(malformed id)")
	_, err = orgs.GetByNum(ctx, 0)
	notFound(t, err, "Organizations.GetByNum(0)")
}

func testOrgUnique(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	orgs := s.Realm(r.ID).Organizations()
	mkOrg(t, s, r.ID, "globex")
	dup := &iam.Organization{ID: iam.NewID(), RealmID: r.ID, Name: "globex", CreatedAt: clock(), UpdatedAt: clock()}
	conflict(t, orgs.Create(ctx, dup), "create an organization with a taken name")
	_, err := orgs.Get(ctx, dup.ID)
	notFound(t, err, "the refused organization")
	other := mkOrg(t, s, r.ID, "initech")
	in := *other
	in.Name = "globex"
	conflict(t, orgs.Update(ctx, &in), "rename an organization to a taken name")
	got, err := orgs.Get(ctx, other.ID)
	ok(t, err, "get")
	same(t, "organization after conflicting update", other, got)
}

func testOrgList(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	orgs := s.Realm(r.ID).Organizations()
	globex, initech := mkOrg(t, s, r.ID, "globex-berlin"), mkOrg(t, s, r.ID, "initech")
	hooli, umbrella := mkOrg(t, s, r.ID, "globex-paris"), mkOrg(t, s, r.ID, "umbrella")
	all := []string{globex.ID, initech.ID, hooli.ID, umbrella.ID}
	for _, c := range []struct {
		search string
		want   []string
	}{
		{"", all},
		{"globex", []string{globex.ID, hooli.ID}},
		{"umbrella", []string{umbrella.ID}},
		{"nothing", nil},
	} {
		list, total, err := orgs.List(ctx, c.search, store.Page{})
		ok(t, err, "List(%q)", c.search)
		sameSet(t, "organizations matching "+c.search, c.want, idsOf(list, orgID))
		if total != len(c.want) {
			t.Errorf("List(%q) total = %d, want %d", c.search, total, len(c.want))
		}
	}
	var paged []string
	for off := 0; off < 6; off += 3 {
		list, total, err := orgs.List(ctx, "", store.Page{Offset: off, Limit: 3})
		ok(t, err, "page")
		if total != 4 {
			t.Errorf("List page at %d: total %d, want 4", off, total)
		}
		if len(list) > 3 {
			t.Errorf("List with Limit 3 returned %d", len(list))
		}
		paged = append(paged, idsOf(list, orgID)...)
	}
	sameSet(t, "organizations read in pages", all, paged)
	list, total, err := orgs.List(ctx, "globex", store.Page{Limit: 1})
	ok(t, err, "search page")
	if len(list) != 1 || total != 2 {
		t.Errorf("List(globex, Limit 1) = %d (total %d), want 1 (total 2)", len(list), total)
	}
}

func testOrgUpdate(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	orgs := s.Realm(r.ID).Organizations()
	o := mkOrg(t, s, r.ID, "globex")
	want := *o
	want.Name, want.DisplayName = "globex-2", "Globex II"
	want.Attributes = map[string]string{"plan": "silver"}
	want.UpdatedAt = clock().Add(time.Minute)
	ok(t, orgs.Update(ctx, &want), "update")
	got, err := orgs.Get(ctx, o.ID)
	ok(t, err, "get")
	same(t, "updated organization", &want, got)
	ghost := &iam.Organization{ID: iam.NewID(), RealmID: r.ID, Name: "ghost", CreatedAt: clock(), UpdatedAt: clock()}
	notFound(t, orgs.Update(ctx, ghost), "update a missing organization")
}

func testOrgSoftDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	orgs := s.Realm(r.ID).Organizations()
	o, keep := mkOrg(t, s, r.ID, "globex"), mkOrg(t, s, r.ID, "initech")
	ok(t, orgs.SoftDelete(ctx, o.ID, clock()), "soft delete")
	got, err := orgs.Get(ctx, keep.ID)
	ok(t, err, "the other organization")
	same(t, "the other organization", keep, got)
	notFound(t, orgs.SoftDelete(ctx, iam.NewID(), clock()), "soft delete a missing organization")
	notFound(t, orgs.SoftDelete(ctx, "not-a-uuid", clock()), "soft delete a malformed id")
}

func testOrgMembership(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	orgs := s.Realm(r.ID).Organizations()
	o := mkOrg(t, s, r.ID, "globex")
	u := mkUser(t, s, r.ID, "alice")
	now := clock()
	m := &iam.Membership{
		RealmID: r.ID, OrgID: o.ID, UserID: u.ID, Status: "inactive",
		Roles: []iam.OrgRole{
			{App: "portal", Role: "admin", ShortCode: "ADM"},
			{App: "billing", Role: "viewer"},
		},
		CreatedAt: now.Add(-time.Hour), UpdatedAt: now,
	}
	ok(t, orgs.PutMember(ctx, m), "put member")
	got, err := orgs.GetMember(ctx, o.ID, u.ID)
	ok(t, err, "get member")
	same(t, "Organizations.GetMember", m, got)
	list, total, err := orgs.Members(ctx, o.ID, store.Page{})
	ok(t, err, "members")
	if len(list) != 1 || total != 1 {
		t.Fatalf("Members = %d (total %d), want 1", len(list), total)
	}
	same(t, "Organizations.Members", m, list[0])
	list, err = orgs.OfUser(ctx, u.ID)
	ok(t, err, "of user")
	if len(list) != 1 {
		t.Fatalf("OfUser = %d, want 1", len(list))
	}
	same(t, "Organizations.OfUser", m, list[0])

	ok(t, orgs.RemoveMember(ctx, o.ID, u.ID), "remove member")
	_, err = orgs.GetMember(ctx, o.ID, u.ID)
	notFound(t, err, "GetMember after RemoveMember")
	notFound(t, orgs.RemoveMember(ctx, o.ID, u.ID), "remove a member twice")
	_, err = orgs.GetMember(ctx, o.ID, "not-a-uuid")
	notFound(t, err, "GetMember of a malformed user id")
}

func testOrgPutMemberReplaces(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	orgs := s.Realm(r.ID).Organizations()
	o := mkOrg(t, s, r.ID, "globex")
	u := mkUser(t, s, r.ID, "alice")
	first := mkMember(t, s, r.ID, o.ID, u.ID, clock().Add(-time.Hour))
	second := *first
	second.Roles = []iam.OrgRole{{App: "portal", Role: "owner"}}
	second.Status = "inactive"
	second.UpdatedAt = clock()
	ok(t, orgs.PutMember(ctx, &second), "replace membership")
	got, err := orgs.GetMember(ctx, o.ID, u.ID)
	ok(t, err, "get")
	same(t, "replaced roles", second.Roles, got.Roles)
	if got.Status != "inactive" || !got.UpdatedAt.Equal(second.UpdatedAt) {
		t.Errorf("replaced membership: Status %q, UpdatedAt %v; want inactive, %v", got.Status, got.UpdatedAt, second.UpdatedAt)
	}
	second.Roles = nil
	ok(t, orgs.PutMember(ctx, &second), "replace with no roles")
	got, err = orgs.GetMember(ctx, o.ID, u.ID)
	ok(t, err, "get")
	if len(got.Roles) != 0 {
		t.Errorf("membership replaced with no roles still has %v", got.Roles)
	}
	list, total, err := orgs.Members(ctx, o.ID, store.Page{})
	ok(t, err, "members")
	if len(list) != 1 || total != 1 {
		t.Errorf("after replacing, Members = %d (total %d), want 1", len(list), total)
	}
}

func testOrgPutMemberNeeds(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	orgs := s.Realm(r.ID).Organizations()
	o := mkOrg(t, s, r.ID, "globex")
	u := mkUser(t, s, r.ID, "alice")
	for name, m := range map[string]*iam.Membership{
		"missing user":         {RealmID: r.ID, OrgID: o.ID, UserID: iam.NewID(), Status: "active", CreatedAt: clock(), UpdatedAt: clock()},
		"missing organization": {RealmID: r.ID, OrgID: iam.NewID(), UserID: u.ID, Status: "active", CreatedAt: clock(), UpdatedAt: clock()},
		"malformed user id":    {RealmID: r.ID, OrgID: o.ID, UserID: "not-a-uuid", Status: "active", CreatedAt: clock(), UpdatedAt: clock()},
	} {
		notFound(t, orgs.PutMember(ctx, m), "PutMember with a %s", name)
	}
	list, err := orgs.OfUser(ctx, u.ID)
	ok(t, err, "of user")
	if len(list) != 0 {
		t.Errorf("refused memberships left %d memberships", len(list))
	}
}

func testOrgMembers(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	orgs := s.Realm(r.ID).Organizations()
	t0 := clock().Add(-time.Hour)
	o1, o2, o3 := mkOrg(t, s, r.ID, "o1"), mkOrg(t, s, r.ID, "o2"), mkOrg(t, s, r.ID, "o3")
	alice := mkUser(t, s, r.ID, "alice")
	// alice joined o2 first, then o3, then o1.
	mkMember(t, s, r.ID, o1.ID, alice.ID, t0.Add(3*time.Minute))
	mkMember(t, s, r.ID, o2.ID, alice.ID, t0.Add(1*time.Minute))
	mkMember(t, s, r.ID, o3.ID, alice.ID, t0.Add(2*time.Minute))
	list, err := orgs.OfUser(ctx, alice.ID)
	ok(t, err, "of user")
	sameStrings(t, "alice's memberships, oldest first", []string{o2.ID, o3.ID, o1.ID}, idsOf(list, func(m *iam.Membership) string { return m.OrgID }))

	var members []string
	for _, n := range []string{"u1", "u2", "u3", "u4"} {
		u := mkUser(t, s, r.ID, n)
		mkMember(t, s, r.ID, o1.ID, u.ID, clock())
		members = append(members, u.ID)
	}
	members = append(members, alice.ID)
	var paged []string
	for off := 0; off < 6; off += 2 {
		ms, total, err := orgs.Members(ctx, o1.ID, store.Page{Offset: off, Limit: 2})
		ok(t, err, "members page")
		if total != 5 {
			t.Errorf("Members page at %d: total %d, want 5", off, total)
		}
		if len(ms) > 2 {
			t.Errorf("Members with Limit 2 returned %d", len(ms))
		}
		paged = append(paged, idsOf(ms, func(m *iam.Membership) string { return m.UserID })...)
	}
	sameSet(t, "o1's members read in pages", members, paged)
	ms, total, err := orgs.Members(ctx, o2.ID, store.Page{})
	ok(t, err, "members of o2")
	if len(ms) != 1 || total != 1 {
		t.Errorf("o2 has %d members (total %d), want 1", len(ms), total)
	}
}

func testOrgListLiteral(t *testing.T, s store.Store) {
	r := mkRealm(t, s, "acme")
	want := mkOrg(t, s, r.ID, "100%_sure").ID
	mkOrg(t, s, r.ID, "1000_surely")
	mkOrg(t, s, r.ID, "100x sure")
	list, total, err := s.Realm(r.ID).Organizations().List(t.Context(), "100%_", store.Page{})
	ok(t, err, "list")
	sameStrings(t, "organizations matching 100%_ (wildcards are literal)", []string{want}, idsOf(list, orgID))
	if total != 1 {
		t.Errorf("List(100%%_) total = %d, want 1", total)
	}
}
