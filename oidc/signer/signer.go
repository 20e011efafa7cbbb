// Package signer owns the signing keys of every realm: created on first use,
// private parts sealed with the master key, rotated on demand, published as
// the realm's JWKS, and used to sign and verify JWTs.
//
// CONTRACT (implementation in progress; helpers code against these signatures).
package signer

import (
	"context"
	"errors"
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

// Keys signs and verifies JWTs with per-realm keys.
type Keys struct {
	Store store.Store
	Box   *seal.Box
	Now   func() time.Time
	// Overlap is how long a retired key stays published (and accepted)
	// after rotation; it must exceed the longest token lifetime. 0: 24h.
	Overlap time.Duration
}

var errTODO = errors.New("signer: not implemented yet")

// Sign serialises claims (any JSON-marshalable value) as a compact JWS
// signed with realm's current key for alg, creating the key on first use.
// The header carries kid and typ ("JWT", or typ when non-empty, e.g. "at+jwt").
func (k *Keys) Sign(ctx context.Context, realm *iam.Realm, alg, typ string, claims any) (string, error) {
	return "", errTODO
}

// Verify checks a compact JWS against realm's published keys (current and
// retired-but-unexpired) and returns its payload. It does not check
// claims. A token signed by another realm's key fails.
func (k *Keys) Verify(ctx context.Context, realm *iam.Realm, token string) ([]byte, error) {
	return nil, errTODO
}

// JWKS returns realm's public keys (creating the default ES256 and RS256
// keys on first use), newest first.
func (k *Keys) JWKS(ctx context.Context, realm *iam.Realm) (*jose.JSONWebKeySet, error) {
	return nil, errTODO
}

// Rotate creates new current keys for every algorithm of realm; the
// previous keys stop signing but stay published for Overlap.
func (k *Keys) Rotate(ctx context.Context, realm *iam.Realm) error {
	return errTODO
}
