package oidc

import (
	"context"
	"encoding/json"
	"errors"
	"slices"

	"iamd/iam"
	"iamd/oidc/signer"
	"iamd/store"
)

// inactiveToken says why a presented token is not accepted. Userinfo
// answers it with 401 invalid_token, introspection with {"active":false}.
type inactiveToken struct{ reason string }

func (e *inactiveToken) Error() string { return "inactive token: " + e.reason }

func inactive(reason string) error { return &inactiveToken{reason} }

// isInactive reports whether err is a token rejection rather than a
// failure of the server.
func isInactive(err error) bool {
	var it *inactiveToken
	return errors.As(err, &it)
}

// verifyAccess accepts raw as an access token of realm only when every one
// of these holds now: its signature verifies with one of the realm's
// published keys, its iss is one of the realm's two issuers, typ is
// Bearer, it has not expired, and what it speaks for is still live — its
// session active and its user enabled and not deleted, or for a
// service-account token its app enabled and not deleted. So a disabled
// user, a deleted user or a revoked session stops every token at once.
//
// A rejection is an *inactiveToken; a store outage is returned as such.
func (p *Provider) verifyAccess(ctx context.Context, realm *iam.Realm, raw string) (*accessClaims, error) {
	c, err := p.verifyJWT(ctx, realm, raw)
	if err != nil {
		return nil, err
	}
	if c.Typ != typBearer {
		return nil, inactive("not an access token")
	}
	if !p.now().Before(unixTime(c.Exp)) {
		return nil, inactive("the token has expired")
	}
	if err := p.checkHolder(ctx, realm, c); err != nil {
		return nil, err
	}
	return c, nil
}

// verifyJWT checks raw's signature against realm's keys and its issuer,
// and decodes its claims; expiry and liveness are the caller's.
func (p *Provider) verifyJWT(ctx context.Context, realm *iam.Realm, raw string) (*accessClaims, error) {
	if raw == "" || len(raw) > maxParamLen {
		return nil, inactive("malformed token")
	}
	return p.cachedVerify(realm, raw, func() (*accessClaims, error) { return p.verifyUncached(ctx, realm, raw) })
}

func (p *Provider) verifyUncached(ctx context.Context, realm *iam.Realm, raw string) (*accessClaims, error) {
	payload, err := p.Keys.Verify(ctx, realm, raw)
	if errors.Is(err, signer.ErrInvalidToken) {
		return nil, inactive("the signature does not verify with this realm's keys")
	}
	if err != nil {
		return nil, err
	}
	var c accessClaims
	if err := json.Unmarshal(payload, &c); err != nil {
		return nil, inactive("malformed claims")
	}
	if iss := p.Issuers(realm); !slices.Contains(iss[:], c.Iss) {
		return nil, inactive("issued by another realm")
	}
	return &c, nil
}

// checkHolder checks that the session and user (or the service account's
// app) of a token's claims may still use it.
func (p *Provider) checkHolder(ctx context.Context, realm *iam.Realm, c *accessClaims) error {
	if p.knownLive(realm, c.Sid, c.Sub) {
		return nil
	}
	err := p.checkHolderUncached(ctx, realm, c)
	if err == nil {
		p.markLive(realm, c.Sid, c.Sub)
	}
	return err
}

func (p *Provider) checkHolderUncached(ctx context.Context, realm *iam.Realm, c *accessClaims) error {
	if c.Sid == "" {
		if c.ClientID == "" || !iam.ValidID(c.Sub) {
			return inactive("the token has no session")
		}
		a, err := p.appByID(ctx, realm, c.Sub)
		if errors.Is(err, store.ErrNotFound) || (err == nil && (a.DeletedAt != nil || !a.Enabled || a.ClientID != c.ClientID)) {
			return inactive("the client is no longer active")
		}
		return err
	}
	if !iam.ValidID(c.Sid) || !iam.ValidID(c.Sub) {
		return inactive("malformed token")
	}
	// One read decides what liveSession and liveUser would: the session
	// active and of c.Sub, the user enabled and not deleted.
	live, err := p.Store.Realm(realm.ID).Sessions().Live(ctx, c.Sid, c.Sub, p.now())
	if err != nil {
		return err
	}
	if !live {
		return inactive("the session or user is no longer active")
	}
	return nil
}
