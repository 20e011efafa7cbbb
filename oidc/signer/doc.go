// Package signer owns the signing keys of every realm: created on first use,
// private parts sealed with the master key, rotated on demand, published as
// the realm's JWKS, and used to sign and verify JWTs.
//
// Keys are read from the store into a per-realm cache that is refreshed
// every Keys.Refresh and whenever a token names a key the cache does not
// know (another replica may have rotated), so that signing a token costs no
// database round trip in steady state. Several replicas may create or
// rotate keys at the same moment: every non-retired key is published, and
// the newest one signs.
package signer
