package oidc

import (
	"context"
	"errors"
	"slices"
	"time"

	"iamd/iam"
	"iamd/store"
)

// This file is the session and token API of the surfaces that are not
// OAuth (document 000's /v1/iam, document 002's /auth): they authenticate
// users their own way and then ask the provider for tokens. Every call
// runs the same machinery as the protocol endpoints — the same sessions,
// signing keys, claims, refresh rotation (grace window, family revocation
// on replay) and liveness checks — so a token from one surface works at
// every other, and at the realm's userinfo and introspection endpoints.
// Tokens carry the realm's /realms/ issuer.
//
// Errors are *iam.Error: CodeUnauthorized for a token or refresh token
// that is forged, foreign, expired, revoked or replayed, and for a session
// or user that is no longer live; CodeForbidden for an organization the
// user is not an active member of; CodeInvalid for a scope the app may not
// have; CodePrecondition for a disabled app; CodeUnavailable when the
// database is down.

// APIScope is the scope of tokens asked for without one: an ID token and
// the profile, e-mail and phone claims.
const APIScope = "openid profile email phone"

// TokenSet is what a sign-in, refresh or re-issue yields. RefreshToken is
// "" when the app may not use refresh tokens. ExpiresIn and
// RefreshExpiresIn are seconds from now. OrgID is the session's current
// organization ("" for none), UserID the session's user.
type TokenSet struct {
	AccessToken, IDToken, RefreshToken, TokenType, Scope, SessionID, OrgID string
	UserID                                                                 string
	ExpiresIn, RefreshExpiresIn                                            int
}

// SignIn asks for a new session of a user the caller has authenticated.
type SignIn struct {
	Realm *iam.Realm
	App   *iam.App // the app the tokens are for; an app of Realm
	User  *iam.User
	AMR   []string // how the user authenticated (RFC 8176): "pwd", "sms", "otp", …
	OrgID string   // the session's organization; "" for the user's first active membership
	Scope string   // "" for APIScope
	IP    string
	// UserAgent is kept with the session (cut to 512 bytes).
	UserAgent string
}

// SignIn starts a session for in.User and returns its tokens, with a
// refresh token (the root of a new rotation family) when the app may use
// the refresh_token grant. The user must be live (enabled, not deleted);
// a given OrgID must be an organization the user is an active member of.
func (p *Provider) SignIn(ctx context.Context, in SignIn) (*TokenSet, error) {
	if err := checkAPIApp(in.Realm, in.App); err != nil {
		return nil, err
	}
	if in.User == nil {
		return nil, iam.Internal(errors.New("oidc: SignIn without a user"))
	}
	u, err := p.liveUser(ctx, in.Realm, in.User.ID)
	if err != nil {
		return nil, apiError(err)
	}
	if in.Scope == "" {
		in.Scope = APIScope
	}
	scope, err := grantScope(in.App, in.Scope)
	if err != nil {
		return nil, apiError(err)
	}
	if in.OrgID != "" {
		if err := p.checkMember(ctx, in.Realm, u.ID, in.OrgID); err != nil {
			return nil, apiError(err)
		}
	}
	req := p.apiRequest(in.Realm, in.App, in.IP, in.UserAgent)
	s, err := p.newSession(ctx, req, u, in.AMR, in.OrgID)
	if err != nil {
		return nil, apiError(err)
	}
	resp, err := p.issueUserTokens(ctx, req, &mint{
		realm: in.Realm, issuer: req.issuer, app: in.App, user: u, session: s,
		scope: scope, authTime: s.CreatedAt, amr: in.AMR,
	})
	if err != nil {
		return nil, apiError(err)
	}
	return tokenSetOf(resp, s), nil
}

