package iamv1_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"iamd/directory"
	"iamd/iam"
)

// Messages of the membership and invitation group, verbatim.
const (
	peopleMsgTenantNotFound = "Tenant not found"
	peopleMsgAlready        = "User with same tenant already exists!"
	peopleMsgForbidden      = "Forbidden"
	peopleMsgUnauthorized   = "Unauthorized"
	peoplePassword          = "Correct-Horse-9"
)

// peopleWorld is the cast of the membership tests in realm acme: ann
// administers organization A, cid organization B (both signed up with
// them); bob is a plain member of A; eve and fay have accounts and no
// organization; root is a realm administrator in no organization; olga
// an administrator of realm "other". App ERP (client id erp) exists.
type peopleWorld struct {
	f        *fixture
	a, b     int64
	eve, fay *iam.User
	tok      map[string]string // access tokens by first name
}

func peopleSetup(t *testing.T, f *fixture) *peopleWorld {
	t.Helper()
	ctx := context.Background()
	w := &peopleWorld{f: f, tok: map[string]string{}}
	w.a = f.signUpWeb("ann@example.com", peoplePassword, "A").num("tenantId")
	w.b = f.signUpWeb("cid@example.com", peoplePassword, "B").num("tenantId")
	for _, e := range []string{"bob@example.com", "eve@example.com", "fay@example.com"} {
		f.signUpWeb(e, peoplePassword, "")
	}
	bob := peopleUser(t, f, "bob@example.com")
	w.eve, w.fay = peopleUser(t, f, "eve@example.com"), peopleUser(t, f, "fay@example.com")
	if _, _, err := f.Dir.AddMember(ctx, f.Realm, strconv.FormatInt(w.a, 10), bob.ID, []iam.OrgRole{{App: "iam-web", Role: "user"}}, ""); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"ann", "bob", "cid"} {
		w.tok[name] = f.signIn(name+"@example.com", peoplePassword).str("accessToken")
	}
	if _, _, err := f.Dir.CreateApp(ctx, f.Realm, directory.NewApp{ClientID: "erp", Name: "ERP", Public: true}, ""); err != nil {
		t.Fatal(err)
	}
	root, err := f.Dir.CreateUser(ctx, f.Realm, directory.NewUser{Username: "root", RealmRoles: []string{iam.RoleAdmin}}, "")
	if err != nil {
		t.Fatal(err)
	}
	app, err := f.Dir.EnsureApp(ctx, f.Realm, directory.NewApp{ClientID: "iam-web", Public: true, GrantTypes: []string{iam.GrantRefreshToken}})
	if err != nil {
		t.Fatal(err)
	}
	w.tok["root"] = f.otherRealmToken(f.Realm, app, root)
	other, err := f.Dir.EnsureRealm(ctx, "other", "")
	if err != nil {
		t.Fatal(err)
	}
	olga, err := f.Dir.CreateUser(ctx, other, directory.NewUser{Username: "olga", RealmRoles: []string{iam.RoleAdmin}}, "")
	if err != nil {
		t.Fatal(err)
	}
	otherApp, err := f.Dir.EnsureApp(ctx, other, directory.NewApp{ClientID: "iam-web", Public: true, GrantTypes: []string{iam.GrantRefreshToken}})
	if err != nil {
		t.Fatal(err)
	}
	w.tok["olga"] = f.otherRealmToken(other, otherApp, olga)
	return w
}

