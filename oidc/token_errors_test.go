package oidc_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"iamd/directory"
	"iamd/iam"
)

// Every bad token request gets its RFC 6749 error and status, never a 5xx,
// and signs nobody in.
func TestTokenEndpointRefusesBadRequests(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		alice := f.user(f.Realm, "alice", "Correct-Horse-9")
		_, secret := f.tokApp(f.Realm, "web")
		f.app(f.Realm, directory.NewApp{ClientID: "spa", Public: true, GrantTypes: []string{iam.GrantPassword, iam.GrantAuthorizationCode}, RedirectURIs: []string{"https://spa.example/cb"}})
		_, codeOnlySecret := f.tokApp(f.Realm, "codeonly", iam.GrantAuthorizationCode)
		off, offSecret := f.tokApp(f.Realm, "off")
		off.Enabled = false
		if err := f.Store.Realm(f.Realm.ID).Apps().Update(ctx, off); err != nil {
			t.Fatal(err)
		}
		gone, goneSecret := f.tokApp(f.Realm, "gone")
		if err := f.Store.Realm(f.Realm.ID).Apps().SoftDelete(ctx, gone.ID, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}

		tokenURL := f.tokURL(f.Realm, "token")
		pw := func(extra ...string) url.Values {
			v := url.Values{"grant_type": {"password"}, "username": {"alice"}, "password": {"Correct-Horse-9"}}
			for i := 0; i+1 < len(extra); i += 2 {
				v.Set(extra[i], extra[i+1])
			}
			return v
		}
		raw := func(ct, body string, basic ...string) tokResp {
			req, _ := http.NewRequest(http.MethodPost, tokenURL, strings.NewReader(body))
			req.Header.Set("Content-Type", ct)
			if len(basic) == 2 {
				req.SetBasicAuth(basic[0], basic[1])
			}
			return f.tokDo(req)
		}
		const form = "application/x-www-form-urlencoded"
		cases := []struct {
			name   string
			do     func() tokResp
			status int
			code   string
		}{
			{"wrong secret (basic)", func() tokResp { return f.tokPost(tokenURL, pw(), "web", "nope") }, 401, "invalid_client"},
			{"wrong secret (post)", func() tokResp { return f.tokPost(tokenURL, pw("client_id", "web", "client_secret", "nope")) }, 401, "invalid_client"},
			{"unknown client", func() tokResp { return f.tokPost(tokenURL, pw(), "nobody", "x") }, 401, "invalid_client"},
			{"no client at all", func() tokResp { return f.tokPost(tokenURL, pw()) }, 401, "invalid_client"},
			{"confidential client without its secret", func() tokResp { return f.tokPost(tokenURL, pw("client_id", "web")) }, 401, "invalid_client"},
			{"disabled client", func() tokResp { return f.tokPost(tokenURL, pw(), "off", offSecret) }, 401, "invalid_client"},
			{"deleted client", func() tokResp { return f.tokPost(tokenURL, pw(), "gone", goneSecret) }, 401, "invalid_client"},
			{"Basic and client_secret together", func() tokResp { return f.tokPost(tokenURL, pw("client_secret", secret), "web", secret) }, 400, "invalid_request"},
			{"public client using client_credentials", func() tokResp {
				return f.tokPost(tokenURL, url.Values{"grant_type": {"client_credentials"}, "client_id": {"spa"}})
			}, 400, "unauthorized_client"},
			{"grant not allowed for the client", func() tokResp { return f.tokPost(tokenURL, pw(), "codeonly", codeOnlySecret) }, 400, "unauthorized_client"},
			{"unsupported grant type", func() tokResp {
				return f.tokPost(tokenURL, url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:device_code"}}, "web", secret)
			}, 400, "unsupported_grant_type"},
			{"missing grant_type", func() tokResp { return f.tokPost(tokenURL, url.Values{"username": {"alice"}}, "web", secret) }, 400, "invalid_request"},
			{"JSON body", func() tokResp {
				return raw("application/json", `{"grant_type":"password","username":"alice","password":"Correct-Horse-9"}`, "web", secret)
			}, 400, "invalid_request"},
			{"no content type", func() tokResp { return raw("", "grant_type=password", "web", secret) }, 400, "invalid_request"},
			{"malformed form", func() tokResp { return raw(form, "grant_type=password&username=%zz", "web", secret) }, 400, "invalid_request"},
			{"repeated parameter", func() tokResp {
				return raw(form, "grant_type=password&username=alice&username=bob&password=x", "web", secret)
			}, 400, "invalid_request"},
			{"missing password", func() tokResp {
				return f.tokPost(tokenURL, url.Values{"grant_type": {"password"}, "username": {"alice"}}, "web", secret)
			}, 400, "invalid_request"},
			{"wrong password", func() tokResp { return f.tokPost(tokenURL, pw("password", "Wrong-Horse-9"), "web", secret) }, 400, "invalid_grant"},
			{"unknown user", func() tokResp { return f.tokPost(tokenURL, pw("username", "mallory"), "web", secret) }, 400, "invalid_grant"},
			{"malformed scope", func() tokResp { return f.tokPost(tokenURL, pw("scope", "openid \"x"), "web", secret) }, 400, "invalid_scope"},
			{"refresh grant without a token", func() tokResp {
				return f.tokPost(tokenURL, url.Values{"grant_type": {"refresh_token"}}, "web", secret)
			}, 400, "invalid_request"},
			{"forged refresh token", func() tokResp {
				return f.tokRefresh(f.Realm, "web", secret, iam.NewID()+".AAAA")
			}, 400, "invalid_grant"},
			{"unknown code", func() tokResp {
				return f.tokPost(tokenURL, url.Values{"grant_type": {"authorization_code"}, "code": {"nope"}, "redirect_uri": {"https://rp.example/cb"}}, "web", secret)
			}, 400, "invalid_grant"},
			{"unknown realm", func() tokResp {
				return f.tokPost(f.URL+"/realms/nowhere/protocol/openid-connect/token", pw(), "web", secret)
			}, 404, "not_found"},
		}
		for _, c := range cases {
			r := c.do()
			if r.status != c.status || r.str("error") != c.code || r.str("error_description") == "" {
				t.Errorf("%s: got %d %s, want %d %s", c.name, r.status, r.raw, c.status, c.code)
			}
			if r.status == 401 && !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Basic") {
				t.Errorf("%s: 401 without a Basic challenge", c.name)
			}
			if r.header.Get("Cache-Control") != "no-store" {
				t.Errorf("%s: error responses must not be cached", c.name)
			}
		}
		if ss, err := f.Store.Realm(f.Realm.ID).Sessions().OfUser(ctx, alice.ID, time.Now()); err != nil || len(ss) != 0 {
			t.Fatalf("a refused request started a session: %d %v", len(ss), err)
		}
		if r := f.tokPost(tokenURL, url.Values{"grant_type": {"password"}, "username": {"alice"}, "password": {"Correct-Horse-9"}, "client_id": {"spa"}}); r.status != 200 {
			t.Fatalf("a public client may use the password grant with client_id alone: %d %s", r.status, r.raw)
		}
		// A GET is not a token request.
		if r := f.tokGet(tokenURL, ""); r.status != http.StatusMethodNotAllowed {
			t.Fatalf("GET token: %d", r.status)
		}
	})
}

