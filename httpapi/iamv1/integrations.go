package iamv1

import (
	"net/http"

	"iamd/directory"
	"iamd/httpapi"
	"iamd/iam"
)

// Messages of the integration operations, verbatim; msgFirebaseFailed is
// iamd's, as the document gives #32 no 400.
const (
	msgHashFailed         = "Could not generate hash."
	msgInvalidAccessToken = "Invalid access token"
	msgFirebaseFailed     = "Could not generate firebase token."
)

func (a *API) mountIntegrations(mux *http.ServeMux) {
	a.handle(mux, "GET /v1/iam/users/intercom-hash", a.intercomHash(directory.IntercomWeb))
	a.handle(mux, "GET /v1/iam/users/intercom-hash-android", a.intercomHash(directory.IntercomAndroid))
	a.handle(mux, "GET /v1/iam/users/intercom-hash-ios", a.intercomHash(directory.IntercomIOS))
	a.handle(mux, "GET /v1/iam/token/firebase", a.firebaseToken)
}

// intercomHash serves #49, #50 and #51: the caller's Intercom
// identity-verification hash for platform. A realm without that
// platform's secret is 400 with the document's message, the detail
// naming the attribute to set.
func (a *API) intercomHash(platform string) httpapi.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		realm, err := a.realm(ctx)
		if err != nil {
			return err
		}
		c, err := a.authenticate(r, realm)
		if err != nil {
			return err
		}
		hash, err := a.Directory.IntercomHash(ctx, realm, c.Claims.Subject, platform)
		if iam.IsCode(err, iam.CodePrecondition) {
			return fail(http.StatusBadRequest, msgHashFailed, err)
		}
		if err != nil {
			return err
		}
		httpapi.WriteJSON(w, http.StatusOK, &IntercomHash{Hash: hash})
		return nil
	}
}

// firebaseToken serves #32: a Firebase custom token for the caller, as
// text (the document's "string"). A bad token is 401 with the
// document's message; a realm without a usable service-account key 400.
func (a *API) firebaseToken(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	realm, err := a.realm(ctx)
	if err != nil {
		return err
	}
	c, err := a.authenticate(r, realm)
	if err != nil {
		return unauthorizedAs(err, msgInvalidAccessToken)
	}
	tok, err := a.Directory.FirebaseToken(ctx, realm, c.Claims.Subject)
	if iam.IsCode(err, iam.CodePrecondition) {
		return fail(http.StatusBadRequest, msgFirebaseFailed, err)
	}
	if err != nil {
		return err
	}
	writeText(w, http.StatusOK, tok)
	return nil
}
