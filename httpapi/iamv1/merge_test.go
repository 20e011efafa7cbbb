package iamv1_test

import (
	"context"
	"net/http"
	"testing"

	"iamd/iam"
)

const mergeFailed = "Accounts could not be merged."

// #71 → #72: a mobile user proves the web account's e-mail is theirs and
// merges it: its organization and role move over, the answer is tokens
// that carry them, and the web account can no longer sign in.
func TestMergeAccounts(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		mo, _ := contactsMobileToken(f, "+6591234567")
		webOrg := f.signUpWeb("web@example.com", "Correct-Horse-9", "Web Co")
		webTokens := f.signIn("web@example.com", "Correct-Horse-9")
		web := contactsUser(f, "web@example.com")
		f.signUpWeb("other@example.com", "Correct-Horse-9", "")
		start := func(body map[string]any, h ...string) resp { return f.post("/v1/iam/users/email/merge", body, h...) }
		process := func(body map[string]any) resp { return f.post("/v1/iam/users/email/merge/process", body, mo...) }
		body := func(otp string) map[string]any {
			return map[string]any{"email": "web@example.com", "contact": "+6591234567", "isMobile": true, "makePrimary": false, "otp": otp}
		}

		f.wantError(start(map[string]any{"email": "web@example.com"}), http.StatusUnauthorized, "Unauthorized", "")
		f.wantError(start(map[string]any{"email": "nobody@example.com"}, mo...), http.StatusNotFound, "Not Found", "")
		f.wantError(start(map[string]any{}, mo...), http.StatusBadRequest, "", "email")
		f.wantError(start(map[string]any{"email": "web@"}, mo...), http.StatusBadRequest, "", "email")
		f.wantError(start(map[string]any{"contact": "+6591234567"}, mo...), http.StatusBadRequest, "", "email") // the caller's own
		f.wantError(process(body("123456")), http.StatusNotFound, "Not Found", "")
		f.wantError(process(map[string]any{"email": "web@example.com"}), http.StatusBadRequest, "", "otp")
		f.wantError(process(map[string]any{"contact": "call me", "otp": "1"}), http.StatusBadRequest, "", "contact")
		f.wantError(process(map[string]any{"email": "web@example.com", "otp": "1", "makePrimary": "yes"}), http.StatusBadRequest, "", "makePrimary")

		r := f.want(start(map[string]any{"email": "web@example.com", "contact": "+6591234567"}, mo...), http.StatusOK)
		if r.raw != "Verification code has been sent successfully." {
			t.Fatalf("merge: %q", r.raw)
		}
		code := f.last("web@example.com").Code
		other := body(code)
		other["email"] = "other@example.com"
		f.wantError(process(other), http.StatusNotFound, "Not Found", "") // not the account the code is for
		wrong := process(body("x" + code))
		f.wantError(wrong, http.StatusBadRequest, mergeFailed, "otp")
		if wrong.str("detail") != "the code is wrong; attempts left: 4" || wrong.body["retriesLeft"] != float64(4) {
			t.Fatalf("a wrong code counts down: %s", wrong.raw)
		}

		res := f.want(process(body(code)), http.StatusOK)
		if res.str("accessToken") == "" || res.str("refreshToken") == "" || !res.flag("emailVerified") {
			t.Fatalf("tokens: %s", res.raw)
		}
		c := claims(t, res.str("accessToken"))
		mobile := contactsUser(f, "+6591234567")
		if c["sub"] != mobile.ID || mobile.Email != "web@example.com" {
			t.Fatalf("the tokens are the survivor's: %v %+v", c["sub"], mobile)
		}
		ms, err := f.Dir.MembershipsOf(ctx, f.Realm, mobile.ID)
		if err != nil || len(ms) != 2 {
			t.Fatalf("memberships of the survivor: %d %v", len(ms), err)
		}
		for _, m := range ms {
			if m.Organization.Num == webOrg.num("tenantId") && !m.Membership.Admin() {
				t.Fatalf("the admin role moved with the membership: %+v", m.Membership)
			}
		}
		// The survivor may now switch to the merged account's organization.
		f.want(f.post("/v1/iam/auth/mobile/getrefreshtoken", map[string]any{
			"refreshToken": res.str("refreshToken"), "tenantId": webOrg.num("tenantId"), "userName": "+6591234567",
		}), http.StatusOK)

		// The merged account: no sign-in, its tokens dead at once.
		if f.userinfo(webTokens.str("accessToken")) != http.StatusUnauthorized {
			t.Fatal("the merged account's access token still works")
		}
		f.wantError(f.post("/v1/iam/auth/web/getrefreshtoken", map[string]any{
			"refreshToken": webTokens.str("refreshToken"), "tenantId": 0, "userName": "web@example.com",
		}), http.StatusUnauthorized, "Unauthorized", "")
		in := f.signIn("web@example.com", "Correct-Horse-9") // the e-mail and password are the survivor's now
		if claims(t, in.str("accessToken"))["sub"] != mobile.ID {
			t.Fatal("the merged e-mail signs in the survivor")
		}
		if gone, err := f.Store.Realm(f.Realm.ID).Users().Get(ctx, web.ID); err != nil || !gone.Deleted() || gone.DeleteReason != "merged" {
			t.Fatalf("the merged account is deleted as merged: %+v %v", gone, err)
		}
		// Its e-mail is the survivor's own now: nothing left to merge.
		f.wantError(process(body(code)), http.StatusBadRequest, "", "email")
	})
}

// An account with an authenticator app cannot be merged by a code alone.
func TestMergeRefusesMFAAccount(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		mo, _ := contactsMobileToken(f, "+6591234567")
		f.signUpWeb("web@example.com", "Correct-Horse-9", "")
		web := contactsUser(f, "web@example.com")
		cred := &iam.Credential{ID: iam.NewID(), RealmID: f.Realm.ID, UserID: web.ID, Type: iam.CredTOTP, Secret: "x", CreatedAt: f.now()}
		if err := f.Store.Realm(f.Realm.ID).Credentials().Create(context.Background(), cred); err != nil {
			t.Fatal(err)
		}
		f.wantError(f.post("/v1/iam/users/email/merge", map[string]any{"email": "web@example.com"}, mo...), http.StatusBadRequest, "Verification code has not been sent.", "")
		if n := len(f.messages("web@example.com")); n != 1 { // the sign-up's verification link only
			t.Fatalf("%d messages to the MFA account", n)
		}
	})
}
