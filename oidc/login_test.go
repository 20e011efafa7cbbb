package oidc_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"iamd/directory"
	"iamd/iam"
)

// A sign-in through the hosted form returns a code bound to everything the
// app asked for, sets the SSO cookie, and a second app then signs in with
// no form at all.
func TestLoginCodeFlowAndSSO(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		u := f.user(f.Realm, "alice", "Correct-Horse-9")
		loginPublicApp(f, f.Realm, "web")
		loginPublicApp(f, f.Realm, "shop")
		c := loginBrowser(t)
		_, challenge := loginPKCE()
		params := loginParams("web", challenge)
		params.Set("login_hint", "alice@example.com")

		pg := loginGet(t, c, loginAuthURL(f, "/realms", f.Realm, params))
		if pg.resp.StatusCode != http.StatusOK || pg.fields["username"] != "alice@example.com" {
			t.Fatalf("want the form with the hint filled in: %d %v", pg.resp.StatusCode, pg.fields)
		}
		h := pg.resp.Header
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'none'", "frame-ancestors 'none'", "form-action 'self' http://rp.example.test", "style-src 'self'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("CSP %q lacks %q", csp, want)
			}
		}
		if h.Get("X-Frame-Options") != "DENY" || h.Get("Referrer-Policy") != "no-referrer" || h.Get("Cache-Control") != "no-store" {
			t.Errorf("security headers: %v", h)
		}
		for _, want := range []string{`<label for="username">`, `<label for="password">`, `autocomplete="username"`, `autocomplete="current-password"`} {
			if !strings.Contains(pg.body, want) {
				t.Errorf("form lacks %s", want)
			}
		}
		if strings.Contains(pg.body, "<script") {
			t.Error("the sign-in form must not need JavaScript")
		}

		if ck := loginCookie(pg.resp, "IAMD_BROWSER"); ck == nil || ck.Path != "/realms/acme/" || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode {
			t.Fatalf("browser cookie: %+v", ck)
		}
		done := pg.submit(t, c, map[string]string{"password": "Correct-Horse-9"})
		cb := done.callback(t)
		if cb.Get("state") != params.Get("state") || cb.Get("iss") != f.issuer(f.Realm) || cb.Get("code") == "" || cb.Get("session_state") == "" {
			t.Fatalf("callback: %v", cb)
		}
		code := loginStoredCode(t, f, f.Realm, cb.Get("code"))
		d := code.Data
		if code.UserID != u.ID || d["nonce"] != params.Get("nonce") || d["code_challenge"] != challenge || d["code_challenge_method"] != "S256" ||
			d["redirect_uri"] != loginRP || d["client_id"] != "web" || d["amr"] != "pwd" || d["session_id"] != cb.Get("session_state") ||
			d["issuer"] != f.issuer(f.Realm) || !strings.Contains(d["scope"], "openid") {
			t.Fatalf("code grants %+v", d)
		}
		sso := loginCookie(done.resp, "IAMD_SESSION")
		if sso == nil || sso.Path != "/realms/acme/" || !sso.HttpOnly || sso.SameSite != http.SameSiteLaxMode || sso.Secure {
			t.Fatalf("SSO cookie: %+v", sso)
		}
		if strings.Contains(sso.Value, u.ID) || !strings.HasPrefix(sso.Value, cb.Get("session_state")+".") {
			t.Fatalf("SSO cookie value %q", sso.Value)
		}
		if other, _ := url.Parse(f.URL + "/realms/acme2/"); len(c.Jar.Cookies(other)) != 0 {
			t.Fatal("cookies leak to another realm's path")
		}
		// A forged cookie (another live session's id with this cookie's MAC) is ignored.
		m := f.user(f.Realm, "mallory", "Correct-Horse-9")
		now := f.now()
		ms := &iam.Session{ID: iam.NewID(), RealmID: f.Realm.ID, UserID: m.ID, AMR: []string{"pwd"}, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
		if err := f.Store.Realm(f.Realm.ID).Sessions().Create(context.Background(), ms); err != nil {
			t.Fatal(err)
		}
		forged := loginBrowser(t)
		root, _ := url.Parse(f.URL + "/realms/acme/")
		_, mac, _ := strings.Cut(sso.Value, ".")
		forged.Jar.SetCookies(root, []*http.Cookie{{Name: "IAMD_SESSION", Value: ms.ID + "." + mac, Path: "/realms/acme/"}})
		if pg := loginGet(t, forged, loginAuthURL(f, "/realms", f.Realm, params)); pg.resp.StatusCode != http.StatusOK || pg.action == "" {
			t.Fatalf("forged SSO cookie accepted: %d", pg.resp.StatusCode)
		}

		// SSO: the second app gets a code straight away, on the same session.
		_, ch2 := loginPKCE()
		p2 := loginParams("shop", ch2)
		cb2 := loginGet(t, c, loginAuthURL(f, "/realms", f.Realm, p2)).callback(t)
		if cb2.Get("session_state") != cb.Get("session_state") || cb2.Get("state") != p2.Get("state") {
			t.Fatalf("SSO callback: %v", cb2)
		}
		if d := loginStoredCode(t, f, f.Realm, cb2.Get("code")).Data; d["client_id"] != "shop" || d["nonce"] != p2.Get("nonce") || d["amr"] != "pwd" {
			t.Fatalf("SSO code grants %+v", d)
		}
		// prompt=none succeeds with the session; prompt=login and max_age=0 ask again.
		p2.Set("prompt", "none")
		if cb := loginGet(t, c, loginAuthURL(f, "/realms", f.Realm, p2)).callback(t); cb.Get("code") == "" {
			t.Fatalf("prompt=none with a session: %v", cb)
		}
		p2.Set("prompt", "login")
		if pg := loginGet(t, c, loginAuthURL(f, "/realms", f.Realm, p2)); pg.resp.StatusCode != http.StatusOK || pg.action == "" {
			t.Fatalf("prompt=login must show the form: %d", pg.resp.StatusCode)
		}
		p2.Del("prompt")
		p2.Set("max_age", "3600")
		if cb := loginGet(t, c, loginAuthURL(f, "/realms", f.Realm, p2)).callback(t); cb.Get("code") == "" {
			t.Fatalf("max_age within the session's age: %v", cb)
		}
		p2.Set("max_age", "0")
		pg = loginGet(t, c, loginAuthURL(f, "/realms", f.Realm, p2))
		if pg.resp.StatusCode != http.StatusOK || pg.action == "" {
			t.Fatalf("max_age=0 must ask again: %d", pg.resp.StatusCode)
		}
		cb3 := pg.submit(t, c, map[string]string{"username": "alice", "password": "Correct-Horse-9"}).callback(t)
		if cb3.Get("session_state") == cb.Get("session_state") {
			t.Fatal("a re-authentication must start a new session")
		}

		// The SSO cookie of /realms is not the one of /auth/realms.
		p2.Del("max_age")
		if pg := loginGet(t, c, loginAuthURL(f, "/auth/realms", f.Realm, p2)); pg.resp.StatusCode != http.StatusOK || pg.action == "" {
			t.Fatalf("the legacy prefix has its own SSO cookie: %d", pg.resp.StatusCode)
		}
	})
}

