package iamv1

import (
	"net/http"
	"net/http/httptest"
)

// AuthenticateAdminForTest runs authenticateAdmin on r and returns the
// caller's realm name, or the status its error is answered with.
func (a *API) AuthenticateAdminForTest(r *http.Request) (realm string, status int) {
	rec := httptest.NewRecorder()
	served, err := a.realm(r.Context())
	if err == nil {
		var c *caller
		if c, err = a.authenticateAdmin(r, served); err == nil {
			return c.Realm.Name, http.StatusOK
		}
	}
	writeError(rec, r, err)
	return "", rec.Code
}
