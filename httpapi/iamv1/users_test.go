package iamv1_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"iamd/directory"
	"iamd/iam"
)

// Messages of the user records group, verbatim.
const (
	usersMsgNotExist = "User does not exist."
	usersMsgForbid   = "Forbidden"
)

// usersWorld is the cast of the user records tests in realm acme: ann
// administers organization A (she signed up with it), bob and dan are
// plain members of A, cid administers B, which dan also belongs to; root
// is a realm administrator in no organization; olga is a realm
// administrator of another realm, sam a server administrator (realm
// master). Each has an access token.
type usersWorld struct {
	f                        *fixture
	a, b                     int64 // the organizations' numeric ids
	ann, bob, cid, dan, root *iam.User
	tok                      map[string]string // by first name, "olga" included
}

const usersPassword = "Correct-Horse-9"

func usersSetup(t *testing.T, f *fixture) *usersWorld {
	t.Helper()
	ctx := context.Background()
	w := &usersWorld{f: f, tok: map[string]string{}}
	w.a = f.signUpWeb("ann@example.com", usersPassword, "A").num("tenantId")
	w.b = f.signUpWeb("cid@example.com", usersPassword, "B").num("tenantId")
	f.signUpWeb("bob@example.com", usersPassword, "")
	f.signUpWeb("dan@example.com", usersPassword, "")
	find := func(login string) *iam.User {
		u, err := f.Dir.FindUser(ctx, f.Realm, login)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	w.ann, w.bob, w.cid, w.dan = find("ann@example.com"), find("bob@example.com"), find("cid@example.com"), find("dan@example.com")
	for _, m := range []struct {
		org  int64
		user *iam.User
	}{{w.a, w.bob}, {w.a, w.dan}, {w.b, w.dan}} {
		if _, _, err := f.Dir.AddMember(ctx, f.Realm, strconv.FormatInt(m.org, 10), m.user.ID, []iam.OrgRole{{App: "iam-web", Role: "user"}}, ""); err != nil {
			t.Fatal(err)
		}
	}
	for name, login := range map[string]string{"ann": "ann@example.com", "bob": "bob@example.com", "cid": "cid@example.com", "dan": "dan@example.com"} {
		w.tok[name] = f.signIn(login, usersPassword).str("accessToken")
	}
	var err error
	if w.root, err = f.Dir.CreateUser(ctx, f.Realm, directory.NewUser{Username: "root", RealmRoles: []string{iam.RoleAdmin}}, ""); err != nil {
		t.Fatal(err)
	}
	app, err := f.Dir.EnsureApp(ctx, f.Realm, directory.NewApp{ClientID: "iam-web", Public: true, GrantTypes: []string{iam.GrantRefreshToken}})
	if err != nil {
		t.Fatal(err)
	}
	w.tok["root"] = f.otherRealmToken(f.Realm, app, w.root)
	other, err := f.Dir.EnsureRealm(ctx, "other", "")
	if err != nil {
		t.Fatal(err)
	}
	olga, err := f.Dir.CreateUser(ctx, other, directory.NewUser{Username: "olga", Email: "olga@example.com", Phone: "+6598765432", RealmRoles: []string{iam.RoleAdmin}}, "")
	if err != nil {
		t.Fatal(err)
	}
	otherApp, err := f.Dir.EnsureApp(ctx, other, directory.NewApp{ClientID: "iam-web", Public: true, GrantTypes: []string{iam.GrantRefreshToken}})
	if err != nil {
		t.Fatal(err)
	}
	w.tok["olga"] = f.otherRealmToken(other, otherApp, olga)
	// sam is a server administrator: an admin of realm master.
	master, err := f.Dir.EnsureRealm(ctx, directory.MasterRealm, "")
	if err != nil {
		t.Fatal(err)
	}
	sam, err := f.Dir.CreateUser(ctx, master, directory.NewUser{Username: "sam", RealmRoles: []string{iam.RoleAdmin}}, "")
	if err != nil {
		t.Fatal(err)
	}
	masterApp, err := f.Dir.EnsureApp(ctx, master, directory.NewApp{ClientID: "iam-web", Public: true, GrantTypes: []string{iam.GrantRefreshToken}})
	if err != nil {
		t.Fatal(err)
	}
	w.tok["sam"] = f.otherRealmToken(master, masterApp, sam)
	return w
}

// as sends method path with body as who ("" for no token).
func (w *usersWorld) as(who, method, path string, body any) resp {
	w.f.t.Helper()
	if who == "" {
		return w.f.call(method, path, body)
	}
	return w.f.call(method, path, body, "x-access-token", w.tok[who])
}

func usersPath(u *iam.User) string { return "/v1/iam/users/" + strconv.FormatInt(u.Num, 10) }

func TestGetUser(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		w := usersSetup(t, f)
		if _, err := f.Dir.UpdateUser(context.Background(), f.Realm, w.dan.ID, directory.UserUpdate{Addresses: []iam.Address{
			{ID: iam.NewID(), Address1: "218, Robinson Road", City: "Singapore", PostalCode: "068895", Preferred: true},
		}}, ""); err != nil {
			t.Fatal(err)
		}

		r := f.want(w.as("ann", http.MethodGet, usersPath(w.ann), nil), http.StatusOK)
		if r.num("id") != w.ann.Num || r.str("authUserId") != w.ann.ID || r.str("userName") != "ann@example.com" ||
			r.num("tenantId") != w.a || r.flag("isMFAEnabled") || r.str("status") != "active" {
			t.Fatalf("own record: %s", r.raw)
		}
		if xs := usersXrefs(r); len(xs) != 1 || xs[0] != "iam-web/admin@"+strconv.FormatInt(w.a, 10) {
			t.Fatalf("own roles: %v", xs)
		}

		// An organization's admin reads a member, with the roles of her
		// organization only; the address list comes along.
		r = f.want(w.as("ann", http.MethodGet, usersPath(w.dan), nil), http.StatusOK)
		if xs := usersXrefs(r); len(xs) != 1 || xs[0] != "iam-web/user@"+strconv.FormatInt(w.a, 10) || r.num("tenantId") != w.a {
			t.Fatalf("dan seen by ann: %v %s", xs, r.raw)
		}
		addr, _ := r.body["address"].([]any)
		if len(addr) != 1 || addr[0].(map[string]any)["address1"] != "218, Robinson Road" || addr[0].(map[string]any)["preferred"] != true {
			t.Fatalf("address: %s", r.raw)
		}
		// dan himself sees both of his organizations.
		if xs := usersXrefs(f.want(w.as("dan", http.MethodGet, usersPath(w.dan), nil), http.StatusOK)); len(xs) != 2 {
			t.Fatalf("dan's own roles: %v", xs)
		}
		// A realm administrator, or a server administrator, reads anyone,
		// with all their roles.
		f.want(w.as("root", http.MethodGet, usersPath(w.bob), nil), http.StatusOK)
		if xs := usersXrefs(f.want(w.as("sam", http.MethodGet, usersPath(w.dan), nil), http.StatusOK)); len(xs) != 2 {
			t.Fatalf("dan seen by a server admin: %v", xs)
		}

		// Others: 403 in the realm, 401 from another realm or without a token.
		f.wantError(w.as("bob", http.MethodGet, usersPath(w.ann), nil), http.StatusForbidden, usersMsgForbid, "")
		f.wantError(w.as("cid", http.MethodGet, usersPath(w.bob), nil), http.StatusForbidden, usersMsgForbid, "")
		f.wantError(w.as("olga", http.MethodGet, usersPath(w.bob), nil), http.StatusUnauthorized, "Unauthorized", "")
		f.wantError(w.as("", http.MethodGet, usersPath(w.bob), nil), http.StatusUnauthorized, "Unauthorized", "")
		f.wantError(w.as("ann", http.MethodGet, "/v1/iam/users/987654321", nil), http.StatusNotFound, usersMsgNotExist, "")
		f.wantError(w.as("ann", http.MethodGet, "/v1/iam/users/ann", nil), http.StatusBadRequest, "", "id")
	})
}

