package oidc

import (
	"crypto/hmac"
	"net/http"

	"iamd/iam"
)

// CSRF protection of the hosted forms. A browser gets a random id in the
// cookie csrfCookieName (HttpOnly, SameSite=Lax, scoped like the SSO
// cookie) when a sign-in starts. Every form carries the flow handle and
// csrf = HMAC(CookieKey, "iamd-csrf", realm id, flow handle, browser id).
// A POST is accepted only when that token matches the cookie the browser
// sends: another site can neither read the token nor set the cookie, and
// a flow started in one browser cannot be finished in another (which
// stops login CSRF, where an attacker signs a victim into the attacker's
// account).
const csrfCookieName = "IAMD_BROWSER"

// csrfBrowserID returns the browser's id, setting the cookie when the
// request has none (or a malformed one).
func (p *Provider) csrfBrowserID(w http.ResponseWriter, r *http.Request, realm *iam.Realm) string {
	if c, err := r.Cookie(csrfCookieName); err == nil && csrfWellFormed(c.Value) {
		return c.Value
	}
	id := iam.NewSecret(24)
	http.SetCookie(w, p.loginCookie(csrfCookieName, id, loginBase(r, realm)+"/", 0))
	return id
}

// csrfToken is the token the forms of flow carry in this browser.
func (p *Provider) csrfToken(realm *iam.Realm, flow, browserID string) string {
	return p.loginMAC("iamd-csrf", realm.ID, flow, browserID)
}

// csrfValid reports whether the posted token belongs to flow and to the
// browser's cookie.
func (p *Provider) csrfValid(r *http.Request, realm *iam.Realm, flow, token string) bool {
	c, err := r.Cookie(csrfCookieName)
	if err != nil || !csrfWellFormed(c.Value) || token == "" || len(token) > 100 {
		return false
	}
	return hmac.Equal([]byte(token), []byte(p.csrfToken(realm, flow, c.Value)))
}

func csrfWellFormed(v string) bool { return len(v) >= 16 && len(v) <= 64 }
