package iam

import "time"

// SigningKey is one asymmetric key a realm signs JWTs with. Its life has
// three stages: current (signs new tokens; RetiredAt nil), retired (no
// longer signs but is still published and accepted, so tokens it signed
// stay valid) and expired (after ExpiresAt: neither published nor
// accepted, and may be deleted).
type SigningKey struct {
	ID      string // the JWK "kid"
	RealmID string
	Alg     string // "ES256" or "RS256"
	// PrivateEnc is the PKCS#8 DER private key sealed with the master key
	// (seal.Box) under the additional data SigningKeyAD(ID); it is never
	// stored in clear.
	PrivateEnc []byte
	Public     []byte // PKIX DER public key
	CreatedAt  time.Time
	RetiredAt  *time.Time // when it stopped signing; nil while current
	ExpiresAt  *time.Time // when it leaves the JWKS and verification; nil while current
}

// SigningKeyAD is the additional data a signing key's private part is
// sealed under, binding the ciphertext to its key id.
func SigningKeyAD(id string) []byte { return []byte("iamd signing key " + id) }

// Published reports whether the key is in the realm's JWKS and accepted for
// verification at now.
func (k *SigningKey) Published(now time.Time) bool {
	return k.ExpiresAt == nil || now.Before(*k.ExpiresAt)
}

// Current reports whether the key may sign new tokens.
func (k *SigningKey) Current() bool { return k.RetiredAt == nil }
