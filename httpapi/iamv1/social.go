package iamv1

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"iamd/authn"
	"iamd/httpapi"
	"iamd/iam"
	"iamd/oidc"
)

// Messages of the social auth controllers, verbatim.
const msgNotAuthorized = "User is not authorized!"

// socialApps are the document's values of SocialAuthRequest.appName; a
// provider of another name configured in the realm is accepted as well.
var socialApps = []string{"QUICKBOOK", "ZOHO", "XERO", "LINKEDIN", "FACEBOOK", "APPLE", "GOOGLE", "OFFICE_365", "ONEDRIVE", "DROPBOX"}

// appleProvider is the name Apple's provider has in the realm.
const appleProvider = "APPLE"

// amrFederated says the user authenticated at an upstream provider.
const amrFederated = "fed"

// Bounds of what a client may send; real codes and tokens are far
// shorter.
const (
	maxSocialCode    = 4096
	maxSocialIDToken = 16 << 10
)

func (a *API) mountSocial(mux *http.ServeMux) {
	a.handle(mux, "POST /v1/iam/auth/social", a.socialAuth(false))
	a.handle(mux, "POST /v1/iam/auth/mobile/social", a.socialAuth(true))
	a.handle(mux, "POST /v1/iam/auth/social/apple", a.appleAuth)
}

// socialAuth serves #29 (web, which also sets the AccessCookie) and #19
// (mobile): the code (or iamd's idToken) the client got from provider
// appName signs its user in, creating the user on first sign-in.
func (a *API) socialAuth(mobile bool) httpapi.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in SocialAuthRequest
		if err := decode(r, &in); err != nil {
			return err
		}
		realm, err := a.realm(r.Context())
		if err != nil {
			return err
		}
		if err := required("appName", in.AppName); err != nil {
			return err
		}
		name := strings.TrimSpace(in.AppName)
		if !slices.Contains(socialApps, strings.ToUpper(name)) && realm.Settings.SocialProvider(name) == nil {
			return iam.Invalid("appName", "appName must be one of %s, or a provider configured in the realm", strings.Join(socialApps, ", "))
		}
		if in.Code == "" && in.IDToken == "" {
			return iam.Invalid("code", "code is required")
		}
		redirect, err := redirectField(in.RedirectURL)
		if err != nil {
			return err
		}
		if err := socialInput(in.Code, in.IDToken, in.FirstName, in.LastName, "code", "idToken"); err != nil {
			return err
		}
		return a.socialSignIn(w, r, realm, !mobile, authn.SocialLogin{
			Provider: name, Code: in.Code, RedirectURL: redirect, IDToken: in.IDToken,
			FirstName: in.FirstName, LastName: in.LastName, Source: socialSource(mobile, name),
		}, "code")
	}
}

// appleAuth serves #30, Apple's form_post: id_token (verified against
// Apple's keys) or else code (exchanged with the provider's configured
// redirect URL) of the realm's APPLE provider; user, sent on the first
// authorization only, names a user created now; state is the client's.
// It answers like #29 and sets the AccessCookie.
func (a *API) appleAuth(w http.ResponseWriter, r *http.Request) error {
	form, err := socialForm(r)
	if err != nil {
		return err
	}
	realm, err := a.realm(r.Context())
	if err != nil {
		return err
	}
	code, idToken := form.Get("code"), form.Get("id_token")
	if code == "" && idToken == "" {
		return iam.Invalid("id_token", "id_token or code is required")
	}
	var user appleUser
	if u := form.Get("user"); u != "" {
		if err := json.Unmarshal([]byte(u), &user); err != nil {
			return iam.Invalid("user", "user must be Apple's JSON object {\"name\":{\"firstName\",\"lastName\"},\"email\"}")
		}
	}
	if err := socialInput(code, idToken, user.Name.FirstName, user.Name.LastName, "code", "id_token"); err != nil {
		return renameFields(err, "firstName", "user", "lastName", "user")
	}
	return a.socialSignIn(w, r, realm, true, authn.SocialLogin{
		Provider: appleProvider, Code: code, IDToken: idToken,
		FirstName: user.Name.FirstName, LastName: user.Name.LastName, Source: "WEB_APPLE",
	}, "id_token")
}

