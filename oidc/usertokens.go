package oidc

import (
	"context"
	"errors"
	"time"

	"iamd/iam"
	"iamd/store"
)

// errUserGone is the one answer when a grant's user or session no longer
// may have tokens, so that the response does not tell which it was.
var errUserGone = invalidGrant("the session or user is no longer active")

// liveUser returns the user with id when it exists, is not deleted and
// is enabled; invalid_grant otherwise.
func (p *Provider) liveUser(ctx context.Context, realm *iam.Realm, id string) (*iam.User, error) {
	u, err := p.Store.Realm(realm.ID).Users().Get(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (u.Deleted() || !u.Enabled)) {
		return nil, errUserGone
	}
	return u, err
}

// liveSession returns the session with id when it is active now;
// invalid_grant otherwise.
func (p *Provider) liveSession(ctx context.Context, realm *iam.Realm, id string) (*iam.Session, error) {
	if id == "" {
		return nil, errUserGone
	}
	s, err := p.Store.Realm(realm.ID).Sessions().Get(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !s.Active(p.now())) {
		return nil, errUserGone
	}
	return s, err
}

// newSession starts a session for user signed in by amr from ip, in
// organization orgID, or when orgID is "" in the user's first active
// organization (if any), lasting the realm's session lifetime. The caller
// has checked that the user is a member of orgID.
func (p *Provider) newSession(ctx context.Context, req *tokenRequest, user *iam.User, amr []string, orgID string) (*iam.Session, error) {
	sc := p.Store.Realm(req.realm.ID)
	if orgID == "" {
		ms, err := sc.Organizations().OfUser(ctx, user.ID)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			if m.Active() {
				orgID = m.OrgID
				break
			}
		}
	}
	now := p.now()
	ua := req.userAgent
	if len(ua) > 512 {
		ua = ua[:512]
	}
	s := &iam.Session{
		ID: iam.NewID(), RealmID: req.realm.ID, UserID: user.ID, OrgID: orgID, AMR: amr,
		IP: req.ip, UserAgent: ua, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(req.realm.Settings.Tokens.Effective().Session),
	}
	if err := sc.Sessions().Create(ctx, s); err != nil {
		return nil, err
	}
	return s, nil
}

// issueUserTokens mints the tokens of a fresh sign-in (password or code)
// and, when the app may refresh, starts a refresh-token family rooted at
// the session.
func (p *Provider) issueUserTokens(ctx context.Context, req *tokenRequest, m *mint) (*tokenResponse, error) {
	var refresh string
	var refreshExp time.Time
	if req.app.AllowsGrant(iam.GrantRefreshToken) {
		t := p.newRefreshToken(req, m.session, m.scope)
		t.FamilyID = t.ID
		if err := p.Store.Realm(req.realm.ID).RefreshTokens().Create(ctx, t); err != nil {
			return nil, err
		}
		refresh, refreshExp = p.refreshValue(t.ID), t.ExpiresAt
	}
	t, err := p.mintTokens(ctx, m)
	if err != nil {
		return nil, err
	}
	return p.respond(m, t, refresh, refreshExp), nil
}

// newRefreshToken builds (without storing) a refresh token of session
// for req's app with scope, expiring after the refresh lifetime but never
// after the session. The caller sets FamilyID and ParentID.
func (p *Provider) newRefreshToken(req *tokenRequest, s *iam.Session, scope string) *iam.RefreshToken {
	now := p.now()
	exp := now.Add(refreshTTL(req.realm, req.app))
	if s.ExpiresAt.Before(exp) {
		exp = s.ExpiresAt
	}
	id := iam.NewID()
	return &iam.RefreshToken{
		ID: id, RealmID: req.realm.ID, SessionID: s.ID, Hash: iam.HashToken(p.refreshValue(id)),
		AppID: req.app.ID, UserID: s.UserID, OrgID: s.OrgID, Scope: scope, CreatedAt: now, ExpiresAt: exp,
	}
}