// usersXrefs are the appUserRoleXrefs of r as app/role@tenant.
func usersXrefs(r resp) []string {
	var out []string
	list, _ := r.body["appUserRoleXrefs"].([]any)
	for _, x := range list {
		m := x.(map[string]any)
		out = append(out, m["appName"].(string)+"/"+m["roleGroup"].(string)+"@"+strconv.FormatInt(int64(m["tenantId"].(float64)), 10))
	}
	return out
}

func TestPutUser(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		w := usersSetup(t, f)
		r := f.want(w.as("bob", http.MethodPut, usersPath(w.bob), map[string]any{
			"id": w.bob.Num, "firstName": "Robert", "department": "Ops", "contact": "+65 9123 4567", "genderLookUpCode": "Mr.",
			"profileUrl": "https://example.com/bob.png", "appName": "ERP", "roleGroup": "admin", "tenantId": 1, "userName": "ignored",
		}), http.StatusOK)
		if r.str("firstName") != "Robert" || r.str("lastName") != "User" || r.str("department") != "Ops" || r.str("contact") != "+6591234567" ||
			r.str("userName") != "bob@example.com" || r.num("tenantId") != w.a || r.str("roleGroup") != "user" || r.str("profileUrl") != "https://example.com/bob.png" {
			t.Fatalf("own update: %s", r.raw)
		}
		// The admin of bob's organization changes his name, not his
		// sign-in identifiers.
		r = f.want(w.as("ann", http.MethodPut, usersPath(w.bob), map[string]any{"lastName": "Builder"}), http.StatusOK)
		if r.str("lastName") != "Builder" || r.str("firstName") != "Robert" {
			t.Fatalf("admin update: %s", r.raw)
		}
		f.wantError(w.as("ann", http.MethodPut, usersPath(w.bob), map[string]any{"email": "ann2@example.com"}), http.StatusForbidden, usersMsgForbid, "")
		f.wantError(w.as("cid", http.MethodPut, usersPath(w.bob), map[string]any{"firstName": "X"}), http.StatusForbidden, usersMsgForbid, "")
		f.wantError(w.as("olga", http.MethodPut, usersPath(w.bob), map[string]any{"firstName": "X"}), http.StatusUnauthorized, "Unauthorized", "")
		f.wantError(w.as("", http.MethodPut, usersPath(w.bob), map[string]any{"firstName": "X"}), http.StatusUnauthorized, "Unauthorized", "")
		f.wantError(w.as("ann", http.MethodPut, "/v1/iam/users/987654321", map[string]any{"firstName": "X"}), http.StatusBadRequest, usersMsgNotExist, "")
		f.wantError(w.as("bob", http.MethodPut, usersPath(w.bob), map[string]any{"email": "ann@example.com"}), http.StatusBadRequest, msgUserExists, "")
		f.wantError(w.as("bob", http.MethodPut, usersPath(w.bob), map[string]any{"id": w.ann.Num}), http.StatusBadRequest, "", "id")
		f.wantError(w.as("bob", http.MethodPut, usersPath(w.bob), map[string]any{"email": "bob@"}), http.StatusBadRequest, "", "email")
		f.wantError(w.as("bob", http.MethodPut, usersPath(w.bob), map[string]any{"contact": "call me"}), http.StatusBadRequest, "", "contact")
		f.wantError(w.as("bob", http.MethodPut, usersPath(w.bob), map[string]any{"firstName": 5}), http.StatusBadRequest, "", "firstName")
		f.wantError(w.as("bob", http.MethodPut, usersPath(w.bob), map[string]any{"profileUrl": "javascript:alert(1)"}), http.StatusBadRequest, "", "profileUrl")
		got, err := f.Dir.GetUser(context.Background(), f.Realm, w.bob.ID)
		if err != nil || got.FirstName != "Robert" || got.LastName != "Builder" || got.Email != "bob@example.com" {
			t.Fatalf("refused updates changed bob: %+v %v", got, err)
		}
		// Changing one's e-mail makes it unverified.
		r = f.want(w.as("bob", http.MethodPut, usersPath(w.bob), map[string]any{"email": "robert@example.com"}), http.StatusOK)
		if r.str("email") != "robert@example.com" || r.flag("emailVerified") {
			t.Fatalf("new e-mail: %s", r.raw)
		}
	})
}

