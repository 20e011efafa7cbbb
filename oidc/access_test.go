package oidc_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"iamd/directory"
)

// A token of realm A is refused by realm B — even when B has a user and a
// client of the same names — and an expired or revoked one by its own
// realm. Userinfo answers 401 with a Bearer challenge; introspection says
// inactive.
func TestAccessTokensAreRealmBoundAndDieWithSessions(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		beta := f.realm("beta")
		f.user(f.Realm, "alice", "Correct-Horse-9")
		f.user(beta, "alice", "Correct-Horse-9")
		_, secretA := f.tokApp(f.Realm, "web")
		_, secretB := f.tokApp(beta, "web")
		tok := f.tokPassword(f.Realm, "web", secretA, "alice", "Correct-Horse-9", "openid profile email")
		access := tok.str("access_token")

		unauthorized := func(name string, r tokResp) {
			t.Helper()
			if r.status != 401 || r.str("error") != "invalid_token" || !strings.HasPrefix(r.header.Get("WWW-Authenticate"), `Bearer error="invalid_token"`) {
				t.Fatalf("%s: %d %s %v", name, r.status, r.raw, r.header)
			}
		}
		if r := f.tokGet(f.tokURL(f.Realm, "userinfo"), access); r.status != 200 || r.str("preferred_username") != "alice" || r.str("email") != "alice@example.com" {
			t.Fatalf("own realm userinfo: %d %s", r.status, r.raw)
		}
		unauthorized("foreign realm userinfo", f.tokGet(f.tokURL(beta, "userinfo"), access))
		if f.tokIntrospect(beta, "web", secretB, access) || f.tokIntrospect(beta, "web", secretB, tok.str("refresh_token")) {
			t.Fatal("realm B must see realm A's tokens as inactive")
		}
		if r := f.tokRefresh(beta, "web", secretB, tok.str("refresh_token")); r.status != 400 || r.str("error") != "invalid_grant" {
			t.Fatalf("foreign realm refresh: %d %s", r.status, r.raw)
		}
		if !f.tokIntrospect(f.Realm, "web", secretA, access) {
			t.Fatal("realm A's refusals elsewhere must not touch its token")
		}

		// The same token under the legacy prefix, and by POST form.
		legacy := f.URL + "/auth/realms/" + f.Realm.Name + "/protocol/openid-connect/userinfo"
		if r := f.tokGet(legacy, access); r.status != 200 {
			t.Fatalf("legacy prefix userinfo: %d %s", r.status, r.raw)
		}
		req, _ := http.NewRequest(http.MethodPost, f.tokURL(f.Realm, "userinfo"), strings.NewReader(url.Values{"access_token": {access}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if r := f.tokDo(req); r.status != 200 || r.str("sub") == "" {
			t.Fatalf("userinfo by POST form: %d %s", r.status, r.raw)
		}

		unauthorized("no token", f.tokGet(f.tokURL(f.Realm, "userinfo"), ""))
		unauthorized("an ID token as access token", f.tokGet(f.tokURL(f.Realm, "userinfo"), tok.str("id_token")))
		unauthorized("tampered signature", f.tokGet(f.tokURL(f.Realm, "userinfo"), access[:len(access)-4]+"AAAA"))
		unauthorized("garbage", f.tokGet(f.tokURL(f.Realm, "userinfo"), "not-a-jwt"))

		// Expiry, on the provider's clock.
		f.advance(6 * time.Minute)
		unauthorized("expired token", f.tokGet(f.tokURL(f.Realm, "userinfo"), access))
		if f.tokIntrospect(f.Realm, "web", secretA, access) {
			t.Fatal("an expired access token must be inactive")
		}

		// Revoking the session stops its tokens at once.
		tok = f.tokPassword(f.Realm, "web", secretA, "alice", "Correct-Horse-9", "")
		if err := f.Store.Realm(f.Realm.ID).Sessions().Revoke(ctx, tok.str("session_state"), f.now()); err != nil {
			t.Fatal(err)
		}
		unauthorized("revoked session", f.tokGet(f.tokURL(f.Realm, "userinfo"), tok.str("access_token")))
		if f.tokIntrospect(f.Realm, "web", secretA, tok.str("access_token")) {
			t.Fatal("a revoked session's access token must be inactive")
		}
	})
}

// Introspection requires a confidential client of the realm, describes
// active access and refresh tokens, and calls a rotated-away refresh token
// inactive.
func TestIntrospection(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		alice := f.user(f.Realm, "alice", "Correct-Horse-9")
		_, secret := f.tokApp(f.Realm, "web")
		_, rsSecret := f.tokApp(f.Realm, "resource-server")
		tok := f.tokPassword(f.Realm, "web", secret, "alice", "Correct-Horse-9", "profile")
		introspect := func(token string, client ...string) tokResp {
			return f.tokPost(f.tokURL(f.Realm, "token/introspect"), url.Values{"token": {token}}, client...)
		}
		r := introspect(tok.str("access_token"), "resource-server", rsSecret)
		if r.status != 200 || r.body["active"] != true || r.str("sub") != alice.ID || r.str("client_id") != "web" ||
			r.str("username") != "alice" || r.str("scope") != "profile" || r.str("token_type") != "Bearer" || r.str("iss") != f.issuer(f.Realm) || r.body["exp"] == nil {
			t.Fatalf("access token introspection: %d %s", r.status, r.raw)
		}
		rt := tok.str("refresh_token")
		if r := introspect(rt, "web", secret); r.body["active"] != true || r.str("token_type") != "Refresh" || r.str("sid") != tok.str("session_state") {
			t.Fatalf("refresh token introspection: %s", r.raw)
		}
		f.tokRefresh(f.Realm, "web", secret, rt)
		if r := introspect(rt, "web", secret); r.raw != "{\"active\":false}\n" {
			t.Fatalf("a rotated refresh token must be just inactive: %s", r.raw)
		}
		if r := introspect(tok.str("access_token"), "web", "wrong"); r.status != 401 || r.str("error") != "invalid_client" {
			t.Fatalf("bad client: %d %s", r.status, r.raw)
		}
		f.app(f.Realm, directory.NewApp{ClientID: "spa", Public: true, RedirectURIs: []string{"https://spa.example/cb"}})
		if r := f.tokPost(f.tokURL(f.Realm, "token/introspect"), url.Values{"token": {rt}, "client_id": {"spa"}}); r.status != 401 || r.str("error") != "invalid_client" {
			t.Fatalf("public client introspecting: %d %s", r.status, r.raw)
		}
		if r := f.tokPost(f.tokURL(f.Realm, "token/introspect"), url.Values{}, "web", secret); r.status != 400 || r.str("error") != "invalid_request" {
			t.Fatalf("missing token: %d %s", r.status, r.raw)
		}
		if r := introspect("whatever", "web", secret); r.status != 200 || r.body["active"] != false {
			t.Fatalf("garbage token: %d %s", r.status, r.raw)
		}
	})
}
