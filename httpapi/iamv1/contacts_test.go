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

// contactsToken signs a web user in and returns the x-access-token header
// pair for f.call.
func contactsToken(f *fixture, user, pw string) []string {
	f.t.Helper()
	return []string{"x-access-token", f.signIn(user, pw).str("accessToken")}
}

// contactsMobileToken signs up (when new) and signs in the user of phone
// by SMS, returning the header pair and the tokens.
func contactsMobileToken(f *fixture, phone string) ([]string, resp) {
	f.t.Helper()
	f.post("/v1/iam/auth/sign-up/mobile", map[string]any{"contact": phone, "firstName": "Mo", "organizationName": "Shop " + phone})
	session := f.want(f.post("/v1/iam/auth/sign-in/mobile", map[string]any{"phoneNumber": phone}), http.StatusOK).raw
	r := f.want(f.post("/v1/iam/auth/sign-in/mobile/verify", map[string]any{
		"phoneNumber": phone, "session": session, "verificationCode": f.last(phone).Code,
	}), http.StatusOK)
	return []string{"x-access-token", r.str("accessToken")}, r
}

// contactsUser reads a user by login.
func contactsUser(f *fixture, login string) *iam.User {
	f.t.Helper()
	u, err := f.Dir.FindUser(context.Background(), f.Realm, login)
	if err != nil {
		f.t.Fatalf("user %s: %v", login, err)
	}
	return u
}

// #46 → #45: with the password, a code goes to the new address; with its
// session and code the e-mail changes, verified, and signs in.
func TestContactsEmailChange(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		f.signUpWeb("ann@example.com", "Correct-Horse-9", "Ann Co")
		f.signUpWeb("bob@example.com", "Correct-Horse-9", "")
		ann := contactsToken(f, "ann@example.com", "Correct-Horse-9")
		start := func(email, pw string, h ...string) resp {
			return f.post("/v1/iam/users/emailchangeotp", map[string]any{"newEmail": email, "password": pw}, h...)
		}
		f.wantError(start("new@example.com", "Correct-Horse-9"), http.StatusUnauthorized, "Unauthorized", "")
		f.wantError(start("new@example.com", "wrong-password", ann...), http.StatusBadRequest, "bad request", "password")
		f.wantError(start("bob@example.com", "Correct-Horse-9", ann...), http.StatusBadRequest, "bad request", "")
		f.wantError(start("new@", "Correct-Horse-9", ann...), http.StatusBadRequest, "", "newEmail")
		f.wantError(f.post("/v1/iam/users/emailchangeotp", map[string]any{"newEmail": "new@example.com"}, ann...), http.StatusBadRequest, "", "password")
		if n := len(f.messages("new@example.com")); n != 0 {
			t.Fatalf("refused requests sent %d messages", n)
		}

		r := f.want(start("new@example.com", "Correct-Horse-9", ann...), http.StatusOK)
		if r.str("sessionID") == "" || r.str("otpExpiryDurationSeconds") != "600" {
			t.Fatalf("EmailChangeResponse: %s", r.raw)
		}
		code := f.last("new@example.com").Code
		confirm := func(session, email, code string) resp {
			return f.post("/v1/iam/users/emailchangeconfirmotp", map[string]any{"sessionID": session, "newEmail": email, "verificationCode": code}, ann...)
		}
		f.wantError(confirm("no-such-session", "new@example.com", code), http.StatusNotFound, "Not Found", "")
		wrong := confirm(r.str("sessionID"), "new@example.com", "x"+code)
		f.wantError(wrong, http.StatusBadRequest, "bad request", "verificationCode")
		if wrong.str("detail") != "the code is wrong; attempts left: 4" || wrong.body["retriesLeft"] != float64(4) {
			t.Fatalf("a wrong code counts down: %s", wrong.raw)
		}
		ok := f.want(confirm(r.str("sessionID"), "new@example.com", code), http.StatusOK)
		if ok.str("body") != "email has been changed" || ok.str("statusCode") != "200 OK" {
			t.Fatalf("ResponseEntity: %s", ok.raw)
		}
		if in := f.signIn("new@example.com", "Correct-Horse-9"); !in.flag("emailVerified") {
			t.Fatalf("the new e-mail is verified: %s", in.raw)
		}
		f.wantError(f.post("/v1/iam/auth/sign-in/web/sign-in", map[string]any{"userName": "ann@example.com", "password": "Correct-Horse-9"}),
			http.StatusBadRequest, "", "")
		f.wantError(confirm(r.str("sessionID"), "new@example.com", code), http.StatusBadRequest, "bad request", "") // used

		// Expired: the code lives for the realm's code lifetime.
		r = f.want(start("newer@example.com", "Correct-Horse-9", ann...), http.StatusOK)
		f.advance(11 * time.Minute)
		ann = contactsToken(f, "new@example.com", "Correct-Horse-9") // the access token expired too
		expired := confirm(r.str("sessionID"), "newer@example.com", f.last("newer@example.com").Code)
		f.wantError(expired, http.StatusBadRequest, "bad request", "")
		if expired.str("errorCode") != string(iam.CodeExpired) {
			t.Fatalf("expired: %s", expired.raw)
		}
	})
}

