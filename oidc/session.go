package oidc

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"time"

	"iamd/iam"
	"iamd/store"
)

// sessionCookieName is the SSO cookie of the hosted pages. It holds
// "<session id>.<mac>", mac = HMAC-SHA256(CookieKey, "iamd-sso\0" realm id
// "\0" session id): the id alone is not secret (it is the tokens' sid),
// the MAC makes the cookie unforgeable and useless in another realm. It is
// scoped to the realm's URL root in use (/realms/R/ or /auth/realms/R/),
// HttpOnly, SameSite=Lax, Secure when the public URL is https, and lasts
// for the browser session; the server-side session bounds its life.
const sessionCookieName = "IAMD_SESSION"

// loginBase is the realm's URL root as the request reached it:
// /auth/realms/R for the legacy prefix, /realms/R otherwise. The realm
// name is the one in the path, so that cookie paths match what the
// browser sends; realm.Name is the fallback outside a {realm} route.
func loginBase(r *http.Request, realm *iam.Realm) string {
	name := r.PathValue("realm")
	if name == "" && realm != nil {
		name = realm.Name
	}
	if strings.HasPrefix(r.URL.Path, "/auth/realms/") {
		return "/auth/realms/" + name
	}
	return "/realms/" + name
}

func (p *Provider) secureCookies() bool { return strings.HasPrefix(p.PublicURL, "https://") }

func (p *Provider) loginCookie(name, value, path string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name: name, Value: value, Path: path, MaxAge: maxAge,
		HttpOnly: true, Secure: p.secureCookies(), SameSite: http.SameSiteLaxMode,
	}
}

// loginMAC is HMAC-SHA256 under the cookie key of the NUL-joined parts,
// the first of which names the purpose, base64url-encoded.
func (p *Provider) loginMAC(parts ...string) string {
	m := hmac.New(sha256.New, p.CookieKey)
	for _, s := range parts {
		m.Write([]byte(s))
		m.Write([]byte{0})
	}
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// setSessionCookie points the browser at session sess of realm, for the
// URL root r came in under.
func (p *Provider) setSessionCookie(w http.ResponseWriter, r *http.Request, realm *iam.Realm, sess *iam.Session) {
	v := sess.ID + "." + p.loginMAC("iamd-sso", realm.ID, sess.ID)
	http.SetCookie(w, p.loginCookie(sessionCookieName, v, loginBase(r, realm)+"/", 0))
}

// clearSessionCookie deletes the SSO cookie of realm under both URL roots
// (a sign-out under one prefix ends SSO under the other as well). It does
// not revoke the session; the caller does that.
func (p *Provider) clearSessionCookie(w http.ResponseWriter, r *http.Request, realm *iam.Realm) {
	name := r.PathValue("realm")
	if name == "" {
		name = realm.Name
	}
	for _, root := range []string{"/realms/", "/auth/realms/"} {
		http.SetCookie(w, p.loginCookie(sessionCookieName, "", root+name+"/", -1))
	}
}

// sessionFromCookie returns the SSO session the request's cookie names in
// realm, or nil (and no error) when there is no cookie, its MAC is wrong,
// or the session is revoked or expired, or its user is deleted or
// disabled. Only a store failure is an error.
func (p *Provider) sessionFromCookie(ctx context.Context, r *http.Request, realm *iam.Realm) (*iam.Session, error) {
	c, err := r.Cookie(sessionCookieName)
	if err != nil || len(c.Value) > 200 {
		return nil, nil
	}
	id, mac, ok := strings.Cut(c.Value, ".")
	if !ok || !iam.ValidID(id) || !hmac.Equal([]byte(mac), []byte(p.loginMAC("iamd-sso", realm.ID, id))) {
		return nil, nil
	}
	sc := p.Store.Realm(realm.ID)
	sess, err := sc.Sessions().Get(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, store.AsIAM(err, "session", "")
	}
	if !sess.Active(p.now()) {
		return nil, nil
	}
	u, err := sc.Users().Get(ctx, sess.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, store.AsIAM(err, "user", "")
	}
	if u.Deleted() || !u.Enabled {
		return nil, nil
	}
	return sess, nil
}

// startSession creates the SSO session of a sign-in that just completed
// with the methods amr, lasting the realm's session lifetime.
func (p *Provider) startSession(ctx context.Context, r *http.Request, realm *iam.Realm, userID string, amr []string) (*iam.Session, error) {
	now := p.now()
	ua := r.UserAgent()
	if len(ua) > 512 {
		ua = ua[:512]
	}
	sess := &iam.Session{
		ID: iam.NewID(), RealmID: realm.ID, UserID: userID, AMR: amr, IP: loginClientIP(r), UserAgent: ua,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(realm.Settings.Tokens.Effective().Session),
	}
	if err := p.Store.Realm(realm.ID).Sessions().Create(ctx, sess); err != nil {
		return nil, store.AsIAM(err, "session", "")
	}
	return sess, nil
}

// sessionFresh reports whether sess satisfies max_age (seconds; < 0 means
// no limit) at now.
func sessionFresh(sess *iam.Session, maxAge int64, now time.Time) bool {
	return maxAge < 0 || now.Sub(sess.CreatedAt) <= time.Duration(maxAge)*time.Second
}