// A revoked or expired session, or a disabled user, ends SSO; prompt=none
// then answers login_required.
func TestLoginSSOEnds(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		u := f.user(f.Realm, "bob", "Correct-Horse-9")
		loginPublicApp(f, f.Realm, "web")
		_, ch := loginPKCE()
		none := loginParams("web", ch)
		none.Set("prompt", "none")
		wantLoginRequired := func(c *http.Client) {
			t.Helper()
			cb := loginGet(t, c, loginAuthURL(f, "/realms", f.Realm, none)).callback(t)
			if cb.Get("error") != "login_required" || cb.Get("state") != none.Get("state") || cb.Get("iss") != f.issuer(f.Realm) || cb.Get("code") != "" {
				t.Fatalf("want login_required, got %v", cb)
			}
		}
		wantLoginRequired(loginBrowser(t))

		c := loginBrowser(t)
		cb := loginSignIn(t, c, loginAuthURL(f, "/realms", f.Realm, loginParams("web", ch)), "bob", "Correct-Horse-9")
		sid := cb.Get("session_state")
		// prompt=none with max_age: a session older than max_age is not enough.
		f.advance(2 * time.Minute)
		none.Set("max_age", "60")
		wantLoginRequired(c)
		none.Set("max_age", "600")
		if cb := loginGet(t, c, loginAuthURL(f, "/realms", f.Realm, none)).callback(t); cb.Get("session_state") != sid || cb.Get("code") == "" {
			t.Fatalf("prompt=none within max_age: %v", cb)
		}
		none.Del("max_age")
		if err := f.Store.Realm(f.Realm.ID).Sessions().Revoke(ctx, sid, f.now()); err != nil {
			t.Fatal(err)
		}
		wantLoginRequired(c)

		loginSignIn(t, c, loginAuthURL(f, "/realms", f.Realm, loginParams("web", ch)), "bob", "Correct-Horse-9")
		f.advance(10*time.Hour + time.Minute)
		wantLoginRequired(c)

		loginSignIn(t, c, loginAuthURL(f, "/realms", f.Realm, loginParams("web", ch)), "bob", "Correct-Horse-9")
		u.Enabled = false
		if err := f.Store.Realm(f.Realm.ID).Users().Update(ctx, u); err != nil {
			t.Fatal(err)
		}
		wantLoginRequired(c)
	})
}

