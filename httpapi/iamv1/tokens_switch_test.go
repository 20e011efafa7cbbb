package iamv1_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"iamd/directory"
	"iamd/iam"
)

const (
	switchNotPart      = "You are not part of the requested organiation."
	switchInvalidToken = "Invalid token!"
	switchSignInFailed = "Failed to authenticate user credentials."
)

// switchWorld is ann, member of A (signed up with it) and B, signed in
// with A as her organization; C is cid's, another realm has olga.
type switchWorld struct {
	ann          *iam.User
	a, b, c      int64 // organization numbers
	bOrg         *iam.Organization
	access, rt   string // ann's sign-in tokens
	foreignToken string // olga's, of realm other
}

func switchSetUp(t *testing.T, f *fixture) *switchWorld {
	t.Helper()
	ctx := context.Background()
	w := &switchWorld{}
	w.a = f.signUpWeb("ann@example.com", "Correct-Horse-9", "A").num("tenantId")
	w.c = f.signUpWeb("cid@example.com", "Correct-Horse-9", "C").num("tenantId")
	var err error
	if w.ann, err = f.Dir.FindUser(ctx, f.Realm, "ann@example.com"); err != nil {
		t.Fatal(err)
	}
	if w.bOrg, err = f.Dir.CreateOrganization(ctx, f.Realm, directory.NewOrganization{Name: "B", CreatorID: w.ann.ID}, ""); err != nil {
		t.Fatal(err)
	}
	w.b = w.bOrg.Num
	s := f.signIn("ann@example.com", "Correct-Horse-9")
	w.access, w.rt = s.str("accessToken"), s.str("refreshToken")
	if switchOrgNum(t, w.access) != w.a {
		t.Fatal("ann starts in A")
	}
	other, err := f.Dir.EnsureRealm(ctx, "other", "")
	if err != nil {
		t.Fatal(err)
	}
	olga, err := f.Dir.CreateUser(ctx, other, directory.NewUser{Username: "olga"}, "")
	if err != nil {
		t.Fatal(err)
	}
	app, err := f.Dir.EnsureApp(ctx, other, directory.NewApp{ClientID: "iam-web", Public: true, GrantTypes: []string{iam.GrantRefreshToken}})
	if err != nil {
		t.Fatal(err)
	}
	w.foreignToken = f.otherRealmToken(other, app, olga)
	return w
}

func switchOrgNum(t *testing.T, access string) int64 {
	t.Helper()
	n, _ := claims(t, access)["org_num"].(float64)
	return int64(n)
}

// switchBody is a SwitchTenantRequest.
func switchBody(rt string, tenant any, extra ...string) map[string]any {
	m := map[string]any{"refreshToken": rt, "tenantId": tenant, "userName": "ann@example.com"}
	for i := 0; i+1 < len(extra); i += 2 {
		m[extra[i]] = extra[i+1]
	}
	return m
}

