package iamv1

import (
	"net/http"

	"iamd/authn"
	"iamd/httpapi"
	"iamd/iam"
)

// Messages of mobile-email-linking-controller's merge operations, verbatim.
const (
	msgMergeCodeSent    = "Verification code has been sent successfully."
	msgMergeCodeNotSent = "Verification code has not been sent."
	msgMerged           = "Accounts merged successfully."
	msgNotMerged        = "Accounts could not be merged."
)

func (a *API) mountMerge(mux *http.ServeMux) {
	a.handle(mux, "POST /v1/iam/users/email/merge", a.startMerge)
	a.handle(mux, "POST /v1/iam/users/email/merge/process", a.processMerge)
}

// startMerge serves #71: a code to the other account named by email or
// contact (one is enough; the caller's own values are ignored), to its
// e-mail when email names it, else by SMS. 200 with the message as text.
func (a *API) startMerge(w http.ResponseWriter, r *http.Request) error {
	var in MergeAccountRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	realm, c, err := a.signedIn(r)
	if err != nil {
		return err
	}
	t, err := mergeTarget(realm, in.Email, string(in.Contact))
	if err != nil {
		return err
	}
	if _, err := a.Authn.StartMerge(r.Context(), realm, c.Claims.Subject, t, httpapi.ClientIP(r)); err != nil {
		return codeFailure(renameFields(err, "email", "email", "phone", "contact"), msgMergeCodeNotSent, msgNotFound)
	}
	writeText(w, http.StatusOK, msgMergeCodeSent)
	return nil
}

// processMerge serves #72: with the code of #71, the other account is
// merged into the caller's (its memberships, roles, groups, social links
// and, per makePrimary, its e-mail and contact) and can no longer sign
// in. The answer is new tokens of the caller's session; unless isMobile,
// the access token is also set as the AccessCookie.
func (a *API) processMerge(w http.ResponseWriter, r *http.Request) error {
	var in MergeAccountProcessRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := required("otp", string(in.Otp)); err != nil {
		return err
	}
	ctx := r.Context()
	realm, app, err := a.realmApp(ctx)
	if err != nil {
		return err
	}
	c, err := a.authenticate(r, realm)
	if err != nil {
		return err
	}
	t, err := mergeTarget(realm, in.Email, string(in.Contact))
	if err != nil {
		return err
	}
	u, err := a.Authn.ProcessMerge(ctx, realm, c.Claims.Subject, t, string(in.Otp), in.MakePrimary, httpapi.ClientIP(r))
	if err != nil {
		return codeFailure(renameCodeField(err, "email", "email", "phone", "contact", "code", "otp"), msgNotMerged, msgNotFound)
	}
	ts, err := a.OIDC.Reissue(ctx, realm, app, c.Claims, "")
	if err != nil {
		return opFailure(err, msgNotMerged)
	}
	if !in.IsMobile {
		a.setAccessCookie(w, ts)
	}
	res, err := a.userResult(ctx, realm, ts, u)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, res)
	return nil
}

// mergeTarget checks the shape of a merge request's email and contact.
func mergeTarget(realm *iam.Realm, email, contact string) (authn.MergeTarget, error) {
	var t authn.MergeTarget
	var err error
	if t.Email, err = emailField("email", email); err != nil {
		return t, err
	}
	if t.Phone, err = phoneField("contact", contact, realm); err != nil {
		return t, err
	}
	if t.Email == "" && t.Phone == "" {
		return t, iam.Invalid("email", "email or contact of the account to merge is required")
	}
	return t, nil
}
