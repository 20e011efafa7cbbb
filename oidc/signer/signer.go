package signer

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"

	"iamd/iam"
	"iamd/seal"
	"iamd/store"
)

// Algorithms a realm signs with.
const (
	ES256 = "ES256" // access tokens by default
	RS256 = "RS256" // ID tokens by default; access tokens when an app asks
)

// Algorithms lists every algorithm a realm has keys for, in the order
// Rotate creates them.
var Algorithms = []string{ES256, RS256}

// Defaults of the Keys fields.
const (
	DefaultOverlap = 24 * time.Hour
	DefaultRefresh = 30 * time.Second
)

// ErrInvalidToken is wrapped by every Verify error about the token itself
// (malformed, another algorithm, unknown or expired key, bad signature).
// Its code is iam.CodeUnauthorized.
var ErrInvalidToken = &iam.Error{Code: iam.CodeUnauthorized, Message: "invalid token"}

// Keys signs and verifies JWTs with per-realm keys. It is safe for
// concurrent use and must not be copied after first use.
type Keys struct {
	Store store.Store
	Box   *seal.Box
	Now   func() time.Time
	// Overlap is how long a retired key stays published (and accepted)
	// after rotation; it must exceed the longest token lifetime. 0: 24h.
	Overlap time.Duration
	// Refresh is how long a realm's cached key list is trusted before it
	// is read again, by the wall clock or by Now. 0: 30s.
	Refresh time.Duration

	realms sync.Map // realm id → *realmKeys
}

// Sign serialises claims (any JSON-marshalable value) as a compact JWS
// signed with realm's current key for alg, creating the key on first use.
// The header carries kid and typ ("JWT", or typ when non-empty, e.g. "at+jwt").
// An alg other than ES256 and RS256 is CodeInvalid.
func (k *Keys) Sign(ctx context.Context, realm *iam.Realm, alg, typ string, claims any) (string, error) {
	if alg != ES256 && alg != RS256 {
		return "", iam.Invalid("alg", "unsupported signing algorithm %q (want ES256 or RS256)", alg)
	}
	if typ == "" {
		typ = "JWT"
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", iam.Internal(fmt.Errorf("signer: encoding claims: %w", err))
	}
	key, err := k.currentKey(ctx, realm.ID, alg)
	if err != nil {
		return "", err
	}
	s, err := key.signer(k.Box, typ)
	if err != nil {
		return "", iam.Internal(err)
	}
	jws, err := s.Sign(payload)
	if err != nil {
		return "", iam.Internal(fmt.Errorf("signer: signing with key %s: %w", key.rec.ID, err))
	}
	out, err := jws.CompactSerialize()
	if err != nil {
		return "", iam.Internal(err)
	}
	return out, nil
}

// Verify checks a compact JWS against realm's published keys (current and
// retired-but-unexpired) and returns its payload. It does not check
// claims. A token signed by another realm's key fails. Errors about the
// token wrap ErrInvalidToken; a store failure is CodeUnavailable or
// CodeInternal.
func (k *Keys) Verify(ctx context.Context, realm *iam.Realm, token string) ([]byte, error) {
	if len(token) > maxTokenLen {
		return nil, invalid("token too long")
	}
	jws, err := jose.ParseSignedCompact(token, []jose.SignatureAlgorithm{jose.ES256, jose.RS256})
	if err != nil {
		return nil, invalid("malformed or unsupported algorithm")
	}
	h := jws.Signatures[0].Header
	if !validKID(h.KeyID) {
		return nil, invalid("no usable kid")
	}
	key, err := k.lookup(ctx, realm.ID, h.KeyID)
	if err != nil {
		return nil, err
	}
	if key == nil {
		return nil, invalid("unknown key")
	}
	if !key.rec.Published(k.now()) {
		return nil, invalid("key expired")
	}
	if h.Algorithm != key.rec.Alg {
		return nil, invalid("algorithm does not match the key")
	}
	payload, err := jws.Verify(key.pub)
	if err != nil {
		return nil, invalid("bad signature")
	}
	return payload, nil
}

// JWKS returns realm's public keys (creating the default ES256 and RS256
// keys on first use), newest first.
func (k *Keys) JWKS(ctx context.Context, realm *iam.Realm) (*jose.JSONWebKeySet, error) {
	s, err := k.snapshot(ctx, realm.ID)
	if err != nil {
		return nil, err
	}
	if s.current(ES256) == nil || s.current(RS256) == nil {
		if s, err = k.ensure(ctx, realm.ID, time.Now(), Algorithms...); err != nil {
			return nil, err
		}
	}
	now := k.now()
	set := &jose.JSONWebKeySet{Keys: []jose.JSONWebKey{}}
	for _, key := range s.keys {
		if key.rec.Published(now) {
			set.Keys = append(set.Keys, jose.JSONWebKey{Key: key.pub, KeyID: key.rec.ID, Algorithm: key.rec.Alg, Use: "sig"})
		}
	}
	return set, nil
}

// Rotate creates new current keys for every algorithm of realm; the
// previous keys stop signing but stay published for Overlap.
func (k *Keys) Rotate(ctx context.Context, realm *iam.Realm) error {
	_, err := k.RotateKeys(ctx, realm)
	return err
}

func (k *Keys) now() time.Time {
	if k.Now != nil {
		return k.Now()
	}
	return time.Now().UTC().Truncate(time.Microsecond)
}

func (k *Keys) overlap() time.Duration {
	if k.Overlap > 0 {
		return k.Overlap
	}
	return DefaultOverlap
}

func (k *Keys) refresh() time.Duration {
	if k.Refresh > 0 {
		return k.Refresh
	}
	return DefaultRefresh
}

// maxTokenLen bounds what Verify parses; real tokens are a few KB.
const maxTokenLen = 64 << 10

func invalid(why string) error { return fmt.Errorf("%w: %s", ErrInvalidToken, why) }

// validKID accepts the ids newKey makes (URL-safe base64) and similar
// short URL-safe strings, so garbage never reaches the store.
func validKID(kid string) bool {
	if kid == "" || len(kid) > 128 {
		return false
	}
	for i := 0; i < len(kid); i++ {
		c := kid[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}
