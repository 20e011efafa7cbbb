package oidc

import (
	"mime"
	"net/http"
	"strings"
	"time"

	"iamd/httpapi"
)

// userinfoResponse is the UserInfo response (OpenID Connect Core §5.3):
// sub, the profile claims the token's scope releases, read fresh from the
// user record, and the current organization.
type userinfoResponse struct {
	Sub string `json:"sub"`
	profileClaims
	OrgID  string `json:"org_id,omitempty"`
	OrgNum int64  `json:"org_num,omitempty"`
}

// userinfo serves GET and POST {prefix}/protocol/openid-connect/userinfo.
// The access token comes as a Bearer Authorization header or, for POST,
// as the form parameter access_token (RFC 6750 §2). A token that is
// missing, foreign, expired or whose session or user is no longer live is
// answered 401 with a Bearer challenge (RFC 6750 §3); a service-account
// token has no user and is refused the same way.
func (p *Provider) userinfo(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	realm, _, err := p.realmOf(ctx, r)
	if err != nil {
		return err
	}
	raw, err := bearerToken(r)
	if err != nil {
		return err
	}
	c, err := p.verifyAccess(ctx, realm, raw)
	if it, ok := err.(*inactiveToken); ok {
		return oauthErr(http.StatusUnauthorized, errInvalidToken, "%s", it.reason)
	}
	if err != nil {
		return err
	}
	if c.Sid == "" {
		return oauthErr(http.StatusUnauthorized, errInvalidToken, "the token has no user")
	}
	u, err := p.liveUser(ctx, realm, c.Sub)
	if err != nil {
		return oauthErr(http.StatusUnauthorized, errInvalidToken, "the session or user is no longer active")
	}
	httpapi.WriteJSON(w, http.StatusOK, &userinfoResponse{
		Sub: u.ID, profileClaims: profileOf(u, c.Scope), OrgID: c.OrgID, OrgNum: c.OrgNum,
	})
	return nil
}

// bearerToken extracts the access token of a userinfo request: 401
// invalid_token when there is none or the header is not Bearer,
// invalid_request when it is sent twice.
func bearerToken(r *http.Request) (string, error) {
	auth := r.Header.Get("Authorization")
	var fromForm string
	if r.Method == http.MethodPost {
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/x-www-form-urlencoded" {
			form, err := oauthForm(r)
			if err != nil {
				return "", err
			}
			fromForm = form.Get("access_token")
		}
	}
	switch {
	case auth != "" && fromForm != "":
		return "", invalidRequest("send the access token once, in the Authorization header or the form")
	case fromForm != "":
		return fromForm, nil
	case auth == "":
		return "", oauthErr(http.StatusUnauthorized, errInvalidToken, "an access token is required")
	}
	scheme, tok, ok := strings.Cut(auth, " ")
	if !ok || !strings.EqualFold(scheme, "bearer") || strings.TrimSpace(tok) == "" {
		return "", oauthErr(http.StatusUnauthorized, errInvalidToken, "the Authorization header must be: Bearer <access token>")
	}
	return strings.TrimSpace(tok), nil
}

func unixTime(s int64) time.Time { return time.Unix(s, 0) }