// Wrong, locked and disabled sign-ins show the form again with a clear
// message and the username kept; no session is made.
func TestLoginFailureMessages(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		loginSetRealm(t, f, f.Realm, func(r *iam.Realm) { r.Settings.BruteForce.MaxPasswordFailures = 3 })
		carol := f.user(f.Realm, "carol", "Correct-Horse-9")
		dave, err := f.Dir.CreateUser(context.Background(), f.Realm, directory.NewUser{Username: "dave", Password: "Correct-Horse-9", Disabled: true}, "")
		if err != nil {
			t.Fatal(err)
		}
		loginPublicApp(f, f.Realm, "web")
		_, ch := loginPKCE()
		c := loginBrowser(t)
		form := loginGet(t, c, loginAuthURL(f, "/realms", f.Realm, loginParams("web", ch)))

		cases := []struct {
			user, pw string
			status   int
			alert    string
		}{
			{"carol", "wrong-password", http.StatusBadRequest, "Invalid username or password."},
			{"nobody", "wrong-password", http.StatusBadRequest, "Invalid username or password."},
			{"dave", "Correct-Horse-9", http.StatusForbidden, "disabled"},
			{"carol", "", http.StatusBadRequest, "Enter your username and password."},
			{"carol", "wrong-again", http.StatusBadRequest, "Invalid username or password."},
			{"carol", "wrong-thrice", http.StatusLocked, "temporarily locked"},
			{"carol", "Correct-Horse-9", http.StatusLocked, "temporarily locked"},
		}
		for _, tc := range cases {
			pg := form.submit(t, c, map[string]string{"username": tc.user, "password": tc.pw})
			if pg.resp.StatusCode != tc.status || !strings.Contains(pg.alert, tc.alert) || pg.fields["username"] != tc.user {
				t.Fatalf("%s/%s: got %d alert %q username %q", tc.user, tc.pw, pg.resp.StatusCode, pg.alert, pg.fields["username"])
			}
			if pg.resp.Header.Get("Location") != "" {
				t.Fatal("a failed sign-in redirected")
			}
			form = pg
		}
		if len(loginSessions(t, f, f.Realm, carol)) != 0 || len(loginSessions(t, f, f.Realm, dave)) != 0 {
			t.Fatal("a failed sign-in created a session")
		}
	})
}

