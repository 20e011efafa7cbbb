package oidc_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"iamd/directory"
	"iamd/iam"
)

// RFC 7009: a client revokes its own refresh token (the family) or access
// token (the session); another client's or an unknown token is answered
// 200 and stays as it was; only bad client authentication is an error.
func TestRevocation(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		f.user(f.Realm, "alice", "Correct-Horse-9")
		_, secret := f.tokApp(f.Realm, "web")
		_, otherSecret := f.tokApp(f.Realm, "other")
		revoke := func(token string, client ...string) tokResp {
			return f.tokPost(f.tokURL(f.Realm, "revoke"), url.Values{"token": {token}}, client...)
		}

		tok := f.tokPassword(f.Realm, "web", secret, "alice", "Correct-Horse-9", "")
		for name, r := range map[string]tokResp{
			"another client's refresh token": revoke(tok.str("refresh_token"), "other", otherSecret),
			"another client's access token":  revoke(tok.str("access_token"), "other", otherSecret),
			"unknown token":                  revoke("no-such-token", "web", secret),
		} {
			if r.status != 200 {
				t.Fatalf("%s: %d %s", name, r.status, r.raw)
			}
		}
		if !f.tokIntrospect(f.Realm, "web", secret, tok.str("refresh_token")) || !f.tokIntrospect(f.Realm, "web", secret, tok.str("access_token")) {
			t.Fatal("another client's revocation must change nothing")
		}
		if r := revoke(tok.str("refresh_token"), "web", "wrong"); r.status != 401 || r.str("error") != "invalid_client" {
			t.Fatalf("bad client auth: %d %s", r.status, r.raw)
		}

		// Refresh token: the family dies, the session (and its access token) lives.
		if r := revoke(tok.str("refresh_token"), "web", secret); r.status != 200 {
			t.Fatalf("revoke refresh: %d %s", r.status, r.raw)
		}
		if r := f.tokRefresh(f.Realm, "web", secret, tok.str("refresh_token")); r.status != 400 {
			t.Fatalf("a revoked refresh token must be refused: %d", r.status)
		}
		if !f.tokIntrospect(f.Realm, "web", secret, tok.str("access_token")) {
			t.Fatal("revoking a refresh token leaves the session")
		}

		// Access token: the session dies.
		if r := revoke(tok.str("access_token"), "web", secret); r.status != 200 {
			t.Fatalf("revoke access: %d %s", r.status, r.raw)
		}
		if !f.tokSessionRevoked(f.Realm, tok.str("session_state")) {
			t.Fatal("revoking an access token must revoke its session")
		}
	})
}

// Back-channel logout ends the refresh token's session (204); RP-initiated
// logout checks id_token_hint and post_logout_redirect_uri, passes state
// back, and never redirects to an unregistered URI.
func TestLogout(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		f.user(f.Realm, "alice", "Correct-Horse-9")
		_, secret := f.tokApp(f.Realm, "web")
		beta := f.realm("beta")
		f.user(beta, "alice", "Correct-Horse-9")
		_, betaSecret := f.tokApp(beta, "web")
		logoutURL := f.tokURL(f.Realm, "logout")
		noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		get := func(q url.Values) *http.Response {
			t.Helper()
			res, err := noRedirect.Get(logoutURL + "?" + q.Encode())
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			return res
		}

		// Back-channel.
		tok := f.tokPassword(f.Realm, "web", secret, "alice", "Correct-Horse-9", "openid")
		if r := f.tokPost(logoutURL, url.Values{"refresh_token": {tok.str("refresh_token")}}, "web", "wrong"); r.status != 401 {
			t.Fatalf("back-channel logout with a bad secret: %d %s", r.status, r.raw)
		}
		if r := f.tokPost(logoutURL, url.Values{"refresh_token": {tok.str("refresh_token")}}, "web", secret); r.status != http.StatusNoContent {
			t.Fatalf("back-channel logout: %d %s", r.status, r.raw)
		}
		if !f.tokSessionRevoked(f.Realm, tok.str("session_state")) {
			t.Fatal("back-channel logout must revoke the session")
		}

		// RP-initiated, with a registered URI and state; an expired hint is fine.
		tok = f.tokPassword(f.Realm, "web", secret, "alice", "Correct-Horse-9", "openid")
		hint, sid := tok.str("id_token"), tok.str("session_state")
		bad := get(url.Values{"id_token_hint": {hint}, "post_logout_redirect_uri": {"https://evil.example/"}})
		if bad.StatusCode != 400 || bad.Header.Get("Location") != "" || f.tokSessionRevoked(f.Realm, sid) {
			t.Fatalf("unregistered post_logout_redirect_uri: %d %q", bad.StatusCode, bad.Header.Get("Location"))
		}
		betaTok := f.tokPassword(beta, "web", betaSecret, "alice", "Correct-Horse-9", "openid")
		if res := get(url.Values{"id_token_hint": {betaTok.str("id_token")}, "post_logout_redirect_uri": {"https://rp.example/cb"}}); res.StatusCode != 400 || res.Header.Get("Location") != "" {
			t.Fatalf("another realm's id_token_hint: %d", res.StatusCode)
		}
		if res := get(url.Values{"id_token_hint": {tok.str("access_token")}}); res.StatusCode != 400 {
			t.Fatalf("an access token as id_token_hint: %d", res.StatusCode)
		}
		f.advance(time.Hour)
		res := get(url.Values{"id_token_hint": {hint}, "post_logout_redirect_uri": {"https://rp.example/cb"}, "state": {"xyz"}})
		if res.StatusCode != http.StatusFound || res.Header.Get("Location") != "https://rp.example/cb?state=xyz" {
			t.Fatalf("logout redirect: %d %q", res.StatusCode, res.Header.Get("Location"))
		}
		if !f.tokSessionRevoked(f.Realm, sid) {
			t.Fatal("RP-initiated logout must revoke the hinted session")
		}
		if f.tokEvents(f.Realm, iam.EventLogout) != 2 {
			t.Fatal("both logouts must be audited")
		}
		if !strings.Contains(strings.Join(res.Header.Values("Set-Cookie"), "\n"), "Max-Age=0") {
			t.Fatal("logout must clear the SSO cookie")
		}

		// Without a redirect URI: a signed-out page. Without a hint and
		// without an SSO cookie: nothing to confirm.
		res, err := http.Get(logoutURL)
		if err != nil || res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("signed-out page: %v %v", res, err)
		}
		res.Body.Close()

		// A post-logout URI from the app's attribute, named by client_id.
		f.app(f.Realm, directory.NewApp{ClientID: "portal", GrantTypes: []string{iam.GrantAuthorizationCode}, RedirectURIs: []string{"https://portal.example/cb"},
			Attributes: map[string]string{"post_logout_redirect_uris": "https://portal.example/bye https://portal.example/later"}})
		if res := get(url.Values{"client_id": {"portal"}, "post_logout_redirect_uri": {"https://portal.example/bye"}}); res.StatusCode != http.StatusFound || res.Header.Get("Location") != "https://portal.example/bye" {
			t.Fatalf("attribute URI: %d %q", res.StatusCode, res.Header.Get("Location"))
		}
	})
}

