package storetest

import (
	"testing"
	"time"

	"iamd/iam"
	"iamd/store"
)

type listUsers struct {
	realm                         *iam.Realm
	alice, bob, carol, dave, erin *iam.User
}

// mkListUsers creates five users whose orders by username, e-mail,
// created_at and num all differ:
//
//	username  e-mail                  first    last    created  num
//	alice     zz.alice@example.com    Alice    Smith   +4m      2nd
//	bob       bob@example.com         Robert   Alison  +1m      4th
//	carol     mc.malice@example.org   Carol    Jones   +3m      1st
//	dave      dave@example.net        Malicia  Brown   +5m      5th (disabled)
//	erin      erin@example.com        Erin     Stone   +2m      3rd
func mkListUsers(t *testing.T, s store.Store) *listUsers {
	t.Helper()
	t0 := clock().Add(-time.Hour)
	l := &listUsers{realm: mkRealm(t, s, "acme")}
	user := func(name, email, first, last string, created time.Duration, enabled bool) *iam.User {
		return mkUser(t, s, l.realm.ID, name, func(u *iam.User) {
			u.Email, u.FirstName, u.LastName, u.Enabled = email, first, last, enabled
			u.CreatedAt, u.UpdatedAt = t0.Add(created), t0.Add(created)
		})
	}
	l.carol = user("carol", "mc.malice@example.org", "Carol", "Jones", 3*time.Minute, true)
	l.alice = user("alice", "zz.alice@example.com", "Alice", "Smith", 4*time.Minute, true)
	l.erin = user("erin", "erin@example.com", "Erin", "Stone", 2*time.Minute, true)
	l.bob = user("bob", "bob@example.com", "Robert", "Alison", 1*time.Minute, true)
	l.dave = user("dave", "dave@example.net", "Malicia", "Brown", 5*time.Minute, false)
	return l
}

func listNames(t *testing.T, s store.Store, realmID string, q store.UserQuery) ([]string, int) {
	t.Helper()
	us, total, err := s.Realm(realmID).Users().List(t.Context(), q)
	ok(t, err, "List(%+v)", q)
	return usernames(us), total
}

func testUserListSearch(t *testing.T, s store.Store) {
	l := mkListUsers(t, s)
	for _, c := range []struct {
		search string
		prefix bool
		want   []string
	}{
		{"ALIC", false, []string{"alice", "carol", "dave"}}, // username/e-mail/first; e-mail "mc.malice"; first "Malicia"
		{"alic", true, []string{"alice"}},
		{"alis", true, []string{"bob"}},    // last name prefix
		{"robert", false, []string{"bob"}}, // first name only
		{"ston", false, []string{"erin"}},  // last name only
		{"jon", true, []string{"carol"}},   // last name prefix
		{"dave@", true, []string{"dave"}},  // e-mail prefix
		{"example.net", false, []string{"dave"}},
		{"example.net", true, nil},
		{"EXAMPLE", false, []string{"alice", "bob", "carol", "dave", "erin"}},
		{"zzz", false, nil},
		{"", false, []string{"alice", "bob", "carol", "dave", "erin"}},
	} {
		got, total := listNames(t, s, l.realm.ID, store.UserQuery{Search: c.search, Prefix: c.prefix})
		sameStrings(t, "Search "+c.search+prefixNote(c.prefix), c.want, got)
		if total != len(c.want) {
			t.Errorf("Search %q%s: total %d, want %d", c.search, prefixNote(c.prefix), total, len(c.want))
		}
	}
}

func prefixNote(p bool) string {
	if p {
		return " (prefix)"
	}
	return ""
}

func testUserListFilters(t *testing.T, s store.Store) {
	l := mkListUsers(t, s)
	bob := *l.bob
	bob.Phone = newPhone()
	ok(t, s.Realm(l.realm.ID).Users().Update(t.Context(), &bob), "give bob a phone")
	for _, c := range []struct {
		name string
		q    store.UserQuery
		want []string
	}{
		{"Username exact, any case", store.UserQuery{Username: "ALICE"}, []string{"alice"}},
		{"Username is not a prefix match", store.UserQuery{Username: "ali"}, nil},
		{"Email exact, any case", store.UserQuery{Email: "BOB@Example.COM"}, []string{"bob"}},
		{"Email is not a substring match", store.UserQuery{Email: "example.com"}, nil},
		{"Phone", store.UserQuery{Phone: bob.Phone}, []string{"bob"}},
		{"Enabled false", store.UserQuery{Enabled: ptr(false)}, []string{"dave"}},
		{"Enabled true", store.UserQuery{Enabled: ptr(true)}, []string{"alice", "bob", "carol", "erin"}},
		{"Search and Enabled", store.UserQuery{Search: "alic", Enabled: ptr(true)}, []string{"alice", "carol"}},
	} {
		got, total := listNames(t, s, l.realm.ID, c.q)
		sameStrings(t, c.name, c.want, got)
		if total != len(c.want) {
			t.Errorf("%s: total %d, want %d", c.name, total, len(c.want))
		}
	}
}

