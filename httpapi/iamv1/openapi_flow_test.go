package iamv1_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"iamd/httpapi/iamv1"
)

// TestOpenAPIFlow walks a representative client session — sign-up,
// verification, sign-in, MFA key, the user record, organizations and
// their people, tokens, passwords, mobile sign-in, logout — and the usual
// errors, with every answer checked against the document by the fixture
// (checkOpenAPI). It then asserts those checks happened, so that the
// document stays covered whatever the other tests do.
func TestOpenAPIFlow(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		const pw, email = "Flow-Horse-9", "flow@example.com"
		f.want(f.get("/v1/iam/openapi.json"), http.StatusOK)

		// Sign-up, check-user, verification.
		dto := f.signUpWeb(email, pw, "Flow Org")
		userPath := "/v1/iam/users/" + strconv.FormatInt(dto.num("id"), 10)
		tenant := dto.num("tenantId")
		f.want(f.post("/v1/iam/auth/sign-up/web", map[string]any{"emailId": email, "password": pw}), http.StatusBadRequest)
		f.want(f.post("/v1/iam/auth/sign-up/web", map[string]any{"emailId": 42}), http.StatusBadRequest)
		f.want(f.get("/v1/iam/auth/user?emailId="+email+"&action=checkExistingUserDetails"), http.StatusOK)
		link := f.linkPath(email)
		f.want(f.get(link), http.StatusOK)
		f.want(f.get(link), http.StatusNotFound)
		f.want(f.get("/v1/iam/auth/email/verification"), http.StatusBadRequest)

		// Sign-in and the token operations.
		f.want(f.post("/v1/iam/auth/sign-in/web/sign-in", map[string]any{"userName": email, "password": "wrong"}), http.StatusBadRequest)
		tokens := f.signIn(email, pw)
		tok := []string{"x-access-token", tokens.str("accessToken")}
		f.want(f.get("/v1/iam/auth/sign-in/login/status", tok...), http.StatusOK)
		f.want(f.get("/v1/iam/token/validate", tok...), http.StatusOK)
		f.want(f.post("/v1/iam/auth/web/getrefreshtoken", map[string]any{
			"refreshToken": tokens.str("refreshToken"), "tenantId": tenant, "userName": email}), http.StatusOK)
		f.want(f.post("/v1/iam/users/switch-tenant", map[string]any{
			"refreshToken": tokens.str("refreshToken"), "tenantId": strconv.FormatInt(tenant, 10), "userName": email}, tok...), http.StatusOK)
		f.want(f.post("/v1/iam/users/switch-tenant", map[string]any{
			"refreshToken": tokens.str("refreshToken"), "tenantId": 999999, "userName": email}, tok...), http.StatusBadRequest)

		// MFA key and status.
		key := f.want(f.post("/v1/iam/auth/sign-in/web/mfa", nil, tok...), http.StatusOK)
		if key.str("key") == "" || key.str("qrCodeBytes") == "" {
			t.Fatalf("MFA key: %s", key.raw)
		}
		f.want(f.get("/v1/iam/auth/sign-in/web/mfa-status", tok...), http.StatusOK)

		// The user record.
		f.want(f.get(userPath, tok...), http.StatusOK)
		f.want(f.call(http.MethodPut, userPath, map[string]any{"firstName": "Flo"}, tok...), http.StatusOK)
		f.want(f.call(http.MethodPatch, userPath, map[string]any{"lastName": "Wing"}, tok...), http.StatusOK)
		f.want(f.get("/v1/iam/users/999999", tok...), http.StatusNotFound)
		f.want(f.get("/v1/iam/users/abc", tok...), http.StatusBadRequest)
		f.want(f.get(userPath), http.StatusUnauthorized)
		f.want(f.get("/v1/iam/users/otp?userName="+email, tok...), http.StatusForbidden)

		// People of the organization.
		f.want(f.post("/v1/iam/users/tenants", map[string]any{"emailId": "pat@example.com", "tenantId": tenant}, tok...), http.StatusOK)
		f.want(f.post("/v1/iam/users/tenants", map[string]any{"emailId": "pat@example.com", "tenantId": tenant}, tok...), http.StatusAlreadyReported)
		f.want(f.post("/v1/iam/users/bulk-create", []map[string]any{
			{"appName": iamv1.DefaultApp, "roleGroup": "user", "firstName": "Ro", "lastName": "W", "email": "row@example.com"},
			{"appName": iamv1.DefaultApp, "roleGroup": "user", "firstName": "Ro", "lastName": "W", "email": "pat@example.com"},
		}, tok...), http.StatusOK)
		f.want(f.post("/v1/iam/users/registered/contacts", map[string]any{"emails": []string{"pat@example.com"}}, tok...), http.StatusOK)

		// Passwords.
		f.want(f.post("/v1/iam/auth/password/forgot", map[string]any{"userName": email}), http.StatusOK)
		f.want(f.post("/v1/iam/auth/password/forgot", map[string]any{"userName": "nobody@example.com"}), http.StatusNotFound)

		// Mobile sign-up and sign-in.
		f.want(f.post("/v1/iam/auth/sign-up/mobile", map[string]any{"contact": "+65 9123 4599"}), http.StatusCreated)
		session := f.want(f.post("/v1/iam/auth/sign-in/mobile", map[string]any{"phoneNumber": "+6591234599"}), http.StatusOK).raw
		f.want(f.post("/v1/iam/auth/sign-in/mobile/verify", map[string]any{
			"phoneNumber": "+6591234599", "session": session, "verificationCode": f.last("+6591234599").Code}), http.StatusOK)

		// Logout ends the session.
		f.want(f.get("/v1/iam/auth/logout", tok...), http.StatusOK)
		f.want(f.get("/v1/iam/auth/sign-in/login/status", tok...), http.StatusUnauthorized)

		for _, c := range []struct {
			op     string
			status int
		}{
			{"getOpenAPI", 200}, {"signUpWeb", 201}, {"signUpWeb", 400}, {"checkExistingUser", 200},
			{"verifyEmail", 200}, {"verifyEmail", 404}, {"verifyEmail", 400}, {"webSignIn", 200}, {"webSignIn", 400},
			{"loginStatus", 200}, {"loginStatus", 401}, {"validateToken", 200}, {"getRefreshTokenWeb", 200},
			{"switchTenant", 200}, {"switchTenant", 400}, {"getMfaKey", 200}, {"getMfaStatus", 200},
			{"getUser", 200}, {"getUser", 404}, {"getUser", 400}, {"getUser", 401}, {"updateUser", 200},
			{"updateUserAttributes", 200}, {"getUserOtp", 403}, {"addUserToTenant", 200}, {"addUserToTenant", 208},
			{"bulkCreateUsers", 200}, {"getRegisteredContacts", 200}, {"forgotPassword", 200}, {"forgotPassword", 404},
			{"signUpMobile", 201}, {"mobileSignIn", 200}, {"mobileSignInVerify", 200}, {"logout", 200},
		} {
			if !checked(t, c.op, c.status) {
				t.Errorf("no %s %d answer was checked against the document", c.op, c.status)
			}
		}
	})
}

