package iamv1_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"iamd/directory"
	"iamd/iam"
)

// The upstream provider of these tests is a second iamd: a whole stack
// with its own store (SQLite), whose realm acme has the confidential app
// "rp" that the first stack's realm signs users in through.

const (
	socialCallback = "https://app.example.test/social/cb"
	socialPassword = "Upstream-Pass-42"
)

type socialUpstream struct {
	*fixture
	issuer string
	secret string // of app rp
	other  string // secret of app "other", whose tokens are not for the first stack
}

func newSocialUpstream(t *testing.T) *socialUpstream {
	t.Helper()
	up := &socialUpstream{fixture: newFixture(t, openSQLite(t))}
	up.issuer = up.URL + "/realms/acme"
	grants := []string{iam.GrantAuthorizationCode, iam.GrantPassword}
	var err error
	if _, up.secret, err = up.Dir.CreateApp(context.Background(), up.Realm, directory.NewApp{
		ClientID: "rp", GrantTypes: grants, RedirectURIs: []string{socialCallback},
	}, ""); err != nil {
		t.Fatal(err)
	}
	if _, up.other, err = up.Dir.CreateApp(context.Background(), up.Realm, directory.NewApp{
		ClientID: "other", GrantTypes: grants, RedirectURIs: []string{socialCallback},
	}, ""); err != nil {
		t.Fatal(err)
	}
	return up
}

// user creates an upstream user whose username is email.
func (up *socialUpstream) user(email, first string, verified bool) {
	up.t.Helper()
	if _, err := up.Dir.CreateUser(context.Background(), up.Realm, directory.NewUser{
		Username: email, Email: email, EmailVerified: verified, FirstName: first, LastName: "Upstream", Password: socialPassword,
	}, ""); err != nil {
		up.t.Fatal(err)
	}
}

// idToken is an ID token of the upstream user for app clientID, from the
// password grant.
func (up *socialUpstream) idToken(clientID, secret, username, scope string) string {
	up.t.Helper()
	res, err := http.PostForm(up.issuer+"/protocol/openid-connect/token", url.Values{
		"grant_type": {"password"}, "client_id": {clientID}, "client_secret": {secret},
		"username": {username}, "password": {socialPassword}, "scope": {scope},
	})
	if err != nil {
		up.t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct {
		IDToken string `json:"id_token"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || out.IDToken == "" {
		up.t.Fatalf("password grant: %d %v", res.StatusCode, err)
	}
	return out.IDToken
}

var (
	socialFormAction = regexp.MustCompile(`<form method="post" action="([^"]+)"`)
	socialHidden     = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)"`)
)