// A user with an authenticator must pass the TOTP step; the session then
// carries both methods.
func TestLoginTOTPStep(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		erin := f.user(f.Realm, "erin", "Correct-Horse-9")
		loginAddTOTP(t, f, f.Realm, erin)
		loginPublicApp(f, f.Realm, "web")
		_, ch := loginPKCE()
		c := loginBrowser(t)
		params := loginParams("web", ch)
		pg := loginGet(t, c, loginAuthURL(f, "/realms", f.Realm, params))
		otp := pg.submit(t, c, map[string]string{"username": "erin", "password": "Correct-Horse-9"})
		if otp.resp.StatusCode != http.StatusOK || !strings.Contains(otp.body, `autocomplete="one-time-code"`) || !strings.Contains(otp.body, `<label for="otp">`) {
			t.Fatalf("want the code form: %d %.300s", otp.resp.StatusCode, otp.body)
		}
		if len(loginSessions(t, f, f.Realm, erin)) != 0 {
			t.Fatal("a session exists before the second factor")
		}
		// The password step cannot be replayed to skip or restart the code step.
		if again := pg.submit(t, c, map[string]string{"username": "erin", "password": "Correct-Horse-9"}); again.resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("replayed password step: %d", again.resp.StatusCode)
		}
		good := loginTOTPCode(t, f)
		bad := "000000"
		if good == bad {
			bad = "111111"
		}
		wrong := otp.submit(t, c, map[string]string{"otp": bad})
		if wrong.resp.StatusCode != http.StatusBadRequest || wrong.alert != "Invalid authentication code." {
			t.Fatalf("wrong code: %d %q", wrong.resp.StatusCode, wrong.alert)
		}
		cb := wrong.submit(t, c, map[string]string{"otp": good}).callback(t)
		if d := loginStoredCode(t, f, f.Realm, cb.Get("code")).Data; d["amr"] != "pwd otp" || cb.Get("state") != params.Get("state") {
			t.Fatalf("after TOTP: %v %+v", cb, d)
		}
		s := loginSessions(t, f, f.Realm, erin)
		if len(s) != 1 || !slices.Equal(s[0].AMR, []string{"pwd", "otp"}) {
			t.Fatalf("sessions: %+v", s)
		}
		// The same code in a new sign-in is a replay.
		c2 := loginBrowser(t)
		otp2 := loginGet(t, c2, loginAuthURL(f, "/realms", f.Realm, params)).submit(t, c2, map[string]string{"username": "erin", "password": "Correct-Horse-9"})
		if pg := otp2.submit(t, c2, map[string]string{"otp": good}); pg.resp.StatusCode != http.StatusBadRequest || pg.alert != "Invalid authentication code." {
			t.Fatalf("replayed TOTP code: %d %q", pg.resp.StatusCode, pg.alert)
		}
	})
}

