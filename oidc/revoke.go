package oidc

import (
	"context"
	"errors"
	"net/http"

	"iamd/iam"
	"iamd/store"
)

// revoke serves POST {prefix}/protocol/openid-connect/revoke (RFC 7009).
// The client authenticates (a public client by its client_id) and may
// revoke only its own tokens:
//
//   - a refresh token revokes its whole rotation family (the session and
//     other apps' tokens stay);
//   - an access token revokes its session, and so every token of that
//     sign-in; a client_credentials token is stateless and lives until it
//     expires.
//
// An unknown, invalid or already revoked token, or another client's, is
// answered 200 and changes nothing (§2.2); only bad client
// authentication is an error.
func (p *Provider) revoke(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	realm, _, err := p.realmOf(ctx, r)
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
	raw, err := requiredParam(form, "token")
	if err != nil {
		return err
	}
	if _, ok := p.refreshID(raw); ok {
		err = p.revokeRefresh(ctx, realm, app, raw, remoteHost(r))
	} else {
		err = p.revokeAccess(ctx, realm, app, raw, remoteHost(r))
	}
	if err != nil && !isInactive(err) {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	return nil
}

func (p *Provider) revokeRefresh(ctx context.Context, realm *iam.Realm, app *iam.App, raw, ip string) error {
	t, err := p.Store.Realm(realm.ID).RefreshTokens().GetByHash(ctx, iam.HashToken(raw))
	if errors.Is(err, store.ErrNotFound) || (err == nil && t.AppID != app.ID) {
		return nil
	}
	if err != nil {
		return err
	}
	n, err := p.Store.Realm(realm.ID).RefreshTokens().RevokeFamily(ctx, t.FamilyID, p.now())
	if err == nil && n > 0 {
		p.audit(ctx, realm, iam.Event{Type: iam.EventTokenRevoked, UserID: t.UserID, AppID: app.ID, IP: ip,
			Detail: map[string]string{"token": "refresh_token", "family_id": t.FamilyID}})
	}
	return err
}

func (p *Provider) revokeAccess(ctx context.Context, realm *iam.Realm, app *iam.App, raw, ip string) error {
	c, err := p.verifyJWT(ctx, realm, raw)
	if err != nil {
		return err
	}
	if c.Typ != typBearer || c.Azp != app.ClientID || c.Sid == "" || !iam.ValidID(c.Sid) {
		return nil
	}
	err = p.Store.Realm(realm.ID).Sessions().Revoke(ctx, c.Sid, p.now())
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err == nil {
		p.audit(ctx, realm, iam.Event{Type: iam.EventTokenRevoked, UserID: c.Sub, AppID: app.ID, IP: ip,
			Detail: map[string]string{"token": "access_token", "session_id": c.Sid}})
	}
	return err
}