func TestPatchUser(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		w := usersSetup(t, f)
		r := f.want(w.as("bob", http.MethodPatch, usersPath(w.bob), map[string]any{
			"designation": "Clerk", "isBookkeeper": true, "userNotUpdated": true, "firstName": "Bobby", "password": "",
		}), http.StatusOK)
		if r.str("designation") != "Clerk" || r.str("firstName") != "Bobby" || r.num("id") != w.bob.Num {
			t.Fatalf("patch: %s", r.raw)
		}
		if g := f.want(w.as("bob", http.MethodGet, usersPath(w.bob), nil), http.StatusOK); !g.flag("userNotUpdated") {
			t.Fatalf("userNotUpdated: %s", g.raw)
		}
		// A password only from a realm administrator; it ends every session.
		f.wantError(w.as("bob", http.MethodPatch, usersPath(w.bob), map[string]any{"password": "Another-Horse-7"}), http.StatusForbidden, usersMsgForbid, "")
		f.wantError(w.as("root", http.MethodPatch, usersPath(w.bob), map[string]any{"password": "short"}), http.StatusBadRequest, "", "password")
		f.want(w.as("root", http.MethodPatch, usersPath(w.bob), map[string]any{"password": "Another-Horse-7"}), http.StatusOK)
		f.wantError(w.as("bob", http.MethodGet, usersPath(w.bob), nil), http.StatusUnauthorized, "Unauthorized", "")
		f.signIn("bob@example.com", "Another-Horse-7")

		f.wantError(w.as("ann", http.MethodPatch, "/v1/iam/users/987654321", map[string]any{"firstName": "X"}), http.StatusNotFound, usersMsgNotExist, "")
		f.wantError(w.as("cid", http.MethodPatch, usersPath(w.bob), map[string]any{"firstName": "X"}), http.StatusForbidden, usersMsgForbid, "")
		f.wantError(w.as("ann", http.MethodPatch, usersPath(w.dan), map[string]any{"contact": "+6591234567"}), http.StatusForbidden, usersMsgForbid, "")
		f.wantError(w.as("olga", http.MethodPatch, usersPath(w.bob), map[string]any{"firstName": "X"}), http.StatusUnauthorized, "Unauthorized", "")
		f.wantError(w.as("dan", http.MethodPatch, usersPath(w.dan), map[string]any{"isBookkeeper": "yes"}), http.StatusBadRequest, "", "isBookkeeper")
		f.wantError(w.as("dan", http.MethodPatch, usersPath(w.dan), map[string]any{"email": "ann@example.com"}), http.StatusBadRequest, msgUserExists, "")
	})
}

