package oidc

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"iamd/authn"
	"iamd/iam"
	"iamd/oidc/signer"
	"iamd/store"
)

// Provider serves the OIDC endpoints of every realm.
type Provider struct {
	Store     store.Store
	Authn     *authn.Service
	Keys      *signer.Keys
	PublicURL string // e.g. https://id.example.com; no trailing slash
	// CookieKey signs the SSO session cookie and CSRF tokens; derived
	// from the master key so that every replica agrees.
	CookieKey []byte
	Logger    *slog.Logger
	Now       func() time.Time // UTC, microseconds; time.Now if nil
	// CacheTTL is how long this process may reuse a realm or an app on the
	// protocol's hot paths (see cache.go); 0 reads the store every time.
	CacheTTL time.Duration
	// LiveCacheTTL is how long a "session and user are live" answer may
	// be reused; 0 (the default) checks on every use.
	LiveCacheTTL time.Duration

	caches protoCaches
}

// Prefixes are the two URL roots a realm answers under.
var Prefixes = []string{"/realms/{realm}", "/auth/realms/{realm}"}

// Mount registers every endpoint under both prefixes.
func (p *Provider) Mount(mux *http.ServeMux) {
	for _, prefix := range Prefixes {
		p.mountProtocol(mux, prefix)
		p.mountLogin(mux, prefix)
	}
}

func (p *Provider) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now().UTC().Truncate(time.Microsecond)
}

// realmOf resolves the {realm} of the request path and the issuer the
// request's prefix implies. An unknown or disabled realm is CodeNotFound.
func (p *Provider) realmOf(ctx context.Context, r *http.Request) (*iam.Realm, string, error) {
	name := r.PathValue("realm")
	if iam.ValidateRealmName(name) != nil {
		return nil, "", iam.NotFound("realm")
	}
	realm, err := p.realmByName(ctx, name)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !realm.Enabled) {
		return nil, "", iam.NotFound("realm")
	}
	if err != nil {
		return nil, "", store.AsIAM(err, "realm", "")
	}
	return realm, p.issuerFor(r, realm), nil
}

// issuerFor is the issuer URL of realm as reached by r's prefix.
func (p *Provider) issuerFor(r *http.Request, realm *iam.Realm) string {
	if strings.HasPrefix(r.URL.Path, "/auth/realms/") {
		return p.PublicURL + "/auth/realms/" + realm.Name
	}
	return p.PublicURL + "/realms/" + realm.Name
}

// Issuers are both issuer URLs of a realm; a token carrying either is the
// realm's own.
func (p *Provider) Issuers(realm *iam.Realm) [2]string {
	return [2]string{p.PublicURL + "/realms/" + realm.Name, p.PublicURL + "/auth/realms/" + realm.Name}
}
