package oidc

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"slices"

	"iamd/iam"
	"iamd/store"
)

// authCodeGrant redeems an authorization code (RFC 6749 §4.1.3) with PKCE
// (RFC 7636). Everything the request can get wrong — another client's
// code, a different redirect_uri, a missing or wrong code_verifier — is
// checked before the code is consumed, so such a request changes nothing
// and the rightful client can still redeem it. A code presented after its
// redemption is a replay: redeemAuthCode revokes the session it created.
type authCodeGrant struct{ p *Provider }

func (g authCodeGrant) exchange(ctx context.Context, req *tokenRequest) (*tokenResponse, error) {
	p := g.p
	code, err := requiredParam(req.form, "code")
	if err != nil {
		return nil, err
	}
	if len(code) > 256 {
		return nil, invalidGrant("the authorization code is invalid or expired")
	}
	c, err := p.Store.Realm(req.realm.ID).Codes().GetByHash(ctx, iam.HashToken(code), iam.PurposeAuthCode)
	if errors.Is(err, store.ErrNotFound) {
		return nil, invalidGrant("the authorization code is invalid or expired")
	}
	if err != nil {
		return nil, err
	}
	if c.ConsumedAt == nil {
		if err := checkCodeRequest(req, c); err != nil {
			return nil, err
		}
	}
	ac, err := p.redeemAuthCode(ctx, req.realm, code)
	switch {
	case errors.Is(err, errCodeReplayed):
		p.audit(ctx, req.realm, iam.Event{Type: iam.EventTokenReplayed, UserID: c.UserID, AppID: c.Data["app_id"], IP: req.ip,
			Detail: map[string]string{"token": "authorization_code", "session_id": c.Data["session_id"]}})
		return nil, invalidGrant("the authorization code was already used; the tokens it issued are revoked")
	case iam.IsCode(err, iam.CodeNotFound), iam.IsCode(err, iam.CodeExpired):
		return nil, invalidGrant("the authorization code is invalid or expired")
	case err != nil:
		return nil, err
	}
	if ac.AppID != req.app.ID {
		return nil, invalidGrant("the authorization code was issued to another client")
	}
	s, err := p.liveSession(ctx, req.realm, ac.SessionID)
	if err != nil {
		return nil, err
	}
	u, err := p.liveUser(ctx, req.realm, ac.UserID)
	if err != nil {
		return nil, err
	}
	issuer := req.issuer
	if iss := p.Issuers(req.realm); slices.Contains(iss[:], ac.Issuer) {
		issuer = ac.Issuer // the issuer the RP discovered when it started the flow
	}
	return p.issueUserTokens(ctx, req, &mint{
		realm: req.realm, issuer: issuer, app: req.app, user: u, session: s,
		scope: ac.Scope, nonce: ac.Nonce, authTime: ac.AuthTime, amr: ac.AMR,
	})
}

// checkCodeRequest compares the token request with the authorization
// request the unconsumed code c records: same client, same redirect_uri
// (RFC 6749 §4.1.3), and the PKCE verifier. A public client must have
// used PKCE with S256; a verifier without a challenge is refused, which
// stops PKCE downgrade.
func checkCodeRequest(req *tokenRequest, c *iam.OneTimeCode) error {
	if c.Data["client_id"] != req.app.ClientID || c.Data["app_id"] != req.app.ID {
		return invalidGrant("the authorization code was issued to another client")
	}
	if req.form.Get("redirect_uri") != c.Data["redirect_uri"] {
		return invalidGrant("redirect_uri does not match the authorization request")
	}
	challenge, method, verifier := c.Data["code_challenge"], c.Data["code_challenge_method"], req.form.Get("code_verifier")
	public := req.app.SecretHash == ""
	switch {
	case challenge == "" && verifier != "":
		return invalidGrant("code_verifier sent, but the authorization request had no code_challenge")
	case challenge == "" && public:
		return invalidGrant("a public client must use PKCE (code_challenge_method S256)")
	case challenge == "":
		return nil
	case verifier == "":
		return invalidGrant("missing code_verifier")
	case !validVerifier(verifier):
		return invalidGrant("code_verifier must be 43-128 characters of A-Z a-z 0-9 - . _ ~")
	}
	var want string
	switch method {
	case "S256":
		sum := sha256.Sum256([]byte(verifier))
		want = base64.RawURLEncoding.EncodeToString(sum[:])
	case "plain", "":
		if public {
			return invalidGrant("a public client must use PKCE with S256")
		}
		want = verifier
	default:
		return invalidGrant("unsupported code_challenge_method")
	}
	if subtle.ConstantTimeCompare([]byte(want), []byte(challenge)) != 1 {
		return invalidGrant("code_verifier does not match the code_challenge")
	}
	return nil
}

// validVerifier checks RFC 7636 §4.1: 43-128 unreserved characters.
func validVerifier(v string) bool {
	if len(v) < 43 || len(v) > 128 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
			return false
		}
	}
	return true
}
