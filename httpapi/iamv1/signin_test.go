package iamv1_test

import (
	"context"
	"net/http"
	"testing"

	"iamd/directory"
	"iamd/httpapi/iamv1"
	"iamd/iam"
)

const msgSignInFailed = "Failed to authenticate user credentials."

// Web sign-in sets the access cookie; login status reads the cookie or a
// header; logout ends the session so that every token of it fails at once.
func TestWebSignInLoginStatusLogout(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		f.signUpWeb("ann@example.com", "Correct-Horse-9", "Acme")
		s := f.signIn("ann@example.com", "Correct-Horse-9")
		access, refresh := s.str("accessToken"), s.str("refreshToken")
		var cookie *http.Cookie
		for _, c := range (&http.Response{Header: s.header}).Cookies() {
			if c.Name == iamv1.AccessCookie {
				cookie = c
			}
		}
		if cookie == nil || cookie.Value != access || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Path != "/" {
			t.Fatalf("access cookie: %+v", cookie)
		}
		mobile := f.want(f.post("/v1/iam/auth/sign-in/web/sign-in", map[string]any{"userName": "ann@example.com", "password": "Correct-Horse-9", "isMobile": true}), http.StatusOK)
		if mobile.header.Get("Set-Cookie") != "" {
			t.Fatal("a mobile sign-in sets no cookie")
		}

		status := "/v1/iam/auth/sign-in/login/status"
		for _, hdr := range [][]string{
			{"Cookie", iamv1.AccessCookie + "=" + access},
			{"x-access-token", access},
			{"Authorization", "Bearer " + access},
		} {
			r := f.want(f.get(status, hdr...), http.StatusOK)
			if r.str("accessToken") != access || r.str("tokenType") != "Bearer" || r.num("expiresIn") <= 0 || r.str("guid") == "" || r.str("refreshToken") != "" {
				t.Fatalf("login status with %s: %s", hdr[0], r.raw)
			}
		}
		f.wantError(f.get(status), http.StatusUnauthorized, "Unauthorized", "")
		f.wantError(f.get(status, "Authorization", "Basic YTpi"), http.StatusUnauthorized, "Unauthorized", "")
		f.wantError(f.get(status, "x-access-token", "garbage"), http.StatusUnauthorized, "Unauthorized", "")
		f.wantError(f.get(status, "Cookie", iamv1.AccessCookie+"="+access, "Sec-Fetch-Site", "cross-site"), http.StatusUnauthorized, "Unauthorized", "")

		// A token of another realm is not a caller of this one.
		other, err := f.Dir.CreateRealm(context.Background(), "other", "")
		if err != nil {
			t.Fatal(err)
		}
		app, _, err := f.Dir.CreateApp(context.Background(), other, directory.NewApp{ClientID: "iam-web", Public: true, GrantTypes: []string{iam.GrantRefreshToken}}, "")
		if err != nil {
			t.Fatal(err)
		}
		stranger, err := f.Dir.CreateUser(context.Background(), other, directory.NewUser{Username: "ann@example.com", Password: "Correct-Horse-9"}, "")
		if err != nil {
			t.Fatal(err)
		}
		foreign := f.otherRealmToken(other, app, stranger)
		f.wantError(f.get(status, "x-access-token", foreign), http.StatusUnauthorized, "Unauthorized", "")

		r := f.want(f.get("/v1/iam/auth/logout", "Cookie", iamv1.AccessCookie+"="+access), http.StatusOK)
		if c := (&http.Response{Header: r.header}).Cookies(); len(c) != 1 || c[0].Name != iamv1.AccessCookie || c[0].MaxAge >= 0 {
			t.Fatalf("logout must clear the cookie: %v", c)
		}
		f.wantError(f.get(status, "x-access-token", access), http.StatusUnauthorized, "Unauthorized", "")
		if f.userinfo(access) != http.StatusUnauthorized || f.introspect(access) || f.introspect(refresh) {
			t.Fatal("the ended session's tokens must fail everywhere at once")
		}
		f.wantError(f.post("/v1/iam/auth/web/getrefreshtoken", map[string]any{"refreshToken": refresh, "tenantId": 0, "userName": "ann@example.com"}),
			http.StatusUnauthorized, "Unauthorized", "")
		f.wantError(f.get("/v1/iam/auth/logout", "x-access-token", access), http.StatusUnauthorized, "Unauthorized", "")
		// logout2 ends a session the same way; the mobile sign-in's is untouched by the first logout.
		f.want(f.get(status, "x-access-token", mobile.str("accessToken")), http.StatusOK)
		f.want(f.get("/v1/iam/auth/logout2", "Authorization", "Bearer "+mobile.str("accessToken")), http.StatusOK)
		f.wantError(f.get(status, "x-access-token", mobile.str("accessToken")), http.StatusUnauthorized, "Unauthorized", "")
	})
}

// Wrong credentials are 400 with the document's message; a user with an
// authenticator app gets no tokens from the password alone.
func TestWebSignInFailuresAndMFA(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		f.signUpWeb("bea@example.com", "Correct-Horse-9", "")
		for _, body := range []map[string]any{
			{"userName": "bea@example.com", "password": "wrong-password"},
			{"userName": "nobody@example.com", "password": "wrong-password"},
		} {
			r := f.post("/v1/iam/auth/sign-in/web/sign-in", body)
			f.wantError(r, http.StatusBadRequest, msgSignInFailed, "")
			if r.str("errorCode") != string(iam.CodeUnauthorized) {
				t.Fatalf("errorCode: %s", r.raw)
			}
		}
		f.wantError(f.post("/v1/iam/auth/sign-in/web/sign-in", map[string]any{"userName": "bea@example.com"}), http.StatusBadRequest, "", "password")

		u, err := f.Dir.FindUser(context.Background(), f.Realm, "bea@example.com")
		if err != nil {
			t.Fatal(err)
		}
		now := f.now()
		totp := &iam.Credential{ID: iam.NewID(), RealmID: f.Realm.ID, UserID: u.ID, Type: iam.CredTOTP, Secret: "JBSWY3DPEHPK3PXP", CreatedAt: now, UpdatedAt: now}
		if err := f.Store.Realm(f.Realm.ID).Credentials().Create(context.Background(), totp); err != nil {
			t.Fatal(err)
		}
		r := f.signIn("bea@example.com", "Correct-Horse-9")
		if !r.flag("mfaenabled") || r.str("accessToken") != "" || r.str("refreshToken") != "" || r.header.Get("Set-Cookie") != "" {
			t.Fatalf("MFA user signed in with the password alone: %s", r.raw)
		}
	})
}
