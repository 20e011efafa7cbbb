package oidc

import (
	"context"

	"iamd/iam"
)

// RefreshTokenSession returns the session of refreshToken without using
// it (no rotation, nothing changes): for the API calls that take a
// refresh token as proof that the caller holds the session's long-lived
// credential, not just an access token. The token must be one this server
// made for realm, not revoked and not expired; one already rotated is
// accepted, since presenting it here gives nothing its rotation protects.
// CodeUnauthorized otherwise; CodeUnavailable when the database is down.
func (p *Provider) RefreshTokenSession(ctx context.Context, realm *iam.Realm, refreshToken string) (string, error) {
	t, err := p.findRefresh(ctx, realm, refreshToken)
	if err != nil {
		return "", apiError(err)
	}
	return t.SessionID, nil
}
