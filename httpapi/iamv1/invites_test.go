package iamv1_test

import (
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"

	"iamd/directory"
	"iamd/iam"
)

const (
	peopleMsgInviteSent     = "Invite code has been sent."
	peopleMsgInviteFailed   = "Failed to initiate invite."
	peopleMsgVerifyFailed   = "Failed to Verify invite code."
	peopleMsgNotFound       = "Not Found"
	peopleMsgInvitedFailed  = "Failed to Update invited user"
	peopleMsgInvitedMissing = "Failed to Update invited user."
)

func peopleStatus(f *fixture, code string) resp {
	f.t.Helper()
	return f.get("/v1/iam/auth/books/invite/status?code=" + url.QueryEscape(code))
}

// #12 → #2 → #13 → #7: an administrator invites by e-mail; the code is
// the invitation's token; the person checks it and signs up with it,
// once, into the organization.
func TestPeopleInviteCodeSignUp(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		w := peopleSetup(t, f)
		r := f.want(w.as("ann", "POST", "/v1/iam/auth/user/invite", map[string]any{"email": "kim@example.com", "phone": "+6592222222"}), http.StatusOK)
		code := f.last("kim@example.com").Code
		if r.str("message") != peopleMsgInviteSent || r.str("session") == "" || r.num("expiresIn") <= 0 || code == "" || len(f.messages("+6592222222")) != 0 {
			t.Fatalf("invite: %s", r.raw)
		}
		st := f.want(peopleStatus(f, code), http.StatusOK)
		if st.str("appInviteStatus") != "PENDING" || st.str("inviteCode") != code {
			t.Fatalf("status: %s", st.raw)
		}
		verify := map[string]any{"email": "kim@example.com", "phone": "+6592222222", "session": r.str("session"), "verificationCode": code}
		v := f.want(f.post("/v1/iam/auth/user/verify-invite", verify), http.StatusOK)
		if v.str("email") != "kim@example.com" || v.num("tenantId") != w.a || v.num("id") != 0 || v.str("status") != "invited" {
			t.Fatalf("verify-invite: %s", v.raw)
		}
		for _, bad := range []map[string]any{
			{"email": "kim@example.com", "session": r.str("session"), "verificationCode": code + "x"},
			{"email": "kim@example.com", "session": iam.NewID(), "verificationCode": code},
			{"email": "ann@example.com", "session": r.str("session"), "verificationCode": code},
		} {
			f.wantError(f.post("/v1/iam/auth/user/verify-invite", bad), http.StatusNotFound, peopleMsgVerifyFailed, "")
		}
		f.wantError(f.post("/v1/iam/auth/user/verify-invite", map[string]any{"email": "kim@example.com", "verificationCode": code}), http.StatusBadRequest, "", "session")

		s := f.want(f.post("/v1/iam/auth/sign-up/books/invite", map[string]any{"inviteCode": code, "password": peoplePassword, "firstName": "Kim"}), http.StatusCreated)
		c := claims(t, s.str("accessToken"))
		if s.str("refreshToken") == "" || !s.flag("emailVerified") || int64(c["org_num"].(float64)) != w.a || f.userinfo(s.str("accessToken")) != http.StatusOK {
			t.Fatalf("sign-up with the code: %s %v", s.raw, c)
		}
		if st := f.want(peopleStatus(f, code), http.StatusOK); st.str("appInviteStatus") != "ACCEPTED" {
			t.Fatalf("status after sign-up: %s", st.raw)
		}
		users := f.userCount()
		f.wantError(f.post("/v1/iam/auth/sign-up/books/invite", map[string]any{"inviteCode": code, "email": "other@example.com", "password": peoplePassword}),
			http.StatusNotFound, peopleMsgNotFound, "")
		f.wantError(f.post("/v1/iam/auth/user/verify-invite", verify), http.StatusBadRequest, peopleMsgVerifyFailed, "")
		if f.userCount() != users {
			t.Fatal("a used code must create no account")
		}
		f.wantError(peopleStatus(f, "nope"), http.StatusNotFound, peopleMsgNotFound, "")
		f.wantError(f.get("/v1/iam/auth/books/invite/status"), http.StatusBadRequest, "", "code")

		// A taken address: 400, and the code stays usable.
		r2 := f.want(w.as("ann", "POST", "/v1/iam/auth/user/invite", map[string]any{"email": "lee@example.com"}), http.StatusOK)
		code2 := f.last("lee@example.com").Code
		f.wantError(f.post("/v1/iam/auth/sign-up/books/invite", map[string]any{"inviteCode": code2, "email": "eve@example.com", "password": peoplePassword}),
			http.StatusBadRequest, msgUserExists, "")
		f.wantError(f.post("/v1/iam/auth/sign-up/books/invite", map[string]any{"inviteCode": code2}), http.StatusBadRequest, "", "password")
		if st := f.want(peopleStatus(f, code2), http.StatusOK); st.str("appInviteStatus") != "PENDING" {
			t.Fatalf("status after refused sign-ups: %s", st.raw)
		}
		// Expired codes.
		f.advance(directory.DefaultInvitationTTL)
		if st := f.want(peopleStatus(f, code2), http.StatusOK); st.str("appInviteStatus") != "EXPIRED" {
			t.Fatalf("status after the expiry: %s", st.raw)
		}
		f.wantError(f.post("/v1/iam/auth/sign-up/books/invite", map[string]any{"inviteCode": code2, "password": peoplePassword}), http.StatusNotFound, peopleMsgNotFound, "")
		f.wantError(f.post("/v1/iam/auth/user/verify-invite", map[string]any{"email": "lee@example.com", "session": r2.str("session"), "verificationCode": code2}),
			http.StatusBadRequest, peopleMsgVerifyFailed, "")
	})
}

