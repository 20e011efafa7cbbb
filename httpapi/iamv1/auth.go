package iamv1

import (
	"net/http"
	"strings"
	"time"

	"iamd/directory"
	"iamd/iam"
	"iamd/oidc"
)

// AccessCookie is the cookie web sign-in sets: the access token, HttpOnly,
// SameSite=Lax, Secure when the public URL is https, for path /.
const AccessCookie = "iam_access_token"

// caller is the authenticated user of a request.
type caller struct {
	Realm  *iam.Realm // the token's realm: the served one, or master for a server administrator
	Claims *oidc.AccessClaims
	Token  string
}

// authenticate returns the caller of r: a user access token of the served
// realm, from the x-access-token header, an "Authorization: Bearer"
// header, or the AccessCookie, in that order. Without a valid token it is
// 401 with the reason as detail.
func (a *API) authenticate(r *http.Request, realm *iam.Realm) (*caller, error) {
	raw, err := accessToken(r)
	if err != nil {
		return nil, err
	}
	c, err := a.OIDC.VerifyAccessToken(r.Context(), realm, raw)
	if err != nil {
		return nil, unauthorized(err)
	}
	return &caller{Realm: realm, Claims: c, Token: raw}, nil
}

// authenticateAdmin returns the caller of r when it is an administrator:
// a user of the served realm holding realm role admin, or an administrator
// of realm master (the server's). The role is read from the token, as
// Keycloak does. 401 without a valid token, 403 for anyone else.
func (a *API) authenticateAdmin(r *http.Request, realm *iam.Realm) (*caller, error) {
	c, err := a.authenticate(r, realm)
	if err == nil {
		if !c.Claims.HasRealmRole(iam.RoleAdmin) {
			return nil, fail(http.StatusForbidden, "Forbidden", iam.Errorf(iam.CodeForbidden, "an administrator's token is required"))
		}
		return c, nil
	}
	if realm.Name == directory.MasterRealm {
		return nil, err
	}
	master, merr := a.Directory.RealmByName(r.Context(), directory.MasterRealm)
	if merr != nil {
		return nil, err
	}
	raw, _ := accessToken(r)
	mc, merr := a.OIDC.VerifyAccessToken(r.Context(), master, raw)
	if merr != nil {
		return nil, err // the served realm's reason says more
	}
	if !mc.HasRealmRole(iam.RoleAdmin) {
		return nil, fail(http.StatusForbidden, "Forbidden", iam.Errorf(iam.CodeForbidden, "an administrator's token is required"))
	}
	return &caller{Realm: master, Claims: mc, Token: raw}, nil
}

// accessToken finds the access token of r. A cookie is ignored when the
// browser says the request comes from another site (Sec-Fetch-Site), so
// that a link or form elsewhere cannot act with the user's cookie.
func accessToken(r *http.Request) (string, error) {
	if t := strings.TrimSpace(r.Header.Get("x-access-token")); t != "" {
		return t, nil
	}
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, t, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "bearer") || strings.TrimSpace(t) == "" {
			return "", fail(http.StatusUnauthorized, "Unauthorized", iam.Errorf(iam.CodeUnauthorized, "the Authorization header must be: Bearer <access token>"))
		}
		return strings.TrimSpace(t), nil
	}
	if c, err := r.Cookie(AccessCookie); err == nil && c.Value != "" && r.Header.Get("Sec-Fetch-Site") != "cross-site" {
		return c.Value, nil
	}
	return "", fail(http.StatusUnauthorized, "Unauthorized", iam.Errorf(iam.CodeUnauthorized,
		"an access token is required: send it in the x-access-token header, as Authorization: Bearer, or in the %s cookie", AccessCookie))
}

// unauthorized is the 401 of a token VerifyAccessToken refused (other
// failures, an outage, pass through).
func unauthorized(err error) error {
	if iam.IsCode(err, iam.CodeUnauthorized) {
		return fail(http.StatusUnauthorized, "Unauthorized", err)
	}
	return err
}

// setAccessCookie hands the browser the access token of ts.
func (a *API) setAccessCookie(w http.ResponseWriter, ts *oidc.TokenSet) {
	http.SetCookie(w, a.cookie(ts.AccessToken, ts.ExpiresIn))
}

// clearAccessCookie removes it.
func (a *API) clearAccessCookie(w http.ResponseWriter) { http.SetCookie(w, a.cookie("", -1)) }

func (a *API) cookie(value string, maxAge int) *http.Cookie {
	c := &http.Cookie{
		Name: AccessCookie, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: strings.HasPrefix(a.PublicURL, "https://"),
	}
	if maxAge > 0 {
		c.Expires = time.Now().Add(time.Duration(maxAge) * time.Second)
	}
	return c
}

// authed resolves the served realm and authenticates r's caller in it, the
// opening every token-protected handler needs.
func (a *API) authed(r *http.Request) (*iam.Realm, *caller, error) {
	realm, err := a.realm(r.Context())
	if err != nil {
		return nil, nil, err
	}
	c, err := a.authenticate(r, realm)
	return realm, c, err
}

// authedAdmin is authed for operations that need an administrator.
func (a *API) authedAdmin(r *http.Request) (*iam.Realm, *caller, error) {
	realm, err := a.realm(r.Context())
	if err != nil {
		return nil, nil, err
	}
	c, err := a.authenticateAdmin(r, realm)
	return realm, c, err
}