func TestCreateUser(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		w := usersSetup(t, f)
		create := func(who string, body map[string]any) resp { return w.as(who, http.MethodPost, "/v1/iam/users", body) }

		r := f.want(create("ann", map[string]any{"emailId": "eve@example.com", "firstName": "Eve", "password": "Correct-Horse-7", "isEmailVerified": true}), http.StatusCreated)
		if r.str("userName") != "eve@example.com" || r.num("tenantId") != w.a || r.str("appName") != "iam-web" || r.str("roleGroup") != "user" || r.flag("emailVerified") {
			t.Fatalf("created by ann: %s", r.raw)
		}
		if len(f.messages("eve@example.com")) != 1 {
			t.Fatal("no verification e-mail")
		}
		f.want(w.as("ann", http.MethodGet, "/v1/iam/users/"+strconv.FormatInt(r.num("id"), 10), nil), http.StatusOK)
		f.signIn("eve@example.com", "Correct-Horse-7")

		n := f.userCount()
		f.wantError(create("ann", map[string]any{"emailId": "EVE@example.com"}), http.StatusBadRequest, msgUserExists, "")
		f.wantError(create("bob", map[string]any{"emailId": "fay@example.com"}), http.StatusForbidden, usersMsgForbid, "")
		f.wantError(create("ann", map[string]any{"emailId": "fay@example.com", "createUserInTenant": false}), http.StatusForbidden, usersMsgForbid, "")
		f.wantError(create("olga", map[string]any{"emailId": "fay@example.com"}), http.StatusUnauthorized, "Unauthorized", "")
		f.wantError(create("", map[string]any{"emailId": "fay@example.com"}), http.StatusUnauthorized, "Unauthorized", "")
		f.wantError(create("ann", map[string]any{"firstName": "Fay"}), http.StatusBadRequest, "", "emailId")
		f.wantError(create("ann", map[string]any{"emailId": "fay@"}), http.StatusBadRequest, "", "emailId")
		f.wantError(create("ann", map[string]any{"emailId": "fay@example.com", "appName": "NO-SUCH-APP"}), http.StatusBadRequest, "", "appName")
		f.wantError(create("ann", map[string]any{"emailId": "fay@example.com", "password": "short"}), http.StatusBadRequest, "", "password")
		if f.userCount() != n {
			t.Fatal("a refused creation created a user")
		}

		// A realm administrator creates outside any organization, may
		// vouch for the address, and may give the user an organization.
		r = f.want(create("root", map[string]any{"emailId": "fay@example.com", "isEmailVerified": true, "shouldSendEmail": true, "organizationName": "Fay Ltd", "roleGroup": "user"}), http.StatusCreated)
		if !r.flag("emailVerified") || r.num("tenantId") == 0 || r.num("tenantId") == w.a || r.str("roleGroup") != "admin" {
			t.Fatalf("created by root: %s", r.raw)
		}
		if len(f.messages("fay@example.com")) != 0 {
			t.Fatal("a verified address was sent a link")
		}
		r = f.want(create("sam", map[string]any{"contact": "+6591112222", "shouldSendEmail": false}), http.StatusCreated)
		if r.str("userName") != "+6591112222" || r.num("tenantId") != 0 {
			t.Fatalf("mobile user by a server admin: %s", r.raw)
		}
	})
}
