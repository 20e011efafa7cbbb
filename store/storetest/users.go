package storetest

import (
	"fmt"
	"testing"
	"time"

	"iamd/iam"
	"iamd/store"
)

var userCases = []testCase{
	{"RoundTrip", testUserRoundTrip},
	{"NumAssigned", testUserNum},
	{"UsernameUniqueCaseInsensitive", testUserUsernameUnique},
	{"EmailUniqueCaseInsensitive", testUserEmailUnique},
	{"PhoneUnique", testUserPhoneUnique},
	{"EmptyEmailAndPhoneRepeat", testUserEmptyIdentifiers},
	{"NonASCIICaseFolding", testUserUnicodeFold},
	{"Find", testUserFind},
	{"FindPreference", testUserFindPreference},
	{"Update", testUserUpdate},
	{"UpdateTakenIdentifier", testUserUpdateConflict},
	{"SetLockout", testUserSetLockout},
	{"AddFailure", testUserAddFailure},
	{"SoftDelete", testUserSoftDelete},
	{"SoftDeleteFreesIdentifiers", testUserSoftDeleteFrees},
	{"Delete", testUserDelete},
	{"MalformedIDs", testUserMalformedIDs},
	{"ListSearch", testUserListSearch},
	{"ListFilters", testUserListFilters},
	{"ListOrder", testUserListOrder},
	{"ListPaging", testUserListPaging},
	{"ListSearchIsLiteral", testUserListLiteral},
}

func fullUser(realmID, username string) *iam.User {
	now := clock()
	lastFail, lockedUntil := now.Add(-time.Minute), now.Add(time.Hour)
	return &iam.User{
		ID: iam.NewID(), RealmID: realmID, Username: username, Email: username + "@example.com",
		Phone: newPhone(), FirstName: "Alice", LastName: "Liddell",
		Enabled: true, EmailVerified: true, PhoneVerified: false,
		Attributes:      map[string][]string{"department": {"sales", "support"}, "level": {"3"}},
		RequiredActions: []string{iam.ActionVerifyEmail, iam.ActionUpdatePassword},
		Profile: iam.Profile{
			Department: "Sales", Designation: "Lead", Gender: "female",
			PictureURL: "https://example.com/a.png", Locale: "de-DE", Source: "signup",
		},
		Addresses: []iam.Address{
			{
				ID: iam.NewID(), ContactName: "Alice L.", Address1: "Main St 1", Address2: "Floor 2",
				City: "Berlin", State: "BE", Country: "DE", PostalCode: "10115",
				PlaceOfSupply: "BE", DestinationOfSupply: "BY", Preferred: true,
			},
			{ID: iam.NewID(), City: "München", Country: "DE"},
		},
		Lockout: iam.Lockout{
			PasswordFailures: 2, OTPFailures: 1, LockedUntil: &lockedUntil,
			LastFailureAt: &lastFail, LastFailureIP: "203.0.113.9",
		},
		CreatedAt: now.Add(-time.Hour), UpdatedAt: now,
	}
}

func testUserRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	users := s.Realm(r.ID).Users()
	u := fullUser(r.ID, "alice")
	ok(t, users.Create(ctx, u), "create user")

	got, err := users.Get(ctx, u.ID)
	ok(t, err, "Get")
	same(t, "Users.Get", u, got)
	got, err = users.GetByNum(ctx, u.Num)
	ok(t, err, "GetByNum")
	same(t, "Users.GetByNum", u, got)
	got, err = users.Find(ctx, "alice")
	ok(t, err, "Find")
	same(t, "Users.Find", u, got)
	list, total, err := users.List(ctx, store.UserQuery{})
	ok(t, err, "List")
	if total != 1 || len(list) != 1 {
		t.Fatalf("List = %d users (total %d), want 1", len(list), total)
	}
	same(t, "Users.List", u, list[0])

	bare := &iam.User{ID: iam.NewID(), RealmID: r.ID, Username: "bare", CreatedAt: clock(), UpdatedAt: clock()}
	ok(t, users.Create(ctx, bare), "create a user with only a username")
	got, err = users.Get(ctx, bare.ID)
	ok(t, err, "get bare user")
	same(t, "user with only a username", bare, got)
}

