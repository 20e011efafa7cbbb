package storetest

import (
	"testing"

	"iamd/iam"
	"iamd/store"
)

var groupCases = []testCase{
	{"RoundTrip", testGroupRoundTrip},
	{"NameUniqueUnderParent", testGroupUnique},
	{"CreateNeedsParentOfRealm", testGroupNeedsParent},
	{"ListPaged", testGroupList},
	{"Update", testGroupUpdate},
	{"Members", testGroupMembers},
	{"Delete", testGroupDelete},
}

func groupID(g *iam.Group) string { return g.ID }

func testGroupRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	groups := s.Realm(r.ID).Groups()
	root := &iam.Group{
		ID: iam.NewID(), RealmID: r.ID, Name: "staff",
		Attributes: map[string][]string{"cost-center": {"42", "43"}, "site": {"berlin"}}, CreatedAt: clock(),
	}
	ok(t, groups.Create(ctx, root), "create")
	child := &iam.Group{ID: iam.NewID(), RealmID: r.ID, ParentID: root.ID, Name: "ops", CreatedAt: clock()}
	ok(t, groups.Create(ctx, child), "create child")
	for _, g := range []*iam.Group{root, child} {
		got, err := groups.Get(ctx, g.ID)
		ok(t, err, "get")
		same(t, "Groups.Get", g, got)
	}
	_, err := groups.Get(ctx, "not-a-uuid")
	notFound(t, err, "Groups.Get(malformed id)")
}

func testGroupUnique(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	groups := s.Realm(r.ID).Groups()
	a, b := mkGroup(t, s, r.ID, "", "a"), mkGroup(t, s, r.ID, "", "b")
	mkGroup(t, s, r.ID, a.ID, "ops")
	mkGroup(t, s, r.ID, b.ID, "ops") // same name, other parent
	mkGroup(t, s, r.ID, "", "ops")   // and at the top
	for _, parent := range []string{"", a.ID} {
		dup := &iam.Group{ID: iam.NewID(), RealmID: r.ID, ParentID: parent, Name: "ops", CreatedAt: clock()}
		conflict(t, groups.Create(ctx, dup), "duplicate group name under parent %q", parent)
	}
	in := *b
	in.Name = "a"
	conflict(t, groups.Update(ctx, &in), "rename a group to a sibling's name")
	got, err := groups.Get(ctx, b.ID)
	ok(t, err, "get")
	same(t, "group after conflicting update", b, got)
}

func testGroupNeedsParent(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	g := &iam.Group{ID: iam.NewID(), RealmID: r.ID, ParentID: iam.NewID(), Name: "orphan", CreatedAt: clock()}
	notFound(t, s.Realm(r.ID).Groups().Create(ctx, g), "group under a missing parent")
	_, err := s.Realm(r.ID).Groups().Get(ctx, g.ID)
	notFound(t, err, "the refused group")
}

func testGroupList(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	groups := s.Realm(r.ID).Groups()
	var all []string
	for _, n := range []string{"g1", "g2", "g3", "g4", "g5"} {
		all = append(all, mkGroup(t, s, r.ID, "", n).ID)
	}
	list, err := groups.List(ctx, store.Page{})
	ok(t, err, "list")
	sameSet(t, "groups", all, idsOf(list, groupID))
	var paged []string
	for off := 0; off < 6; off += 2 {
		list, err := groups.List(ctx, store.Page{Offset: off, Limit: 2})
		ok(t, err, "page")
		if len(list) > 2 {
			t.Errorf("Groups.List with Limit 2 returned %d", len(list))
		}
		paged = append(paged, idsOf(list, groupID)...)
	}
	sameSet(t, "groups read in pages", all, paged)
}

