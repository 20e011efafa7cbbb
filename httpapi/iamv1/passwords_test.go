package iamv1_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"iamd/iam"
)

const (
	forgotPath   = "/v1/iam/auth/password/forgot"
	confirmPath  = "/v1/iam/auth/password/confirm"
	changePath   = "/v1/iam/users/change-password"
	adminSetPath = "/v1/iam/users/adminSetPassword"

	msgForgotSent        = "Confirmation code has been sent successfully."
	msgForgotFailed      = "Failed to initiate forgot password confirmation code."
	msgPasswordSet       = "User has set new password successfully."
	msgPasswordSetFailed = "User's new password request failed."
)

// pwRefreshWorks reports whether user's refresh token still refreshes.
func (f *fixture) pwRefreshWorks(user, refresh string) bool {
	f.t.Helper()
	r := f.post("/v1/iam/auth/web/getrefreshtoken", map[string]any{"refreshToken": refresh, "tenantId": 0, "userName": user})
	switch r.status {
	case http.StatusOK:
		return true
	case http.StatusUnauthorized:
		return false
	}
	f.t.Fatalf("refresh: %d %s", r.status, r.raw)
	return false
}

// pwRetries is the retriesLeft of an answer, -1 without one.
func pwRetries(r resp) int {
	n, ok := r.body["retriesLeft"].(float64)
	if !ok {
		return -1
	}
	return int(n)
}

// Forgot → code by e-mail or by SMS, depending on the username → confirm
// with the code and a new password. Wrong codes count down retriesLeft
// and lock; after a reset no earlier refresh token of the user works.
func TestPasswordForgotAndConfirm(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		f.Realm.Settings.PhoneRegion = "SG"
		f.Realm.Settings.BruteForce.MaxOTPFailures = 3
		if err := f.Store.Realms().Update(context.Background(), f.Realm); err != nil {
			t.Fatal(err)
		}
		f.signUpWeb("ann@example.com", "Correct-Horse-9", "Acme")
		s := f.signIn("ann@example.com", "Correct-Horse-9")
		confirm := func(user any, code, pw string) resp {
			return f.post(confirmPath, map[string]any{"userName": user, "confirmationCode": code, "password": pw})
		}

		// By e-mail, for an e-mail address.
		r := f.want(f.post(forgotPath, map[string]any{"userName": "ann@example.com"}, "accept", "application/json"), http.StatusOK)
		if r.raw != msgForgotSent {
			t.Fatalf("forgot: %q", r.raw)
		}
		mail := f.last("ann@example.com")
		if mail.Channel != iam.ChannelEmail || len(mail.Code) != 6 || !strings.Contains(mail.Text, mail.Code) {
			t.Fatalf("e-mail: %+v", mail)
		}
		// The policy refuses a weak password before the code is tried.
		f.wantError(confirm("ann@example.com", mail.Code, "short"), http.StatusBadRequest, "", "password")
		for want := 2; want >= 1; want-- {
			w := confirm("ann@example.com", "000000x", "New-Horse-42")
			f.wantError(w, http.StatusBadRequest, msgPasswordSetFailed, "")
			if pwRetries(w) != want {
				t.Fatalf("retriesLeft, want %d: %s", want, w.raw)
			}
		}
		ok := f.want(confirm("ann@example.com", mail.Code, "New-Horse-42"), http.StatusOK)
		if ok.str("message") != msgPasswordSet || pwRetries(ok) != 0 {
			t.Fatalf("confirm: %s", ok.raw)
		}
		if f.pwRefreshWorks("ann@example.com", s.str("refreshToken")) || f.introspect(s.str("refreshToken")) || f.userinfo(s.str("accessToken")) != http.StatusUnauthorized {
			t.Fatal("after a reset no earlier token of the user works")
		}
		f.wantError(f.post("/v1/iam/auth/sign-in/web/sign-in", map[string]any{"userName": "ann@example.com", "password": "Correct-Horse-9"}), http.StatusBadRequest, msgSignInFailed, "")
		if f.signIn("ann@example.com", "New-Horse-42").str("accessToken") == "" {
			t.Fatal("the new password signs in")
		}
		f.wantError(confirm("ann@example.com", mail.Code, "Other-Horse-42"), http.StatusBadRequest, msgPasswordSetFailed, "") // used

		// By SMS, for a phone number (a mobile user gets a password this way).
		f.want(f.post("/v1/iam/auth/sign-up/mobile", `{"contact": 91234567}`), http.StatusCreated)
		f.want(f.post(forgotPath, `{"userName": "+65-9123-4567"}`), http.StatusOK)
		sms := f.last("+6591234567")
		if sms.Channel != iam.ChannelSMS || len(sms.Code) != 6 || !strings.Contains(sms.Text, sms.Code) {
			t.Fatalf("SMS: %+v", sms)
		}
		f.want(f.post(confirmPath, `{"userName": 91234567, "confirmationCode": `+mfaJSONCode(sms.Code)+`, "password": "Mobile-Horse-42"}`), http.StatusOK)
		if f.signIn("+6591234567", "Mobile-Horse-42").str("accessToken") == "" {
			t.Fatal("the phone user signs in with the new password")
		}

		// The code's last allowed failure locks the account.
		f.want(f.post(forgotPath, map[string]any{"userName": "ann@example.com"}), http.StatusOK)
		code := f.last("ann@example.com").Code
		for i := 0; i < 2; i++ {
			f.wantError(confirm("ann@example.com", "000000x", "Third-Horse-42"), http.StatusBadRequest, msgPasswordSetFailed, "")
		}
		locked := confirm("ann@example.com", "000000x", "Third-Horse-42")
		f.wantError(locked, http.StatusBadRequest, msgPasswordSetFailed, "")
		if locked.str("errorCode") != string(iam.CodeLocked) || pwRetries(locked) != 0 {
			t.Fatalf("the third failure locks: %s", locked.raw)
		}
		f.wantError(confirm("ann@example.com", code, "Third-Horse-42"), http.StatusBadRequest, msgPasswordSetFailed, "")
		f.wantError(f.post(forgotPath, map[string]any{"userName": "ann@example.com"}), http.StatusBadRequest, msgForgotFailed, "")

		// Unknown users, bad input: nothing is sent.
		before := len(f.messages("ann@example.com"))
		f.wantError(f.post(forgotPath, map[string]any{"userName": "nobody@example.com"}), http.StatusNotFound, msgForgotFailed, "")
		f.wantError(confirm("nobody@example.com", "123456", "New-Horse-42"), http.StatusNotFound, msgPasswordSetFailed, "")
		f.wantError(f.post(forgotPath, map[string]any{}), http.StatusBadRequest, "", "userName")
		f.wantError(f.post(forgotPath, map[string]any{"userName": "ann@"}), http.StatusBadRequest, "", "userName")
		f.wantError(f.post(forgotPath, map[string]any{"userName": true}), http.StatusBadRequest, "", "userName")
		f.wantError(f.post(confirmPath, map[string]any{"userName": "ann@example.com", "password": "New-Horse-42"}), http.StatusBadRequest, "", "confirmationCode")
		f.wantError(f.post(confirmPath, map[string]any{"userName": "ann@example.com", "confirmationCode": "1"}), http.StatusBadRequest, "", "password")
		if len(f.messages("ann@example.com")) != before {
			t.Fatal("refused requests sent a message")
		}
	})
}

