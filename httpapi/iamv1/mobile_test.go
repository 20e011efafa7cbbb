package iamv1_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"iamd/iam"
)

const msgCodeFailed = "Failed to initiate sign in confirmation code."

// Mobile: sign-up by contact number; sign-in/mobile sends an SMS code and
// answers a session; phone, session and code give tokens. Wrong codes
// count down and lock the account.
func TestMobileSignUpAndSMSSignIn(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		f.Realm.Settings.PhoneRegion = "SG"
		f.Realm.Settings.BruteForce.MaxOTPFailures = 3
		if err := f.Store.Realms().Update(ctx, f.Realm); err != nil {
			t.Fatal(err)
		}
		// The document writes contact numbers as JSON numbers; a number
		// without + is read in the realm's region.
		r := f.want(f.post("/v1/iam/auth/sign-up/mobile", `{"contact": 91234567, "firstName": "Mo", "organizationName": "Mo's Shop"}`), http.StatusCreated)
		if r.str("userName") != "+6591234567" || r.str("contact") != "+6591234567" || r.num("tenantId") <= 0 || r.str("source") != "MOBILE" {
			t.Fatalf("mobile sign-up: %s", r.raw)
		}
		f.wantError(f.post("/v1/iam/auth/sign-up/mobile", map[string]any{"contact": "+65 9123 4567"}), http.StatusBadRequest, msgUserExists, "")

		start := func() string {
			t.Helper()
			r := f.want(f.post("/v1/iam/auth/sign-in/mobile", map[string]any{"phoneNumber": "+65-9123-4567"}), http.StatusOK)
			if !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain") || r.raw == "" {
				t.Fatalf("session: %q", r.raw)
			}
			return r.raw
		}
		session := start()
		sms := f.last("+6591234567")
		if sms.Channel != iam.ChannelSMS || len(sms.Code) != 6 || !strings.Contains(sms.Text, sms.Code) {
			t.Fatalf("SMS: %+v", sms)
		}
		verify := func(session, code string) resp {
			return f.post("/v1/iam/auth/sign-in/mobile/verify", map[string]any{"phoneNumber": "+6591234567", "session": session, "verificationCode": code})
		}
		f.wantError(verify(session, "000000x"), http.StatusBadRequest, msgCodeFailed, "")
		ok := f.want(verify(session, sms.Code), http.StatusOK)
		if ok.str("accessToken") == "" || ok.str("refreshToken") == "" || f.userinfo(ok.str("accessToken")) != http.StatusOK {
			t.Fatalf("tokens: %s", ok.raw)
		}
		if c := claims(t, ok.str("accessToken")); int64(c["org_num"].(float64)) != r.num("tenantId") {
			t.Fatalf("the session is in the user's organization: %v", c)
		}
		f.wantError(verify(session, sms.Code), http.StatusBadRequest, msgCodeFailed, "") // used
		f.wantError(verify("no-such-session", sms.Code), http.StatusNotFound, msgCodeFailed, "")

		// The realm allows 3 OTP failures: the third locks the account.
		session = start()
		code := f.last("+6591234567").Code
		for i := 0; i < 2; i++ {
			f.wantError(verify(session, "999999x"), http.StatusBadRequest, msgCodeFailed, "")
		}
		locked := verify(session, "999999x")
		f.wantError(locked, http.StatusBadRequest, msgCodeFailed, "")
		if locked.str("errorCode") != string(iam.CodeLocked) {
			t.Fatalf("the third failure locks: %s", locked.raw)
		}
		f.wantError(verify(session, code), http.StatusBadRequest, msgCodeFailed, "")
		f.wantError(f.post("/v1/iam/auth/sign-in/mobile", map[string]any{"phoneNumber": "+6591234567"}), http.StatusBadRequest, msgCodeFailed, "")

		f.wantError(f.post("/v1/iam/auth/sign-in/mobile", map[string]any{"phoneNumber": "+6590000000"}), http.StatusNotFound, msgCodeFailed, "")
		f.wantError(f.post("/v1/iam/auth/sign-in/mobile", map[string]any{"phoneNumber": "call me"}), http.StatusBadRequest, "", "phoneNumber")
		f.wantError(f.post("/v1/iam/auth/sign-in/mobile/verify", map[string]any{"phoneNumber": "+6591234567", "session": session}), http.StatusBadRequest, "", "verificationCode")
	})
}
