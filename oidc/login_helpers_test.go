package oidc_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/pquerna/otp/totp"
	"golang.org/x/net/html"

	"iamd/directory"
	"iamd/iam"
)

// loginRP is where the tests' apps return to; the plain HTTP client does
// not follow redirects, so nothing needs to listen there.
const loginRP = "http://rp.example.test/cb"

// loginSeed is the TOTP seed of the tests' MFA users, stored as plain
// base32 (the fixture's authn.Service has no Unseal).
const loginSeed = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

// loginBrowser is a cookie-keeping HTTP client that stops at redirects.
func loginBrowser(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// loginPKCE returns a verifier and its S256 challenge.
func loginPKCE() (verifier, challenge string) {
	verifier = iam.NewSecret(32)
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

// loginPublicApp registers a public app with loginRP (and extra) as
// redirect URIs.
func loginPublicApp(f *fixture, realm *iam.Realm, clientID string, redirects ...string) *iam.App {
	a, _ := f.app(realm, directory.NewApp{ClientID: clientID, Public: true, RedirectURIs: append([]string{loginRP}, redirects...)})
	return a
}

// loginAuthURL is the authorization URL of realm under root ("/realms" or
// "/auth/realms") with params.
func loginAuthURL(f *fixture, root string, realm *iam.Realm, params url.Values) string {
	return f.URL + root + "/" + realm.Name + "/protocol/openid-connect/auth?" + params.Encode()
}

// loginParams are the parameters of a typical public-app request.
func loginParams(clientID, challenge string) url.Values {
	return url.Values{
		"client_id": {clientID}, "redirect_uri": {loginRP}, "response_type": {"code"},
		"scope": {"openid profile"}, "state": {"st-" + iam.NewSecret(6)}, "nonce": {"n-" + iam.NewSecret(6)},
		"code_challenge": {challenge}, "code_challenge_method": {"S256"},
	}
}

// loginPage is a fetched hosted page.
type loginPage struct {
	resp   *http.Response
	body   string
	action string            // the first form's action, resolved
	fields map[string]string // its inputs by name
	alert  string            // text of the role=alert element
}

func loginGet(t *testing.T, c *http.Client, u string) *loginPage {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	return loginRead(t, resp)
}

func loginPost(t *testing.T, c *http.Client, u string, form url.Values) *loginPage {
	t.Helper()
	resp, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	return loginRead(t, resp)
}

func loginRead(t *testing.T, resp *http.Response) *loginPage {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	pg := &loginPage{resp: resp, body: string(b), fields: map[string]string{}}
	doc, err := html.Parse(strings.NewReader(pg.body))
	if err != nil {
		return pg
	}
	inForm := false
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch {
			case n.Data == "form" && pg.action == "":
				a, _ := url.Parse(loginAttr(n, "action"))
				pg.action = resp.Request.URL.ResolveReference(a).String()
				inForm = true
				defer func() { inForm = false }()
			case (n.Data == "input" || n.Data == "button") && inForm && loginAttr(n, "name") != "":
				pg.fields[loginAttr(n, "name")] = loginAttr(n, "value")
			case loginAttr(n, "role") == "alert" && pg.alert == "":
				pg.alert = strings.TrimSpace(loginText(n))
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return pg
}

func loginAttr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func loginText(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(loginText(c))
	}
	return b.String()
}

// submit posts the page's form with its fields overridden by set.
func (pg *loginPage) submit(t *testing.T, c *http.Client, set map[string]string) *loginPage {
	t.Helper()
	if pg.action == "" {
		t.Fatalf("no form on the page (status %d): %.400s", pg.resp.StatusCode, pg.body)
	}
	form := url.Values{}
	for k, v := range pg.fields {
		form.Set(k, v)
	}
	for k, v := range set {
		form.Set(k, v)
	}
	return loginPost(t, c, pg.action, form)
}

// callback returns the parameters of the redirect to the app, failing
// unless the response is one.
func (pg *loginPage) callback(t *testing.T) url.Values {
	t.Helper()
	loc := pg.resp.Header.Get("Location")
	if pg.resp.StatusCode != http.StatusFound && pg.resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, loginRP) {
		t.Fatalf("want a redirect to the app, got %d Location %q alert %q: %.300s", pg.resp.StatusCode, loc, pg.alert, pg.body)
	}
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

// loginSignIn runs the password form of a fresh authorization request and
// returns the redirect parameters.
func loginSignIn(t *testing.T, c *http.Client, authURL, username, password string) url.Values {
	t.Helper()
	pg := loginGet(t, c, authURL)
	if pg.resp.StatusCode != http.StatusOK || pg.fields["password"] != "" || pg.action == "" {
		t.Fatalf("want the sign-in form, got %d: %.300s", pg.resp.StatusCode, pg.body)
	}
	return pg.submit(t, c, map[string]string{"username": username, "password": password}).callback(t)
}

// loginStoredCode reads back what an authorization code grants.
func loginStoredCode(t *testing.T, f *fixture, realm *iam.Realm, code string) *iam.OneTimeCode {
	t.Helper()
	c, err := f.Store.Realm(realm.ID).Codes().GetByHash(context.Background(), iam.HashToken(code), iam.PurposeAuthCode)
	if err != nil {
		t.Fatalf("code not stored: %v", err)
	}
	return c
}

// loginAddTOTP gives u an authenticator with loginSeed.
func loginAddTOTP(t *testing.T, f *fixture, realm *iam.Realm, u *iam.User) {
	t.Helper()
	now := f.now()
	c := &iam.Credential{ID: iam.NewID(), RealmID: realm.ID, UserID: u.ID, Type: iam.CredTOTP, Secret: loginSeed, CreatedAt: now, UpdatedAt: now}
	if err := f.Store.Realm(realm.ID).Credentials().Create(context.Background(), c); err != nil {
		t.Fatal(err)
	}
}

func loginTOTPCode(t *testing.T, f *fixture) string {
	t.Helper()
	c, err := totp.GenerateCode(loginSeed, f.now())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// loginSetRealm applies change to realm's stored settings.
func loginSetRealm(t *testing.T, f *fixture, realm *iam.Realm, change func(*iam.Realm)) {
	t.Helper()
	change(realm)
	if err := f.Store.Realms().Update(context.Background(), realm); err != nil {
		t.Fatal(err)
	}
}

func loginSessions(t *testing.T, f *fixture, realm *iam.Realm, u *iam.User) []*iam.Session {
	t.Helper()
	s, err := f.Store.Realm(realm.ID).Sessions().OfUser(context.Background(), u.ID, f.now())
	if err != nil {
		t.Fatal(err)
	}
	return s
}