func testUserNum(t *testing.T, s store.Store) {
	ctx := t.Context()
	r1, r2 := mkRealm(t, s, "one"), mkRealm(t, s, "two")
	seen := map[int64]string{}
	for i, rid := range []string{r1.ID, r2.ID, r1.ID, r2.ID} {
		u := mkUser(t, s, rid, []string{"a", "a", "b", "b"}[i])
		if u.Num <= 0 {
			t.Errorf("Create assigned Num %d, want a positive number", u.Num)
		}
		if other, dup := seen[u.Num]; dup {
			t.Errorf("users %s and %s got the same Num %d", other, u.ID, u.Num)
		}
		seen[u.Num] = u.ID
		got, err := s.Realm(rid).Users().GetByNum(t.Context(), u.Num)
		ok(t, err, "GetByNum(%d)", u.Num)
		if got.ID != u.ID {
			t.Errorf("GetByNum(%d) = %s, want %s", u.Num, got.ID, u.ID)
		}
	}
	_, err := s.Realm(r1.ID).Users().GetByNum(ctx, 1<<40)
	notFound(t, err, "GetByNum of an unused number")
}

func testUserUsernameUnique(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	users := s.Realm(r.ID).Users()
	mkUser(t, s, r.ID, "alice")
	for _, name := range []string{"alice", "Alice", "ALICE"} {
		u := newUser(r.ID, name)
		u.Email = "" // only the username collides
		conflict(t, users.Create(ctx, u), "create user %q when %q exists", name, "alice")
		_, err := users.Get(ctx, u.ID)
		notFound(t, err, "user %q whose create conflicted", name)
	}
	_, total, err := users.List(ctx, store.UserQuery{IncludeDeleted: true})
	ok(t, err, "list")
	if total != 1 {
		t.Errorf("after conflicting creates the realm has %d users, want 1", total)
	}
	mkUser(t, s, r.ID, "alice2")
}

func testUserEmailUnique(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	mkUser(t, s, r.ID, "alice", func(u *iam.User) { u.Email = "alice@example.com" })
	for _, email := range []string{"alice@example.com", "Alice@Example.COM"} {
		u := newUser(r.ID, "other")
		u.Email = email
		conflict(t, s.Realm(r.ID).Users().Create(ctx, u), "create user with e-mail %q when %q exists", email, "alice@example.com")
	}
}

func testUserPhoneUnique(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	phone := newPhone()
	mkUser(t, s, r.ID, "alice", func(u *iam.User) { u.Phone = phone })
	u := newUser(r.ID, "other")
	u.Phone = phone
	conflict(t, s.Realm(r.ID).Users().Create(ctx, u), "create user with a taken phone")
}

func testUserEmptyIdentifiers(t *testing.T, s store.Store) {
	r := mkRealm(t, s, "acme")
	for _, name := range []string{"one", "two", "three"} {
		mkUser(t, s, r.ID, name, func(u *iam.User) { u.Email, u.Phone = "", "" })
	}
}

// testUserUnicodeFold: case-insensitive means iam.FoldKey (Unicode lower
// case), the same on every backend, not only A-Z.
func testUserUnicodeFold(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	users := s.Realm(r.ID).Users()
	u := mkUser(t, s, r.ID, "Ärger", func(u *iam.User) { u.Email, u.LastName = "Jörg@Bücher.example", "Öztürk" })
	dup := newUser(r.ID, "äRGER")
	dup.Email = ""
	conflict(t, users.Create(ctx, dup), "create %q when %q exists", "äRGER", "Ärger")
	dup = newUser(r.ID, "other")
	dup.Email = "JÖRG@BÜCHER.EXAMPLE"
	conflict(t, users.Create(ctx, dup), "create a user with e-mail %q when %q exists", dup.Email, u.Email)
	for _, login := range []string{"ärger", "ÄRGER", "jörg@bücher.example"} {
		got, err := users.Find(ctx, login)
		if err != nil || got.ID != u.ID {
			t.Errorf("Find(%q) = %v, %v; want %q", login, idOr(got, func(u *iam.User) string { return u.ID }), err, u.Username)
		}
	}
	for _, q := range []store.UserQuery{{Search: "ÄRG"}, {Search: "ÖZT", Prefix: true}, {Search: "BÜCHER"}, {Username: "äRGER"}, {Email: "JÖRG@bücher.EXAMPLE"}} {
		list, _, err := users.List(ctx, q)
		ok(t, err, "list")
		sameStrings(t, fmt.Sprintf("List(%+v)", q), []string{u.ID}, userIDs(list))
	}
}