func testUserListOrder(t *testing.T, s store.Store) {
	l := mkListUsers(t, s)
	for _, c := range []struct {
		order string
		desc  bool
		want  []string
	}{
		{"", false, []string{"alice", "bob", "carol", "dave", "erin"}},
		{"username", false, []string{"alice", "bob", "carol", "dave", "erin"}},
		{"username", true, []string{"erin", "dave", "carol", "bob", "alice"}},
		{"email", false, []string{"bob", "dave", "erin", "carol", "alice"}},
		{"email", true, []string{"alice", "carol", "erin", "dave", "bob"}},
		{"created_at", false, []string{"bob", "erin", "carol", "alice", "dave"}},
		{"created_at", true, []string{"dave", "alice", "carol", "erin", "bob"}},
		{"num", false, []string{"carol", "alice", "erin", "bob", "dave"}},
		{"num", true, []string{"dave", "bob", "erin", "alice", "carol"}},
	} {
		got, _ := listNames(t, s, l.realm.ID, store.UserQuery{OrderBy: c.order, Desc: c.desc})
		name := "OrderBy " + c.order
		if c.desc {
			name += " desc"
		}
		sameStrings(t, name, c.want, got)
	}
}

func testUserListPaging(t *testing.T, s store.Store) {
	ctx := t.Context()
	l := mkListUsers(t, s)
	for _, c := range []struct {
		q    store.UserQuery
		want []string
		tot  int
	}{
		{store.UserQuery{Page: store.Page{Limit: 2}}, []string{"alice", "bob"}, 5},
		{store.UserQuery{Page: store.Page{Offset: 2, Limit: 2}}, []string{"carol", "dave"}, 5},
		{store.UserQuery{Page: store.Page{Offset: 4, Limit: 2}}, []string{"erin"}, 5},
		{store.UserQuery{Page: store.Page{Offset: 10, Limit: 2}}, nil, 5},
		{store.UserQuery{Desc: true, Page: store.Page{Offset: 1, Limit: 3}}, []string{"dave", "carol", "bob"}, 5},
		{store.UserQuery{Search: "alic", Page: store.Page{Offset: 1, Limit: 1}}, []string{"carol"}, 3},
		{store.UserQuery{OrderBy: "num", Page: store.Page{Offset: 3}}, []string{"bob", "dave"}, 5},
	} {
		got, total := listNames(t, s, l.realm.ID, c.q)
		sameStrings(t, "page", c.want, got)
		if total != c.tot {
			t.Errorf("List(%+v) total = %d, want %d (independent of the page)", c.q, total, c.tot)
		}
	}

	ok(t, s.Realm(l.realm.ID).Users().SoftDelete(ctx, l.erin.ID, "left", clock()), "soft delete erin")
	got, total := listNames(t, s, l.realm.ID, store.UserQuery{Page: store.Page{Offset: 2, Limit: 2}})
	sameStrings(t, "page 2 without the deleted user", []string{"carol", "dave"}, got)
	if total != 4 {
		t.Errorf("total without deleted = %d, want 4", total)
	}
	got, total = listNames(t, s, l.realm.ID, store.UserQuery{IncludeDeleted: true, Page: store.Page{Offset: 4, Limit: 2}})
	sameStrings(t, "last page including the deleted user", []string{"erin"}, got)
	if total != 5 {
		t.Errorf("total including deleted = %d, want 5", total)
	}
	got, total = listNames(t, s, l.realm.ID, store.UserQuery{Search: "erin", IncludeDeleted: true})
	sameStrings(t, "search including deleted", []string{"erin"}, got)
	if total != 1 {
		t.Errorf("search total including deleted = %d, want 1", total)
	}
}

// testUserListLiteral: LIKE wildcards in a search are plain characters.
func testUserListLiteral(t *testing.T, s store.Store) {
	r := mkRealm(t, s, "acme")
	for _, n := range []string{"a_b", "axb", "a%b", "ayyb", `a\b`} {
		mkUser(t, s, r.ID, n, func(u *iam.User) { u.Email = "" })
	}
	for _, c := range []struct {
		search string
		prefix bool
		want   []string
	}{
		{"a_b", false, []string{"a_b"}},
		{"a%b", false, []string{"a%b"}},
		{"_", false, []string{"a_b"}},
		{"%", true, nil},
		{"a%", true, []string{"a%b"}},
		{`\`, false, []string{`a\b`}},
	} {
		got, _ := listNames(t, s, r.ID, store.UserQuery{Search: c.search, Prefix: c.prefix})
		sameSet(t, "Search "+c.search+prefixNote(c.prefix), c.want, got)
	}
}
