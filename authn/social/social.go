package social

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"iamd/iam"
)

// Identity is the user as an upstream provider describes them. Subject is
// the provider's stable id for the user; EmailVerified is true only when
// the provider said so (or the provider is configured with TrustEmail).
type Identity struct {
	Subject       string
	Email         string
	EmailVerified bool
	FirstName     string
	LastName      string
}

// Connector is an opened upstream provider. What else it can do is told
// by the capability interfaces it implements.
type Connector interface {
	// Config is the provider's configuration the connector was opened with.
	Config() *iam.SocialProvider
}

// CodeExchanger exchanges an authorization code issued for redirectURL
// (the redirect_uri of the authorization request; "" for the configured
// one) and reads the user it was issued for.
type CodeExchanger interface {
	Connector
	ExchangeCode(ctx context.Context, code, redirectURL string) (*Identity, error)
}

// IDTokenVerifier verifies an ID token the client obtained from the
// provider itself: signature, issuer, expiry, and an audience that is the
// configured client id or one of its further audiences.
type IDTokenVerifier interface {
	Connector
	VerifyIDToken(ctx context.Context, raw string) (*Identity, error)
}

// Connectors opens connectors and keeps them for TTL. The zero value is
// ready to use; it is safe for concurrent use.
type Connectors struct {
	// Client makes the requests to providers; nil means a client with a
	// 10-second timeout.
	Client *http.Client
	// TTL is how long an opened connector (its discovery document) is
	// reused; 0 means an hour. Signing keys are refetched by themselves
	// when a token names a key not seen yet.
	TTL time.Duration

	mu    sync.Mutex
	cache map[[32]byte]opened
}

type opened struct {
	c  Connector
	at time.Time
}

// maxCached bounds the cache; past it, the whole cache is dropped (it is
// only a cache, and configurations rarely number that many).
const maxCached = 512

var defaultClient = &http.Client{Timeout: 10 * time.Second}

func (cs *Connectors) client() *http.Client {
	if cs.Client != nil {
		return cs.Client
	}
	return defaultClient
}

// Open returns the connector of provider p, whose client secret (opened
// by the caller) is secret. CodeInvalid for a configuration Validate
// refuses; CodeUnavailable when an OpenID provider's discovery document
// cannot be fetched.
func (cs *Connectors) Open(ctx context.Context, p *iam.SocialProvider, secret string) (Connector, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	key := cacheKey(p, secret)
	ttl := cs.TTL
	if ttl <= 0 {
		ttl = time.Hour
	}
	cs.mu.Lock()
	if o, ok := cs.cache[key]; ok && time.Since(o.at) < ttl {
		cs.mu.Unlock()
		return o.c, nil
	}
	cs.mu.Unlock()

	cfg := *p
	var c Connector
	switch p.Kind {
	case iam.SocialOIDC:
		oc, err := openOIDC(ctx, cs.client(), &cfg, secret)
		if err != nil {
			return nil, err
		}
		c = oc
	default:
		c = &oauth2Connector{cfg: &cfg, secret: secret, client: cs.client()}
	}
	cs.mu.Lock()
	if cs.cache == nil || len(cs.cache) >= maxCached {
		cs.cache = map[[32]byte]opened{}
	}
	cs.cache[key] = opened{c: c, at: time.Now()}
	cs.mu.Unlock()
	return c, nil
}

// cacheKey identifies a configuration with its secret without keeping the
// secret in memory longer than the connector does.
func cacheKey(p *iam.SocialProvider, secret string) [32]byte {
	b, _ := json.Marshal(struct {
		P *iam.SocialProvider
		S string
	}{p, secret})
	return sha256.Sum256(b)
}

// unauthorized is a refusal by the provider or of its token; cause is kept
// for the log.
func unauthorized(cause error, format string, args ...any) error {
	e := iam.Errorf(iam.CodeUnauthorized, format, args...)
	e.Err = cause
	return e
}

// unavailable is a provider that cannot be reached or failed.
func unavailable(cause error, format string, args ...any) error {
	e := iam.Errorf(iam.CodeUnavailable, format, args...)
	e.Err = cause
	return e
}