// #12's refusals.
func TestPeopleInviteRefusals(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		w := peopleSetup(t, f)
		const path = "/v1/iam/auth/user/invite"
		body := map[string]any{"email": "x@example.com"}
		sent := len(f.messages("bob@example.com"))
		f.wantError(w.as("bob", "POST", path, body), http.StatusForbidden, peopleMsgForbidden, "")
		f.wantError(w.as("olga", "POST", path, body), http.StatusUnauthorized, peopleMsgUnauthorized, "")
		f.wantError(w.as("", "POST", path, body), http.StatusUnauthorized, peopleMsgUnauthorized, "")
		f.wantError(w.as("root", "POST", path, body), http.StatusNotFound, peopleMsgInviteFailed, "")
		f.wantError(w.as("ann", "POST", path, map[string]any{"email": "bob@example.com"}), http.StatusBadRequest, peopleMsgInviteFailed, "")
		f.wantError(w.as("ann", "POST", path, map[string]any{}), http.StatusBadRequest, "", "email")
		f.wantError(w.as("ann", "POST", path, map[string]any{"email": "nope"}), http.StatusBadRequest, "", "email")
		f.wantError(w.as("ann", "POST", path, map[string]any{"phone": "12"}), http.StatusBadRequest, "", "phone")
		if len(f.messages("x@example.com")) != 0 || len(f.messages("bob@example.com")) != sent {
			t.Fatal("refused invitations must send nothing")
		}
		// cid invites to B, his own organization, not A.
		f.want(w.as("cid", "POST", path, body), http.StatusOK)
		code := f.last("x@example.com").Code
		s := f.want(f.post("/v1/iam/auth/sign-up/employee/invite", map[string]any{"inviteCode": code, "password": peoplePassword}), http.StatusCreated)
		if int64(claims(t, s.str("accessToken"))["org_num"].(float64)) != w.b {
			t.Fatal("the invitation is for cid's organization")
		}
	})
}