// Requests that cannot name a safe place to return to get an error page and
// never a redirect; later problems go back to the app as OAuth errors.
func TestLoginBadRequests(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		loginPublicApp(f, f.Realm, "web")
		f.app(f.Realm, directory.NewApp{ClientID: "conf", RedirectURIs: []string{loginRP}})
		f.app(f.Realm, directory.NewApp{ClientID: "svc", GrantTypes: []string{iam.GrantClientCredentials}, RedirectURIs: []string{loginRP}})
		f.app(f.Realm, directory.NewApp{ClientID: "evil", RedirectURIs: []string{"javascript:alert(1)"}})
		other := f.realm("other")
		loginPublicApp(f, other, "elsewhere")
		_, ch := loginPKCE()
		c := loginBrowser(t)
		with := func(base url.Values, kv ...string) url.Values {
			v := url.Values{}
			for k, x := range base {
				v[k] = slices.Clone(x)
			}
			for i := 0; i < len(kv); i += 2 {
				if kv[i+1] == "" {
					v.Del(kv[i])
				} else {
					v.Set(kv[i], kv[i+1])
				}
			}
			return v
		}
		good := loginParams("web", ch)

		pages := []struct {
			name   string
			realm  *iam.Realm
			params url.Values
			status int
			text   string
		}{
			{"unknown redirect_uri", f.Realm, with(good, "redirect_uri", "http://attacker.example/cb"), 400, "not registered"},
			{"redirect_uri differing in a slash", f.Realm, with(good, "redirect_uri", loginRP+"/"), 400, "not registered"},
			{"redirect_uri with extra query", f.Realm, with(good, "redirect_uri", loginRP+"?x=1"), 400, "not registered"},
			{"bad redirect and bad response_type", f.Realm, with(good, "redirect_uri", "http://attacker.example/cb", "response_type", "token"), 400, "not registered"},
			{"missing redirect_uri", f.Realm, with(good, "redirect_uri", ""), 400, "redirect_uri is missing"},
			{"unknown client", f.Realm, with(good, "client_id", "nope"), 400, "not known"},
			{"missing client", f.Realm, with(good, "client_id", ""), 400, "client_id is missing"},
			{"another realm's client", f.Realm, with(good, "client_id", "elsewhere"), 400, "not known"},
			{"javascript redirect", f.Realm, with(good, "client_id", "evil", "redirect_uri", "javascript:alert(1)"), 400, "not registered"},
			{"unknown realm", &iam.Realm{Name: "nowhere"}, good, 404, "no such realm"},
		}
		for _, tc := range pages {
			pg := loginGet(t, c, loginAuthURL(f, "/realms", tc.realm, tc.params))
			if pg.resp.StatusCode != tc.status || pg.resp.Header.Get("Location") != "" || !strings.Contains(pg.alert, tc.text) {
				t.Errorf("%s: got %d Location %q alert %q", tc.name, pg.resp.StatusCode, pg.resp.Header.Get("Location"), pg.alert)
			}
			if !strings.Contains(pg.resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
				t.Errorf("%s: error page without CSP", tc.name)
			}
		}

		redirects := []struct {
			name   string
			params url.Values
			err    string
		}{
			{"implicit flow", with(good, "response_type", "token"), "unsupported_response_type"},
			{"missing response_type", with(good, "response_type", ""), "invalid_request"},
			{"public app without PKCE", with(good, "code_challenge", "", "code_challenge_method", ""), "invalid_request"},
			{"plain PKCE", with(good, "code_challenge_method", "plain"), "invalid_request"},
			{"PKCE without method", with(good, "code_challenge_method", ""), "invalid_request"},
			{"short challenge", with(good, "code_challenge", "abc"), "invalid_request"},
			{"client without the code grant", with(good, "client_id", "svc", "code_challenge", "", "code_challenge_method", ""), "unauthorized_client"},
			{"prompt none without a session", with(good, "prompt", "none"), "login_required"},
			{"negative max_age", with(good, "max_age", "-1"), "invalid_request"},
			{"request object", with(good, "request", "eyJ.x.y"), "request_not_supported"},
			{"fragment mode", with(good, "response_mode", "fragment"), "invalid_request"},
		}
		for _, tc := range redirects {
			pg := loginGet(t, c, loginAuthURL(f, "/realms", f.Realm, tc.params))
			cb := pg.callback(t)
			if cb.Get("error") != tc.err || cb.Get("state") != good.Get("state") || cb.Get("iss") != f.issuer(f.Realm) || cb.Get("code") != "" {
				t.Errorf("%s: got %v", tc.name, cb)
			}
		}
		// A confidential app may leave PKCE out.
		if pg := loginGet(t, c, loginAuthURL(f, "/realms", f.Realm, with(good, "client_id", "conf", "code_challenge", "", "code_challenge_method", ""))); pg.resp.StatusCode != http.StatusOK || pg.action == "" {
			t.Errorf("confidential app without PKCE: %d %q", pg.resp.StatusCode, pg.alert)
		}
		// POST to the authorization endpoint works like GET.
		resp, err := c.PostForm(f.URL+"/realms/acme/protocol/openid-connect/auth", with(good, "response_type", "token"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if loc, _ := url.Parse(resp.Header.Get("Location")); resp.StatusCode != http.StatusSeeOther || loc.Query().Get("error") != "unsupported_response_type" {
			t.Errorf("POST authorize: %d %v", resp.StatusCode, loc)
		}
	})
}

