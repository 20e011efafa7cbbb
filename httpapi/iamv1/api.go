package iamv1

import (
	"context"
	"net/http"

	"iamd/authn"
	"iamd/directory"
	"iamd/httpapi"
	"iamd/iam"
	"iamd/oidc"
	"iamd/store"
)

// DefaultApp is the client id of the app /v1/iam issues tokens for when
// API.App is empty.
const DefaultApp = "iam-web"

// API serves document 000's /v1/iam surface for one realm.
type API struct {
	Realm     string // name of the realm served (--iam-realm)
	Store     store.Store
	Directory *directory.Service
	Authn     *authn.Service
	OIDC      *oidc.Provider
	// PublicURL is the base of the links in messages (the e-mail
	// verification link), e.g. https://id.example.com; no trailing slash.
	PublicURL string
	// App is the client id of the app the tokens are issued for;
	// DefaultApp when empty. Setup, or the first request that needs it,
	// registers it as a public app with the refresh_token grant when the
	// realm does not have it.
	App string

	// routes are the patterns Mount registered, in order; a test compares
	// them with the operations the OpenAPI document describes.
	routes []string
}

// Mount registers the implemented operations on mux. Each controller file
// registers its own routes; every handler goes through the surface's one
// error writer.
func (a *API) Mount(mux *http.ServeMux) {
	a.routes = nil
	a.mountSignUp(mux)
	a.mountEmailVerification(mux)
	a.mountSignIn(mux)
	a.mountLogout(mux)
	a.mountTokens(mux)
	a.mountMFA(mux)
	a.mountPasswords(mux)
	a.mountContacts(mux)
	a.mountEmailLink(mux)
	a.mountMerge(mux)
	a.mountUserOTP(mux)
	a.mountTokensSwitch(mux)
	a.mountIntegrations(mux)
	a.mountSocial(mux)
	a.mountUsers(mux)
	a.mountAccounts(mux)
	a.mountTenantsAdmin(mux)
	a.mountPeople(mux)
	a.mountOpenAPI(mux)
}

// handle registers h for pattern with the surface's error writer.
func (a *API) handle(mux *http.ServeMux, pattern string, h httpapi.HandlerFunc) {
	a.routes = append(a.routes, pattern)
	mux.Handle(pattern, httpapi.Handle(writeError, h))
}

// Setup makes sure the served realm and the app exist, creating them when
// they do not; the server calls it at start. Idempotent, and safe when
// several servers start at once.
func (a *API) Setup(ctx context.Context) error {
	realm, err := a.Directory.EnsureRealm(ctx, a.Realm, "")
	if err != nil {
		return err
	}
	_, err = a.app(ctx, realm)
	return err
}

// realm returns the served realm; a missing or disabled one is 503, as the
// surface cannot work without it.
func (a *API) realm(ctx context.Context) (*iam.Realm, error) {
	r, err := a.Directory.RealmByName(ctx, a.Realm)
	if iam.IsCode(err, iam.CodeNotFound) || (err == nil && !r.Enabled) {
		return nil, iam.Errorf(iam.CodeUnavailable, "the realm %s of /v1/iam is not available", a.Realm)
	}
	return r, err
}

// app returns the app tokens are issued for, registering it on first use.
func (a *API) app(ctx context.Context, realm *iam.Realm) (*iam.App, error) {
	clientID := a.App
	if clientID == "" {
		clientID = DefaultApp
	}
	return a.Directory.EnsureApp(ctx, realm, directory.NewApp{
		ClientID: clientID, Name: "IAM API (/v1/iam)", Public: true,
		GrantTypes: []string{iam.GrantRefreshToken},
	})
}

// realmApp is realm and app together, for the operations that issue tokens.
func (a *API) realmApp(ctx context.Context) (*iam.Realm, *iam.App, error) {
	realm, err := a.realm(ctx)
	if err != nil {
		return nil, nil, err
	}
	app, err := a.app(ctx, realm)
	return realm, app, err
}

// link is an absolute URL of this surface.
func (a *API) link(path string) string { return a.PublicURL + path }