// TestOpenAPISecurity holds the document's security to the handlers:
// without a token an operation that needs one never succeeds (401, or 400
// where the input is refused first) and a public one never asks for a
// token; a plain user's token is refused (403) by the administrators'
// operations.
func TestOpenAPISecurity(t *testing.T) {
	f := newFixture(t, openSQLite(t))
	f.signUpWeb("plain@example.com", "Plain-Horse-9", "")
	tok := f.signIn("plain@example.com", "Plain-Horse-9").str("accessToken")
	for pattern, access := range iamv1.OpenAPIAccessForTest() {
		method, path, _ := strings.Cut(pattern, " ")
		path = strings.NewReplacer("{id}", "7", "{email}", "nobody@example.com").Replace(path)
		var body any
		if method != http.MethodGet {
			body = map[string]any{}
		}
		r := f.call(method, path, body)
		switch {
		case access == "public" && r.status == http.StatusUnauthorized:
			t.Errorf("%s is documented public but asks for a token: %s", pattern, r.raw)
		case access != "public" && r.status != http.StatusUnauthorized && r.status != http.StatusBadRequest:
			t.Errorf("%s without a token: %d %s", pattern, r.status, r.raw)
		}
		if access == "admin" {
			if r := f.call(method, path, body, "x-access-token", tok); r.status != http.StatusForbidden {
				t.Errorf("%s with a plain user's token: %d %s", pattern, r.status, r.raw)
			}
		}
	}
}
