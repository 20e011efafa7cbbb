package oidc

import (
	"context"
	"errors"
	"net/http"

	"iamd/httpapi"
	"iamd/iam"
	"iamd/store"
)

// introspection is the RFC 7662 §2.2 answer. An inactive token gets
// {"active":false} and nothing else.
type introspection struct {
	Active            bool                `json:"active"`
	Scope             string              `json:"scope,omitempty"`
	ClientID          string              `json:"client_id,omitempty"`
	Username          string              `json:"username,omitempty"`
	TokenType         string              `json:"token_type,omitempty"`
	Exp               int64               `json:"exp,omitempty"`
	Iat               int64               `json:"iat,omitempty"`
	Sub               string              `json:"sub,omitempty"`
	Aud               string              `json:"aud,omitempty"`
	Iss               string              `json:"iss,omitempty"`
	Jti               string              `json:"jti,omitempty"`
	Sid               string              `json:"sid,omitempty"`
	Azp               string              `json:"azp,omitempty"`
	RealmAccess       *roleList           `json:"realm_access,omitempty"`
	ResourceAccess    map[string]roleList `json:"resource_access,omitempty"`
	OrgID             string              `json:"org_id,omitempty"`
	OrgNum            int64               `json:"org_num,omitempty"`
	PreferredUsername string              `json:"preferred_username,omitempty"`
}

// introspect serves POST {prefix}/protocol/openid-connect/token/introspect.
// The caller authenticates as a confidential app of the realm (any of the
// realm's apps may introspect any of its tokens, as resource servers
// must). token may be an access token (checked as verifyAccess does) or a
// refresh token (unused, unrevoked, unexpired, with a live session and
// user); token_type_hint is not needed and ignored. A token of another
// realm, forged, expired or revoked is {"active":false}.
func (p *Provider) introspect(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	realm, issuer, err := p.realmOf(ctx, r)
	if err != nil {
		return err
	}
	form, err := oauthForm(r)
	if err != nil {
		return err
	}
	app, err := p.authenticateClient(ctx, r, realm, form)
	if err != nil {
		return err
	}
	if app.SecretHash == "" {
		return invalidClient("a public client cannot introspect tokens")
	}
	raw, err := requiredParam(form, "token")
	if err != nil {
		return err
	}
	var res *introspection
	if _, ok := p.refreshID(raw); ok {
		res, err = p.introspectRefresh(ctx, realm, issuer, raw)
	} else {
		res, err = p.introspectAccess(ctx, realm, raw)
	}
	if isInactive(err) {
		res, err = &introspection{}, nil
	}
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, res)
	return nil
}

func (p *Provider) introspectAccess(ctx context.Context, realm *iam.Realm, raw string) (*introspection, error) {
	c, err := p.verifyAccess(ctx, realm, raw)
	if err != nil {
		return nil, err
	}
	return &introspection{
		Active: true, Scope: c.Scope, ClientID: c.Azp, Username: c.PreferredUsername, TokenType: typBearer,
		Exp: c.Exp, Iat: c.Iat, Sub: c.Sub, Aud: c.Aud, Iss: c.Iss, Jti: c.Jti, Sid: c.Sid, Azp: c.Azp,
		RealmAccess: c.RealmAccess, ResourceAccess: c.ResourceAccess, OrgID: c.OrgID, OrgNum: c.OrgNum,
		PreferredUsername: c.PreferredUsername,
	}, nil
}

// introspectRefresh describes a refresh token. A used one is inactive even
// within the rotation grace window: only its successor is current.
func (p *Provider) introspectRefresh(ctx context.Context, realm *iam.Realm, issuer, raw string) (*introspection, error) {
	t, err := p.findRefresh(ctx, realm, raw)
	if err == nil && t.UsedAt != nil {
		return nil, inactive("the refresh token was rotated")
	}
	var oe *Error
	if errors.As(err, &oe) {
		return nil, inactive(oe.Description)
	}
	if err != nil {
		return nil, err
	}
	s, err := p.liveSession(ctx, realm, t.SessionID)
	var u *iam.User
	if err == nil {
		u, err = p.liveUser(ctx, realm, s.UserID)
	}
	if errors.Is(err, errUserGone) {
		return nil, inactive("the session or user is no longer active")
	}
	if err != nil {
		return nil, err
	}
	a, err := p.appByID(ctx, realm, t.AppID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (a.DeletedAt != nil || !a.Enabled)) {
		return nil, inactive("the client is no longer active")
	}
	if err != nil {
		return nil, err
	}
	return &introspection{
		Active: true, Scope: t.Scope, ClientID: a.ClientID, Username: u.Username, TokenType: "Refresh",
		Exp: t.ExpiresAt.Unix(), Iat: t.CreatedAt.Unix(), Sub: u.ID, Aud: a.ClientID, Iss: issuer,
		Jti: t.ID, Sid: s.ID, Azp: a.ClientID, PreferredUsername: u.Username,
	}, nil
}
