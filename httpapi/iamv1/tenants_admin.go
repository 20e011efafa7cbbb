package iamv1

import (
	"net/http"
	"strconv"

	"iamd/authn"
	"iamd/httpapi"
	"iamd/iam"
)

// Messages of the tenant administration operations of user-controller,
// verbatim.
const (
	msgResetTenantFailed  = "Unable to reset tenant"
	msgDeleteTenantFailed = "Unable to delete tenant"
)

func (a *API) mountTenantsAdmin(mux *http.ServeMux) {
	a.handle(mux, "DELETE /v1/iam/users/tenant-reset", a.resetTenant)
	a.handle(mux, "DELETE /v1/iam/users/tenant/{id}", a.deleteTenant)
}

// resetTenant serves #58: the administrator of the caller's current
// organization, confirming with the password, removes every other member
// and pending invitation (doc.go). 200 with the SignUpResponse.
func (a *API) resetTenant(w http.ResponseWriter, r *http.Request) error {
	return a.changeTenant(w, r, msgResetTenantFailed, func(c *caller, in authn.OrgChange) (*iam.Organization, *iam.User, error) {
		in.OrgRef = c.Claims.OrgID
		return a.Authn.ResetOrganization(r.Context(), c.Realm, in)
	})
}

// deleteTenant serves #59: an administrator of organization {id}
// (numeric), confirming with the password, deletes it. 200 with the
// SignUpResponse.
func (a *API) deleteTenant(w http.ResponseWriter, r *http.Request) error {
	return a.changeTenant(w, r, msgDeleteTenantFailed, func(c *caller, in authn.OrgChange) (*iam.Organization, *iam.User, error) {
		n, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil || n <= 0 {
			return nil, nil, iam.Invalid("id", "id must be the numeric id of an organization")
		}
		in.OrgRef = strconv.FormatInt(n, 10)
		return a.Authn.DeleteOrganization(r.Context(), c.Realm, in)
	})
}

// changeTenant authenticates the caller, requires the password query
// parameter and runs change. A wrong password, a lock or no current
// organization is 400 with msg; a caller who does not administer the
// organization 403.
func (a *API) changeTenant(w http.ResponseWriter, r *http.Request, msg string,
	change func(*caller, authn.OrgChange) (*iam.Organization, *iam.User, error)) error {
	_, c, err := a.authed(r)
	if err != nil {
		return err
	}
	pw := r.URL.Query().Get("password")
	if err := required("password", pw); err != nil {
		return err
	}
	o, u, err := change(c, authn.OrgChange{UserID: c.Claims.Subject, Password: pw, IP: httpapi.ClientIP(r)})
	switch iam.ErrorCode(err) {
	case "":
	case iam.CodeForbidden:
		return fail(http.StatusForbidden, msgUsersForbidden, err)
	case iam.CodeUnauthorized, iam.CodeLocked, iam.CodePrecondition, iam.CodeNotFound:
		return fail(http.StatusBadRequest, msg, err)
	default:
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, SignUpResponse{TenantID: o.Num, TenantName: o.DisplayName, UserID: u.Num})
	return nil
}