// The three switch-tenant operations re-issue the caller's tokens for an
// organization she belongs to; one she does not is 400 and changes
// nothing; the session's earlier refresh token follows the switch and
// keeps its rotation rules.
func TestSwitchTenant(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		w := switchSetUp(t, f)
		for _, path := range []string{"/v1/iam/users/switch-tenant", "/v1/iam/users/app/switch-tenant", "/v1/iam/users/web/switch-tenant"} {
			f.wantError(f.post(path, switchBody(w.rt, w.c), "x-access-token", w.access), http.StatusBadRequest, switchNotPart, "tenantId")
			f.wantError(f.post(path, switchBody(w.rt, 987654321), "x-access-token", w.access), http.StatusBadRequest, switchNotPart, "tenantId")
			r := f.want(f.post(path, switchBody(w.rt, w.b), "x-access-token", w.access), http.StatusOK)
			if switchOrgNum(t, r.str("accessToken")) != w.b || claims(t, r.str("accessToken"))["org_id"] != w.bOrg.ID ||
				r.str("refreshToken") == "" || r.str("idToken") == "" || r.str("guid") != w.ann.ID || r.str("tokenType") != "Bearer" {
				t.Fatalf("%s: %s", path, r.raw)
			}
			if f.userinfo(r.str("accessToken")) != http.StatusOK || !f.introspect(r.str("refreshToken")) {
				t.Fatalf("%s: the new tokens are the realm's", path)
			}
			hasCookie := strings.Contains(r.header.Get("Set-Cookie"), "iam_access_token="+r.str("accessToken"))
			if hasCookie != strings.Contains(path, "/web/") {
				t.Fatalf("%s: cookie %v", path, hasCookie)
			}
			// tenantId 0 (here in a string) keeps the access token's organization.
			r = f.want(f.post(path, switchBody(r.str("refreshToken"), "0"), "Authorization", "Bearer "+r.str("accessToken")), http.StatusOK)
			if switchOrgNum(t, r.str("accessToken")) != w.b {
				t.Fatalf("%s: tenantId 0 keeps B", path)
			}
			r = f.want(f.post(path, switchBody(w.rt, w.a), "x-access-token", w.access), http.StatusOK)
			if switchOrgNum(t, r.str("accessToken")) != w.a {
				t.Fatalf("%s: back to A", path)
			}
		}

		// The sign-in's refresh token follows the session to B and rotates as ever.
		f.want(f.post("/v1/iam/users/switch-tenant", switchBody(w.rt, w.b), "x-access-token", w.access), http.StatusOK)
		refresh := func(tok string) resp {
			return f.post("/v1/iam/auth/web/getrefreshtoken", map[string]any{"refreshToken": tok, "tenantId": 0, "userName": "ann@example.com"})
		}
		next := f.want(refresh(w.rt), http.StatusOK)
		if switchOrgNum(t, next.str("accessToken")) != w.b {
			t.Fatal("the earlier refresh token speaks for the new organization")
		}
		f.want(refresh(next.str("refreshToken")), http.StatusOK)
		f.wantError(refresh(w.rt), http.StatusUnauthorized, "Unauthorized", "") // a replay revokes the family
		f.wantError(refresh(next.str("refreshToken")), http.StatusUnauthorized, "Unauthorized", "")
	})
}

// Switching needs the caller's live access token and a refresh token of
// the same session; bad input names the field.
func TestSwitchTenantRefusals(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		w := switchSetUp(t, f)
		const path = "/v1/iam/users/switch-tenant"
		f.wantError(f.post(path, switchBody(w.rt, w.b)), http.StatusUnauthorized, "Unauthorized", "")
		f.wantError(f.post(path, switchBody(w.rt, w.b), "x-access-token", w.foreignToken), http.StatusUnauthorized, "Unauthorized", "")
		f.wantError(f.post(path, switchBody(w.rt, w.b), "x-access-token", w.access+"x"), http.StatusUnauthorized, "Unauthorized", "")
		second := f.signIn("ann@example.com", "Correct-Horse-9")
		f.wantError(f.post(path, switchBody(second.str("refreshToken"), w.b), "x-access-token", w.access), http.StatusUnauthorized, "Unauthorized", "")
		f.wantError(f.post(path, switchBody("not-a-token", w.b), "x-access-token", w.access), http.StatusUnauthorized, "Unauthorized", "")

		for _, tc := range []struct {
			body  any
			field string
		}{
			{map[string]any{"refreshToken": w.rt, "userName": "ann@example.com"}, "tenantId"},
			{switchBody(w.rt, "B"), "tenantId"},
			{switchBody(w.rt, true), "tenantId"},
			{map[string]any{"tenantId": w.b, "userName": "ann@example.com"}, "refreshToken"},
			{map[string]any{"refreshToken": w.rt, "tenantId": w.b}, "userName"},
			{map[string]any{"refreshToken": w.rt, "tenantId": w.b, "userName": "ann", "skipTenantCall": "yes"}, "skipTenantCall"},
			{`not json`, ""},
		} {
			f.wantError(f.post(path, tc.body, "x-access-token", w.access), http.StatusBadRequest, "", tc.field)
		}
		// Nothing above moved the session: its refresh still gives A.
		r := f.want(f.post("/v1/iam/auth/web/getrefreshtoken", map[string]any{"refreshToken": w.rt, "tenantId": 0, "userName": "ann"}), http.StatusOK)
		if switchOrgNum(t, r.str("accessToken")) != w.a {
			t.Fatal("a refused switch changed the session")
		}

		// After logout the tokens are refused.
		f.want(f.get("/v1/iam/auth/logout", "x-access-token", second.str("accessToken")), http.StatusOK)
		f.wantError(f.post(path, switchBody(second.str("refreshToken"), w.b), "x-access-token", second.str("accessToken")), http.StatusUnauthorized, "Unauthorized", "")
	})
}