func testUserFind(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	users := s.Realm(r.ID).Users()
	phone := newPhone()
	u := mkUser(t, s, r.ID, "Alice", func(u *iam.User) { u.Email, u.Phone = "Alice@Example.com", phone })
	mkUser(t, s, r.ID, "bob")
	for _, login := range []string{"Alice", "alice", "ALICE", "alice@example.com", "ALICE@EXAMPLE.COM", phone} {
		got, err := users.Find(ctx, login)
		if err != nil {
			t.Errorf("Find(%q): %v", login, err)
		} else if got.ID != u.ID {
			t.Errorf("Find(%q) = %s (%s), want alice", login, got.ID, got.Username)
		}
	}
	for _, login := range []string{"ali", "alice@example", "nobody", ""} {
		_, err := users.Find(ctx, login)
		notFound(t, err, "Find(%q)", login)
	}
}

func testUserFindPreference(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	users := s.Realm(r.ID).Users()
	phone := newPhone()
	// byName's username is another user's e-mail; byMail's username is a
	// third user's phone. Find prefers username over e-mail over phone.
	byPhone := mkUser(t, s, r.ID, "carol", func(u *iam.User) { u.Email, u.Phone = "", phone })
	byMail := mkUser(t, s, r.ID, phone, func(u *iam.User) { u.Email = "shared@example.com" })
	byName := mkUser(t, s, r.ID, "Shared@Example.com", func(u *iam.User) { u.Email = "" })
	for login, want := range map[string]*iam.User{
		"shared@example.com": byName,
		phone:                byMail,
		"carol":              byPhone,
	} {
		got, err := users.Find(ctx, login)
		if err != nil {
			t.Errorf("Find(%q): %v", login, err)
		} else if got.ID != want.ID {
			t.Errorf("Find(%q) = %q, want %q", login, got.Username, want.Username)
		}
	}
	ok(t, users.SoftDelete(ctx, byName.ID, "test", clock()), "soft delete")
	got, err := users.Find(ctx, "shared@example.com")
	ok(t, err, "Find after the username holder is deleted")
	if got.ID != byMail.ID {
		t.Errorf("Find(e-mail) after the username holder is deleted = %q, want %q", got.Username, byMail.Username)
	}
}

func testUserUpdate(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	users := s.Realm(r.ID).Users()
	orig := fullUser(r.ID, "alice")
	ok(t, users.Create(ctx, orig), "create")

	want := fullUser(r.ID, "Alice.Renamed")
	want.ID, want.Num, want.CreatedAt, want.Lockout = orig.ID, orig.Num, orig.CreatedAt, orig.Lockout
	want.FirstName, want.LastName, want.Enabled, want.EmailVerified, want.PhoneVerified = "Alicia", "Keys", false, false, true
	want.Attributes = map[string][]string{"team": {"blue"}}
	want.RequiredActions = []string{iam.ActionConfigureTOTP}
	want.Profile = iam.Profile{Department: "Ops", Locale: "en"}
	want.Addresses = []iam.Address{{ID: iam.NewID(), City: "Hamburg"}}
	want.UpdatedAt = clock().Add(time.Minute)

	in := *want
	in.Num = orig.Num + 1000                       // not written
	in.CreatedAt = orig.CreatedAt.Add(-time.Hour)  // not written
	in.Lockout = iam.Lockout{PasswordFailures: 99} // not written
	ok(t, users.Update(ctx, &in), "update")
	got, err := users.Get(ctx, orig.ID)
	ok(t, err, "get")
	same(t, "updated user (Num, CreatedAt, Lockout kept)", want, got)

	// Clearing collections and identifiers clears them.
	cleared := *want
	cleared.Email, cleared.Phone, cleared.FirstName = "", "", ""
	cleared.Attributes, cleared.RequiredActions, cleared.Addresses, cleared.Profile = nil, nil, nil, iam.Profile{}
	ok(t, users.Update(ctx, &cleared), "clear fields")
	got, err = users.Get(ctx, orig.ID)
	ok(t, err, "get")
	same(t, "user with cleared fields", &cleared, got)
	_, err = users.Find(ctx, want.Email)
	notFound(t, err, "Find by the e-mail the update removed")

	// Changing the case of its own username is not a conflict.
	cleared.Username = "ALICE.RENAMED"
	ok(t, users.Update(ctx, &cleared), "change the case of the user's own username")

	ghost := fullUser(r.ID, "ghost")
	notFound(t, users.Update(ctx, ghost), "update a user that does not exist")
	_, err = users.Find(ctx, "ghost")
	notFound(t, err, "Find the user whose update failed")
}