// code signs username in at the upstream's login page, as a browser
// would, and returns the authorization code it redirects to
// socialCallback with.
func (up *socialUpstream) code(username, scope string) string {
	up.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	auth := up.issuer + "/protocol/openid-connect/auth?" + url.Values{
		"client_id": {"rp"}, "redirect_uri": {socialCallback}, "response_type": {"code"}, "scope": {scope}, "state": {"st-1"},
	}.Encode()
	res, err := c.Get(auth)
	if err != nil {
		up.t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := socialFormAction.FindSubmatch(page)
	if m == nil {
		up.t.Fatalf("no login form (%d): %.300s", res.StatusCode, page)
	}
	action, _ := res.Request.URL.Parse(html.UnescapeString(string(m[1])))
	form := url.Values{"username": {username}, "password": {socialPassword}}
	for _, h := range socialHidden.FindAllSubmatch(page, -1) {
		form.Set(string(h[1]), html.UnescapeString(string(h[2])))
	}
	res, err = c.PostForm(action.String(), form)
	if err != nil {
		up.t.Fatal(err)
	}
	res.Body.Close()
	loc, err := url.Parse(res.Header.Get("Location"))
	if err != nil || !strings.HasPrefix(loc.String(), socialCallback) || loc.Query().Get("code") == "" {
		up.t.Fatalf("sign-in at the upstream: %d, Location %q", res.StatusCode, res.Header.Get("Location"))
	}
	return loc.Query().Get("code")
}

// socialConfigure gives the first stack's realm the upstream as providers
// GOOGLE and APPLE (OpenID Connect by discovery), LINKEDIN (plain OAuth
// 2.0 with its userinfo URL) and KEYCLOAK (a name not in the document's
// list). The client secret is sealed with the fixture's master key, as
// the server keeps it.
func socialConfigure(f *fixture, up *socialUpstream) {
	f.t.Helper()
	secret := []byte(up.secret)
	if f.Authn.Seal != nil {
		secret = f.Authn.Seal(secret)
	}
	oidcP := func(name string) iam.SocialProvider {
		return iam.SocialProvider{Name: name, Kind: iam.SocialOIDC, Issuer: up.issuer, ClientID: "rp", ClientSecretEnc: secret}
	}
	apple := oidcP("APPLE")
	apple.RedirectURL = socialCallback
	f.Realm.Settings.SocialProviders = []iam.SocialProvider{oidcP("GOOGLE"), apple, oidcP("KEYCLOAK"), {
		Name: "LINKEDIN", Kind: iam.SocialOAuth2, ClientID: "rp", ClientSecretEnc: secret,
		TokenURL: up.issuer + "/protocol/openid-connect/token", UserinfoURL: up.issuer + "/protocol/openid-connect/userinfo",
	}}
	if err := f.Store.Realms().Update(context.Background(), f.Realm); err != nil {
		f.t.Fatal(err)
	}
}

func socialB64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// socialUser is the first stack's user the tokens of r are for.
func socialUser(f *fixture, r resp) *iam.User {
	f.t.Helper()
	u, err := f.Dir.GetUser(context.Background(), f.Realm, claims(f.t, r.str("accessToken"))["sub"].(string))
	if err != nil {
		f.t.Fatal(err)
	}
	return u
}

// socialApple posts Apple's form to #30.
func (f *fixture) socialApple(form url.Values) resp {
	f.t.Helper()
	return f.post("/v1/iam/auth/social/apple", form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
}

// TestSocialSignIn: the first sign-in through the upstream creates the
// user (existingUser false) with the upstream's e-mail and names; the
// next, by code or by ID token, web or mobile, finds the same user. The
// tokens are the realm's own.
func TestSocialSignIn(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		up := newSocialUpstream(t)
		socialConfigure(f, up)
		up.user("ann@example.com", "Ann", true)
		users := f.userCount()

		r := f.want(f.post("/v1/iam/auth/social", map[string]any{
			"appName": "GOOGLE", "code": up.code("ann@example.com", "openid email profile"),
			"redirectUrl": socialB64(socialCallback), "state": "xyz", "realmId": "askjd23",
		}), http.StatusOK)
		if r.flag("existingUser") || r.str("email") != "ann@example.com" || r.str("firstName") != "Ann" || r.str("lastName") != "Upstream" ||
			r.str("idToken") == "" || r.str("refreshToken") == "" || f.userinfo(r.str("accessToken")) != http.StatusOK {
			t.Fatalf("first sign-in: %s", r.raw)
		}
		if !strings.Contains(strings.Join(r.header.Values("Set-Cookie"), ";"), "iam_access_token=") {
			t.Fatal("web sign-in sets no access cookie")
		}
		u := socialUser(f, r)
		if u.Username != "ann@example.com" || !u.EmailVerified || u.Profile.Source != "WEB_GOOGLE" || f.userCount() != users+1 {
			t.Fatalf("created user %+v", u)
		}

		r = f.want(f.post("/v1/iam/auth/mobile/social", map[string]any{
			"appName": "google", "idToken": up.idToken("rp", up.secret, "ann@example.com", "openid email"),
		}), http.StatusOK)
		if !r.flag("existingUser") || socialUser(f, r).ID != u.ID || len(r.header.Values("Set-Cookie")) != 0 {
			t.Fatalf("second sign-in (mobile, ID token): %s", r.raw)
		}
		// A plain OAuth 2.0 provider reads the user at its userinfo URL;
		// that is another provider, so another identity and user.
		up.user("bo@example.com", "Bo", true)
		r = f.want(f.post("/v1/iam/auth/social", map[string]any{
			"appName": "LINKEDIN", "code": up.code("bo@example.com", "openid email"), "redirectUrl": socialCallback,
		}), http.StatusOK)
		if r.flag("existingUser") || r.str("email") != "bo@example.com" {
			t.Fatalf("OAuth 2.0 provider: %s", r.raw)
		}
		// A provider the realm names outside the document's list.
		r = f.want(f.post("/v1/iam/auth/mobile/social", map[string]any{
			"appName": "KEYCLOAK", "idToken": up.idToken("rp", up.secret, "bo@example.com", "openid email"),
		}), http.StatusOK)
		if !r.flag("existingUser") || r.str("email") != "bo@example.com" {
			t.Fatalf("KEYCLOAK links to the verified account of LINKEDIN's sign-in: %s", r.raw)
		}
	})
}

