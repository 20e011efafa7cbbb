package oidc

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"

	"iamd/iam"
)

// A refresh token's clear value is derivable from its record id:
//
//	value = id + "." + base64url(HMAC-SHA256(refreshKey, id))
//
// with refreshKey = HMAC-SHA256(CookieKey, "refresh"). Only
// iam.HashToken(value) is stored, so a leaked database yields no usable
// token; yet the server can recompute a successor's value from
// RefreshToken.SuccessorID, which is what lets an identical retry within
// the grace window receive the same successor. The MAC also turns a forged
// or mistyped token away before any database read.

// refreshKey derives the MAC key of refresh token values.
func (p *Provider) refreshKey() []byte {
	m := hmac.New(sha256.New, p.CookieKey)
	m.Write([]byte("refresh"))
	return m.Sum(nil)
}

// refreshValue is the clear refresh token of the record with id.
func (p *Provider) refreshValue(id string) string {
	m := hmac.New(sha256.New, p.refreshKey())
	m.Write([]byte(id))
	return id + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// refreshID checks the MAC of a presented refresh token and returns its
// record id; ok is false for anything this server did not make.
func (p *Provider) refreshID(value string) (id string, ok bool) {
	id, _, found := strings.Cut(value, ".")
	if !found || !iam.ValidID(id) {
		return "", false
	}
	return id, hmac.Equal([]byte(p.refreshValue(id)), []byte(value))
}