func testUserUpdateConflict(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	users := s.Realm(r.ID).Users()
	alice := mkUser(t, s, r.ID, "alice", func(u *iam.User) { u.Phone = newPhone() })
	bob := mkUser(t, s, r.ID, "bob", func(u *iam.User) { u.Phone = newPhone() })
	for name, edit := range map[string]func(u *iam.User){
		"username": func(u *iam.User) { u.Username = "ALICE" },
		"email":    func(u *iam.User) { u.Email = "Alice@Example.com" },
		"phone":    func(u *iam.User) { u.Phone = alice.Phone },
	} {
		in := *bob
		edit(&in)
		conflict(t, users.Update(ctx, &in), "update bob to alice's %s", name)
		got, err := users.Get(ctx, bob.ID)
		ok(t, err, "get bob")
		same(t, "bob after a conflicting update of "+name, bob, got)
	}
}

func testUserSetLockout(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	users := s.Realm(r.ID).Users()
	u := mkUser(t, s, r.ID, "alice")
	until, last := clock().Add(15*time.Minute), clock()
	l := iam.Lockout{PasswordFailures: 10, OTPFailures: 4, LockedUntil: &until, Permanent: true, LastFailureAt: &last, LastFailureIP: "2001:db8::1"}
	ok(t, users.SetLockout(ctx, u.ID, l), "set lockout")
	got, err := users.Get(ctx, u.ID)
	ok(t, err, "get")
	same(t, "lockout", l, got.Lockout)
	want := *u
	want.Lockout = l
	same(t, "user after SetLockout (only Lockout changes)", &want, got)

	ok(t, users.SetLockout(ctx, u.ID, iam.Lockout{}), "clear lockout")
	got, err = users.Get(ctx, u.ID)
	ok(t, err, "get")
	same(t, "cleared lockout", iam.Lockout{}, got.Lockout)

	notFound(t, users.SetLockout(ctx, iam.NewID(), l), "SetLockout of a missing user")
}

func testUserAddFailure(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	users := s.Realm(r.ID).Users()
	u := mkUser(t, s, r.ID, "alice")
	until := clock().Add(time.Hour)
	ok(t, users.SetLockout(ctx, u.ID, iam.Lockout{PasswordFailures: 3, LockedUntil: &until, Permanent: true}), "set lockout")

	at1 := clock()
	l, err := users.AddFailure(ctx, u.ID, false, at1, "198.51.100.1")
	ok(t, err, "password failure")
	want := iam.Lockout{PasswordFailures: 4, LockedUntil: &until, Permanent: true, LastFailureAt: &at1, LastFailureIP: "198.51.100.1"}
	same(t, "lockout after a password failure", want, l)

	at2 := at1.Add(time.Second)
	l, err = users.AddFailure(ctx, u.ID, true, at2, "198.51.100.2")
	ok(t, err, "otp failure")
	want.OTPFailures, want.LastFailureAt, want.LastFailureIP = 1, &at2, "198.51.100.2"
	same(t, "lockout after an OTP failure", want, l)

	got, err := users.Get(ctx, u.ID)
	ok(t, err, "get")
	same(t, "stored lockout", want, got.Lockout)

	_, err = users.AddFailure(ctx, iam.NewID(), false, at2, "198.51.100.3")
	notFound(t, err, "AddFailure of a missing user")
}

func testUserSoftDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	users := s.Realm(r.ID).Users()
	u := mkUser(t, s, r.ID, "alice", func(u *iam.User) { u.Phone = newPhone() })
	other := mkUser(t, s, r.ID, "bob")
	at := clock().Add(time.Minute)
	ok(t, users.SoftDelete(ctx, u.ID, "gdpr request", at), "soft delete")

	got, err := users.Get(ctx, u.ID)
	ok(t, err, "Get of a soft-deleted user")
	if got.DeletedAt == nil || !got.DeletedAt.Equal(at) || got.DeleteReason != "gdpr request" {
		t.Errorf("soft-deleted user: DeletedAt %v, DeleteReason %q; want %v, %q", got.DeletedAt, got.DeleteReason, at, "gdpr request")
	}
	got, err = users.GetByNum(ctx, u.Num)
	ok(t, err, "GetByNum of a soft-deleted user")
	if got.DeletedAt == nil {
		t.Errorf("GetByNum of a soft-deleted user: DeletedAt is nil")
	}
	for _, login := range []string{u.Username, u.Email, u.Phone} {
		_, err := users.Find(ctx, login)
		notFound(t, err, "Find(%q) of a soft-deleted user", login)
	}
	list, total, err := users.List(ctx, store.UserQuery{})
	ok(t, err, "list")
	sameStrings(t, "List without IncludeDeleted", []string{other.ID}, userIDs(list))
	if total != 1 {
		t.Errorf("List total without IncludeDeleted = %d, want 1", total)
	}
	list, total, err = users.List(ctx, store.UserQuery{Username: "alice"})
	ok(t, err, "list by username")
	if len(list) != 0 || total != 0 {
		t.Errorf("List(Username) shows a soft-deleted user")
	}
	list, total, err = users.List(ctx, store.UserQuery{IncludeDeleted: true})
	ok(t, err, "list including deleted")
	sameSet(t, "List with IncludeDeleted", []string{u.ID, other.ID}, userIDs(list))
	if total != 2 {
		t.Errorf("List total with IncludeDeleted = %d, want 2", total)
	}

	notFound(t, users.SoftDelete(ctx, u.ID, "again", at), "soft delete twice")
	notFound(t, users.SoftDelete(ctx, iam.NewID(), "x", at), "soft delete a missing user")
}

func testUserSoftDeleteFrees(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	users := s.Realm(r.ID).Users()
	old := mkUser(t, s, r.ID, "alice", func(u *iam.User) { u.Phone = newPhone() })
	ok(t, users.SoftDelete(ctx, old.ID, "left", clock()), "soft delete")
	again := mkUser(t, s, r.ID, "Alice", func(u *iam.User) { u.Email, u.Phone = "ALICE@example.com", old.Phone })
	for _, login := range []string{"alice", "alice@example.com", old.Phone} {
		got, err := users.Find(ctx, login)
		if err != nil || got.ID != again.ID {
			t.Errorf("Find(%q) after re-creating a soft-deleted user = %v, %v; want the new user", login, idOr(got, func(u *iam.User) string { return u.ID }), err)
		}
	}
	list, _, err := users.List(ctx, store.UserQuery{Username: "alice", IncludeDeleted: true})
	ok(t, err, "list")
	sameSet(t, "both alices with IncludeDeleted", []string{old.ID, again.ID}, userIDs(list))

	// An update may also take an identifier a soft-deleted user freed.
	bob := mkUser(t, s, r.ID, "bob")
	ok(t, users.SoftDelete(ctx, again.ID, "left", clock()), "soft delete again")
	in := *bob
	in.Username, in.Email = "alice", "alice@example.com"
	ok(t, users.Update(ctx, &in), "rename bob to a freed username")
}

func testUserDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	w := buildWorld(t, s, "a")
	sc := s.Realm(w.realm.ID)
	// bob shares everything alice has, so we see only alice's links go.
	ok(t, sc.Roles().Grant(ctx, w.user2.ID, w.realmRole.ID), "grant bob")
	ok(t, sc.Groups().AddMember(ctx, w.group.ID, w.user2.ID), "bob joins group")
	mkMember(t, s, w.realm.ID, w.org.ID, w.user2.ID, clock())

	ok(t, sc.Users().Delete(ctx, w.user.ID), "delete alice")
	_, err := sc.Users().Get(ctx, w.user.ID)
	notFound(t, err, "Get of a deleted user")
	_, err = sc.Users().GetByNum(ctx, w.user.Num)
	notFound(t, err, "GetByNum of a deleted user")
	_, err = sc.Credentials().Get(ctx, w.cred.ID)
	notFound(t, err, "credential of a deleted user")
	_, err = sc.Sessions().Get(ctx, w.session.ID)
	notFound(t, err, "session of a deleted user")
	_, err = sc.RefreshTokens().Get(ctx, w.token.ID)
	notFound(t, err, "refresh token of a deleted user")
	_, err = sc.Codes().Get(ctx, w.code.ID)
	notFound(t, err, "code of a deleted user")
	_, err = sc.Organizations().GetMember(ctx, w.org.ID, w.user.ID)
	notFound(t, err, "membership of a deleted user")

	all := store.Page{Limit: 1000}
	ms, total, err := sc.Organizations().Members(ctx, w.org.ID, all)
	ok(t, err, "members")
	sameStrings(t, "organization members", []string{w.user2.ID}, idsOf(ms, func(m *iam.Membership) string { return m.UserID }))
	if total != 1 {
		t.Errorf("organization member total = %d, want 1", total)
	}
	us, err := sc.Roles().Users(ctx, w.realmRole.ID, all)
	ok(t, err, "role users")
	sameStrings(t, "role holders", []string{w.user2.ID}, userIDs(us))
	us, err = sc.Groups().Members(ctx, w.group.ID, all)
	ok(t, err, "group members")
	sameStrings(t, "group members", []string{w.user2.ID}, userIDs(us))

	for what, err := range map[string]error{
		"bob":   drop(sc.Users().Get(ctx, w.user2.ID)),
		"role":  drop(sc.Roles().Get(ctx, w.realmRole.ID)),
		"group": drop(sc.Groups().Get(ctx, w.group.ID)),
		"org":   drop(sc.Organizations().Get(ctx, w.org.ID)),
		"app":   drop(sc.Apps().Get(ctx, w.app.ID)),
	} {
		ok(t, err, "%s after deleting alice", what)
	}
	mkUser(t, s, w.realm.ID, w.user.Username) // the username is free
	notFound(t, sc.Users().Delete(ctx, w.user.ID), "delete a deleted user")
}

func testUserMalformedIDs(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := mkRealm(t, s, "acme")
	users := s.Realm(r.ID).Users()
	mkUser(t, s, r.ID, "alice")
	for _, id := range []string{"not-a-uuid", "", "00000000-0000-0000-0000-00000000000g", "' OR 1=1 --"} {
		_, err := users.Get(ctx, id)
		notFound(t, err, "Users.Get(%q)", id)
		u := newUser(r.ID, "ghost")
		u.ID = id
		notFound(t, users.Update(ctx, u), "Users.Update(id %q)", id)
		notFound(t, users.SetLockout(ctx, id, iam.Lockout{}), "Users.SetLockout(%q)", id)
		_, err = users.AddFailure(ctx, id, true, clock(), "")
		notFound(t, err, "Users.AddFailure(%q)", id)
		notFound(t, users.SoftDelete(ctx, id, "", clock()), "Users.SoftDelete(%q)", id)
		notFound(t, users.Delete(ctx, id), "Users.Delete(%q)", id)
	}
	for _, num := range []int64{0, -1} {
		_, err := users.GetByNum(ctx, num)
		notFound(t, err, "Users.GetByNum(%d)", num)
	}
}
