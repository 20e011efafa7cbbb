package iam

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"math/big"
)

// NewSecret returns a random URL-safe token with nBytes of entropy: app
// secrets, refresh tokens, link tokens, session handles.
func NewSecret(nBytes int) string {
	b := make([]byte, nBytes)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken is how high-entropy secrets (app secrets, refresh tokens, link
// tokens) are stored: SHA-256, base64url. A slow hash would add nothing to a
// 256-bit random value and would cap the token endpoint's throughput.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return "sha256$" + base64.RawURLEncoding.EncodeToString(sum[:])
}

// TokenMatches compares token with a HashToken result in constant time.
func TokenMatches(token, hash string) bool {
	want := HashToken(token)
	return subtle.ConstantTimeCompare([]byte(want), []byte(hash)) == 1
}

const passwordAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"

// NewPassword returns a random password of n characters from an alphabet
// without look-alike characters (about 5.8 bits each).
func NewPassword(n int) string {
	b := make([]byte, n)
	max := big.NewInt(int64(len(passwordAlphabet)))
	for i := range b {
		k, _ := rand.Int(rand.Reader, max)
		b[i] = passwordAlphabet[k.Int64()]
	}
	return string(b)
}
