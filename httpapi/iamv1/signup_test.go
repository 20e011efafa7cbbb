package iamv1_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"iamd/iam"
)

const (
	msgUserExists  = "User with same username is already exist."
	msgLinkInvalid = "The Confirmation link is invalid. Please generate a new confirmation link."
)

// Web sign-up creates the user and the organization they administer and
// sends a verification link through the outbox; the link verifies once;
// sign-in then yields tokens the realm's OpenID endpoints accept.
func TestWebSignUpVerifySignIn(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		r := f.signUpWeb("ann@example.com", "Correct-Horse-9", "Acme Trading")
		if r.num("id") <= 0 || !iam.ValidID(r.str("authUserId")) || r.str("userName") != "ann@example.com" ||
			r.str("email") != "ann@example.com" || r.flag("emailVerified") || r.num("tenantId") <= 0 ||
			r.str("roleGroup") != iam.OrgAdmin || r.str("appName") != "iam-web" || r.str("status") != "active" || r.str("source") != "WEB" {
			t.Fatalf("UserDto: %s", r.raw)
		}
		tenant := r.num("tenantId")
		msg := f.last("ann@example.com")
		if msg.Channel != iam.ChannelEmail || msg.Purpose != iam.PurposeVerifyEmail || !strings.Contains(msg.Text, msg.Link) {
			t.Fatalf("verification message: %+v", msg)
		}
		link := f.linkPath("ann@example.com")
		u, _ := url.Parse(link)
		if u.Path != "/v1/iam/auth/email/verification" || u.Query().Get("user") != strconv.FormatInt(r.num("id"), 10) || u.Query().Get("token") == "" {
			t.Fatalf("link %s", link)
		}

		// A wrong link, then the right one once.
		f.wantError(f.get("/v1/iam/auth/email/verification?user="+u.Query().Get("user")+"&token=wrong"), http.StatusNotFound, msgLinkInvalid, "")
		v := f.want(f.get(link), http.StatusOK)
		if v.raw != "Email has been verified successfully." || !strings.HasPrefix(v.header.Get("Content-Type"), "text/plain") {
			t.Fatalf("verification answer: %q %s", v.raw, v.header.Get("Content-Type"))
		}
		f.wantError(f.get(link), http.StatusNotFound, msgLinkInvalid, "")

		s := f.signIn("ann@example.com", "Correct-Horse-9")
		if s.str("accessToken") == "" || s.str("idToken") == "" || s.str("refreshToken") == "" || s.str("tokenType") != "Bearer" ||
			s.num("expiresIn") <= 0 || !s.flag("emailVerified") || s.flag("mfaenabled") || s.str("guid") != r.str("authUserId") {
			t.Fatalf("sign-in: %s", s.raw)
		}
		c := claims(t, s.str("accessToken"))
		if c["iss"] != f.URL+"/realms/acme" || c["azp"] != "iam-web" || int64(c["org_num"].(float64)) != tenant {
			t.Fatalf("access token claims: %v", c)
		}
		if f.userinfo(s.str("accessToken")) != http.StatusOK || !f.introspect(s.str("accessToken")) || !f.introspect(s.str("refreshToken")) {
			t.Fatal("the realm's endpoints must accept /v1/iam tokens")
		}

		// Same e-mail, or a contact someone has, is refused; nothing is sent.
		f.want(f.post("/v1/iam/auth/sign-up/web", map[string]any{"emailId": "bob@example.com", "password": "Correct-Horse-9", "contact": "+6591234567"}), http.StatusCreated)
		before, users := len(f.messages("ANN@example.com"))+len(f.messages("carl@example.com")), f.userCount()
		for _, body := range []map[string]any{
			{"emailId": "ANN@example.com", "password": "Correct-Horse-9"},
			{"emailId": "carl@example.com", "password": "Correct-Horse-9", "contact": "+65 9123 4567"},
		} {
			f.wantError(f.post("/v1/iam/auth/sign-up/web", body), http.StatusBadRequest, msgUserExists, "")
		}
		if len(f.messages("ANN@example.com"))+len(f.messages("carl@example.com")) != before || f.userCount() != users {
			t.Fatal("a refused sign-up must change nothing")
		}
		// shouldSendEmail false: no link.
		f.want(f.post("/v1/iam/auth/sign-up/web", map[string]any{"emailId": "dora@example.com", "password": "Correct-Horse-9", "shouldSendEmail": false}), http.StatusCreated)
		if len(f.messages("dora@example.com")) != 0 {
			t.Fatal("shouldSendEmail false sends nothing")
		}
	})
}