// #60 with inviteUser → #52 → #8: the administrator adds an employee, who
// has no account yet; the administrator completes their details; the
// employee sets a password with the code and is signed in.
func TestPeopleEmployeeInvite(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		w := peopleSetup(t, f)
		e := f.want(w.as("ann", "POST", "/v1/iam/users/tenants", map[string]any{"emailId": "emp@example.com", "firstName": "E", "inviteUser": true}), http.StatusOK)
		code := f.last("emp@example.com").Code
		path := "/v1/iam/users/invite/" + strconv.FormatInt(e.num("id"), 10)

		u := f.want(w.as("ann", "PUT", path, map[string]any{"firstName": "Emma", "title": "Clerk", "name": "Emma Ltd", "noOfEmployees": 12, "email": "emp@example.com"}), http.StatusOK)
		if u.str("firstName") != "Emma" || u.str("title") != "Clerk" || u.str("name") != "Emma Ltd" || u.str("noOfEmployees") != "12" ||
			u.str("email") != "emp@example.com" || u.body["password"] != nil {
			t.Fatalf("update invited user: %s", u.raw)
		}
		f.wantError(w.as("ann", "PUT", path, map[string]any{"email": "else@example.com"}), http.StatusForbidden, peopleMsgForbidden, "")
		f.wantError(w.as("ann", "PUT", path, map[string]any{"password": peoplePassword}), http.StatusForbidden, peopleMsgForbidden, "")
		f.wantError(w.as("bob", "PUT", path, map[string]any{"firstName": "X"}), http.StatusForbidden, peopleMsgForbidden, "")
		f.wantError(w.as("cid", "PUT", path, map[string]any{"firstName": "X"}), http.StatusForbidden, peopleMsgForbidden, "")
		f.wantError(w.as("olga", "PUT", path, map[string]any{"firstName": "X"}), http.StatusUnauthorized, peopleMsgUnauthorized, "")
		f.wantError(w.as("ann", "PUT", "/v1/iam/users/invite/999999", map[string]any{"firstName": "X"}), http.StatusNotFound, peopleMsgInvitedMissing, "")
		f.wantError(w.as("ann", "PUT", "/v1/iam/users/invite/abc", map[string]any{"firstName": "X"}), http.StatusBadRequest, "", "id")
		f.wantError(w.as("ann", "PUT", path, map[string]any{"contact": "12"}), http.StatusBadRequest, "", "contact")
		f.wantError(w.as("ann", "PUT", path, map[string]any{"firstName": 5}), http.StatusBadRequest, "", "firstName")

		s := f.want(f.post("/v1/iam/auth/sign-up/employee/invite", map[string]any{"inviteCode": code, "password": peoplePassword}), http.StatusOK)
		if int64(claims(t, s.str("accessToken"))["org_num"].(float64)) != w.a || !s.flag("emailVerified") {
			t.Fatalf("employee sign-in: %s", s.raw)
		}
		f.signIn("emp@example.com", peoplePassword)
		// The employee changes their own e-mail; a taken one is refused.
		self := s.str("accessToken")
		f.wantError(f.call("PUT", path, map[string]any{"email": "eve@example.com"}, "x-access-token", self), http.StatusBadRequest, peopleMsgInvitedFailed, "")
		if u := f.want(f.call("PUT", path, map[string]any{"email": "emma@example.com"}, "x-access-token", self), http.StatusOK); u.str("email") != "emma@example.com" {
			t.Fatalf("self update: %s", u.raw)
		}
		f.wantError(f.post("/v1/iam/auth/sign-up/employee/invite", map[string]any{"inviteCode": code, "password": peoplePassword}), http.StatusNotFound, peopleMsgNotFound, "")

		// Someone with a password proves it.
		f.want(w.as("ann", "POST", "/v1/iam/users/tenants", map[string]any{"emailId": "fay@example.com", "inviteUser": true}), http.StatusOK)
		fay := f.last("fay@example.com").Code
		// Until fay says yes, the invitation gives ann no rights over her
		// account: not #52, nor reading or changing it (#66–#68).
		fayPath := strconv.FormatInt(w.fay.Num, 10)
		f.wantError(w.as("ann", "PUT", "/v1/iam/users/invite/"+fayPath, map[string]any{"firstName": "X", "name": "X Ltd"}), http.StatusForbidden, peopleMsgForbidden, "")
		f.wantError(w.as("ann", "GET", "/v1/iam/users/"+fayPath, nil), http.StatusForbidden, "", "")
		f.wantError(w.as("ann", "PUT", "/v1/iam/users/"+fayPath, map[string]any{"firstName": "X"}), http.StatusForbidden, "", "")
		f.wantError(w.as("ann", "PATCH", "/v1/iam/users/"+fayPath, map[string]any{"firstName": "X", "isBookkeeper": true}), http.StatusForbidden, "", "")
		if u := peopleUser(t, f, "fay@example.com"); u.FirstName != w.fay.FirstName || len(u.Attributes) != len(w.fay.Attributes) {
			t.Fatalf("refused changes changed fay: %+v", u)
		}
		f.wantError(f.post("/v1/iam/auth/sign-up/employee/invite", map[string]any{"inviteCode": fay, "password": "Wrong-Horse-1"}), http.StatusUnauthorized, peopleMsgUnauthorized, "")
		if m := w.member(w.a, w.fay); m == nil || m.Active() {
			t.Fatalf("a wrong password must not let fay in: %+v", m)
		}
		f.want(f.post("/v1/iam/auth/sign-up/employee/invite", map[string]any{"inviteCode": fay, "password": peoplePassword}), http.StatusOK)
		if m := w.member(w.a, w.fay); m == nil || !m.Active() {
			t.Fatalf("fay must be an active member now: %+v", m)
		}
		// A member now: ann acts on her as on any member of A.
		f.want(w.as("ann", "GET", "/v1/iam/users/"+fayPath, nil), http.StatusOK)
		f.want(w.as("ann", "PUT", "/v1/iam/users/invite/"+fayPath, map[string]any{"title": "Clerk"}), http.StatusOK)
		f.wantError(f.post("/v1/iam/auth/sign-up/employee/invite", map[string]any{"password": peoplePassword}), http.StatusBadRequest, "", "inviteCode")
		f.wantError(f.post("/v1/iam/auth/sign-up/employee/invite", map[string]any{"inviteCode": "nope", "password": peoplePassword}), http.StatusNotFound, peopleMsgNotFound, "")
	})
}

// Racing sign-ups with one code: exactly one account joins; the others
// leave nothing behind.
func TestPeopleInviteCodeRace(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		w := peopleSetup(t, f)
		f.want(w.as("ann", "POST", "/v1/iam/auth/user/invite", map[string]any{"email": "race@example.com"}), http.StatusOK)
		code := f.last("race@example.com").Code
		users := f.userCount()
		const n = 6
		status := make([]int, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				status[i] = f.post("/v1/iam/auth/sign-up/books/invite", map[string]any{
					"inviteCode": code, "email": "racer" + strconv.Itoa(i) + "@example.com", "password": peoplePassword,
				}).status
			})
		}
		wg.Wait()
		created := 0
		for _, s := range status {
			switch s {
			case http.StatusCreated:
				created++
			case http.StatusNotFound:
			default:
				t.Fatalf("statuses %v", status)
			}
		}
		if created != 1 || f.userCount() != users+1 {
			t.Fatalf("want one account, got %d created, %d new users (%v)", created, f.userCount()-users, status)
		}
	})
}