// The sign-in form refuses a POST whose CSRF token is missing, wrong or
// from another browser, before looking at the password.
func TestLoginCSRF(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		frank := f.user(f.Realm, "frank", "Correct-Horse-9")
		loginPublicApp(f, f.Realm, "web")
		_, ch := loginPKCE()
		victim, attacker := loginBrowser(t), loginBrowser(t)
		form := loginGet(t, victim, loginAuthURL(f, "/realms", f.Realm, loginParams("web", ch)))
		theirs := loginGet(t, attacker, loginAuthURL(f, "/realms", f.Realm, loginParams("web", ch)))
		creds := map[string]string{"username": "frank", "password": "Correct-Horse-9"}
		for name, pg := range map[string]*loginPage{
			"missing": form.submit(t, victim, map[string]string{"csrf": "", "username": "frank", "password": "Correct-Horse-9"}),
			"wrong":   form.submit(t, victim, map[string]string{"csrf": loginFlipFirst(form.fields["csrf"]), "username": "frank", "password": "Correct-Horse-9"}),
			// The attacker's own flow and token, posted from the victim's browser.
			"other browser": theirs.submit(t, victim, creds),
			// The victim's form and token without the victim's cookie.
			"no cookie": form.submit(t, attacker, creds),
		} {
			if pg.resp.StatusCode != http.StatusForbidden || pg.resp.Header.Get("Location") != "" {
				t.Errorf("%s CSRF token: got %d Location %q", name, pg.resp.StatusCode, pg.resp.Header.Get("Location"))
			}
		}
		if len(loginSessions(t, f, f.Realm, frank)) != 0 {
			t.Fatal("a refused form created a session")
		}
		// The real form still works once, and only once.
		form.submit(t, victim, creds).callback(t)
		if pg := form.submit(t, victim, creds); pg.resp.StatusCode != http.StatusBadRequest || !strings.Contains(pg.alert, "expired") {
			t.Fatalf("replayed form: %d %q", pg.resp.StatusCode, pg.alert)
		}
	})
}

// response_mode=form_post answers with a self-submitting form to the
// redirect URI that works without JavaScript too.
func TestLoginFormPost(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		f.user(f.Realm, "gina", "Correct-Horse-9")
		loginPublicApp(f, f.Realm, "web")
		_, ch := loginPKCE()
		c := loginBrowser(t)
		params := loginParams("web", ch)
		params.Set("response_mode", "form_post")
		pg := loginGet(t, c, loginAuthURL(f, "/realms", f.Realm, params)).submit(t, c, map[string]string{"username": "gina", "password": "Correct-Horse-9"})
		if pg.resp.StatusCode != http.StatusOK || pg.action != loginRP || pg.resp.Header.Get("Location") != "" {
			t.Fatalf("want a form to the app: %d action %q", pg.resp.StatusCode, pg.action)
		}
		if pg.fields["code"] == "" || pg.fields["state"] != params.Get("state") || pg.fields["iss"] != f.issuer(f.Realm) || pg.fields["session_state"] == "" {
			t.Fatalf("form fields: %v", pg.fields)
		}
		csp := pg.resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "form-action 'self' http://rp.example.test") || !strings.Contains(csp, "script-src 'sha256-") {
			t.Fatalf("CSP: %s", csp)
		}
		if !strings.Contains(pg.body, "<noscript>") || !strings.Contains(pg.body, `<button type="submit" id="continue">`) {
			t.Fatal("no button for browsers without JavaScript")
		}
		loginStoredCode(t, f, f.Realm, pg.fields["code"])
		// Errors go the same way.
		params.Set("prompt", "none")
		pg = loginGet(t, loginBrowser(t), loginAuthURL(f, "/realms", f.Realm, params))
		if pg.action != loginRP || pg.fields["error"] != "login_required" || pg.fields["state"] != params.Get("state") {
			t.Fatalf("form_post error: %d %v", pg.resp.StatusCode, pg.fields)
		}
	})
}

