package iamv1_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"iamd/directory"
)

// Messages of the account operations, verbatim.
const (
	accountsMsgDeleteFailed  = "Unable to delete user account"
	accountsMsgFound         = "User found by email"
	accountsMsgListFailed    = "Failed to get registered user list"
	accountsMsgListNotFound  = "Registered user list not found"
	accountsMsgGenericNotFnd = "Not Found"
)

func TestSignUpAffiliate(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		up := func(body map[string]any) resp { return f.post("/v1/iam/auth/sign-up/affiliate", body) }
		r := f.want(up(map[string]any{"emailId": "aff@example.com", "password": "Correct-Horse-9", "firstName": "Al", "contact": "+6591234567", "isEmailVerified": true}), http.StatusCreated)
		if r.str("userName") != "aff@example.com" || r.str("contact") != "+6591234567" || r.num("tenantId") != 0 || r.flag("emailVerified") {
			t.Fatalf("affiliate: %s", r.raw)
		}
		f.want(f.get(f.linkPath("aff@example.com")), http.StatusOK) // the verification link works
		f.signIn("aff@example.com", "Correct-Horse-9")

		// The password may come later (forgot password); no link when asked.
		f.want(up(map[string]any{"emailId": "quiet@example.com", "shouldSendEmail": false}), http.StatusCreated)
		if len(f.messages("quiet@example.com")) != 0 {
			t.Fatal("shouldSendEmail false sent a message")
		}
		f.wantError(up(map[string]any{"emailId": "AFF@example.com", "password": "Correct-Horse-9"}), http.StatusBadRequest, msgUserExists, "")
		f.wantError(up(map[string]any{"password": "Correct-Horse-9"}), http.StatusBadRequest, "", "emailId")
		f.wantError(up(map[string]any{"emailId": "x@", "password": "Correct-Horse-9"}), http.StatusBadRequest, "", "emailId")
		f.wantError(up(map[string]any{"emailId": "y@example.com", "password": "short"}), http.StatusBadRequest, "", "password")
		f.wantError(up(map[string]any{"emailId": "y@example.com", "iamUserId": "twelve"}), http.StatusBadRequest, "", "iamUserId")
	})
}

func TestDeleteAccount(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		w := usersSetup(t, f)
		s := f.signIn("bob@example.com", usersPassword)
		del := func(who string, q url.Values) resp {
			return w.as(who, http.MethodDelete, "/v1/iam/users/account?"+q.Encode(), nil)
		}
		f.wantError(del("bob", url.Values{"password": {usersPassword}}), http.StatusBadRequest, "", "accountDeleteReason")
		f.wantError(del("bob", url.Values{"accountDeleteReason": {"bye"}}), http.StatusBadRequest, "", "password")
		f.wantError(del("bob", url.Values{"accountDeleteReason": {"bye"}, "isSocialLogin": {"true"}}), http.StatusBadRequest, "", "password")
		f.wantError(del("bob", url.Values{"accountDeleteReason": {"bye"}, "isSocialLogin": {"maybe"}}), http.StatusBadRequest, "", "isSocialLogin")
		f.wantError(del("bob", url.Values{"accountDeleteReason": {"bye"}, "password": {"wrong"}}), http.StatusBadRequest, accountsMsgDeleteFailed, "")
		f.wantError(del("", url.Values{"accountDeleteReason": {"bye"}, "password": {usersPassword}}), http.StatusUnauthorized, "Unauthorized", "")
		f.wantError(del("olga", url.Values{"accountDeleteReason": {"bye"}, "password": {usersPassword}}), http.StatusUnauthorized, "Unauthorized", "")
		f.want(w.as("bob", http.MethodGet, usersPath(w.bob), nil), http.StatusOK) // still there

		r := f.want(del("bob", url.Values{"accountDeleteReason": {"no longer needed"}, "password": {usersPassword}}), http.StatusNoContent)
		if c := r.header.Get("Set-Cookie"); !strings.Contains(c, "iam_access_token=;") {
			t.Fatalf("cookie not cleared: %q", c)
		}
		// Every token of the account fails at once; it cannot sign in;
		// its administrator no longer finds it.
		f.wantError(w.as("bob", http.MethodGet, "/v1/iam/auth/sign-in/login/status", nil), http.StatusUnauthorized, "Unauthorized", "")
		if f.introspect(s.str("accessToken")) {
			t.Fatal("the access token of another session is still active")
		}
		f.wantError(f.post("/v1/iam/auth/web/getrefreshtoken", map[string]any{"refreshToken": s.str("refreshToken"), "tenantId": 0, "userName": "bob@example.com"}),
			http.StatusUnauthorized, "Unauthorized", "")
		f.wantError(f.post("/v1/iam/auth/sign-in/web/sign-in", map[string]any{"userName": "bob@example.com", "password": usersPassword}), http.StatusBadRequest, msgSignInFailed, "")
		f.wantError(w.as("ann", http.MethodGet, usersPath(w.bob), nil), http.StatusNotFound, usersMsgNotExist, "")
		// The address is free again.
		f.signUpWeb("bob@example.com", usersPassword, "")
	})
}

