package oidc

import (
	"context"
	"net/http"

	"iamd/iam"
)

// passwordGrant is the resource-owner password grant (RFC 6749 §4.3),
// Keycloak's "direct access grant" that document 001's token call uses:
// username, password and scope, plus totp when the user has an
// authenticator app (as Keycloak's direct grant asks). Each success starts
// a session with amr ["pwd"] (["pwd","otp"] with a code).
type passwordGrant struct{ p *Provider }

func (g passwordGrant) exchange(ctx context.Context, req *tokenRequest) (*tokenResponse, error) {
	p := g.p
	username, err := requiredParam(req.form, "username")
	if err != nil {
		return nil, err
	}
	password, err := requiredParam(req.form, "password")
	if err != nil {
		return nil, err
	}
	scope, err := grantScope(req.app, req.form.Get("scope"))
	if err != nil {
		return nil, err
	}
	user, err := p.Authn.PasswordSignIn(ctx, req.realm, username, password, req.ip)
	if err != nil {
		return nil, signInError(err)
	}
	amr := []string{"pwd"}
	mfa, err := p.Authn.HasTOTP(ctx, req.realm, user.ID)
	if err != nil {
		return nil, err
	}
	if mfa {
		code := req.form.Get("totp")
		if code == "" {
			return nil, invalidGrant("the account has two-factor authentication: send the authenticator code as parameter totp")
		}
		if err := p.Authn.VerifyTOTP(ctx, req.realm, user.ID, code, req.ip); err != nil {
			return nil, signInError(err)
		}
		amr = append(amr, "otp")
	}
	s, err := p.newSession(ctx, req, user, amr, "")
	if err != nil {
		return nil, err
	}
	return p.issueUserTokens(ctx, req, &mint{
		realm: req.realm, issuer: req.issuer, app: req.app, user: user, session: s,
		scope: scope, authTime: s.CreatedAt, amr: amr,
	})
}

// signInError maps authn's sign-in errors to the token endpoint:
//
//	CodeUnauthorized → invalid_grant "Invalid user credentials" (Keycloak's words)
//	CodeLocked       → invalid_grant, saying the account is temporarily locked
//	CodeForbidden    → invalid_grant "Account disabled"
//	CodeRateLimited  → 429 slow_down, with Retry-After
//	CodeInvalid      → invalid_request with authn's message
//
// Anything else (an outage, a bug) passes through.
func signInError(err error) error {
	switch iam.ErrorCode(err) {
	case iam.CodeUnauthorized:
		return invalidGrant("Invalid user credentials")
	case iam.CodeLocked:
		return invalidGrant("the account is temporarily locked after too many failed attempts; try again later")
	case iam.CodeForbidden:
		return invalidGrant("Account disabled")
	case iam.CodeRateLimited:
		return oauthErr(http.StatusTooManyRequests, errSlowDown, "%s", iam.ErrorMessage(err))
	case iam.CodeInvalid, iam.CodePrecondition, iam.CodeNotFound:
		return invalidRequest("%s", iam.ErrorMessage(err))
	}
	return err
}