// An expired link is 410; regenerate sends a new one that works; an
// unknown or verified address cannot regenerate.
func TestEmailVerificationExpiryAndRegenerate(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		f.signUpWeb("eve@example.com", "Correct-Horse-9", "")
		old := f.linkPath("eve@example.com")
		f.advance(25 * time.Hour)
		f.wantError(f.get(old), http.StatusGone, "Email Token has been expired.", "")

		r := f.want(f.get("/v1/iam/auth/email/regenerate?email=eve@example.com"), http.StatusOK)
		if r.str("body") != "Email has been sent successfully." || r.str("statusCode") != "200 OK" || r.num("statusCodeValue") != 200 {
			t.Fatalf("regenerate: %s", r.raw)
		}
		fresh := f.linkPath("eve@example.com")
		if fresh == old {
			t.Fatal("regenerate must send a new link")
		}
		f.want(f.get(fresh), http.StatusOK)
		f.wantError(f.get("/v1/iam/auth/email/regenerate?email=eve@example.com"), http.StatusBadRequest, "Email verification unsuccessful.", "")
		f.wantError(f.get("/v1/iam/auth/email/regenerate?email=nobody@example.com"), http.StatusBadRequest, "Email verification unsuccessful.", "")
		f.wantError(f.get("/v1/iam/auth/email/regenerate?email=not-an-address"), http.StatusBadRequest, "", "email")
		f.wantError(f.get("/v1/iam/auth/email/regenerate"), http.StatusBadRequest, "", "email")
		f.wantError(f.get("/v1/iam/auth/email/verification?token=x"), http.StatusBadRequest, "", "user")
	})
}

// Check-existing-user tells whether an e-mail and a contact are taken,
// and by the same user.
func TestCheckExistingUser(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		f.want(f.post("/v1/iam/auth/sign-up/web", map[string]any{"emailId": "fay@example.com", "password": "Correct-Horse-9", "contact": "+6591230000"}), http.StatusCreated)
		f.want(f.post("/v1/iam/auth/sign-up/mobile", map[string]any{"contact": "+6591239999"}), http.StatusCreated)
		for _, tc := range []struct {
			query                string
			email, contact, same bool
		}{
			{"emailId=FAY@example.com&contact=%2B6591230000&action=checkExistingUserDetails", true, true, true},
			{"emailId=fay@example.com&contact=%2B6591239999", true, true, false},
			{"emailId=gus@example.com", false, false, false},
			{"contact=%2B6591239999", false, true, false},
		} {
			r := f.want(f.get("/v1/iam/auth/user?"+tc.query), http.StatusOK)
			if r.flag("emailExists") != tc.email || r.flag("contactExists") != tc.contact || r.flag("sameUser") != tc.same {
				t.Fatalf("%s: %s", tc.query, r.raw)
			}
		}
		f.wantError(f.get("/v1/iam/auth/user"), http.StatusBadRequest, "Check existing user details failed.", "emailId")
		f.wantError(f.get("/v1/iam/auth/user?emailId=nope"), http.StatusBadRequest, "", "emailId")
		f.wantError(f.get("/v1/iam/auth/user?contact=12ab"), http.StatusBadRequest, "", "contact")
		f.wantError(f.get("/v1/iam/auth/user?emailId=fay@example.com&action=delete"), http.StatusBadRequest, "", "action")
	})
}
