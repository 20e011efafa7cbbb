package iamv1_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"iamd/store"
)

// Bad input is 400 in the surface's error shape, naming the field where
// there is one, and changes nothing.
func TestBadInputIs400AndChangesNothing(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		long := strings.Repeat("x", 300)
		parent := f.t
		for _, tc := range []struct {
			name, path, body, field string
		}{
			{"sign-up: nothing", "/v1/iam/auth/sign-up/web", `{}`, "emailId"},
			{"sign-up: no password", "/v1/iam/auth/sign-up/web", `{"emailId":"ann@example.com"}`, "password"},
			{"sign-up: e-mail of the wrong type", "/v1/iam/auth/sign-up/web", `{"emailId":5,"password":"Correct-Horse-9"}`, "emailId"},
			{"sign-up: malformed e-mail", "/v1/iam/auth/sign-up/web", `{"emailId":"ann@","password":"Correct-Horse-9"}`, "emailId"},
			{"sign-up: malformed contact", "/v1/iam/auth/sign-up/web", `{"emailId":"ann@example.com","password":"Correct-Horse-9","contact":"call me"}`, "contact"},
			{"sign-up: contact of the wrong type", "/v1/iam/auth/sign-up/web", `{"emailId":"ann@example.com","password":"Correct-Horse-9","contact":{}}`, "contact"},
			{"sign-up: unknown source", "/v1/iam/auth/sign-up/web", `{"emailId":"ann@example.com","password":"Correct-Horse-9","source":"FAX"}`, "source"},
			{"sign-up: overlong first name", "/v1/iam/auth/sign-up/web", `{"emailId":"ann@example.com","password":"Correct-Horse-9","firstName":"` + long + `"}`, "firstName"},
			{"sign-up: control characters", "/v1/iam/auth/sign-up/web", `{"emailId":"ann@example.com","password":"Correct-Horse-9","lastName":"a\u0007b"}`, "lastName"},
			{"sign-up: flag of the wrong type", "/v1/iam/auth/sign-up/web", `{"emailId":"ann@example.com","password":"Correct-Horse-9","isTeam":"yes"}`, "isTeam"},
			{"sign-up: weak password", "/v1/iam/auth/sign-up/web", `{"emailId":"ann@example.com","password":"short"}`, "password"},
			{"sign-up: overlong organization", "/v1/iam/auth/sign-up/web", `{"emailId":"ann@example.com","password":"Correct-Horse-9","organizationName":"` + long + `"}`, "organizationName"},
			{"sign-up: not an object", "/v1/iam/auth/sign-up/web", `["ann@example.com"]`, ""},
			{"sign-up: not JSON", "/v1/iam/auth/sign-up/web", `emailId=ann@example.com`, ""},
			{"sign-up: empty body", "/v1/iam/auth/sign-up/web", ``, ""},
			{"sign-up: oversized body", "/v1/iam/auth/sign-up/web", `{"emailId":"ann@example.com","password":"Correct-Horse-9","firstName":"` + strings.Repeat("x", maxBody) + `"}`, ""},
			{"mobile sign-up: nothing", "/v1/iam/auth/sign-up/mobile", `{}`, "contact"},
			{"mobile sign-up: contact of the wrong type", "/v1/iam/auth/sign-up/mobile", `{"contact":true}`, "contact"},
			{"mobile sign-up: malformed contact", "/v1/iam/auth/sign-up/mobile", `{"contact":"12"}`, "contact"},
			{"mobile sign-up: tenant of the wrong type", "/v1/iam/auth/sign-up/mobile", `{"contact":"+6591234567","iamUserId":"twelve"}`, "iamUserId"},
			{"sign-in: user name of the wrong type", "/v1/iam/auth/sign-in/web/sign-in", `{"userName":1,"password":"x"}`, "userName"},
			{"sign-in: no user name", "/v1/iam/auth/sign-in/web/sign-in", `{"password":"x"}`, "userName"},
			{"mobile sign-in: phone of the wrong type", "/v1/iam/auth/sign-in/mobile", `{"phoneNumber":[]}`, "phoneNumber"},
			{"mobile verify: no session", "/v1/iam/auth/sign-in/mobile/verify", `{"phoneNumber":"+6591234567","verificationCode":"123456"}`, "session"},
			{"mobile verify: malformed phone", "/v1/iam/auth/sign-in/mobile/verify", `{"phoneNumber":"x","session":"s","verificationCode":"123456"}`, "phoneNumber"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				f.t = t
				f.wantError(f.post(tc.path, tc.body), http.StatusBadRequest, "", tc.field)
			})
		}
		f.t = parent
		r := f.call(http.MethodPost, "/v1/iam/auth/sign-up/web", nil, "Content-Type", "text/plain")
		f.wantError(r, http.StatusBadRequest, "", "")
		if f.userCount() != 0 {
			t.Fatal("bad input created a user")
		}
		msgs, err := f.Store.Realm(f.Realm.ID).Messages().List(context.Background(), store.Page{})
		if err != nil || len(msgs) != 0 {
			t.Fatalf("bad input sent %d messages (%v)", len(msgs), err)
		}
	})
}