func TestAdminEmailVerifyAndUnlock(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		w := usersSetup(t, f)
		ctx := context.Background()
		verify := func(who, email string) resp {
			return w.as(who, http.MethodGet, "/v1/iam/users/adminEmailVerify/"+url.PathEscape(email), nil)
		}
		r := f.want(verify("root", "BOB@example.com"), http.StatusOK)
		if r.raw != accountsMsgFound {
			t.Fatalf("verify: %q", r.raw)
		}
		if u, _ := f.Dir.GetUser(ctx, f.Realm, w.bob.ID); !u.EmailVerified {
			t.Fatal("not verified")
		}
		f.wantError(verify("ann", "dan@example.com"), http.StatusForbidden, "", "") // an organization's admin is no realm admin
		f.wantError(verify("olga", "dan@example.com"), http.StatusUnauthorized, "", "")
		f.wantError(verify("", "dan@example.com"), http.StatusUnauthorized, "", "")
		f.wantError(verify("root", "olga@example.com"), http.StatusNotFound, accountsMsgGenericNotFnd, "")
		f.wantError(verify("root", "not-an-address"), http.StatusBadRequest, "", "email")
		if u, _ := f.Dir.GetUser(ctx, f.Realm, w.dan.ID); u.EmailVerified {
			t.Fatal("a refused call verified dan")
		}

		// dan locks himself out; an administrator lets him back in.
		for i := 0; i < 10; i++ {
			f.post("/v1/iam/auth/sign-in/web/sign-in", map[string]any{"userName": "dan@example.com", "password": "wrong"})
		}
		if u, _ := f.Dir.GetUser(ctx, f.Realm, w.dan.ID); !u.Lockout.Locked(f.now()) {
			t.Fatal("dan is not locked")
		}
		unlock := func(who, email string) resp {
			return w.as(who, http.MethodGet, "/v1/iam/users/unLockUserAccount/"+url.PathEscape(email), nil)
		}
		f.wantError(unlock("ann", "dan@example.com"), http.StatusForbidden, "", "")
		f.wantError(unlock("olga", "dan@example.com"), http.StatusUnauthorized, "", "")
		f.wantError(unlock("root", "nobody@example.com"), http.StatusNotFound, accountsMsgGenericNotFnd, "")
		if r := f.want(unlock("root", "Dan@Example.com"), http.StatusOK); r.raw != accountsMsgFound {
			t.Fatalf("unlock: %q", r.raw)
		}
		f.signIn("dan@example.com", usersPassword)
	})
}

func TestRegisteredContacts(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		w := usersSetup(t, f)
		cidPhone := "+6591234567"
		if _, err := f.Dir.UpdateUser(context.Background(), f.Realm, w.cid.ID, directory.UserUpdate{Phone: &cidPhone}, ""); err != nil {
			t.Fatal(err)
		}
		list := func(who string, body any) resp {
			return w.as(who, http.MethodPost, "/v1/iam/users/registered/contacts", body)
		}
		r := f.want(list("bob", map[string]any{
			"emails": []string{"ann@example.com", "olga@example.com", "nobody@example.com", "junk"},
			"phones": []any{"+65 9123 4567", 6598765432, "*123#"},
		}), http.StatusOK)
		var got []string
		for _, x := range accountsList(t, r) {
			got = append(got, x["email"].(string))
		}
		if strings.Join(got, ",") != "ann@example.com,cid@example.com" {
			t.Fatalf("registered: %s", r.raw)
		}
		// olga (another realm) has +6598765432 and olga@example.com: unseen.
		f.wantError(list("bob", map[string]any{"emails": []string{"olga@example.com"}, "phones": []string{"+6598765432"}}), http.StatusNotFound, accountsMsgListNotFound, "")
		f.wantError(list("bob", map[string]any{}), http.StatusBadRequest, accountsMsgListFailed, "phones")
		f.wantError(list("bob", map[string]any{"phones": make([]string, 501)}), http.StatusBadRequest, accountsMsgListFailed, "phones")
		f.wantError(list("bob", map[string]any{"emails": "ann@example.com"}), http.StatusBadRequest, "", "emails")
		f.wantError(list("", map[string]any{"emails": []string{"ann@example.com"}}), http.StatusUnauthorized, "Unauthorized", "")
		f.wantError(list("olga", map[string]any{"emails": []string{"ann@example.com"}}), http.StatusUnauthorized, "Unauthorized", "")
	})
}

// accountsList is r's body, a JSON array of objects.
func accountsList(t *testing.T, r resp) []map[string]any {
	t.Helper()
	var out []map[string]any
	if err := json.Unmarshal([]byte(r.raw), &out); err != nil {
		t.Fatalf("not a list: %s", r.raw)
	}
	return out
}
