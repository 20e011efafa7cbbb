package oidc

import (
	"context"
	"errors"
	"time"

	"iamd/iam"
	"iamd/store"
)

// refreshGrace is how long after a refresh token's rotation an identical
// retry (a second browser tab, a response lost on the way) receives the
// same successor instead of being treated as a replay. It holds only while
// that successor is unused; afterwards any reuse revokes the family.
const refreshGrace = 10 * time.Second

// refreshGrant is RFC 6749 §6 with rotation: every use of a refresh token
// marks it used and issues a successor in the same family. The successor
// keeps the original grant's scope; a narrower scope asked for applies to
// the new access token only.
type refreshGrant struct{ p *Provider }

func (g refreshGrant) exchange(ctx context.Context, req *tokenRequest) (*tokenResponse, error) {
	value, err := requiredParam(req.form, "refresh_token")
	if err != nil {
		return nil, err
	}
	resp, _, err := g.refresh(ctx, req, value, req.form.Get("scope"), "")
	return resp, err
}

// refresh is the rotation every use of a refresh token goes through, the
// token endpoint's grant and Provider.Refresh alike: the presented value
// must name a live token of req's app; an unused token is rotated, a used
// one gets its successor within the grace window or revokes its family.
// scope may narrow the new access token's scope. orgID, when set, moves the
// session to that organization (the user must be an active member) in the
// same transaction as the rotation. It returns the session the tokens
// speak for.
func (g refreshGrant) refresh(ctx context.Context, req *tokenRequest, value, scope, orgID string) (*tokenResponse, *iam.Session, error) {
	p := g.p
	t, err := p.findRefresh(ctx, req.realm, value)
	if err != nil {
		return nil, nil, err
	}
	if t.AppID != req.app.ID {
		return nil, nil, invalidGrant("the refresh token was issued to another client")
	}
	scope, err = narrowScope(t.Scope, scope)
	if err != nil {
		return nil, nil, err
	}
	if t.UsedAt == nil {
		succ, s, u, err := g.rotate(ctx, req, t, orgID)
		if !errors.Is(err, store.ErrConflict) {
			if err != nil {
				return nil, nil, err
			}
			return g.respond(ctx, req, succ, s, u, scope)
		}
		// Another request rotated it first: read what it did.
		if t, err = p.Store.Realm(req.realm.ID).RefreshTokens().Get(ctx, t.ID); err != nil {
			return nil, nil, err
		}
	}
	succ, err := g.graceSuccessor(ctx, req, t)
	if err != nil {
		return nil, nil, err
	}
	s, u, err := g.holder(ctx, req, succ)
	if err != nil {
		return nil, nil, err
	}
	if orgID != "" {
		if err := p.checkMember(ctx, req.realm, u.ID, orgID); err != nil {
			return nil, nil, err
		}
		if err := p.switchOrg(ctx, p.Store, req.realm, s, orgID); err != nil {
			return nil, nil, err
		}
	}
	return g.respond(ctx, req, succ, s, u, scope)
}

// findRefresh returns the stored token a presented value names, or
// invalid_grant when it is forged, unknown, revoked or expired.
func (p *Provider) findRefresh(ctx context.Context, realm *iam.Realm, value string) (*iam.RefreshToken, error) {
	bad := invalidGrant("the refresh token is invalid, expired or revoked")
	id, ok := p.refreshID(value)
	if !ok {
		return nil, bad
	}
	t, err := p.Store.Realm(realm.ID).RefreshTokens().GetByHash(ctx, iam.HashToken(value))
	if errors.Is(err, store.ErrNotFound) {
		return nil, bad
	}
	if err != nil {
		return nil, err
	}
	if t.ID != id || t.RevokedAt != nil || !p.now().Before(t.ExpiresAt) {
		return nil, bad
	}
	return t, nil
}

// rotate checks the token's session and user (and, with orgID, the
// user's membership), then marks t used, stores its successor and moves
// the session to orgID in one transaction. ErrConflict means a concurrent
// request used t first.
func (g refreshGrant) rotate(ctx context.Context, req *tokenRequest, t *iam.RefreshToken, orgID string) (*iam.RefreshToken, *iam.Session, *iam.User, error) {
	s, u, err := g.holder(ctx, req, t)
	if err != nil {
		return nil, nil, nil, err
	}
	if orgID != "" {
		if err := g.p.checkMember(ctx, req.realm, u.ID, orgID); err != nil {
			return nil, nil, nil, err
		}
	}
	var succ *iam.RefreshToken
	err = g.p.Store.InTx(ctx, func(tx store.Tx) error {
		if orgID != "" {
			if err := g.p.switchOrg(ctx, tx, req.realm, s, orgID); err != nil {
				return err
			}
		}
		succ = g.p.newRefreshToken(req, s, t.Scope)
		succ.FamilyID, succ.ParentID = t.FamilyID, t.ID
		rt := tx.Realm(req.realm.ID).RefreshTokens()
		if err := rt.MarkUsed(ctx, t.ID, succ.ID, g.p.now()); err != nil {
			return err
		}
		return rt.Create(ctx, succ)
	})
	return succ, s, u, err
}

// graceSuccessor answers the reuse of an already rotated token t: within
// refreshGrace of its rotation, and while the successor is unused and
// live, the successor itself; otherwise the reuse is a replay, and the
// whole family is revoked.
func (g refreshGrant) graceSuccessor(ctx context.Context, req *tokenRequest, t *iam.RefreshToken) (*iam.RefreshToken, error) {
	rt := g.p.Store.Realm(req.realm.ID).RefreshTokens()
	now := g.p.now()
	if t.RevokedAt == nil && t.UsedAt != nil && t.SuccessorID != "" && now.Sub(*t.UsedAt) <= refreshGrace {
		succ, err := rt.Get(ctx, t.SuccessorID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		if err == nil && succ.UsedAt == nil && succ.RevokedAt == nil && now.Before(succ.ExpiresAt) {
			return succ, nil
		}
	}
	n, err := rt.RevokeFamily(ctx, t.FamilyID, now)
	if err != nil {
		return nil, err
	}
	if n > 0 {
		g.p.audit(ctx, req.realm, iam.Event{Type: iam.EventTokenReplayed, UserID: t.UserID, AppID: t.AppID, IP: req.ip,
			Detail: map[string]string{"token": "refresh_token", "family_id": t.FamilyID, "session_id": t.SessionID}})
	}
	return nil, invalidGrant("the refresh token was already used; every token of its sign-in is now revoked")
}

// holder returns the active session and live user of token t.
func (g refreshGrant) holder(ctx context.Context, req *tokenRequest, t *iam.RefreshToken) (*iam.Session, *iam.User, error) {
	s, err := g.p.liveSession(ctx, req.realm, t.SessionID)
	if err != nil {
		return nil, nil, err
	}
	u, err := g.p.liveUser(ctx, req.realm, s.UserID)
	return s, u, err
}

// respond mints fresh tokens to go with refresh token succ.
func (g refreshGrant) respond(ctx context.Context, req *tokenRequest, succ *iam.RefreshToken, s *iam.Session, u *iam.User, scope string) (*tokenResponse, *iam.Session, error) {
	m := &mint{
		realm: req.realm, issuer: req.issuer, app: req.app, user: u, session: s,
		scope: scope, authTime: s.CreatedAt, amr: s.AMR,
	}
	t, err := g.p.mintTokens(ctx, m)
	if err != nil {
		return nil, nil, err
	}
	return g.p.respond(m, t, g.p.refreshValue(succ.ID), succ.ExpiresAt), s, nil
}