// Refresh uses refreshToken exactly as the token endpoint's refresh_token
// grant does (rotation, the grace window for an identical retry, family
// revocation on replay); the token must have been issued to app. A
// non-empty orgID first moves the session to that organization, which the
// token's user must be an active member of; when it is not, nothing
// changes and the refresh token stays usable.
func (p *Provider) Refresh(ctx context.Context, realm *iam.Realm, app *iam.App, refreshToken, orgID string) (*TokenSet, error) {
	if err := checkAPIApp(realm, app); err != nil {
		return nil, err
	}
	resp, s, err := refreshGrant{p}.refresh(ctx, p.apiRequest(realm, app, "", ""), refreshToken, "", orgID)
	if err != nil {
		return nil, apiError(err)
	}
	return tokenSetOf(resp, s), nil
}

// Reissue mints new tokens for app in the session of claims (from
// VerifyAccessToken): "switch tenant" and "switch client". A non-empty
// orgID moves the session to that organization first (the user must be
// an active member). The new refresh token, if any, starts a new family;
// earlier tokens of the session stay valid and now speak for its new
// organization when refreshed.
func (p *Provider) Reissue(ctx context.Context, realm *iam.Realm, app *iam.App, claims *AccessClaims, orgID string) (*TokenSet, error) {
	if err := checkAPIApp(realm, app); err != nil {
		return nil, err
	}
	if claims == nil {
		return nil, &iam.Error{Code: iam.CodeUnauthorized, Message: "an access token is required"}
	}
	s, err := p.liveSession(ctx, realm, claims.SessionID)
	if err == nil && s.UserID != claims.Subject {
		err = errUserGone
	}
	var u *iam.User
	if err == nil {
		u, err = p.liveUser(ctx, realm, s.UserID)
	}
	if err != nil {
		return nil, apiError(err)
	}
	scope, err := grantScope(app, claims.Scope)
	if err != nil {
		return nil, apiError(err)
	}
	if orgID != "" {
		if err := p.checkMember(ctx, realm, u.ID, orgID); err != nil {
			return nil, apiError(err)
		}
		if err := p.switchOrg(ctx, p.Store, realm, s, orgID); err != nil {
			return nil, apiError(err)
		}
	}
	req := p.apiRequest(realm, app, s.IP, s.UserAgent)
	resp, err := p.issueUserTokens(ctx, req, &mint{
		realm: realm, issuer: req.issuer, app: app, user: u, session: s,
		scope: scope, authTime: s.CreatedAt, amr: s.AMR,
	})
	if err != nil {
		return nil, apiError(err)
	}
	return tokenSetOf(resp, s), nil
}

// AccessClaims is a verified user access token as a surface needs it.
// ClientID is the app it was issued to; OrgID and OrgNum the session's
// organization when it was minted; AppRoles are keyed by client id.
type AccessClaims struct {
	Subject, SessionID, ClientID, Scope, OrgID string
	OrgNum                                     int64
	ExpiresAt, IssuedAt                        time.Time
	Issuer, ID, Username                       string
	RealmRoles                                 []string
	AppRoles                                   map[string][]string
}

// HasRealmRole reports whether the token carries realm role name.
func (c *AccessClaims) HasRealmRole(name string) bool { return slices.Contains(c.RealmRoles, name) }

// VerifyAccessToken accepts raw as a user access token of realm with the
// checks of the userinfo endpoint: the signature verifies with one of the
// realm's keys, the issuer is one of the realm's, typ is Bearer, it has
// not expired, and its session is active and its user enabled and not
// deleted (so a logout or a disabled user stops it at once). A
// service-account token has no user and is refused. Every refusal is
// CodeUnauthorized with the reason; a store outage is CodeUnavailable.
func (p *Provider) VerifyAccessToken(ctx context.Context, realm *iam.Realm, raw string) (*AccessClaims, error) {
	c, err := p.verifyAccess(ctx, realm, raw)
	if err != nil {
		return nil, apiError(err)
	}
	if c.Sid == "" {
		return nil, &iam.Error{Code: iam.CodeUnauthorized, Message: "the token has no user"}
	}
	return exportClaims(c), nil
}