// Disabled, locked and deleted users get invalid_grant with a description
// that says so; a disabled user's existing tokens stop working at once
// and work again once the user is enabled.
func TestPasswordGrantUserStates(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		bob := f.user(f.Realm, "bob", "Correct-Horse-9")
		_, secret := f.tokApp(f.Realm, "web")
		tokenURL := f.tokURL(f.Realm, "token")
		login := func(pw string) tokResp {
			return f.tokPost(tokenURL, url.Values{"grant_type": {"password"}, "username": {"bob"}, "password": {pw}, "scope": {"openid"}}, "web", secret)
		}
		ok := login("Correct-Horse-9")
		access, refresh := ok.str("access_token"), ok.str("refresh_token")

		f.tokSetEnabled(f.Realm, bob, false)
		if r := login("Correct-Horse-9"); r.status != 400 || r.str("error") != "invalid_grant" || r.str("error_description") != "Account disabled" {
			t.Fatalf("disabled user sign-in: %d %s", r.status, r.raw)
		}
		if r := f.tokRefresh(f.Realm, "web", secret, refresh); r.status != 400 || r.str("error") != "invalid_grant" {
			t.Fatalf("a disabled user's refresh must fail at once: %d %s", r.status, r.raw)
		}
		if r := f.tokGet(f.tokURL(f.Realm, "userinfo"), access); r.status != 401 || !strings.Contains(r.header.Get("WWW-Authenticate"), `error="invalid_token"`) {
			t.Fatalf("a disabled user's userinfo must fail at once: %d %v", r.status, r.header)
		}
		if f.tokIntrospect(f.Realm, "web", secret, access) || f.tokIntrospect(f.Realm, "web", secret, refresh) {
			t.Fatal("a disabled user's tokens must be inactive")
		}
		f.tokSetEnabled(f.Realm, bob, true)
		if r := f.tokRefresh(f.Realm, "web", secret, refresh); r.status != 200 {
			t.Fatalf("the refused refresh must have changed nothing: %d %s", r.status, r.raw)
		}

		// Lockout after the realm's limit of failures, then a clear message.
		r := f.Realm
		r.Settings.BruteForce.MaxPasswordFailures = 3
		if err := f.Store.Realms().Update(ctx, r); err != nil {
			t.Fatal(err)
		}
		for range 3 {
			if r := login("Wrong-Horse-9"); r.str("error_description") != "Invalid user credentials" && !strings.Contains(r.str("error_description"), "locked") {
				t.Fatalf("wrong password: %s", r.raw)
			}
		}
		if r := login("Correct-Horse-9"); r.status != 400 || r.str("error") != "invalid_grant" || !strings.Contains(r.str("error_description"), "temporarily locked") {
			t.Fatalf("locked user: %d %s", r.status, r.raw)
		}

		// A deleted user's tokens die with it.
		carol := f.user(f.Realm, "carol", "Correct-Horse-9")
		c := f.tokPassword(f.Realm, "web", secret, "carol", "Correct-Horse-9", "openid")
		if err := f.Store.Realm(f.Realm.ID).Users().SoftDelete(ctx, carol.ID, "test", time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		if r := f.tokRefresh(f.Realm, "web", secret, c.str("refresh_token")); r.status != 400 || r.str("error") != "invalid_grant" {
			t.Fatalf("deleted user's refresh: %d %s", r.status, r.raw)
		}
		if r := f.tokGet(f.tokURL(f.Realm, "userinfo"), c.str("access_token")); r.status != 401 {
			t.Fatalf("deleted user's userinfo: %d", r.status)
		}
		if f.tokIntrospect(f.Realm, "web", secret, c.str("access_token")) {
			t.Fatal("deleted user's access token must be inactive")
		}
	})
}