// #48/#47 → #43: a code to the caller's own e-mail or contact number,
// confirmed, marks it verified.
func TestContactsVerifyOTP(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		f.want(f.post("/v1/iam/auth/sign-up/web", map[string]any{"emailId": "ann@example.com", "password": "Correct-Horse-9", "contact": "+6591234567"}), http.StatusCreated)
		f.signUpWeb("bob@example.com", "Correct-Horse-9", "")
		ann := contactsToken(f, "ann@example.com", "Correct-Horse-9")
		gen := func(op, email string, h ...string) resp {
			return f.get("/v1/iam/users/"+op+"?email="+url.QueryEscape(email), h...)
		}
		confirm := func(body map[string]any) resp { return f.post("/v1/iam/users/confirmotp", body, ann...) }

		f.wantError(gen("generateverifyemailotp", "ann@example.com"), http.StatusUnauthorized, "Unauthorized", "")
		f.wantError(gen("generateverifyemailotp", "bob@example.com", ann...), http.StatusBadRequest, "Email verification unsuccessful.", "")
		f.wantError(f.get("/v1/iam/users/generateverifyemailotp", ann...), http.StatusBadRequest, "", "email")
		f.wantError(confirm(map[string]any{"userName": "ann@example.com", "confirmationCode": "123456"}), http.StatusNotFound, "user failed to confirm email/contact", "")

		r := f.want(gen("generateverifyemailotp", "ann@example.com", ann...), http.StatusOK)
		if r.str("body") != "Email has been sent successfully." {
			t.Fatalf("ResponseEntity: %s", r.raw)
		}
		code := f.last("ann@example.com").Code
		f.wantError(confirm(map[string]any{"userName": "ann@example.com", "isEmail": true, "confirmationCode": "x" + code}),
			http.StatusBadRequest, "user failed to confirm email/contact", "confirmationCode")
		ok := f.want(confirm(map[string]any{"userName": "ann@example.com", "isEmail": true, "confirmationCode": code}), http.StatusOK)
		if ok.str("message") != "user has confirmed email/contact successfully" {
			t.Fatalf("OtpResponse: %s", ok.raw)
		}
		if !contactsUser(f, "ann@example.com").EmailVerified {
			t.Fatal("the e-mail is not verified")
		}
		f.wantError(gen("generateverifyemailotp", "ann@example.com", ann...), http.StatusBadRequest, "Email verification unsuccessful.", "")

		// The contact: the query's "email" names the caller, the SMS goes
		// to their number; the number as userName (no isEmail) confirms.
		r = f.want(gen("generateverifycontactotp", "ann@example.com", ann...), http.StatusOK)
		if r.str("body") != "SMS has been sent successfully." {
			t.Fatalf("ResponseEntity: %s", r.raw)
		}
		sms := f.last("+6591234567")
		if sms.Channel != iam.ChannelSMS {
			t.Fatalf("not an SMS: %+v", sms)
		}
		f.want(f.post("/v1/iam/users/confirmotp", `{"userName": "+65 9123 4567", "confirmationCode": "`+sms.Code+`"}`, ann...), http.StatusOK)
		if !contactsUser(f, "ann@example.com").PhoneVerified {
			t.Fatal("the contact is not verified")
		}
		f.wantError(gen("generateverifycontactotp", "bob@example.com", ann...), http.StatusBadRequest, "SMS send failed", "")
		bob := contactsToken(f, "bob@example.com", "Correct-Horse-9")
		f.wantError(gen("generateverifycontactotp", "bob@example.com", bob...), http.StatusBadRequest, "SMS send failed", "") // no contact
		f.wantError(confirm(map[string]any{"userName": "not a phone", "confirmationCode": "1"}), http.StatusBadRequest, "", "userName")
	})
}

