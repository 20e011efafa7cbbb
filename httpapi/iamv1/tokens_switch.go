package iamv1

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"iamd/directory"
	"iamd/httpapi"
	"iamd/iam"
	"iamd/oidc"
)

// Messages of the switch and validation operations, verbatim (the typo
// "organiation" is the document's).
const (
	msgNotPartOfOrg = "You are not part of the requested organiation."
	msgInvalidToken = "Invalid token!"
)

// AppTokenClientAttribute is the realm attribute naming (by client id) the
// app users/app/token issues tokens for and token/app/validate accepts;
// DefaultAppTokenClient when unset, which is then registered on first use
// like API.App.
const (
	AppTokenClientAttribute = "iam_app_token_client"
	DefaultAppTokenClient   = "iam-app"
)

func (a *API) mountTokensSwitch(mux *http.ServeMux) {
	a.handle(mux, "POST /v1/iam/users/switch-tenant", a.switchTenant(false))
	a.handle(mux, "POST /v1/iam/users/app/switch-tenant", a.switchTenant(false))
	a.handle(mux, "POST /v1/iam/users/web/switch-tenant", a.switchTenant(true))
	a.handle(mux, "POST /v1/iam/users/switch-client", a.switchClient)
	a.handle(mux, "POST /v1/iam/users/app/token", a.appToken)
	a.handle(mux, "GET /v1/iam/token/validate", a.validateToken(false))
	a.handle(mux, "GET /v1/iam/token/app/validate", a.validateToken(true))
}

// switchTenant serves #57, #38 and (web, which also sets the AccessCookie)
// #65: new tokens of the caller's session and app for organization
// tenantId (0: the access token's organization). The caller proves the
// session with both its access token and its refresh token; the body's
// refresh token is not used up, and the session's earlier tokens speak
// for the new organization when refreshed. A tenantId the user is not an
// active member of is 400 and changes nothing.
func (a *API) switchTenant(web bool) httpapi.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		realm, c, in, err := a.switchRequest(r)
		if err != nil {
			return err
		}
		return a.writeSwitched(w, r, realm, c, in, c.Claims.ClientID, web)
	}
}

// switchClient serves #56: the same, for the app named by appName (or
// clientId), which must be one of the surface's own apps or one the
// user's membership in tenantId holds a role for (403 otherwise).
func (a *API) switchClient(w http.ResponseWriter, r *http.Request) error {
	realm, c, in, err := a.switchRequest(r)
	if err != nil {
		return err
	}
	app := strings.TrimSpace(in.AppName)
	if app == "" {
		app = strings.TrimSpace(in.ClientID)
	}
	if err := required("appName", app); err != nil {
		return err
	}
	return a.writeSwitched(w, r, realm, c, in, app, false)
}

// switchRequest authenticates the caller and reads a SwitchTenantRequest
// whose refresh token must belong to the caller's session (401 otherwise).
func (a *API) switchRequest(r *http.Request) (*iam.Realm, *caller, *SwitchTenantRequest, error) {
	realm, err := a.realm(r.Context())
	if err != nil {
		return nil, nil, nil, err
	}
	c, err := a.authenticate(r, realm)
	if err != nil {
		return nil, nil, nil, err
	}
	var in SwitchTenantRequest
	if err := decode(r, &in); err != nil {
		return nil, nil, nil, err
	}
	if err := required("refreshToken", in.RefreshToken, "userName", string(in.UserName)); err != nil {
		return nil, nil, nil, err
	}
	if in.TenantID == nil {
		return nil, nil, nil, iam.Invalid("tenantId", "tenantId is required")
	}
	sid, err := a.OIDC.RefreshTokenSession(r.Context(), realm, in.RefreshToken)
	if err != nil {
		return nil, nil, nil, unauthorized(err)
	}
	if sid != c.Claims.SessionID {
		return nil, nil, nil, fail(http.StatusUnauthorized, "Unauthorized",
			iam.Errorf(iam.CodeUnauthorized, "the refresh token is not of the access token's session"))
	}
	return realm, c, &in, nil
}

// writeSwitched re-issues the caller's tokens for in.TenantID and app and
// answers them.
func (a *API) writeSwitched(w http.ResponseWriter, r *http.Request, realm *iam.Realm, c *caller, in *SwitchTenantRequest, app string, web bool) error {
	orgRef := c.Claims.OrgID
	if *in.TenantID != 0 {
		orgRef = strconv.FormatInt(int64(*in.TenantID), 10)
	}
	ts, err := a.reissue(r.Context(), realm, c, orgRef, app)
	if err != nil {
		return switchFailure(err)
	}
	res, err := a.userResult(r.Context(), realm, ts, nil)
	if err != nil {
		return err
	}
	if web {
		a.setAccessCookie(w, ts)
	}
	httpapi.WriteJSON(w, http.StatusOK, res)
	return nil
}

