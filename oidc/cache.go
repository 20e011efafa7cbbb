package oidc

import (
	"context"
	"crypto/sha256"
	"sync"
	"time"

	"iamd/iam"
)

// The protocol's hot paths (client_credentials, introspection, userinfo)
// would otherwise read the realm, the app and the session and user on
// every request. Two kinds of per-process cache cut that:
//
//   - verified tokens: a token whose signature and issuer verified is
//     remembered (by SHA-256 of the token, per realm) for at most
//     verifiedTTL, the staleness the signer's own key cache already has.
//     Expiry and liveness are still checked on every use. Always on: it
//     changes no answer.
//   - lookups: realm by name and app by client id are reused for
//     Provider.CacheTTL of wall-clock time (0, the default, disables
//     them): a disabled realm or app or a rotated secret takes effect
//     within CacheTTL. "This session and its user are live" is reused only
//     for LiveCacheTTL, which the server leaves at 0, so that a disabled
//     or deleted user and a revoked session stop working at once; an
//     operator may trade that for throughput.
//     Writes (refresh rotation, sign-in) never rely on these caches: the
//     refresh grant and the password grant read the store.
//
// Each cache holds at most cacheMax entries; when full, expired entries go
// first, then arbitrary ones.
const (
	verifiedTTL = 30 * time.Second
	cacheMax    = 4096
)

// protoCaches are the Provider's caches; the zero value is ready.
type protoCaches struct {
	verified ttlCache[verifiedKey, *accessClaims]
	realms   ttlCache[string, *iam.Realm]
	apps     ttlCache[appKey, *iam.App]
	live     ttlCache[liveKey, struct{}]
}

type verifiedKey struct {
	realmID string
	sum     [32]byte
}

type appKey struct{ realmID, clientID string }

type liveKey struct{ realmID, sid, sub string }

// ttlCache is a small map whose entries expire on the wall clock. It is
// safe for concurrent use.
type ttlCache[K comparable, V any] struct {
	mu sync.Mutex
	m  map[K]ttlEntry[V]
}

type ttlEntry[V any] struct {
	v     V
	until time.Time
}

func (c *ttlCache[K, V]) get(k K) (V, bool) {
	c.mu.Lock()
	e, ok := c.m[k]
	c.mu.Unlock()
	if !ok || !time.Now().Before(e.until) {
		var zero V
		return zero, false
	}
	return e.v, true
}

func (c *ttlCache[K, V]) put(k K, v V, ttl time.Duration) {
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[K]ttlEntry[V])
	}
	if len(c.m) >= cacheMax {
		for k, e := range c.m {
			if !now.Before(e.until) || len(c.m) >= cacheMax*3/4 {
				delete(c.m, k)
			}
		}
	}
	c.m[k] = ttlEntry[V]{v, now.Add(ttl)}
}

// cachedVerify returns the claims of a token verified within verifiedTTL.
func (p *Provider) cachedVerify(realm *iam.Realm, raw string, verify func() (*accessClaims, error)) (*accessClaims, error) {
	k := verifiedKey{realm.ID, sha256.Sum256([]byte(raw))}
	if c, ok := p.caches.verified.get(k); ok {
		return c, nil
	}
	c, err := verify()
	if err == nil {
		p.caches.verified.put(k, c, verifiedTTL)
	}
	return c, err
}

// realmByName returns the realm named name (store errors as the store
// gives them), from the lookup cache when CacheTTL allows.
func (p *Provider) realmByName(ctx context.Context, name string) (*iam.Realm, error) {
	if p.CacheTTL <= 0 {
		return p.Store.Realms().GetByName(ctx, name)
	}
	k := iam.FoldKey(name)
	if r, ok := p.caches.realms.get(k); ok {
		return r, nil
	}
	r, err := p.Store.Realms().GetByName(ctx, name)
	if err == nil {
		p.caches.realms.put(k, r, p.CacheTTL)
	}
	return r, err
}

// appByClientID returns the live app with client id in realm
// (store.ErrNotFound if there is none), from the lookup cache when
// CacheTTL allows.
func (p *Provider) appByClientID(ctx context.Context, realm *iam.Realm, clientID string) (*iam.App, error) {
	if p.CacheTTL <= 0 {
		return p.Store.Realm(realm.ID).Apps().GetByClientID(ctx, clientID)
	}
	k := appKey{realm.ID, clientID}
	if a, ok := p.caches.apps.get(k); ok {
		return a, nil
	}
	a, err := p.Store.Realm(realm.ID).Apps().GetByClientID(ctx, clientID)
	if err == nil {
		p.caches.apps.put(k, a, p.CacheTTL)
	}
	return a, err
}

// knownLive reports whether session sid of user sub was found live within
// LiveCacheTTL; markLive records that it just was.
func (p *Provider) knownLive(realm *iam.Realm, sid, sub string) bool {
	if p.LiveCacheTTL <= 0 {
		return false
	}
	_, ok := p.caches.live.get(liveKey{realm.ID, sid, sub})
	return ok
}

func (p *Provider) markLive(realm *iam.Realm, sid, sub string) {
	if p.LiveCacheTTL > 0 {
		p.caches.live.put(liveKey{realm.ID, sid, sub}, struct{}{}, p.LiveCacheTTL)
	}
}