// The realm's logo and colour are validated, shown, and allowed by the CSP.
func TestLoginBranding(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		loginPublicApp(f, f.Realm, "web")
		_, ch := loginPKCE()
		get := func() *loginPage {
			return loginGet(t, loginBrowser(t), loginAuthURL(f, "/realms", f.Realm, loginParams("web", ch)))
		}
		loginSetRealm(t, f, f.Realm, func(r *iam.Realm) {
			r.Settings.Attributes = map[string]string{"login_logo_url": "https://cdn.example.com/acme.svg", "login_primary_color": "#FFD700"}
		})
		pg := get()
		style := ":root{--primary:#ffd700;--on-primary:#000}"
		csp := pg.resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(pg.body, "<style>"+style+"</style>") || !strings.Contains(csp, "'"+loginCSPHash(style)+"'") {
			t.Fatalf("colour: CSP %q body %.600s", csp, pg.body)
		}
		if !strings.Contains(pg.body, `src="https://cdn.example.com/acme.svg"`) || !strings.Contains(csp, "img-src 'self' https://cdn.example.com;") {
			t.Fatalf("logo: CSP %q", csp)
		}
		for _, bad := range []map[string]string{
			{"login_logo_url": "javascript:alert(1)", "login_primary_color": "red;}body{display:none"},
			{"login_logo_url": "https://user:pw@cdn.example.com/x.png", "login_primary_color": "#12345"},
			{"login_logo_url": "//cdn.example.com/x.png", "login_primary_color": "#ggg"},
		} {
			loginSetRealm(t, f, f.Realm, func(r *iam.Realm) { r.Settings.Attributes = bad })
			pg := get()
			if pg.resp.StatusCode != http.StatusOK || strings.Contains(pg.body, "<style>") || strings.Contains(pg.body, "<img") || strings.Contains(pg.resp.Header.Get("Content-Security-Policy"), "sha256") {
				t.Fatalf("invalid branding %v used: %.600s", bad, pg.body)
			}
		}
		resp, err := http.Get(f.URL + "/realms/acme/login-actions/login.css")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") {
			t.Fatalf("stylesheet: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	})
}

// Under the legacy prefix everything says /auth/realms: the issuer, the
// form's action and the cookie's path.
func TestLoginLegacyPrefix(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		f.user(f.Realm, "hank", "Correct-Horse-9")
		loginPublicApp(f, f.Realm, "web")
		_, ch := loginPKCE()
		c := loginBrowser(t)
		pg := loginGet(t, c, loginAuthURL(f, "/auth/realms", f.Realm, loginParams("web", ch)))
		if !strings.HasPrefix(pg.action, f.URL+"/auth/realms/acme/login-actions/") {
			t.Fatalf("form action %q", pg.action)
		}
		cb := pg.submit(t, c, map[string]string{"username": "hank", "password": "Correct-Horse-9"}).callback(t)
		if cb.Get("iss") != f.URL+"/auth/realms/acme" || loginStoredCode(t, f, f.Realm, cb.Get("code")).Data["issuer"] != f.URL+"/auth/realms/acme" {
			t.Fatalf("issuer under the legacy prefix: %v", cb)
		}
		legacy, _ := url.Parse(f.URL + "/auth/realms/acme/protocol/openid-connect/auth")
		modern, _ := url.Parse(f.URL + "/realms/acme/protocol/openid-connect/auth")
		has := func(u *url.URL) bool {
			for _, ck := range c.Jar.Cookies(u) {
				if ck.Name == "IAMD_SESSION" {
					return true
				}
			}
			return false
		}
		if !has(legacy) || has(modern) {
			t.Fatalf("SSO cookie scope: legacy %v modern %v", has(legacy), has(modern))
		}
	})
}

func loginCookie(resp *http.Response, name string) *http.Cookie {
	for _, ck := range resp.Cookies() {
		if ck.Name == name {
			return ck
		}
	}
	return nil
}

func loginCSPHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// loginFlipFirst changes the first character of s.
func loginFlipFirst(s string) string {
	if s == "" || s[0] == 'A' {
		return "B" + s[min(1, len(s)):]
	}
	return "A" + s[1:]
}
