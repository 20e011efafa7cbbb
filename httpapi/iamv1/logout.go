package iamv1

import "net/http"

func (a *API) mountLogout(mux *http.ServeMux) {
	a.handle(mux, "GET /v1/iam/auth/logout", a.logout)
	a.handle(mux, "GET /v1/iam/auth/logout2", a.logout)
}

// logout serves #17 and #18 (the document does not tell them apart): the
// caller's session ends, so every token of it (access, ID, refresh) fails
// at once, and the AccessCookie is removed. 200 with an empty body.
func (a *API) logout(w http.ResponseWriter, r *http.Request) error {
	realm, c, err := a.authed(r)
	if err != nil {
		return err
	}
	if err := a.OIDC.EndSession(r.Context(), realm, c.Claims.SessionID); err != nil {
		return err
	}
	a.clearAccessCookie(w)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	return nil
}
