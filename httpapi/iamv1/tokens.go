package iamv1

import (
	"net/http"
	"strconv"

	"iamd/httpapi"
	"iamd/iam"
)

func (a *API) mountTokens(mux *http.ServeMux) {
	for _, p := range []string{"web", "mobile", "app"} {
		a.handle(mux, "POST /v1/iam/auth/"+p+"/getrefreshtoken", a.getRefreshToken)
	}
}

// getRefreshToken serves #1, #3 and #14: the refresh token is rotated (the
// OpenID Connect rules: grace window, family revocation on replay) and
// the new tokens are for organization tenantId, which the token's user
// must belong to (400 otherwise; tenantId 0 keeps the current one). An
// invalid, expired, revoked or replayed refresh token is 401. userName is
// required, as documented; the refresh token alone says whose it is.
func (a *API) getRefreshToken(w http.ResponseWriter, r *http.Request) error {
	var in RefreshTokenRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := required("refreshToken", in.RefreshToken, "userName", string(in.UserName)); err != nil {
		return err
	}
	if in.TenantID == nil {
		return iam.Invalid("tenantId", "tenantId is required")
	}
	ctx := r.Context()
	realm, app, err := a.realmApp(ctx)
	if err != nil {
		return err
	}
	var orgID string
	if *in.TenantID != 0 {
		o, err := a.Directory.GetOrganization(ctx, realm, strconv.FormatInt(int64(*in.TenantID), 10))
		if iam.IsCode(err, iam.CodeNotFound) {
			return notMember(*in.TenantID) // which does not say whether it exists
		}
		if err != nil {
			return err
		}
		orgID = o.ID
	}
	ts, err := a.OIDC.Refresh(ctx, realm, app, in.RefreshToken, orgID)
	switch iam.ErrorCode(err) {
	case "":
	case iam.CodeUnauthorized:
		return fail(http.StatusUnauthorized, "Unauthorized", err)
	case iam.CodeForbidden:
		return notMember(*in.TenantID)
	default:
		return err
	}
	res, err := a.userResult(ctx, realm, ts, nil)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, res)
	return nil
}

// notMember is the 400 for a tenantId the user does not belong to.
func notMember(tenantID Long) error {
	return fail(http.StatusBadRequest, msgCodeFailed, iam.Invalid("tenantId", "the user is not a member of organization %d", tenantID))
}