// TestSocialSignInLinking: an upstream identity is linked to the realm's
// user with the same e-mail only when the upstream says the address is
// verified (and the user has verified it); otherwise 401 and nothing
// changes.
func TestSocialSignInLinking(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		up := newSocialUpstream(t)
		socialConfigure(f, up)
		ctx := context.Background()
		local := func(email string) *iam.User {
			u, err := f.Dir.CreateUser(ctx, f.Realm, directory.NewUser{Username: email, Email: email, EmailVerified: true, Password: "Local-Pass-77"}, "")
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		vera, uma := local("vera@example.com"), local("uma@example.com")
		up.user("vera@example.com", "Vera", true)
		up.user("uma@example.com", "Uma", false)
		users := f.userCount()

		r := f.want(f.post("/v1/iam/auth/social", map[string]any{
			"appName": "GOOGLE", "code": up.code("vera@example.com", "openid email"), "redirectUrl": socialB64(socialCallback),
		}), http.StatusOK)
		if !r.flag("existingUser") || socialUser(f, r).ID != vera.ID {
			t.Fatalf("verified e-mail is not linked: %s", r.raw)
		}
		f.wantError(f.post("/v1/iam/auth/social", map[string]any{"appName": "GOOGLE", "code": up.code("uma@example.com", "openid email"), "redirectUrl": socialB64(socialCallback)}),
			http.StatusUnauthorized, "User is not authorized!", "")
		f.wantError(f.post("/v1/iam/auth/mobile/social", map[string]any{"appName": "GOOGLE", "idToken": up.idToken("rp", up.secret, "uma@example.com", "openid email")}),
			http.StatusUnauthorized, "User is not authorized!", "")
		creds, _ := f.Store.Realm(f.Realm.ID).Credentials().List(ctx, uma.ID, iam.CredSocial)
		if len(creds) != 0 || f.userCount() != users {
			t.Fatalf("an unverified e-mail changed something: %d links, %d users (want %d)", len(creds), f.userCount(), users)
		}
		// The local password still signs Vera in; the link added a way, took none.
		f.signIn("vera@example.com", "Local-Pass-77")
	})
}