// Discovery is per prefix and truthful; the JWKS it names serves keys.
func TestDiscoveryAndCerts(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		for _, prefix := range []string{"/realms/", "/auth/realms/"} {
			base := f.URL + prefix + f.Realm.Name
			r := f.tokGet(base+"/.well-known/openid-configuration", "")
			if r.status != 200 || r.str("issuer") != base || r.str("token_endpoint") != base+"/protocol/openid-connect/token" ||
				r.str("introspection_endpoint") != base+"/protocol/openid-connect/token/introspect" ||
				r.str("end_session_endpoint") != base+"/protocol/openid-connect/logout" || r.header.Get("Cache-Control") == "no-store" {
				t.Fatalf("discovery under %s: %d %s", prefix, r.status, r.raw)
			}
			if m := r.body["code_challenge_methods_supported"].([]any); len(m) != 1 || m[0] != "S256" {
				t.Fatalf("only S256 is advertised: %v", m)
			}
			certs := f.tokGet(r.str("jwks_uri"), "")
			keys, _ := certs.body["keys"].([]any)
			if certs.status != 200 || len(keys) < 2 || !strings.Contains(certs.header.Get("Cache-Control"), "max-age") {
				t.Fatalf("certs: %d %s", certs.status, certs.raw)
			}
			for _, k := range keys {
				if _, private := k.(map[string]any)["d"]; private {
					t.Fatal("the JWKS must not publish private keys")
				}
			}
		}
		if r := f.tokGet(f.URL+"/realms/nowhere/.well-known/openid-configuration", ""); r.status != 404 {
			t.Fatalf("unknown realm discovery: %d", r.status)
		}
	})
}

// A sign-out without id_token_hint in a browser with an SSO session asks
// for confirmation; the confirming POST ends the session, clears the
// cookie and returns to the app with state. A cross-site POST changes
// nothing.
func TestLogoutConfirmationEndsSSO(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		f.user(f.Realm, "bob", "Correct-Horse-9")
		loginPublicApp(f, f.Realm, "web")
		_, ch := loginPKCE()
		c := loginBrowser(t)
		sid := loginSignIn(t, c, loginAuthURL(f, "/realms", f.Realm, loginParams("web", ch)), "bob", "Correct-Horse-9").Get("session_state")
		logoutURL := f.tokURL(f.Realm, "logout") + "?" + url.Values{
			"client_id": {"web"}, "post_logout_redirect_uri": {loginRP}, "state": {"s1"},
		}.Encode()

		confirm := loginGet(t, c, logoutURL)
		if confirm.resp.StatusCode != 200 || confirm.action == "" || f.tokSessionRevoked(f.Realm, sid) {
			t.Fatalf("want a confirmation form and the session intact: %d %.300s", confirm.resp.StatusCode, confirm.body)
		}
		form := url.Values{}
		for k, v := range confirm.fields {
			form.Set(k, v)
		}
		req, _ := http.NewRequest(http.MethodPost, confirm.action, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://evil.example")
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden || f.tokSessionRevoked(f.Realm, sid) {
			t.Fatalf("cross-site confirmation: %d", res.StatusCode)
		}

		done := confirm.submit(t, c, nil)
		if loc := done.resp.Header.Get("Location"); done.resp.StatusCode != http.StatusFound || loc != loginRP+"?state=s1" {
			t.Fatalf("after confirming: %d %q", done.resp.StatusCode, loc)
		}
		if !f.tokSessionRevoked(f.Realm, sid) {
			t.Fatal("the SSO session must be revoked")
		}
		if pg := loginGet(t, c, logoutURL); pg.resp.StatusCode != http.StatusFound {
			t.Fatalf("with no SSO session left there is nothing to confirm: %d", pg.resp.StatusCode)
		}
	})
}