func peopleUser(t *testing.T, f *fixture, login string) *iam.User {
	t.Helper()
	u, err := f.Dir.FindUser(context.Background(), f.Realm, login)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// as sends a request with who's token ("" for none).
func (w *peopleWorld) as(who, method, path string, body any) resp {
	w.f.t.Helper()
	if who == "" {
		return w.f.call(method, path, body)
	}
	return w.f.call(method, path, body, "x-access-token", w.tok[who])
}

// member is u's membership of organization num, nil when there is none.
func (w *peopleWorld) member(num int64, u *iam.User) *iam.Membership {
	w.f.t.Helper()
	m, err := w.f.Dir.Member(context.Background(), w.f.Realm, strconv.FormatInt(num, 10), u.ID)
	if iam.IsCode(err, iam.CodeNotFound) {
		return nil
	}
	if err != nil {
		w.f.t.Fatal(err)
	}
	return m
}

// accept has who accept the newest invitation sent to their e-mail.
func (w *peopleWorld) accept(who *iam.User) {
	w.f.t.Helper()
	if _, err := w.f.Dir.AcceptInvitation(context.Background(), w.f.Realm, w.f.last(who.Email).Code, who.ID); err != nil {
		w.f.t.Fatal(err)
	}
}

// peopleInvited checks a UserDto about an existing account that was only
// invited: what the caller sent, status "invited", nothing stored of the
// account (no id, names or internal id).
func peopleInvited(t *testing.T, r resp, u *iam.User, email string, tenant int64) {
	t.Helper()
	if r.num("id") != 0 || r.str("status") != "invited" || r.str("email") != email || r.num("tenantId") != tenant ||
		r.str("authUserId") != "" || r.str("firstName") != "" || r.str("lastName") != "" || strings.Contains(r.raw, u.ID) {
		t.Fatalf("an invited account's UserDto discloses it or misses what was sent: %s", r.raw)
	}
}

// #60: an organization administrator only invites an existing user (the
// membership waits; the answer withholds the account; 208 once they are
// an active member); someone without an account gets one and an
// invitation code; inviteUser makes the membership wait for the code; a
// realm administrator adds an existing user at once.
func TestPeopleAddToTenant(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		w := peopleSetup(t, f)
		const path = "/v1/iam/users/tenants"
		r := f.want(w.as("ann", "POST", path, map[string]any{"emailId": "eve@example.com", "appName": "ERP", "roleGroup": "user"}), http.StatusOK)
		peopleInvited(t, r, w.eve, "eve@example.com", w.a)
		if r.str("appName") != "erp" || r.str("roleGroup") != "user" {
			t.Fatalf("UserDto: %s", r.raw)
		}
		if m := w.member(w.a, w.eve); m == nil || m.Active() || f.last("eve@example.com").Purpose != iam.PurposeInvitation {
			t.Fatalf("eve must be invited, not added: %+v", m)
		}
		// A waiting invitation gives ann no say: eve's id names nobody to her.
		f.wantError(w.as("ann", "POST", path, map[string]any{"iamUserId": w.eve.Num}), http.StatusForbidden, peopleMsgForbidden, "")
		w.accept(w.eve)
		again := f.want(w.as("ann", "POST", path, map[string]any{"iamUserId": w.eve.Num, "roleGroup": iam.OrgAdmin}), http.StatusAlreadyReported)
		if again.num("id") != w.eve.Num || again.str("roleGroup") != "user" {
			t.Fatalf("208 UserDto: %s", again.raw)
		}

		// No account yet: made, and an invitation code sent.
		n := f.want(w.as("ann", "POST", path, map[string]any{"emailId": "new@example.com", "firstName": "Nu", "tenantId": w.a}), http.StatusOK)
		msg := f.last("new@example.com")
		if n.num("id") <= 0 || n.str("firstName") != "Nu" || n.str("appName") != "iam-web" || n.str("roleGroup") != directory.DefaultOrgRole ||
			msg.Purpose != iam.PurposeInvitation || msg.Code == "" {
			t.Fatalf("a new person: %s %+v", n.raw, msg)
		}
		// inviteUser: fay's membership waits for her code.
		r = f.want(w.as("ann", "POST", path, map[string]any{"emailId": "fay@example.com", "inviteUser": true}), http.StatusOK)
		peopleInvited(t, r, w.fay, "fay@example.com", w.a)
		if m := w.member(w.a, w.fay); m == nil || m.Active() || f.last("fay@example.com").Purpose != iam.PurposeInvitation {
			t.Fatalf("fay must be an invited member: %+v", m)
		}
		// A realm administrator names the organization and adds at once.
		r = f.want(w.as("root", "POST", path, map[string]any{"emailId": "eve@example.com", "tenantId": w.b}), http.StatusOK)
		if m := w.member(w.b, w.eve); r.num("id") != w.eve.Num || m == nil || !m.Active() {
			t.Fatalf("a realm administrator adds eve to B: %s %+v", r.raw, m)
		}
		f.wantError(w.as("root", "POST", path, map[string]any{"emailId": "eve@example.com", "tenantId": 999999}), http.StatusNotFound, peopleMsgTenantNotFound, "")
		f.wantError(w.as("root", "POST", path, map[string]any{"emailId": "eve@example.com"}), http.StatusNotFound, peopleMsgTenantNotFound, "tenantId")
		f.wantError(w.as("root", "POST", path, map[string]any{"iamUserId": 999999, "tenantId": w.a}), http.StatusBadRequest, "", "iamUserId")

		// Nobody else touches A.
		users := f.userCount()
		body := map[string]any{"emailId": "x@example.com", "tenantId": w.a}
		f.wantError(w.as("bob", "POST", path, body), http.StatusForbidden, peopleMsgForbidden, "")
		f.wantError(w.as("bob", "POST", path, map[string]any{"iamUserId": 999999}), http.StatusForbidden, peopleMsgForbidden, "")
		f.wantError(w.as("cid", "POST", path, body), http.StatusForbidden, peopleMsgForbidden, "")
		f.wantError(w.as("olga", "POST", path, body), http.StatusUnauthorized, peopleMsgUnauthorized, "")
		f.wantError(w.as("", "POST", path, body), http.StatusUnauthorized, peopleMsgUnauthorized, "")
		// An administrator's iamUserId names only A's own people: fay
		// (invited, not yet in) and an unknown id alike are 403.
		f.wantError(w.as("ann", "POST", path, map[string]any{"iamUserId": w.fay.Num, "inviteUser": true}), http.StatusForbidden, peopleMsgForbidden, "")
		f.wantError(w.as("ann", "POST", path, map[string]any{"iamUserId": 999999}), http.StatusForbidden, peopleMsgForbidden, "")
		// Bad input names the field.
		for field, b := range map[string]map[string]any{
			"emailId":   {"emailId": "not-an-address"},
			"contact":   {"contact": "12"},
			"appName":   {"emailId": "x@example.com", "appName": "NOPE"},
			"iamUserId": {"iamUserId": -1},
			"tenantId":  {"emailId": "x@example.com", "tenantId": "abc"},
			"source":    {"emailId": "x@example.com", "source": "FAX"},
		} {
			f.wantError(w.as("ann", "POST", path, b), http.StatusBadRequest, "", field)
		}
		if f.userCount() != users || len(f.messages("x@example.com")) != 0 {
			t.Fatal("refused requests must change nothing")
		}
	})
}