// A user with an authenticator app must send its code as totp with the
// password grant, as Keycloak's direct grant asks; the code counts once.
func TestPasswordGrantSecondFactor(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		u := f.user(f.Realm, "dora", "Correct-Horse-9")
		loginAddTOTP(t, f, f.Realm, u)
		_, secret := f.tokApp(f.Realm, "web")
		login := func(code string) tokResp {
			v := url.Values{"grant_type": {"password"}, "username": {"dora"}, "password": {"Correct-Horse-9"}, "scope": {"openid"}}
			if code != "" {
				v.Set("totp", code)
			}
			return f.tokPost(f.tokURL(f.Realm, "token"), v, "web", secret)
		}
		if r := login(""); r.status != 400 || r.str("error") != "invalid_grant" || !strings.Contains(r.str("error_description"), "totp") {
			t.Fatalf("no code: %d %s", r.status, r.raw)
		}
		if r := login("000000"); r.status != 400 || r.str("error") != "invalid_grant" {
			t.Fatalf("wrong code: %d %s", r.status, r.raw)
		}
		code := loginTOTPCode(t, f)
		r := login(code)
		if r.status != 200 {
			t.Fatalf("right code: %d %s", r.status, r.raw)
		}
		if amr, _ := tokClaims(t, r.str("id_token"))["amr"].([]any); len(amr) != 2 || amr[1] != "otp" {
			t.Fatalf("amr: %v", amr)
		}
		if r := login(code); r.status != 400 {
			t.Fatalf("a code is accepted once: %d %s", r.status, r.raw)
		}
	})
}
