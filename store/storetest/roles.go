package storetest

import (
	"testing"

	"iamd/iam"
	"iamd/store"
)

var roleCases = []testCase{
	{"RoundTrip", testRoleRoundTrip},
	{"AppAndNameUnique", testRoleUnique},
	{"CreateNeedsAppOfRealm", testRoleNeedsApp},
	{"ListByAppAndName", testRoleList},
	{"Update", testRoleUpdate},
	{"Delete", testRoleDelete},
	{"GrantRevoke", testRoleGrant},
	{"UsersPaged", testRoleUsersPaged},
}

func roleID(r *iam.Role) string { return r.ID }

func testRoleRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	app := mkApp(t, s, r.ID, "portal")
	roles := s.Realm(r.ID).Roles()
	for _, appID := range []string{"", app.ID} {
		role := &iam.Role{
			ID: iam.NewID(), RealmID: r.ID, AppID: appID, Name: "editor", Description: "May edit",
			Attributes: map[string]string{"color": "green"}, CreatedAt: clock(),
		}
		ok(t, roles.Create(ctx, role), "create role (app %q)", appID)
		got, err := roles.Get(ctx, role.ID)
		ok(t, err, "get")
		same(t, "Roles.Get", role, got)
		got, err = roles.GetByName(ctx, appID, "editor")
		ok(t, err, "get by name")
		same(t, "Roles.GetByName", role, got)
	}
	_, err := roles.Get(ctx, "not-a-uuid")
	notFound(t, err, "Roles.Get(malformed id)")
	_, err = roles.GetByName(ctx, "", "nobody")
	notFound(t, err, "Roles.GetByName of an unknown name")
	_, err = roles.GetByName(ctx, "not-a-uuid", "editor")
	notFound(t, err, "Roles.GetByName with a malformed app id")
}

func testRoleUnique(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	a1, a2 := mkApp(t, s, r.ID, "portal"), mkApp(t, s, r.ID, "mobile")
	roles := s.Realm(r.ID).Roles()
	mkRole(t, s, r.ID, "", "admin")
	mkRole(t, s, r.ID, a1.ID, "admin") // same name, other app: fine
	mkRole(t, s, r.ID, a2.ID, "admin")
	for _, appID := range []string{"", a1.ID} {
		dup := &iam.Role{ID: iam.NewID(), RealmID: r.ID, AppID: appID, Name: "admin", CreatedAt: clock()}
		conflict(t, roles.Create(ctx, dup), "create a duplicate role (app %q)", appID)
	}

	other := mkRole(t, s, r.ID, a1.ID, "viewer")
	in := *other
	in.Name = "admin"
	conflict(t, roles.Update(ctx, &in), "rename a role to a taken name of its app")
	got, err := roles.Get(ctx, other.ID)
	ok(t, err, "get")
	same(t, "role after conflicting update", other, got)
}

func testRoleNeedsApp(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	roles := s.Realm(r.ID).Roles()
	role := &iam.Role{ID: iam.NewID(), RealmID: r.ID, AppID: iam.NewID(), Name: "x", CreatedAt: clock()}
	notFound(t, roles.Create(ctx, role), "role of an app that does not exist")
	_, err := roles.Get(ctx, role.ID)
	notFound(t, err, "the refused role")
}

func testRoleList(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	app := mkApp(t, s, r.ID, "portal")
	roles := s.Realm(r.ID).Roles()
	var realmRoles, appRoles []string
	for _, n := range []string{"viewer", "admin", "editor"} {
		realmRoles = append(realmRoles, mkRole(t, s, r.ID, "", n).Name)
	}
	for _, n := range []string{"publisher", "auditor"} {
		appRoles = append(appRoles, mkRole(t, s, r.ID, app.ID, n).Name)
	}
	list, err := roles.List(ctx, "")
	ok(t, err, "list realm roles")
	sameStrings(t, "realm roles by name", []string{"admin", "editor", "viewer"}, idsOf(list, func(r *iam.Role) string { return r.Name }))
	list, err = roles.List(ctx, app.ID)
	ok(t, err, "list app roles")
	sameStrings(t, "app roles by name", []string{"auditor", "publisher"}, idsOf(list, func(r *iam.Role) string { return r.Name }))
}

func testRoleUpdate(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	roles := s.Realm(r.ID).Roles()
	role := mkRole(t, s, r.ID, "", "editor")
	want := *role
	want.Name, want.Description, want.Attributes = "writer", "Writes things", map[string]string{"k": "v"}
	ok(t, roles.Update(ctx, &want), "update")
	got, err := roles.Get(ctx, role.ID)
	ok(t, err, "get")
	same(t, "updated role", &want, got)
	_, err = roles.GetByName(ctx, "", "editor")
	notFound(t, err, "GetByName of the old name")
	ghost := &iam.Role{ID: iam.NewID(), RealmID: r.ID, Name: "ghost", CreatedAt: clock()}
	notFound(t, roles.Update(ctx, ghost), "update a missing role")
}

func testRoleDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	roles := s.Realm(r.ID).Roles()
	u := mkUser(t, s, r.ID, "alice")
	gone, keep := mkRole(t, s, r.ID, "", "editor"), mkRole(t, s, r.ID, "", "viewer")
	ok(t, roles.Grant(ctx, u.ID, gone.ID), "grant")
	ok(t, roles.Grant(ctx, u.ID, keep.ID), "grant")
	ok(t, roles.Delete(ctx, gone.ID), "delete")
	_, err := roles.Get(ctx, gone.ID)
	notFound(t, err, "get a deleted role")
	list, err := roles.OfUser(ctx, u.ID)
	ok(t, err, "roles of user")
	sameStrings(t, "roles of user after deleting one", []string{keep.ID}, idsOf(list, roleID))
	notFound(t, roles.Delete(ctx, gone.ID), "delete twice")
	mkRole(t, s, r.ID, "", "editor") // the name is free
}

func testRoleGrant(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	app := mkApp(t, s, r.ID, "portal")
	roles := s.Realm(r.ID).Roles()
	alice, bob := mkUser(t, s, r.ID, "alice"), mkUser(t, s, r.ID, "bob")
	admin, viewer := mkRole(t, s, r.ID, "", "admin"), mkRole(t, s, r.ID, app.ID, "viewer")

	ok(t, roles.Grant(ctx, alice.ID, admin.ID), "grant")
	ok(t, roles.Grant(ctx, alice.ID, admin.ID), "grant again (idempotent)")
	ok(t, roles.Grant(ctx, alice.ID, viewer.ID), "grant app role")
	ok(t, roles.Grant(ctx, bob.ID, viewer.ID), "grant bob")

	list, err := roles.OfUser(ctx, alice.ID)
	ok(t, err, "roles of alice")
	sameSet(t, "alice's roles", []string{admin.ID, viewer.ID}, idsOf(list, roleID))
	for _, x := range list {
		if x.ID == viewer.ID {
			same(t, "granted role as listed", viewer, x)
		}
	}
	us, err := roles.Users(ctx, viewer.ID, store.Page{})
	ok(t, err, "users of viewer")
	sameSet(t, "holders of viewer", []string{alice.ID, bob.ID}, userIDs(us))
	us, err = roles.Users(ctx, admin.ID, store.Page{})
	ok(t, err, "users of admin")
	sameStrings(t, "holders of admin (granted twice, listed once)", []string{alice.ID}, userIDs(us))

	ok(t, roles.Revoke(ctx, alice.ID, admin.ID), "revoke")
	notFound(t, roles.Revoke(ctx, alice.ID, admin.ID), "revoke a role no longer granted")
	notFound(t, roles.Revoke(ctx, bob.ID, admin.ID), "revoke a role never granted")
	list, err = roles.OfUser(ctx, alice.ID)
	ok(t, err, "roles of alice")
	sameStrings(t, "alice's roles after revoke", []string{viewer.ID}, idsOf(list, roleID))

	notFound(t, roles.Grant(ctx, iam.NewID(), admin.ID), "grant to a missing user")
	notFound(t, roles.Grant(ctx, alice.ID, iam.NewID()), "grant a missing role")
	notFound(t, roles.Grant(ctx, "not-a-uuid", admin.ID), "grant to a malformed user id")
	list, err = roles.OfUser(ctx, bob.ID)
	ok(t, err, "roles of bob")
	sameStrings(t, "bob's roles", []string{viewer.ID}, idsOf(list, roleID))
}

func testRoleUsersPaged(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	roles := s.Realm(r.ID).Roles()
	role := mkRole(t, s, r.ID, "", "member")
	var all []string
	for _, n := range []string{"u1", "u2", "u3", "u4", "u5"} {
		u := mkUser(t, s, r.ID, n)
		ok(t, roles.Grant(ctx, u.ID, role.ID), "grant")
		all = append(all, u.ID)
	}
	var paged []string
	for off := 0; off < 6; off += 2 {
		us, err := roles.Users(ctx, role.ID, store.Page{Offset: off, Limit: 2})
		ok(t, err, "page")
		if len(us) > 2 {
			t.Errorf("Roles.Users with Limit 2 returned %d users", len(us))
		}
		paged = append(paged, userIDs(us)...)
	}
	sameSet(t, "role holders read in pages", all, paged)
}