// change-password takes the old password; the caller stays signed in,
// the user's other sessions end. adminSetPassword is for administrators.
func TestPasswordChangeAndAdminSet(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		f.signUpWeb("cal@example.com", "Correct-Horse-9", "")
		a := f.signIn("cal@example.com", "Correct-Horse-9")
		b := f.signIn("cal@example.com", "Correct-Horse-9")
		auth := []string{"x-access-token", a.str("accessToken")}
		change := func(old, new string, header ...string) resp {
			return f.post(changePath, map[string]any{"oldPassword": old, "newPassword": new}, header...)
		}
		f.wantError(change("Correct-Horse-9", "New-Horse-42"), http.StatusUnauthorized, "Unauthorized", "")
		f.wantError(change("wrong-password", "New-Horse-42", auth...), http.StatusBadRequest, "", "oldPassword")
		f.wantError(change("Correct-Horse-9", "short", auth...), http.StatusBadRequest, "", "newPassword")
		f.wantError(f.post(changePath, map[string]any{"newPassword": "New-Horse-42"}, auth...), http.StatusBadRequest, "", "oldPassword")
		if r := f.want(change("Correct-Horse-9", "New-Horse-42", auth...), http.StatusOK); r.raw != "Password changed successfully." {
			t.Fatalf("change: %q", r.raw)
		}
		if f.userinfo(a.str("accessToken")) != http.StatusOK || !f.pwRefreshWorks("cal@example.com", a.str("refreshToken")) {
			t.Fatal("the caller stays signed in")
		}
		if f.pwRefreshWorks("cal@example.com", b.str("refreshToken")) {
			t.Fatal("the user's other sessions end")
		}
		if f.signIn("cal@example.com", "New-Horse-42").str("accessToken") == "" {
			t.Fatal("the new password signs in")
		}

		set := func(body any, header ...string) resp { return f.post(adminSetPath, body, header...) }
		body := map[string]any{"userName": "cal@example.com", "password": "Admin-Set-77", "confirmationCode": "0"}
		c := f.signIn("cal@example.com", "New-Horse-42")
		f.wantError(set(body), http.StatusUnauthorized, "Unauthorized", "")
		f.wantError(set(body, "x-access-token", c.str("accessToken")), http.StatusForbidden, "Forbidden", "")
		admin := []string{"x-access-token", f.mfaAdminToken("pw-boss")}
		f.wantError(set(map[string]any{"userName": "nobody@example.com", "password": "Admin-Set-77"}, admin...), http.StatusNotFound, msgPasswordSetFailed, "")
		f.wantError(set(map[string]any{"userName": "cal@example.com", "password": "short"}, admin...), http.StatusBadRequest, "", "password")
		f.wantError(set(map[string]any{"password": "Admin-Set-77"}, admin...), http.StatusBadRequest, "", "userName")
		r := f.want(set(body, admin...), http.StatusOK)
		if r.str("message") != msgPasswordSet {
			t.Fatalf("admin set: %s", r.raw)
		}
		if f.pwRefreshWorks("cal@example.com", c.str("refreshToken")) {
			t.Fatal("after an administrator's reset no earlier refresh token works")
		}
		if f.signIn("cal@example.com", "Admin-Set-77").str("accessToken") == "" {
			t.Fatal("the password the administrator set signs in")
		}
	})
}
