package oidc

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"iamd/iam"
	"iamd/store"
)

// A sign-in flow is the server-side state between the hosted pages: the
// checked authorization request and how far the user got. It is stored
// as an iam.OneTimeCode of purpose purposeLoginFlow whose Hash is
// iam.HashToken of an opaque handle; the handle travels in the forms'
// hidden field "flow" (with the CSRF token bound to it). Each step
// consumes its record and, when another step follows, makes a new one
// with a new handle, so a step cannot be replayed. Records expire after
// loginFlowTTL and are swept with the other expired codes.
const (
	purposeLoginFlow   = "auth_request"
	loginFlowTTL       = 15 * time.Minute
	loginOTPAttempts   = 5 // wrong TOTP codes per flow before it must restart
	loginStagePassword = "password"
	loginStageOTP      = "otp"
	maxFlowHandleLen   = 100
)

type loginFlow struct {
	rec    *iam.OneTimeCode
	handle string
	req    *authorizeRequest
	stage  string
	userID string // set from loginStageOTP on: who passed the password
}

func (a *authorizeRequest) data() map[string]string {
	return map[string]string{
		"app_id": a.AppID, "client_id": a.ClientID, "app_name": a.AppName,
		"redirect_uri": a.RedirectURI, "response_mode": a.ResponseMode,
		"state": a.State, "nonce": a.Nonce, "scope": a.Scope,
		"code_challenge": a.CodeChallenge, "code_challenge_method": a.CodeChallengeMethod,
		"prompt": a.Prompt, "login_hint": a.LoginHint,
		"max_age": strconv.FormatInt(a.MaxAge, 10), "issuer": a.Issuer,
	}
}

func authorizeRequestFrom(d map[string]string) *authorizeRequest {
	maxAge, err := strconv.ParseInt(d["max_age"], 10, 64)
	if err != nil {
		maxAge = -1
	}
	return &authorizeRequest{
		AppID: d["app_id"], ClientID: d["client_id"], AppName: d["app_name"],
		RedirectURI: d["redirect_uri"], ResponseMode: d["response_mode"],
		State: d["state"], Nonce: d["nonce"], Scope: d["scope"],
		CodeChallenge: d["code_challenge"], CodeChallengeMethod: d["code_challenge_method"],
		Prompt: d["prompt"], LoginHint: d["login_hint"], MaxAge: maxAge, Issuer: d["issuer"],
	}
}

// newLoginFlow stores a flow at stage for req and returns it with its handle.
func (p *Provider) newLoginFlow(ctx context.Context, realm *iam.Realm, req *authorizeRequest, stage, userID string) (*loginFlow, error) {
	handle := iam.NewSecret(32)
	now := p.now()
	data := req.data()
	data["stage"] = stage
	attempts := 1
	if stage == loginStageOTP {
		attempts = loginOTPAttempts
	}
	rec := &iam.OneTimeCode{
		ID: iam.NewID(), RealmID: realm.ID, UserID: userID, Purpose: purposeLoginFlow,
		Hash: iam.HashToken(handle), AttemptsLeft: attempts, Data: data,
		CreatedAt: now, ExpiresAt: now.Add(loginFlowTTL),
	}
	if err := p.Store.Realm(realm.ID).Codes().Create(ctx, rec); err != nil {
		return nil, store.AsIAM(err, "sign-in flow", "")
	}
	return &loginFlow{rec: rec, handle: handle, req: req, stage: stage, userID: userID}, nil
}

var (
	errFlowGone = &loginPageError{status: http.StatusBadRequest, title: "Sign-in expired",
		human: "This sign-in page has expired or was already used. Return to the application and sign in again."}
	errFlowAttempts = &loginPageError{status: http.StatusBadRequest, title: "Sign-in stopped",
		human: "Too many wrong codes were entered. Return to the application and sign in again."}
)

// loadLoginFlow finds the usable flow with handle at stage; anything else
// (unknown, expired, consumed, another stage) is errFlowGone.
func (p *Provider) loadLoginFlow(ctx context.Context, realm *iam.Realm, handle, stage string) (*loginFlow, error) {
	if handle == "" || len(handle) > maxFlowHandleLen {
		return nil, errFlowGone
	}
	rec, err := p.Store.Realm(realm.ID).Codes().GetByHash(ctx, iam.HashToken(handle), purposeLoginFlow)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errFlowGone
	}
	if err != nil {
		return nil, store.AsIAM(err, "sign-in flow", "")
	}
	if rec.AttemptsLeft <= 0 && rec.ConsumedAt == nil {
		return nil, errFlowAttempts
	}
	if !rec.Usable(p.now()) || rec.Data["stage"] != stage {
		return nil, errFlowGone
	}
	return &loginFlow{rec: rec, handle: handle, req: authorizeRequestFrom(rec.Data), stage: stage, userID: rec.UserID}, nil
}

// consumeLoginFlow ends f; of two racing submissions exactly one gets on.
func (p *Provider) consumeLoginFlow(ctx context.Context, realm *iam.Realm, f *loginFlow) error {
	err := p.Store.Realm(realm.ID).Codes().Consume(ctx, f.rec.ID, p.now())
	if errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound) {
		return errFlowGone
	}
	return store.AsIAM(err, "sign-in flow", "")
}

// spendLoginAttempt uses one of the flow's attempts; errFlowAttempts when
// none are left.
func (p *Provider) spendLoginAttempt(ctx context.Context, realm *iam.Realm, f *loginFlow) error {
	_, err := p.Store.Realm(realm.ID).Codes().SpendAttempt(ctx, f.rec.ID)
	if errors.Is(err, store.ErrConflict) {
		return errFlowAttempts
	}
	return store.AsIAM(err, "sign-in flow", "")
}
