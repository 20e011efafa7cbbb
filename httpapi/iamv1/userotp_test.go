package iamv1_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"iamd/directory"
	"iamd/iam"
)

const userOTPInvalid = "Invalid user name user otp."

// userOTPAdmin is the x-access-token header pair of a realm administrator.
func userOTPAdmin(f *fixture) []string {
	f.t.Helper()
	ctx := context.Background()
	u, err := f.Dir.CreateUser(ctx, f.Realm, directory.NewUser{Username: "root", RealmRoles: []string{iam.RoleAdmin}}, "")
	if err != nil {
		f.t.Fatal(err)
	}
	app, err := f.Dir.EnsureApp(ctx, f.Realm, directory.NewApp{ClientID: "iam-web", Public: true, GrantTypes: []string{iam.GrantRefreshToken}})
	if err != nil {
		f.t.Fatal(err)
	}
	return []string{"x-access-token", f.otherRealmToken(f.Realm, app, u)}
}

// #54 makes a mobile sign-in code and shows it once; it signs the user in
// at sign-in/mobile/verify. #53 shows a valid code's session, contact,
// type and expiry, never the code. Only administrators may do either.
func TestUserOTP(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		_, _ = contactsMobileToken(f, "+6591234567")
		f.signUpWeb("ann@example.com", "Correct-Horse-9", "Ann Co") // an organization's administrator, not the realm's
		admin := userOTPAdmin(f)
		ann := contactsToken(f, "ann@example.com", "Correct-Horse-9")
		get := func(name string, h ...string) resp {
			return f.get("/v1/iam/users/otp?userName="+url.QueryEscape(name), h...)
		}

		f.wantError(f.post("/v1/iam/users/otp", `"+6591234567"`), http.StatusUnauthorized, "Unauthorized", "")
		f.wantError(f.post("/v1/iam/users/otp", `"+6591234567"`, ann...), http.StatusForbidden, "Forbidden", "")
		f.wantError(get("+6591234567", ann...), http.StatusForbidden, "Forbidden", "")
		f.wantError(get("+6591234567", admin...), http.StatusNotFound, userOTPInvalid, "")
		f.wantError(f.get("/v1/iam/users/otp", admin...), http.StatusNotFound, userOTPInvalid, "userName")
		f.wantError(f.post("/v1/iam/users/otp", `"nobody"`, admin...), http.StatusUnauthorized, userOTPInvalid, "")
		f.wantError(f.post("/v1/iam/users/otp", `"ann@example.com"`, admin...), http.StatusUnauthorized, userOTPInvalid, "") // no phone
		f.wantError(f.post("/v1/iam/users/otp", `{"userName": 5}`, admin...), http.StatusBadRequest, "", "userName")

		r := f.want(f.post("/v1/iam/users/otp", `{"userName": "+6591234567"}`, admin...), http.StatusOK)
		if r.str("otpType") != "LOGIN" || r.str("contact") != "+6591234567" || len(r.str("otp")) != 6 || r.str("session") == "" {
			t.Fatalf("UserOtpResponse: %s", r.raw)
		}
		if exp, err := time.Parse(time.RFC3339, r.str("expiry")); err != nil || exp.Before(time.Now()) {
			t.Fatalf("expiry %q: %v", r.str("expiry"), err)
		}
		if sms := f.last("+6591234567"); sms.Code != r.str("otp") {
			t.Fatal("the code goes to the user's phone as well")
		}
		g := f.want(get("+6591234567", admin...), http.StatusOK)
		if g.str("session") != r.str("session") || g.str("otp") != "" || g.str("expiry") != r.str("expiry") || g.str("otpType") != "LOGIN" {
			t.Fatalf("GET shows the code's facts, never the code: %s", g.raw)
		}
		tok := f.want(f.post("/v1/iam/auth/sign-in/mobile/verify", map[string]any{
			"phoneNumber": r.str("contact"), "session": r.str("session"), "verificationCode": r.str("otp"),
		}), http.StatusOK)
		if tok.str("accessToken") == "" {
			t.Fatalf("sign-in with the code: %s", tok.raw)
		}
		f.wantError(get("+6591234567", admin...), http.StatusNotFound, userOTPInvalid, "") // used
	})
}