// TestSocialSignInRefusals: what the upstream or its keys refuse, and a
// provider the realm does not have, are 401 "User is not authorized!";
// malformed input is 400 naming the field.
func TestSocialSignInRefusals(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		up := newSocialUpstream(t)
		socialConfigure(f, up)
		up.user("ann@example.com", "Ann", true)
		users := f.userCount()
		tok := up.idToken("rp", up.secret, "ann@example.com", "openid email")
		parts := strings.Split(tok, ".")
		sig := []byte(parts[2])
		sig[10] ^= 1
		forged := parts[0] + "." + parts[1] + "." + string(sig)
		code := up.code("ann@example.com", "openid email")
		f.want(f.post("/v1/iam/auth/social", map[string]any{"appName": "GOOGLE", "code": code, "redirectUrl": socialB64(socialCallback)}), http.StatusOK)
		users++

		for name, body := range map[string]map[string]any{
			"unconfigured provider":     {"appName": "FACEBOOK", "idToken": tok},
			"forged signature":          {"appName": "GOOGLE", "idToken": forged},
			"another client's ID token": {"appName": "GOOGLE", "idToken": up.idToken("other", up.other, "ann@example.com", "openid email")},
			"a used code":               {"appName": "GOOGLE", "code": code, "redirectUrl": socialB64(socialCallback)},
			"another redirect":          {"appName": "GOOGLE", "code": up.code("ann@example.com", "openid"), "redirectUrl": socialB64("https://evil.example/cb")},
			"no redirect":               {"appName": "GOOGLE", "code": up.code("ann@example.com", "openid")},
			"ID token, OAuth 2.0":       {"appName": "LINKEDIN", "idToken": tok},
			"garbage":                   {"appName": "GOOGLE", "code": "no-such-code", "redirectUrl": socialCallback},
		} {
			r := f.post("/v1/iam/auth/social", body)
			if r.status != http.StatusUnauthorized || r.str("message") != "User is not authorized!" || r.str("errorCode") != "unauthenticated" {
				t.Errorf("%s: %s", name, r.raw)
			}
		}
		for _, c := range []struct {
			body  string
			field string
		}{
			{`{"code":"x"}`, "appName"},
			{`{"appName":"MYSPACE","code":"x"}`, "appName"},
			{`{"appName":"GOOGLE"}`, "code"},
			{`{"appName":"GOOGLE","code":123}`, "code"},
			{`{"appName":"GOOGLE","code":"x","redirectUrl":"bm90IGEgdXJs"}`, "redirectUrl"},
			{`{"appName":"GOOGLE","code":"x","firstName":"a\u0000b"}`, "firstName"},
			{`{"appName":"GOOGLE","code":"` + strings.Repeat("x", 5000) + `"}`, "code"},
		} {
			f.wantError(f.post("/v1/iam/auth/mobile/social", c.body), http.StatusBadRequest, "", c.field)
		}
		if f.userCount() != users {
			t.Fatalf("a refused sign-in created a user: %d, want %d", f.userCount(), users)
		}
	})
}

// TestSocialApple: Apple's form_post, tested with the upstream standing in
// for Apple: the id_token signs in, names from the user field name a user
// created now; the code alone is exchanged with the configured redirect
// URL.
func TestSocialApple(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		up := newSocialUpstream(t)
		socialConfigure(f, up)
		up.user("kim@example.com", "", true)

		r := f.want(f.socialApple(url.Values{
			"id_token": {up.idToken("rp", up.secret, "kim@example.com", "openid email")}, "state": {"s1"},
			"user": {`{"name":{"firstName":"Kim","lastName":"Park"},"email":"kim@example.com"}`},
		}), http.StatusOK)
		if r.flag("existingUser") || r.str("email") != "kim@example.com" || r.str("firstName") != "Kim" || r.str("lastName") != "Park" ||
			!strings.Contains(strings.Join(r.header.Values("Set-Cookie"), ";"), "iam_access_token=") {
			t.Fatalf("first Apple sign-in: %s", r.raw)
		}
		if u := socialUser(f, r); u.Profile.Source != "WEB_APPLE" {
			t.Fatalf("source %q", u.Profile.Source)
		}
		r = f.want(f.socialApple(url.Values{"code": {up.code("kim@example.com", "openid email")}}), http.StatusOK)
		if !r.flag("existingUser") || r.str("email") != "kim@example.com" {
			t.Fatalf("Apple code: %s", r.raw)
		}

		f.wantError(f.socialApple(url.Values{"id_token": {up.idToken("other", up.other, "kim@example.com", "openid")}}), http.StatusUnauthorized, "User is not authorized!", "")
		f.wantError(f.socialApple(url.Values{"state": {"s1"}}), http.StatusBadRequest, "", "id_token")
		f.wantError(f.socialApple(url.Values{"id_token": {"x"}, "user": {"{not json"}}), http.StatusBadRequest, "", "user")
		f.wantError(f.post("/v1/iam/auth/social/apple", map[string]any{"id_token": "x"}), http.StatusBadRequest, "", "id_token")
	})
}
