package oidc

import (
	"context"

	"iamd/iam"
)

// IssueAuthCodeForTest stores an authorization code as the authorization
// endpoint would and returns the clear code, so that the token endpoint's
// code grant can be tested without driving the hosted pages.
func (p *Provider) IssueAuthCodeForTest(ctx context.Context, realm *iam.Realm, ac AuthCode) (string, error) {
	return p.issueAuthCode(ctx, realm, ac)
}

// RefreshGraceForTest is the rotation grace window.
const RefreshGraceForTest = refreshGrace