// reissue checks that the caller may have tokens for app in orgRef ("" for
// none) and mints them in the caller's session.
func (a *API) reissue(ctx context.Context, realm *iam.Realm, c *caller, orgRef, app string) (*oidc.TokenSet, error) {
	t, err := a.Directory.SwitchTarget(ctx, realm, directory.SwitchInput{
		UserID: c.Claims.Subject, OrgRef: orgRef, App: app,
		OpenApps: []string{a.clientID(), appTokenClient(realm)},
	})
	if err != nil {
		return nil, err
	}
	orgID := ""
	if t.Org != nil {
		orgID = t.Org.ID
	}
	return a.OIDC.Reissue(ctx, realm, t.App, c.Claims, orgID)
}

// switchFailure maps the errors of reissue for the switch operations: not
// a member → 400 with the document's message; no role in the app → 403;
// an unknown app → 404; a session ended meanwhile → 401.
func switchFailure(err error) error {
	var ie *iam.Error
	if errors.As(err, &ie) && ie.Code == iam.CodeForbidden {
		if ie.Field == directory.SwitchFieldApp {
			return fail(http.StatusForbidden, "Forbidden", renameFields(err, directory.SwitchFieldApp, "appName"))
		}
		return fail(http.StatusBadRequest, msgNotPartOfOrg, &iam.Error{Code: iam.CodeForbidden, Field: "tenantId", Message: ie.Message})
	}
	switch iam.ErrorCode(err) {
	case iam.CodeNotFound:
		return fail(http.StatusNotFound, "Not Found", err)
	case iam.CodeUnauthorized:
		return fail(http.StatusUnauthorized, "Unauthorized", err)
	}
	return renameFields(err, "app", "appName")
}

// appToken serves #39, "switch user token to app token": new tokens of
// the caller's session and organization for the app-token app
// (AppTokenClientAttribute). An unknown configured app is 404, an app
// the user may not have tokens for 400, both with the document's message.
func (a *API) appToken(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	realm, err := a.realm(ctx)
	if err != nil {
		return err
	}
	c, err := a.authenticate(r, realm)
	if err != nil {
		return err
	}
	client := appTokenClient(realm)
	if client == DefaultAppTokenClient {
		if _, err := a.Directory.EnsureApp(ctx, realm, directory.NewApp{
			ClientID: DefaultAppTokenClient, Name: "IAM app tokens (/v1/iam)", Public: true,
			GrantTypes: []string{iam.GrantRefreshToken},
		}); err != nil {
			return err
		}
	}
	ts, err := a.reissue(ctx, realm, c, c.Claims.OrgID, client)
	if iam.IsCode(err, iam.CodeUnauthorized) {
		return fail(http.StatusUnauthorized, "Unauthorized", err)
	}
	if err != nil {
		// Neither the organization nor the app is a field of the request.
		return opFailure(renameFields(renameFields(err, directory.SwitchFieldOrg, ""), directory.SwitchFieldApp, ""), msgSignInFailed)
	}
	res, err := a.userResult(ctx, realm, ts, nil)
	if err != nil {
		return err
	}
	httpapi.WriteJSON(w, http.StatusOK, res)
	return nil
}

// validateToken serves #33 (any live user access token of the served
// realm) and #31 (one issued to the app-token app): the presented token
// and its user. Anything else — missing, forged, expired, another
// realm's, of an ended session or a disabled user — is 401.
func (a *API) validateToken(appOnly bool) httpapi.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		realm, err := a.realm(ctx)
		if err != nil {
			return err
		}
		c, err := a.authenticate(r, realm)
		if err != nil {
			return unauthorizedAs(err, msgInvalidToken)
		}
		if client := appTokenClient(realm); appOnly && c.Claims.ClientID != client {
			return fail(http.StatusUnauthorized, msgInvalidToken,
				iam.Errorf(iam.CodeUnauthorized, "the token was not issued to the app %s (use token/validate)", client))
		}
		u, err := a.Directory.GetUser(ctx, realm, c.Claims.Subject)
		if iam.IsCode(err, iam.CodeNotFound) {
			return fail(http.StatusUnauthorized, msgInvalidToken, err)
		}
		if err != nil {
			return err
		}
		httpapi.WriteJSON(w, http.StatusOK, &SocialAuthResponse{
			AccessToken: c.Token, Email: u.Email, ExistingUser: true, FirstName: u.FirstName, LastName: u.LastName,
		})
		return nil
	}
}

// unauthorizedAs gives a 401 from authenticate the operation's own message.
func unauthorizedAs(err error, message string) error {
	var de *docError
	if errors.As(err, &de) && de.status == http.StatusUnauthorized {
		return fail(http.StatusUnauthorized, message, de.cause)
	}
	return err
}

// clientID is the client id of API.App.
func (a *API) clientID() string {
	if a.App == "" {
		return DefaultApp
	}
	return a.App
}

// appTokenClient is the client id of the realm's app-token app.
func appTokenClient(realm *iam.Realm) string {
	if v := strings.TrimSpace(realm.Settings.Attributes[AppTokenClientAttribute]); v != "" {
		return v
	}
	return DefaultAppTokenClient
}
