package iamv1_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"iamd/directory"
	"iamd/iam"
	"iamd/store"
)

// Messages of the tenant administration operations, verbatim.
const (
	tenantsMsgResetFailed  = "Unable to reset tenant"
	tenantsMsgDeleteFailed = "Unable to delete tenant"
)

// tenantsMembers is the number of members of organization num.
func tenantsMembers(t *testing.T, f *fixture, num int64) int {
	t.Helper()
	_, n, err := f.Dir.Members(context.Background(), f.Realm, strconv.FormatInt(num, 10), store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestResetTenant(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		w := usersSetup(t, f)
		ctx := context.Background()
		inv, err := f.Dir.Invite(ctx, f.Realm, directory.NewInvitation{OrgRef: strconv.FormatInt(w.a, 10), Email: "new@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		reset := func(who string, q url.Values) resp {
			return w.as(who, http.MethodDelete, "/v1/iam/users/tenant-reset?"+q.Encode(), nil)
		}
		pw := url.Values{"password": {usersPassword}}
		f.wantError(reset("ann", url.Values{}), http.StatusBadRequest, "", "password")
		f.wantError(reset("ann", url.Values{"password": {"wrong"}}), http.StatusBadRequest, tenantsMsgResetFailed, "")
		f.wantError(reset("bob", pw), http.StatusForbidden, usersMsgForbid, "") // a plain member of A
		f.wantError(reset("", pw), http.StatusUnauthorized, "Unauthorized", "")
		f.wantError(reset("olga", pw), http.StatusUnauthorized, "Unauthorized", "")
		// A caller without an organization has nothing to reset.
		f.signUpWeb("gus@example.com", usersPassword, "")
		gus := f.signIn("gus@example.com", usersPassword).str("accessToken")
		f.wantError(f.call(http.MethodDelete, "/v1/iam/users/tenant-reset?"+pw.Encode(), nil, "x-access-token", gus), http.StatusBadRequest, tenantsMsgResetFailed, "")
		if n := tenantsMembers(t, f, w.a); n != 3 {
			t.Fatalf("refused resets changed A: %d members", n)
		}

		bobBefore := f.signIn("bob@example.com", usersPassword) // a session in A
		if tenantsOrgNum(t, bobBefore.str("accessToken")) != w.a {
			t.Fatal("bob's session is not in A")
		}
		r := f.want(reset("ann", pw), http.StatusOK)
		if r.num("tenantId") != w.a || r.str("tenantName") != "A" || r.num("userId") != w.ann.Num {
			t.Fatalf("reset: %s", r.raw)
		}
		if n := tenantsMembers(t, f, w.a); n != 1 {
			t.Fatalf("after reset A has %d members", n)
		}
		if got, err := f.Dir.GetInvitation(ctx, f.Realm, inv.Invitation.ID); err != nil || got.Status == iam.InvitePending {
			t.Fatalf("the invitation survived the reset: %+v %v", got, err)
		}
		// Ann still runs A; bob and dan are out of it; dan keeps B.
		f.wantError(w.as("ann", http.MethodGet, usersPath(w.bob), nil), http.StatusForbidden, usersMsgForbid, "")
		f.want(w.as("ann", http.MethodGet, usersPath(w.ann), nil), http.StatusOK)
		f.want(w.as("cid", http.MethodGet, usersPath(w.dan), nil), http.StatusOK)
		f.wantError(f.post("/v1/iam/auth/web/getrefreshtoken", map[string]any{
			"refreshToken": f.signIn("bob@example.com", usersPassword).str("refreshToken"), "tenantId": w.a, "userName": "bob@example.com",
		}), http.StatusBadRequest, "", "tenantId")
		// bob's earlier session no longer speaks for A when refreshed.
		rr := f.want(f.post("/v1/iam/auth/web/getrefreshtoken", map[string]any{
			"refreshToken": bobBefore.str("refreshToken"), "tenantId": 0, "userName": "bob@example.com",
		}), http.StatusOK)
		if n := tenantsOrgNum(t, rr.str("accessToken")); n != 0 {
			t.Fatalf("a removed member's refreshed token is for organization %d", n)
		}
	})
}

func TestDeleteTenant(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		w := usersSetup(t, f)
		del := func(who string, id int64, password string) resp {
			q := url.Values{}
			if password != "" {
				q.Set("password", password)
			}
			return w.as(who, http.MethodDelete, "/v1/iam/users/tenant/"+strconv.FormatInt(id, 10)+"?"+q.Encode(), nil)
		}
		f.wantError(del("bob", w.a, usersPassword), http.StatusForbidden, usersMsgForbid, "")       // a plain member
		f.wantError(del("cid", w.a, usersPassword), http.StatusForbidden, usersMsgForbid, "")       // another organization's admin
		f.wantError(del("ann", 987654321, usersPassword), http.StatusForbidden, usersMsgForbid, "") // no such organization
		f.wantError(del("ann", w.a, "wrong"), http.StatusBadRequest, tenantsMsgDeleteFailed, "")
		f.wantError(del("ann", w.a, ""), http.StatusBadRequest, "", "password")
		f.wantError(del("", w.a, usersPassword), http.StatusUnauthorized, "Unauthorized", "")
		f.wantError(del("olga", w.a, usersPassword), http.StatusUnauthorized, "Unauthorized", "")
		f.wantError(w.as("ann", http.MethodDelete, "/v1/iam/users/tenant/A?password="+usersPassword, nil), http.StatusBadRequest, "", "id")
		if n := tenantsMembers(t, f, w.a); n != 3 {
			t.Fatalf("refused deletions changed A: %d members", n)
		}

		r := f.want(del("ann", w.a, usersPassword), http.StatusOK)
		if r.num("tenantId") != w.a || r.str("tenantName") != "A" || r.num("userId") != w.ann.Num {
			t.Fatalf("delete: %s", r.raw)
		}
		if _, err := f.Dir.GetOrganization(context.Background(), f.Realm, strconv.FormatInt(w.a, 10)); !iam.IsCode(err, iam.CodeNotFound) {
			t.Fatalf("A still exists: %v", err)
		}
		f.wantError(del("ann", w.a, usersPassword), http.StatusForbidden, usersMsgForbid, "")
		// No token is issued for A again; B is untouched.
		f.wantError(f.post("/v1/iam/auth/web/getrefreshtoken", map[string]any{
			"refreshToken": f.signIn("dan@example.com", usersPassword).str("refreshToken"), "tenantId": w.a, "userName": "dan@example.com",
		}), http.StatusBadRequest, "", "tenantId")
		if n := tenantsMembers(t, f, w.b); n != 2 {
			t.Fatalf("B changed: %d members", n)
		}
	})
}

// tenantsOrgNum is the org_num claim of an access token (0 for none).
func tenantsOrgNum(t *testing.T, access string) int64 {
	t.Helper()
	n, _ := claims(t, access)["org_num"].(float64)
	return int64(n)
}
