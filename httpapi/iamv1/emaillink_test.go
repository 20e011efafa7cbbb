package iamv1_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

const (
	emailLinkCodeInvalid = "Provided confirmation code information is invalid"
	emailLinkDelinkFail  = "Email de-link unsuccessful"
)

// A mobile user links an e-mail (#70), gets a new code (#73), verifies it
// with a first password (#74: wrong 404, expired 410), then signs in with
// e-mail and password; linking again is 208; de-linking (#69) removes it.
func TestEmailLinkFlow(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		mo, _ := contactsMobileToken(f, "+6591234567")
		f.signUpWeb("bob@example.com", "Correct-Horse-9", "")
		link := func(body any) resp { return f.post("/v1/iam/users/email/link", body, mo...) }
		verify := func(code, pw string) resp {
			return f.post("/v1/iam/users/email/verify", map[string]any{"confirmationCode": code, "password": pw}, mo...)
		}
		regenerate := func() resp { return f.post("/v1/iam/users/email/regenerate", nil, mo...) }

		f.wantError(f.post("/v1/iam/users/email/link", map[string]any{"email": "mo@example.com"}), http.StatusUnauthorized, "Unauthorized", "")
		f.wantError(link(map[string]any{"email": "mo@"}), http.StatusBadRequest, "", "email")
		f.wantError(link(map[string]any{"email": 5}), http.StatusBadRequest, "", "email")
		f.wantError(link(map[string]any{"email": "bob@example.com"}), http.StatusBadRequest, "A verification email has not been sent successfully.", "")
		f.wantError(verify("123456", "Correct-Horse-9"), http.StatusNotFound, emailLinkCodeInvalid, "")
		f.wantError(regenerate(), http.StatusNotFound, "Not Found", "")

		r := f.want(link(map[string]any{"email": "mo@example.com"}), http.StatusOK)
		if r.str("body") != "A verification email has been sent successfully." || r.str("statusCode") != "200 OK" {
			t.Fatalf("ResponseEntity: %s", r.raw)
		}
		code := f.last("mo@example.com").Code
		wrong := verify("x"+code, "Correct-Horse-9")
		f.wantError(wrong, http.StatusNotFound, emailLinkCodeInvalid, "confirmationCode")
		if !strings.HasSuffix(wrong.str("detail"), "attempts left: 4") || wrong.body["retriesLeft"] != float64(4) {
			t.Fatalf("a wrong code counts down: %s", wrong.raw)
		}
		f.advance(11 * time.Minute)
		mo, _ = contactsMobileToken(f, "+6591234567")
		f.wantError(verify(code, "Correct-Horse-9"), http.StatusGone, "The Confirmation code has been expired. Please generate a new confirmation code.", "")

		// The document's #73 answers with #69's text.
		f.advance(time.Second)
		r = f.want(regenerate(), http.StatusOK)
		if r.raw != "Email de-link successfully." || !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain") {
			t.Fatalf("regenerate: %q", r.raw)
		}
		code = f.last("mo@example.com").Code
		f.wantError(verify(code, "short"), http.StatusBadRequest, "", "password") // the policy holds
		r = f.want(verify(code, "Correct-Horse-9"), http.StatusOK)
		if r.str("body") != "Email has been linked successfully." {
			t.Fatalf("ResponseEntity: %s", r.raw)
		}
		if in := f.signIn("mo@example.com", "Correct-Horse-9"); !in.flag("emailVerified") {
			t.Fatalf("sign in with the linked e-mail: %s", in.raw)
		}
		f.wantError(verify(code, "Correct-Horse-9"), http.StatusNotFound, emailLinkCodeInvalid, "") // used

		// Linked: 208 for any further link, as a bare JSON string too.
		r = f.want(link(`"mo2@example.com"`), http.StatusAlreadyReported)
		if r.str("body") != "User email is already linked." || r.str("statusCode") != "208 ALREADY_REPORTED" {
			t.Fatalf("ResponseEntity: %s", r.raw)
		}
		f.wantError(regenerate(), http.StatusBadRequest, emailLinkDelinkFail, "")

		r = f.want(f.post("/v1/iam/users/email/delink", nil, mo...), http.StatusOK)
		if r.raw != "Email de-link successfully." {
			t.Fatalf("de-link: %q", r.raw)
		}
		if u := contactsUser(f, "+6591234567"); u.Email != "" || u.EmailVerified {
			t.Fatalf("after de-link: %+v", u)
		}
		f.wantError(f.post("/v1/iam/auth/sign-in/web/sign-in", map[string]any{"userName": "mo@example.com", "password": "Correct-Horse-9"}), http.StatusBadRequest, "", "")
		f.wantError(f.post("/v1/iam/users/email/delink", nil, mo...), http.StatusBadRequest, emailLinkDelinkFail, "")

		// A user with a password must give it to link.
		f.advance(time.Second)
		f.want(link(`{"email": "mo3@example.com"}`), http.StatusOK)
		f.wantError(verify(f.last("mo3@example.com").Code, "Wrong-Horse-9"), http.StatusBadRequest, "Email has not been linked successfully.", "password")
	})
}

// A web user keeps their e-mail: de-linking it would leave no verified
// way to sign in.
func TestEmailDelinkNeedsVerifiedContact(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		f.want(f.post("/v1/iam/auth/sign-up/web", map[string]any{"emailId": "ann@example.com", "password": "Correct-Horse-9", "contact": "+6591234567"}), http.StatusCreated)
		ann := contactsToken(f, "ann@example.com", "Correct-Horse-9")
		f.wantError(f.post("/v1/iam/users/email/delink", nil, ann...), http.StatusBadRequest, emailLinkDelinkFail, "")
		f.wantError(f.post("/v1/iam/users/email/delink", nil), http.StatusUnauthorized, "Unauthorized", "")
		if u := contactsUser(f, "ann@example.com"); u.Email != "ann@example.com" {
			t.Fatalf("a refused de-link changed the user: %+v", u)
		}
	})
}