// socialSignIn runs the sign-in and answers the SocialAuthResponse with
// tokens. Whatever refuses the user — an unknown provider, the provider
// itself, a bad token, an e-mail that may not be linked, a disabled or
// locked account — is 401 with the document's message.
func (a *API) socialSignIn(w http.ResponseWriter, r *http.Request, realm *iam.Realm, cookie bool, in authn.SocialLogin, codeField string) error {
	ctx := r.Context()
	app, err := a.app(ctx, realm)
	if err != nil {
		return err
	}
	in.IP = httpapi.ClientIP(r)
	res, err := a.Authn.SocialSignIn(ctx, realm, in)
	if err != nil {
		return socialFailure(renameFields(err, "code", codeField))
	}
	ts, err := a.OIDC.SignIn(ctx, oidc.SignIn{Realm: realm, App: app, User: res.User, AMR: []string{amrFederated}, IP: in.IP, UserAgent: r.UserAgent()})
	if err != nil {
		return socialFailure(err)
	}
	if cookie {
		a.setAccessCookie(w, ts)
	}
	u := res.User
	httpapi.WriteJSON(w, http.StatusOK, &SocialAuthResponse{
		AccessToken: ts.AccessToken, IDToken: ts.IDToken, RefreshToken: ts.RefreshToken,
		Email: u.Email, FirstName: u.FirstName, LastName: u.LastName, ExistingUser: res.Existing,
	})
	return nil
}

func socialFailure(err error) error {
	switch iam.ErrorCode(err) {
	case iam.CodeUnauthorized, iam.CodeForbidden, iam.CodeLocked, iam.CodeConflict:
		return fail(http.StatusUnauthorized, msgNotAuthorized, err)
	}
	return err
}

// socialInput bounds what the client sends.
func socialInput(code, idToken, first, last, codeField, idTokenField string) error {
	if len(code) > maxSocialCode {
		return iam.Invalid(codeField, "%s is too long", codeField)
	}
	if len(idToken) > maxSocialIDToken {
		return iam.Invalid(idTokenField, "%s is too long", idTokenField)
	}
	if err := textField("firstName", first, 255); err != nil {
		return err
	}
	return textField("lastName", last, 255)
}

// redirectField decodes redirectUrl: base64 (standard or URL-safe,
// padded or not) of an absolute http(s) URL, or such a URL as it is.
func redirectField(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	if absoluteURL(v) {
		return v, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(v); err == nil && absoluteURL(string(b)) {
			return string(b), nil
		}
	}
	return "", iam.Invalid("redirectUrl", "redirectUrl must be the base64 encoding of an absolute http(s) URL")
}

func absoluteURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && len(s) <= 2048 && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// socialSource is the registration source of a user created by a social
// sign-in: MOBILE_ or WEB_ with GOOGLE, APPLE or OTHER.
func socialSource(mobile bool, provider string) string {
	prefix := "WEB_"
	if mobile {
		prefix = "MOBILE_"
	}
	switch p := strings.ToUpper(provider); p {
	case "GOOGLE", "APPLE":
		return prefix + p
	}
	return prefix + "OTHER"
}

// socialForm reads the form Apple posts (urlencoded, or multipart as
// Swagger's formData allows).
func socialForm(r *http.Request) (url.Values, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	switch mt {
	case "application/x-www-form-urlencoded":
		err = r.ParseForm()
	case "multipart/form-data":
		err = r.ParseMultipartForm(maxSocialIDToken * 4)
	default:
		return nil, iam.Invalid("id_token", "the body must be a form (application/x-www-form-urlencoded) with id_token or code")
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, iam.Errorf(iam.CodeTooLarge, "request body is too large")
	}
	if err != nil {
		return nil, iam.Invalid("id_token", "the body is not a valid form")
	}
	return r.PostForm, nil
}