// #61 and #62: the roles of appUserCreateRequestList; the invited
// person joins with them on accepting, a realm administrator adds at once.
func TestPeopleAddToTenantWithRoles(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		w := peopleSetup(t, f)
		for i, path := range []string{"/v1/iam/users/tenants/roles", "/v1/iam/users/tenants/module-roles"} {
			who := []*iam.User{w.eve, w.fay}[i]
			roles := []map[string]any{{"appName": "ERP", "roleGroup": "admin", "moduleUuids": []string{"m-1"}}, {"appName": "iam-web", "roleGroup": "user"}}
			body := map[string]any{"emailId": who.Email, "appUserCreateRequestList": roles}
			r := f.want(w.as("ann", "POST", path, body), http.StatusOK)
			peopleInvited(t, r, who, who.Email, w.a)
			m := w.member(w.a, who)
			if r.str("roleGroup") != "admin" || r.str("appName") != "erp" || m == nil || len(m.Roles) != 2 || m.Active() {
				t.Fatalf("%s: %s %+v", path, r.raw, m)
			}
			w.accept(who)
			if m := w.member(w.a, who); m == nil || len(m.Roles) != 2 || !m.Active() {
				t.Fatalf("%s: accepted: %+v", path, m)
			}
			f.want(w.as("ann", "POST", path, map[string]any{"iamUserId": who.Num, "appUserCreateRequestList": roles}), http.StatusAlreadyReported)
			// A realm administrator adds the person to B at once.
			r = f.want(w.as("root", "POST", path, map[string]any{"iamUserId": who.Num, "tenantId": w.b, "appUserCreateRequestList": roles}), http.StatusOK)
			if m := w.member(w.b, who); r.num("id") != who.Num || m == nil || !m.Active() || len(m.Roles) != 2 {
				t.Fatalf("%s: a realm administrator adds to B: %s %+v", path, r.raw, m)
			}
			f.wantError(w.as("ann", "POST", path, map[string]any{"emailId": "x@example.com", "appUserCreateRequestList": []map[string]any{{"appName": "NOPE"}}}),
				http.StatusBadRequest, "", "appUserCreateRequestList")
			f.wantError(w.as("bob", "POST", path, body), http.StatusForbidden, peopleMsgForbidden, "")
			f.wantError(w.as("cid", "POST", path, map[string]any{"emailId": "x@example.com", "tenantId": w.a}), http.StatusForbidden, peopleMsgForbidden, "")
			f.wantError(w.as("olga", "POST", path, body), http.StatusUnauthorized, peopleMsgUnauthorized, "")
			f.wantError(w.as("root", "POST", path, map[string]any{"emailId": "x@example.com", "tenantId": 999999}), http.StatusNotFound, peopleMsgTenantNotFound, "")
		}
	})
}
