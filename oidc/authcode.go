package oidc

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"iamd/iam"
	"iamd/store"
)

// authCodeTTL is how long an authorization code may wait for redemption.
const authCodeTTL = time.Minute

// AuthCode is what the authorization endpoint grants and the token
// endpoint redeems. It is stored as an iam.OneTimeCode with purpose
// iam.PurposeAuthCode whose Hash is iam.HashToken(code); the clear code
// exists only in the redirect.
type AuthCode struct {
	AppID               string // iam.App.ID
	ClientID            string
	RedirectURI         string
	Scope               string
	Nonce               string
	CodeChallenge       string
	CodeChallengeMethod string // "S256" or "plain" ("" when none)
	SessionID           string
	UserID              string
	OrgID               string
	AuthTime            time.Time
	AMR                 []string
	Issuer              string // the issuer the flow ran under
}

// issueAuthCode stores ac and returns the clear code.
func (p *Provider) issueAuthCode(ctx context.Context, realm *iam.Realm, ac AuthCode) (string, error) {
	code := iam.NewSecret(32)
	now := p.now()
	c := &iam.OneTimeCode{
		ID: iam.NewID(), RealmID: realm.ID, UserID: ac.UserID, Purpose: iam.PurposeAuthCode,
		Hash: iam.HashToken(code), AttemptsLeft: 1, CreatedAt: now, ExpiresAt: now.Add(authCodeTTL),
		Data: map[string]string{
			"app_id": ac.AppID, "client_id": ac.ClientID, "redirect_uri": ac.RedirectURI,
			"scope": ac.Scope, "nonce": ac.Nonce, "code_challenge": ac.CodeChallenge,
			"code_challenge_method": ac.CodeChallengeMethod, "session_id": ac.SessionID,
			"org_id": ac.OrgID, "auth_time": strconv.FormatInt(ac.AuthTime.Unix(), 10),
			"amr": strings.Join(ac.AMR, " "), "issuer": ac.Issuer,
		},
	}
	if err := p.Store.Realm(realm.ID).Codes().Create(ctx, c); err != nil {
		return "", store.AsIAM(err, "code", "")
	}
	return code, nil
}

// errCodeReplayed says a code was presented again after its redemption;
// the caller answers invalid_grant, and the session it created is revoked.
var errCodeReplayed = errors.New("oidc: authorization code reused")

// redeemAuthCode consumes code exactly once and returns what it grants.
// A missing or expired code is iam.CodeNotFound / iam.CodeExpired; a code
// already redeemed is errCodeReplayed, after revoking the session (and so
// every refresh token) the first redemption created, as RFC 6749 §4.1.2 asks.
func (p *Provider) redeemAuthCode(ctx context.Context, realm *iam.Realm, code string) (*AuthCode, error) {
	if code == "" || len(code) > 256 {
		return nil, iam.NotFound("code")
	}
	sc := p.Store.Realm(realm.ID)
	c, err := sc.Codes().GetByHash(ctx, iam.HashToken(code), iam.PurposeAuthCode)
	if err != nil {
		return nil, store.AsIAM(err, "code", "")
	}
	now := p.now()
	replay := func() error {
		if sid := c.Data["session_id"]; sid != "" {
			_ = sc.Sessions().Revoke(ctx, sid, now)
		}
		return errCodeReplayed
	}
	if c.ConsumedAt != nil {
		return nil, replay()
	}
	if !now.Before(c.ExpiresAt) {
		return nil, iam.Errorf(iam.CodeExpired, "the authorization code has expired")
	}
	if err := sc.Codes().Consume(ctx, c.ID, now); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return nil, replay()
		}
		return nil, store.AsIAM(err, "code", "")
	}
	at, _ := strconv.ParseInt(c.Data["auth_time"], 10, 64)
	return &AuthCode{
		AppID: c.Data["app_id"], ClientID: c.Data["client_id"], RedirectURI: c.Data["redirect_uri"],
		Scope: c.Data["scope"], Nonce: c.Data["nonce"], CodeChallenge: c.Data["code_challenge"],
		CodeChallengeMethod: c.Data["code_challenge_method"], SessionID: c.Data["session_id"],
		UserID: c.UserID, OrgID: c.Data["org_id"], AuthTime: time.Unix(at, 0).UTC(),
		AMR: strings.Fields(c.Data["amr"]), Issuer: c.Data["issuer"],
	}, nil
}
