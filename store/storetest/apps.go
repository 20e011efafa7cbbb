package storetest

import (
	"testing"
	"time"

	"iamd/iam"
	"iamd/store"
)

var appCases = []testCase{
	{"RoundTrip", testAppRoundTrip},
	{"ClientIDUnique", testAppClientIDUnique},
	{"Update", testAppUpdate},
	{"SoftDelete", testAppSoftDelete},
	{"List", testAppList},
	{"ListSearchIsLiteral", testAppListLiteral},
	{"NotFound", testAppNotFound},
}

func fullApp(realmID, clientID string) *iam.App {
	now := clock()
	return &iam.App{
		ID: iam.NewID(), RealmID: realmID, ClientID: clientID, Name: "Portal", Description: "The customer portal",
		Public: false, SecretHash: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
		RedirectURIs: []string{"https://portal.example.com/cb", "com.example.app:/oauth"},
		GrantTypes:   []string{iam.GrantAuthorizationCode, iam.GrantRefreshToken, iam.GrantClientCredentials},
		Scopes:       []string{"openid", "profile", "email"},
		Enabled:      true, AccessTTL: 10 * time.Minute, RefreshTTL: 24 * time.Hour,
		Attributes: map[string]string{"logo": "https://example.com/logo.png", "pkce": "required"},
		CreatedAt:  now.Add(-time.Hour), UpdatedAt: now,
	}
}

func testAppRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	apps := s.Realm(r.ID).Apps()
	a := fullApp(r.ID, "portal")
	ok(t, apps.Create(ctx, a), "create")
	if a.Num <= 0 {
		t.Errorf("Create assigned Num %d, want a positive number", a.Num)
	}
	b := newApp(r.ID, "mobile")
	b.Public = true
	ok(t, apps.Create(ctx, b), "create second")
	if b.Num == a.Num {
		t.Errorf("two apps got the same Num %d", a.Num)
	}
	for name, get := range map[string]func() (*iam.App, error){
		"Get":           func() (*iam.App, error) { return apps.Get(ctx, a.ID) },
		"GetByNum":      func() (*iam.App, error) { return apps.GetByNum(ctx, a.Num) },
		"GetByClientID": func() (*iam.App, error) { return apps.GetByClientID(ctx, "portal") },
	} {
		got, err := get()
		ok(t, err, "Apps.%s", name)
		same(t, "Apps."+name, a, got)
	}
	got, err := apps.Get(ctx, b.ID)
	ok(t, err, "get public app")
	same(t, "public app", b, got)
}

func testAppClientIDUnique(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	apps := s.Realm(r.ID).Apps()
	mkApp(t, s, r.ID, "portal")
	dup := newApp(r.ID, "portal")
	conflict(t, apps.Create(ctx, dup), "create an app with a taken client id")
	_, err := apps.Get(ctx, dup.ID)
	notFound(t, err, "the refused app")

	other := mkApp(t, s, r.ID, "mobile")
	in := *other
	in.ClientID = "portal"
	conflict(t, apps.Update(ctx, &in), "update an app to a taken client id")
	got, err := apps.Get(ctx, other.ID)
	ok(t, err, "get")
	same(t, "app after a conflicting update", other, got)
}

func testAppUpdate(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	apps := s.Realm(r.ID).Apps()
	orig := fullApp(r.ID, "portal")
	ok(t, apps.Create(ctx, orig), "create")

	want := newApp(r.ID, "portal-v2")
	want.ID, want.Num, want.CreatedAt = orig.ID, orig.Num, orig.CreatedAt
	want.Name, want.Description, want.Public, want.SecretHash = "Portal 2", "", true, ""
	want.RedirectURIs = []string{"https://v2.example.com/cb"}
	want.GrantTypes = []string{iam.GrantAuthorizationCode}
	want.Scopes = nil
	want.Enabled, want.AccessTTL, want.RefreshTTL = false, 0, time.Hour
	want.Attributes = map[string]string{"theme": "blue"}
	want.UpdatedAt = clock().Add(time.Minute)
	ok(t, apps.Update(ctx, want), "update")
	got, err := apps.Get(ctx, orig.ID)
	ok(t, err, "get")
	same(t, "updated app", want, got)
	_, err = apps.GetByClientID(ctx, "portal")
	notFound(t, err, "GetByClientID of the old client id")
	got, err = apps.GetByClientID(ctx, "portal-v2")
	ok(t, err, "GetByClientID of the new client id")
	same(t, "updated app by new client id", want, got)

	notFound(t, apps.Update(ctx, fullApp(r.ID, "ghost")), "update a missing app")
}

func testAppSoftDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	apps := s.Realm(r.ID).Apps()
	a := mkApp(t, s, r.ID, "portal")
	keep := mkApp(t, s, r.ID, "mobile")
	at := clock().Add(time.Minute)
	ok(t, apps.SoftDelete(ctx, a.ID, at), "soft delete")

	got, err := apps.Get(ctx, a.ID)
	ok(t, err, "Get of a soft-deleted app")
	want := *a
	want.DeletedAt = &at
	same(t, "soft-deleted app", &want, got)
	got, err = apps.GetByNum(ctx, a.Num)
	if err == nil && got.DeletedAt == nil {
		t.Errorf("GetByNum of a soft-deleted app: DeletedAt is nil")
	}
	_, err = apps.GetByClientID(ctx, "portal")
	notFound(t, err, "GetByClientID of a soft-deleted app")

	list, total, err := apps.List(ctx, store.AppQuery{})
	ok(t, err, "list")
	sameStrings(t, "List without IncludeDeleted", []string{keep.ID}, idsOf(list, appID))
	if total != 1 {
		t.Errorf("List total without IncludeDeleted = %d, want 1", total)
	}
	list, total, err = apps.List(ctx, store.AppQuery{IncludeDeleted: true})
	ok(t, err, "list including deleted")
	sameSet(t, "List with IncludeDeleted", []string{a.ID, keep.ID}, idsOf(list, appID))
	if total != 2 {
		t.Errorf("List total with IncludeDeleted = %d, want 2", total)
	}

	notFound(t, apps.SoftDelete(ctx, a.ID, at), "soft delete twice")
	notFound(t, apps.SoftDelete(ctx, iam.NewID(), at), "soft delete a missing app")

	again := mkApp(t, s, r.ID, "portal") // the client id is free
	got, err = apps.GetByClientID(ctx, "portal")
	ok(t, err, "GetByClientID after re-creating")
	if got.ID != again.ID {
		t.Errorf("GetByClientID = %s, want the new app %s", got.ID, again.ID)
	}
}

func appID(a *iam.App) string { return a.ID }

func testAppList(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	apps := s.Realm(r.ID).Apps()
	mk := func(clientID, name string) string {
		a := newApp(r.ID, clientID)
		a.Name = name
		ok(t, apps.Create(ctx, a), "create")
		return a.ID
	}
	portal := mk("portal", "Customer Portal")
	admin := mk("admin-console", "Back Office")
	mobile := mk("mobile", "Phone App")
	shop := mk("shop", "Web Shop")
	all := []string{portal, admin, mobile, shop}

	for _, c := range []struct {
		search string
		want   []string
	}{
		{"", all},
		{"PORT", []string{portal}},  // client id and name, any case
		{"office", []string{admin}}, // name only
		{"o", []string{portal, admin, mobile, shop}},
		{"console", []string{admin}}, // client id only
		{"app", []string{mobile}},    // name "Phone App"
		{"nothing", nil},
	} {
		list, total, err := apps.List(ctx, store.AppQuery{Search: c.search})
		ok(t, err, "List(search %q)", c.search)
		sameSet(t, "apps matching "+c.search, c.want, idsOf(list, appID))
		if total != len(c.want) {
			t.Errorf("List(search %q) total = %d, want %d", c.search, total, len(c.want))
		}
	}

	var paged []string
	for off := 0; off < 6; off += 3 {
		list, total, err := apps.List(ctx, store.AppQuery{Page: store.Page{Offset: off, Limit: 3}})
		ok(t, err, "page at %d", off)
		if total != 4 {
			t.Errorf("List page at %d: total %d, want 4", off, total)
		}
		if len(list) > 3 {
			t.Errorf("List with Limit 3 returned %d apps", len(list))
		}
		paged = append(paged, idsOf(list, appID)...)
	}
	sameSet(t, "apps read in pages of 3", all, paged)
}

func testAppNotFound(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	apps := s.Realm(r.ID).Apps()
	mkApp(t, s, r.ID, "portal")
	for _, id := range []string{iam.NewID(), "not-a-uuid", ""} {
		_, err := apps.Get(ctx, id)
		notFound(t, err, "Apps.Get(%q)", id)
		notFound(t, apps.SoftDelete(ctx, id, clock()), "Apps.SoftDelete(%q)", id)
	}
	_, err := apps.GetByNum(ctx, -5)
	notFound(t, err, "Apps.GetByNum(-5)")
	_, err = apps.GetByClientID(ctx, "PORTAL-x")
	notFound(t, err, "Apps.GetByClientID of an unknown client id")
}

func testAppListLiteral(t *testing.T, s store.Store) {
	r := mkRealm(t, s, "acme")
	want := mkApp(t, s, r.ID, "a_b").ID
	mkApp(t, s, r.ID, "axb")
	list, total, err := s.Realm(r.ID).Apps().List(t.Context(), store.AppQuery{Search: "a_b"})
	ok(t, err, "list")
	sameStrings(t, "apps matching a_b (the _ is literal)", []string{want}, idsOf(list, appID))
	if total != 1 {
		t.Errorf("List(search a_b) total = %d, want 1", total)
	}
}