// EndSession revokes the session and every refresh token of it, and
// records a logout event; its access tokens fail from then on. Ending a
// session that already ended changes nothing. CodeNotFound for a session
// that is not the realm's.
func (p *Provider) EndSession(ctx context.Context, realm *iam.Realm, sessionID string) error {
	if !iam.ValidID(sessionID) {
		return iam.NotFound("session")
	}
	sessions := p.Store.Realm(realm.ID).Sessions()
	s, err := sessions.Get(ctx, sessionID)
	if err != nil {
		return store.AsIAM(err, "session", "")
	}
	now := p.now()
	if !s.Active(now) {
		return nil
	}
	if err := sessions.Revoke(ctx, s.ID, now); err != nil {
		return store.AsIAM(err, "session", "")
	}
	p.audit(ctx, realm, iam.Event{Type: iam.EventLogout, UserID: s.UserID,
		Detail: map[string]string{"session_id": s.ID, "via": "api"}})
	return nil
}

// apiRequest is the token request of an API call: app of realm, from ip,
// under the realm's /realms/ issuer.
func (p *Provider) apiRequest(realm *iam.Realm, app *iam.App, ip, userAgent string) *tokenRequest {
	return &tokenRequest{realm: realm, issuer: p.Issuers(realm)[0], app: app, ip: ip, userAgent: userAgent}
}

// checkAPIApp refuses a missing app, another realm's, or a disabled or
// deleted one.
func checkAPIApp(realm *iam.Realm, app *iam.App) error {
	switch {
	case realm == nil || app == nil:
		return iam.Internal(errors.New("oidc: token API call without realm or app"))
	case app.RealmID != realm.ID:
		return iam.Internal(errors.New("oidc: token API call with another realm's app"))
	case !app.Enabled || app.DeletedAt != nil:
		return iam.Errorf(iam.CodePrecondition, "the app %s is disabled", app.ClientID)
	}
	return nil
}

func tokenSetOf(r *tokenResponse, s *iam.Session) *TokenSet {
	return &TokenSet{
		AccessToken: r.AccessToken, IDToken: r.IDToken, RefreshToken: r.RefreshToken, TokenType: r.TokenType,
		Scope: r.Scope, SessionID: s.ID, OrgID: s.OrgID, UserID: s.UserID,
		ExpiresIn: int(r.ExpiresIn), RefreshExpiresIn: int(r.RefreshExpiresIn),
	}
}

// exportClaims copies c (which the verification cache may share).
func exportClaims(c *accessClaims) *AccessClaims {
	out := &AccessClaims{
		Subject: c.Sub, SessionID: c.Sid, ClientID: c.Azp, Scope: c.Scope, OrgID: c.OrgID, OrgNum: c.OrgNum,
		ExpiresAt: unixTime(c.Exp), IssuedAt: unixTime(c.Iat), Issuer: c.Iss, ID: c.Jti, Username: c.PreferredUsername,
	}
	if c.RealmAccess != nil {
		out.RealmRoles = slices.Clone(c.RealmAccess.Roles)
	}
	if len(c.ResourceAccess) > 0 {
		out.AppRoles = make(map[string][]string, len(c.ResourceAccess))
		for app, rl := range c.ResourceAccess {
			out.AppRoles[app] = slices.Clone(rl.Roles)
		}
	}
	return out
}

// apiError turns the protocol's errors into the iam vocabulary the API's
// callers speak.
func apiError(err error) error {
	var ie *iam.Error
	var oe *Error
	var it *inactiveToken
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ie):
		return err
	case errors.As(err, &it):
		return &iam.Error{Code: iam.CodeUnauthorized, Message: it.reason, Err: err}
	case errors.As(err, &oe):
		switch oe.Code {
		case errInvalidGrant, errInvalidToken:
			return &iam.Error{Code: iam.CodeUnauthorized, Message: oe.Description, Err: err}
		case errInvalidScope, errInvalidRequest:
			return &iam.Error{Code: iam.CodeInvalid, Field: "scope", Message: oe.Description, Err: err}
		case errSlowDown:
			return &iam.Error{Code: iam.CodeRateLimited, Message: oe.Description, Err: err}
		}
		return iam.Internal(err)
	}
	return store.AsIAM(err, "session", "")
}