// switch-client re-issues the tokens for an app the user has a role for
// in the organization (or one of the surface's own apps), named by
// appName or clientId.
func TestSwitchClient(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		w := switchSetUp(t, f)
		if _, _, err := f.Dir.CreateApp(ctx, f.Realm, directory.NewApp{ClientID: "books", Name: "Books", Public: true, GrantTypes: []string{iam.GrantRefreshToken}}, ""); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.Dir.PutMember(ctx, f.Realm, w.bOrg.ID, w.ann.ID, directory.MemberInput{Roles: []iam.OrgRole{{App: "books", Role: "user"}}}, ""); err != nil {
			t.Fatal(err)
		}
		const path = "/v1/iam/users/switch-client"
		for _, by := range []string{"appName", "clientId"} {
			r := f.want(f.post(path, switchBody(w.rt, w.b, by, "books"), "x-access-token", w.access), http.StatusOK)
			c := claims(t, r.str("accessToken"))
			if c["azp"] != "books" || switchOrgNum(t, r.str("accessToken")) != w.b || r.str("refreshToken") == "" {
				t.Fatalf("by %s: %v", by, c)
			}
		}
		// By display name, and to the surface's own app in any organization.
		r := f.want(f.post(path, switchBody(w.rt, w.b, "appName", "Books"), "x-access-token", w.access), http.StatusOK)
		r = f.want(f.post(path, switchBody(r.str("refreshToken"), w.a, "appName", "iam-web"), "x-access-token", r.str("accessToken")), http.StatusOK)
		if c := claims(t, r.str("accessToken")); c["azp"] != "iam-web" || switchOrgNum(t, r.str("accessToken")) != w.a {
			t.Fatalf("back to iam-web in A: %v", c)
		}

		f.wantError(f.post(path, switchBody(w.rt, w.a, "appName", "books"), "x-access-token", w.access), http.StatusForbidden, "Forbidden", "appName")
		f.wantError(f.post(path, switchBody(w.rt, w.c, "appName", "books"), "x-access-token", w.access), http.StatusBadRequest, switchNotPart, "tenantId")
		f.wantError(f.post(path, switchBody(w.rt, w.b, "appName", "ghost"), "x-access-token", w.access), http.StatusNotFound, "Not Found", "")
		f.wantError(f.post(path, switchBody(w.rt, w.b), "x-access-token", w.access), http.StatusBadRequest, "", "appName")
		f.wantError(f.post(path, switchBody(w.rt, w.b, "appName", "books")), http.StatusUnauthorized, "Unauthorized", "")
		f.wantError(f.post(path, switchBody(w.rt, w.b, "appName", "books"), "x-access-token", w.foreignToken), http.StatusUnauthorized, "Unauthorized", "")
		// Switching tenant keeps the app, so a books token cannot enter an
		// organization without a books role.
		r = f.want(f.post(path, switchBody(w.rt, w.b, "appName", "books"), "x-access-token", w.access), http.StatusOK)
		f.wantError(f.post("/v1/iam/users/switch-tenant", switchBody(r.str("refreshToken"), w.a), "x-access-token", r.str("accessToken")), http.StatusForbidden, "Forbidden", "appName")
	})
}