// #64: the contact number goes only when a verified e-mail stays.
func TestContactsUnlinkContact(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		f.want(f.post("/v1/iam/auth/sign-up/web", map[string]any{"emailId": "ann@example.com", "password": "Correct-Horse-9", "contact": "+6591234567"}), http.StatusCreated)
		ann := contactsToken(f, "ann@example.com", "Correct-Horse-9")
		f.wantError(f.get("/v1/iam/users/unlinkcontact"), http.StatusUnauthorized, "Unauthorized", "")
		f.wantError(f.get("/v1/iam/users/unlinkcontact", ann...), http.StatusBadRequest, "Failed to unlink contact", "")

		u, verified := contactsUser(f, "ann@example.com"), true
		if _, err := f.Dir.UpdateUser(context.Background(), f.Realm, u.ID, directory.UserUpdate{EmailVerified: &verified}, ""); err != nil {
			t.Fatal(err)
		}
		r := f.want(f.get("/v1/iam/users/unlinkcontact", ann...), http.StatusOK)
		if r.str("body") != "Contact has been sent successfully unlinked." {
			t.Fatalf("ResponseEntity: %s", r.raw)
		}
		if u := contactsUser(f, "ann@example.com"); u.Phone != "" {
			t.Fatalf("the contact stays: %+v", u)
		}
		f.wantError(f.get("/v1/iam/users/unlinkcontact", ann...), http.StatusBadRequest, "Failed to unlink contact", "")
		// The number is free for someone else now.
		f.want(f.post("/v1/iam/auth/sign-up/mobile", map[string]any{"contact": "+6591234567"}), http.StatusCreated)
	})
}

// Every operation of the group refuses a token of another realm (401),
// even of a user with the same name there and an administrator's role.
func TestContactsOtherRealmTokenIs401(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		f.signUpWeb("ann@example.com", "Correct-Horse-9", "")
		other, err := f.Dir.EnsureRealm(ctx, "other", "")
		if err != nil {
			t.Fatal(err)
		}
		u, err := f.Dir.CreateUser(ctx, other, directory.NewUser{Username: "ann@example.com", Email: "ann@example.com", RealmRoles: []string{iam.RoleAdmin}}, "")
		if err != nil {
			t.Fatal(err)
		}
		app, err := f.Dir.EnsureApp(ctx, other, directory.NewApp{ClientID: "iam-web", Public: true, GrantTypes: []string{iam.GrantRefreshToken}})
		if err != nil {
			t.Fatal(err)
		}
		h := []string{"x-access-token", f.otherRealmToken(other, app, u)}
		for _, op := range []struct{ method, path, body string }{
			{"POST", "/v1/iam/users/emailchangeotp", `{"newEmail":"x@example.com","password":"Correct-Horse-9"}`},
			{"POST", "/v1/iam/users/emailchangeconfirmotp", `{"newEmail":"x@example.com","sessionID":"s","verificationCode":"1"}`},
			{"GET", "/v1/iam/users/generateverifyemailotp?email=ann@example.com", ""},
			{"GET", "/v1/iam/users/generateverifycontactotp?email=ann@example.com", ""},
			{"POST", "/v1/iam/users/confirmotp", `{"userName":"ann@example.com","confirmationCode":"1"}`},
			{"GET", "/v1/iam/users/unlinkcontact", ""},
			{"POST", "/v1/iam/users/email/link", `{"email":"x@example.com"}`},
			{"POST", "/v1/iam/users/email/delink", ""},
			{"POST", "/v1/iam/users/email/verify", `{"confirmationCode":"1","password":"Correct-Horse-9"}`},
			{"POST", "/v1/iam/users/email/regenerate", ""},
			{"POST", "/v1/iam/users/email/merge", `{"email":"ann@example.com"}`},
			{"POST", "/v1/iam/users/email/merge/process", `{"email":"ann@example.com","otp":"1"}`},
			{"GET", "/v1/iam/users/otp?userName=ann@example.com", ""},
			{"POST", "/v1/iam/users/otp", `"ann@example.com"`},
		} {
			var body any
			if op.body != "" {
				body = op.body
			}
			f.wantError(f.call(op.method, op.path, body, h...), http.StatusUnauthorized, "Unauthorized", "")
		}
		if n := len(f.messages("ann@example.com")); n != 1 { // the sign-up's link only
			t.Fatalf("foreign tokens sent %d messages", n)
		}
	})
}
