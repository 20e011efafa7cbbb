package iamv1

import (
	"errors"
	"net/http"

	"iamd/httpapi"
	"iamd/iam"
)

// Messages of mobile-email-linking-controller's link operations,
// verbatim. #73 answers with the de-link messages, as the document does.
const (
	msgLinkSent       = "A verification email has been sent successfully."
	msgLinkNotSent    = "A verification email has not been sent successfully."
	msgAlreadyLinked  = "User email is already linked."
	msgDelinked       = "Email de-link successfully."
	msgDelinkFailed   = "Email de-link unsuccessful"
	msgLinked         = "Email has been linked successfully."
	msgNotLinked      = "Email has not been linked successfully."
	msgLinkCodeWrong  = "Provided confirmation code information is invalid"
	msgLinkCodeExpire = "The Confirmation code has been expired. Please generate a new confirmation code."
)

// The paths of #70 and #69, which the document lost (issue 4 names them).
const (
	emailLinkPath   = "/v1/iam/users/email/link"
	emailDelinkPath = "/v1/iam/users/email/delink"
)

func (a *API) mountEmailLink(mux *http.ServeMux) {
	a.handle(mux, "POST "+emailLinkPath, a.linkEmail)
	a.handle(mux, "POST "+emailDelinkPath, a.delinkEmail)
	a.handle(mux, "POST /v1/iam/users/email/verify", a.verifyLinkedEmail)
	a.handle(mux, "POST /v1/iam/users/email/regenerate", a.regenerateLinkCode)
}

// linkEmail serves #70: a code to the e-mail address (body: the address
// as a JSON string, or {"email": …}) that the caller, a mobile user,
// links with #74. 208 when the caller already has a verified e-mail.
func (a *API) linkEmail(w http.ResponseWriter, r *http.Request) error {
	email, err := stringBody(r, "email")
	if err != nil {
		return err
	}
	if err := required("email", email); err != nil {
		return err
	}
	if _, err := emailField("email", email); err != nil {
		return err
	}
	realm, c, err := a.signedIn(r)
	if err != nil {
		return err
	}
	_, linked, err := a.Authn.LinkEmail(r.Context(), realm, c.Claims.Subject, email, httpapi.ClientIP(r))
	switch {
	case err != nil:
		return codeFailure(err, msgLinkNotSent, msgNotFound)
	case linked:
		httpapi.WriteJSON(w, http.StatusAlreadyReported, responseEntity(http.StatusAlreadyReported, msgAlreadyLinked))
	default:
		httpapi.WriteJSON(w, http.StatusOK, responseEntity(http.StatusOK, msgLinkSent))
	}
	return nil
}

// delinkEmail serves #69: the caller's e-mail address is removed, when
// they keep a verified contact number to sign in with (400 otherwise).
// The body, if any, is ignored.
func (a *API) delinkEmail(w http.ResponseWriter, r *http.Request) error {
	realm, c, err := a.signedIn(r)
	if err != nil {
		return err
	}
	if _, err := a.Directory.RemoveContact(r.Context(), realm, c.Claims.Subject, true, c.Claims.Subject); err != nil {
		return codeFailure(err, msgDelinkFailed, msgNotFound)
	}
	writeText(w, http.StatusOK, msgDelinked)
	return nil
}

// verifyLinkedEmail serves #74: the code of #70 or #73 and the password
// to sign in with (the current one, or a first one for a user without)
// link the e-mail address, verified. A wrong, used or unknown code is
// 404, an expired one 410.
func (a *API) verifyLinkedEmail(w http.ResponseWriter, r *http.Request) error {
	var in EmailLinkRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := required("confirmationCode", string(in.ConfirmationCode), "password", in.Password); err != nil {
		return err
	}
	realm, c, err := a.signedIn(r)
	if err != nil {
		return err
	}
	_, err = a.Authn.ConfirmEmailLink(r.Context(), realm, c.Claims.Subject, string(in.ConfirmationCode), in.Password, httpapi.ClientIP(r))
	if err == nil {
		httpapi.WriteJSON(w, http.StatusOK, responseEntity(http.StatusOK, msgLinked))
		return nil
	}
	err = renameCodeField(err, "code", "confirmationCode")
	var field string
	if e := (*iam.Error)(nil); errors.As(err, &e) {
		field = e.Field
	}
	switch code := iam.ErrorCode(err); {
	case code == iam.CodeExpired:
		return fail(http.StatusGone, msgLinkCodeExpire, err)
	case code == iam.CodeNotFound, code == iam.CodePrecondition && field == "",
		code == iam.CodeUnauthorized && field == "confirmationCode":
		return fail(http.StatusNotFound, msgLinkCodeWrong, err)
	}
	return opFailure(err, msgNotLinked)
}

// regenerateLinkCode serves #73: a new code for the address of the
// caller's newest #70. Its answers are the document's, which are #69's.
func (a *API) regenerateLinkCode(w http.ResponseWriter, r *http.Request) error {
	realm, c, err := a.signedIn(r)
	if err != nil {
		return err
	}
	if _, err := a.Authn.RegenerateEmailLink(r.Context(), realm, c.Claims.Subject, httpapi.ClientIP(r)); err != nil {
		return codeFailure(err, msgDelinkFailed, msgNotFound)
	}
	writeText(w, http.StatusOK, msgDelinked)
	return nil
}