func testGroupUpdate(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	groups := s.Realm(r.ID).Groups()
	g := mkGroup(t, s, r.ID, "", "staff")
	want := *g
	want.Name, want.Attributes = "employees", map[string][]string{"k": {"v"}}
	ok(t, groups.Update(ctx, &want), "update")
	got, err := groups.Get(ctx, g.ID)
	ok(t, err, "get")
	same(t, "updated group", &want, got)
	ghost := &iam.Group{ID: iam.NewID(), RealmID: r.ID, Name: "ghost", CreatedAt: clock()}
	notFound(t, groups.Update(ctx, ghost), "update a missing group")
}

func testGroupMembers(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	groups := s.Realm(r.ID).Groups()
	alice, bob, carol := mkUser(t, s, r.ID, "alice"), mkUser(t, s, r.ID, "bob"), mkUser(t, s, r.ID, "carol")
	staff, ops := mkGroup(t, s, r.ID, "", "staff"), mkGroup(t, s, r.ID, "", "ops")
	ok(t, groups.AddMember(ctx, staff.ID, alice.ID), "add alice")
	ok(t, groups.AddMember(ctx, staff.ID, bob.ID), "add bob")
	ok(t, groups.AddMember(ctx, ops.ID, alice.ID), "add alice to ops")

	us, err := groups.Members(ctx, staff.ID, store.Page{})
	ok(t, err, "members")
	sameSet(t, "staff members", []string{alice.ID, bob.ID}, userIDs(us))
	for _, u := range us {
		if u.ID == alice.ID {
			same(t, "member as listed", alice, u)
		}
	}
	us, err = groups.Members(ctx, staff.ID, store.Page{Limit: 1})
	ok(t, err, "members page")
	if len(us) != 1 {
		t.Errorf("Members with Limit 1 returned %d", len(us))
	}
	gs, err := groups.OfUser(ctx, alice.ID)
	ok(t, err, "groups of alice")
	sameSet(t, "alice's groups", []string{staff.ID, ops.ID}, idsOf(gs, groupID))
	gs, err = groups.OfUser(ctx, carol.ID)
	ok(t, err, "groups of carol")
	if len(gs) != 0 {
		t.Errorf("carol is in %d groups, want 0", len(gs))
	}

	ok(t, groups.RemoveMember(ctx, staff.ID, alice.ID), "remove alice")
	us, err = groups.Members(ctx, staff.ID, store.Page{})
	ok(t, err, "members")
	sameStrings(t, "staff after removing alice", []string{bob.ID}, userIDs(us))
	gs, err = groups.OfUser(ctx, alice.ID)
	ok(t, err, "groups of alice")
	sameStrings(t, "alice's groups after removal", []string{ops.ID}, idsOf(gs, groupID))

	notFound(t, groups.AddMember(ctx, staff.ID, iam.NewID()), "add a missing user")
	notFound(t, groups.AddMember(ctx, iam.NewID(), carol.ID), "add to a missing group")
	notFound(t, groups.AddMember(ctx, "not-a-uuid", carol.ID), "add to a malformed group id")
}

func testGroupDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	groups := s.Realm(r.ID).Groups()
	u := mkUser(t, s, r.ID, "alice")
	gone, keep := mkGroup(t, s, r.ID, "", "gone"), mkGroup(t, s, r.ID, "", "keep")
	ok(t, groups.AddMember(ctx, gone.ID, u.ID), "add")
	ok(t, groups.AddMember(ctx, keep.ID, u.ID), "add")
	ok(t, groups.Delete(ctx, gone.ID), "delete")
	_, err := groups.Get(ctx, gone.ID)
	notFound(t, err, "get a deleted group")
	gs, err := groups.OfUser(ctx, u.ID)
	ok(t, err, "groups of user")
	sameStrings(t, "user's groups after deleting one", []string{keep.ID}, idsOf(gs, groupID))
	notFound(t, groups.Delete(ctx, gone.ID), "delete twice")
	_, err = s.Realm(r.ID).Users().Get(ctx, u.ID)
	ok(t, err, "the member survives its group")
}