// users/app/token gives tokens of the app-token app in the caller's
// session and organization; token/app/validate accepts only those.
func TestAppTokenAndValidate(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		w := switchSetUp(t, f)
		r := f.want(f.post("/v1/iam/users/app/token", nil, "x-access-token", w.access), http.StatusOK)
		app := r.str("accessToken")
		if c := claims(t, app); c["azp"] != "iam-app" || switchOrgNum(t, app) != w.a || r.str("refreshToken") == "" || r.str("guid") != w.ann.ID {
			t.Fatalf("app token: %s", r.raw)
		}
		v := f.want(f.get("/v1/iam/token/app/validate", "x-access-token", app), http.StatusOK)
		if v.str("accessToken") != app || v.str("email") != "ann@example.com" || v.str("firstName") != "Test" || v.str("lastName") != "User" || !v.flag("existingUser") {
			t.Fatalf("app validate: %s", v.raw)
		}
		f.wantError(f.get("/v1/iam/token/app/validate", "x-access-token", w.access), http.StatusUnauthorized, switchInvalidToken, "")
		f.want(f.get("/v1/iam/token/validate", "x-access-token", app), http.StatusOK)
		f.wantError(f.post("/v1/iam/users/app/token", nil), http.StatusUnauthorized, "Unauthorized", "")
		f.wantError(f.post("/v1/iam/users/app/token", nil, "x-access-token", w.foreignToken), http.StatusUnauthorized, "Unauthorized", "")

		// A configured app-token app; an unknown one is 404.
		if _, _, err := f.Dir.CreateApp(ctx, f.Realm, directory.NewApp{ClientID: "mobile", Public: true, GrantTypes: []string{iam.GrantRefreshToken}}, ""); err != nil {
			t.Fatal(err)
		}
		switchSetAttr(t, f, "iam_app_token_client", "mobile")
		r = f.want(f.post("/v1/iam/users/app/token", nil, "x-access-token", w.access), http.StatusOK)
		if claims(t, r.str("accessToken"))["azp"] != "mobile" {
			t.Fatalf("configured app: %s", r.raw)
		}
		f.want(f.get("/v1/iam/token/app/validate", "x-access-token", r.str("accessToken")), http.StatusOK)
		f.wantError(f.get("/v1/iam/token/app/validate", "x-access-token", app), http.StatusUnauthorized, switchInvalidToken, "")
		switchSetAttr(t, f, "iam_app_token_client", "ghost")
		f.wantError(f.post("/v1/iam/users/app/token", nil, "x-access-token", w.access), http.StatusNotFound, switchSignInFailed, "")
		switchSetAttr(t, f, "iam_app_token_client", "")

		// A caller no longer in her token's organization gets none.
		b := f.want(f.post("/v1/iam/users/switch-tenant", switchBody(w.rt, w.b), "x-access-token", w.access), http.StatusOK)
		if err := f.Dir.RemoveMember(ctx, f.Realm, w.bOrg.ID, w.ann.ID, ""); err != nil {
			t.Fatal(err)
		}
		f.wantError(f.post("/v1/iam/users/app/token", nil, "x-access-token", b.str("accessToken")), http.StatusBadRequest, switchSignInFailed, "")
	})
}

// token/validate accepts a live access token of the realm from any of the
// three places and refuses expired, logged-out and foreign ones with the
// document's message.
func TestValidateToken(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		w := switchSetUp(t, f)
		for _, h := range [][]string{{"x-access-token", w.access}, {"Authorization", "Bearer " + w.access}, {"Cookie", "iam_access_token=" + w.access}} {
			v := f.want(f.get("/v1/iam/token/validate", h...), http.StatusOK)
			if v.str("accessToken") != w.access || v.str("email") != "ann@example.com" || !v.flag("existingUser") || v.str("refreshToken") != "" {
				t.Fatalf("validate via %s: %s", h[0], v.raw)
			}
		}
		for _, path := range []string{"/v1/iam/token/validate", "/v1/iam/token/app/validate"} {
			f.wantError(f.get(path), http.StatusUnauthorized, switchInvalidToken, "")
			f.wantError(f.get(path, "x-access-token", "garbage"), http.StatusUnauthorized, switchInvalidToken, "")
			f.wantError(f.get(path, "x-access-token", w.foreignToken), http.StatusUnauthorized, switchInvalidToken, "")
		}
		second := f.signIn("ann@example.com", "Correct-Horse-9").str("accessToken")
		f.want(f.get("/v1/iam/token/validate", "x-access-token", second), http.StatusOK)
		f.want(f.get("/v1/iam/auth/logout", "x-access-token", second), http.StatusOK)
		f.wantError(f.get("/v1/iam/token/validate", "x-access-token", second), http.StatusUnauthorized, switchInvalidToken, "")

		f.advance(2 * time.Hour) // past the access token's lifetime
		f.wantError(f.get("/v1/iam/token/validate", "x-access-token", w.access), http.StatusUnauthorized, switchInvalidToken, "")
	})
}

// switchSetAttr sets (or, with "", removes) a realm attribute of acme.
func switchSetAttr(t *testing.T, f *fixture, name, value string) {
	t.Helper()
	ctx := context.Background()
	r, err := f.Dir.RealmByName(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if r.Settings.Attributes == nil {
		r.Settings.Attributes = map[string]string{}
	}
	if value == "" {
		delete(r.Settings.Attributes, name)
	} else {
		r.Settings.Attributes[name] = value
	}
	if err := f.Store.Realms().Update(ctx, r); err != nil {
		t.Fatal(err)
	}
}
