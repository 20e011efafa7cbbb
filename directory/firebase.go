package directory

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"iamd/iam"
)

// FirebaseAudience is the audience Firebase Authentication wants in a
// custom token.
const FirebaseAudience = "https://identitytoolkit.googleapis.com/google.identity.identitytoolkit.v1.IdentityToolkit"

// FirebaseTokenTTL is a custom token's lifetime: the most Firebase allows.
const FirebaseTokenTTL = time.Hour

// serviceAccount is the part of a Google service-account key file a
// custom token needs.
type serviceAccount struct {
	ClientEmail string `json:"client_email"`
	PrivateKey  string `json:"private_key"`
}

// firebaseClaims are a custom token's claims, as the Firebase Admin SDKs
// write them.
type firebaseClaims struct {
	jwt.Claims
	UID string `json:"uid"`
}

// FirebaseToken returns a Firebase custom token for the live user userID:
// an RS256 JWT signed with the realm's service-account key
// (FirebaseServiceAccountAttribute), iss and sub the account's
// client_email, aud FirebaseAudience, valid FirebaseTokenTTL, uid the
// user's numeric id (IntercomUserID). The client exchanges it with
// Firebase's signInWithCustomToken. CodePrecondition when the realm has no
// key or the key is not a usable service-account key file; CodeNotFound
// for an unknown user.
func (s *Service) FirebaseToken(ctx context.Context, realm *iam.Realm, userID string) (string, error) {
	raw, err := integrationSecret(realm, FirebaseServiceAccountAttribute, "Firebase")
	if err != nil {
		return "", err
	}
	sa, key, err := parseServiceAccount(raw)
	if err != nil {
		return "", err
	}
	u, err := liveUser(ctx, s.Store.Realm(realm.ID), userID)
	if err != nil {
		return "", err
	}
	sig, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", iam.Internal(err)
	}
	now := s.now()
	tok, err := jwt.Signed(sig).Claims(firebaseClaims{
		Claims: jwt.Claims{
			Issuer: sa.ClientEmail, Subject: sa.ClientEmail, Audience: jwt.Audience{FirebaseAudience},
			IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(FirebaseTokenTTL)),
		},
		UID: IntercomUserID(u),
	}).Serialize()
	if err != nil {
		return "", iam.Internal(err)
	}
	return tok, nil
}

// parseServiceAccount reads a service-account key file: client_email and
// an RSA private_key in PEM (PKCS #8, as Google issues them, or PKCS #1).
// A broken file is the administrator's to fix: CodePrecondition saying
// what is wrong, never the key itself.
func parseServiceAccount(raw string) (*serviceAccount, *rsa.PrivateKey, error) {
	bad := func(why string) error {
		return iam.Errorf(iam.CodePrecondition, "Firebase is misconfigured: the attribute %s %s", FirebaseServiceAccountAttribute, why)
	}
	var sa serviceAccount
	if err := json.Unmarshal([]byte(raw), &sa); err != nil {
		return nil, nil, bad("is not a service-account key file (JSON)")
	}
	if sa.ClientEmail == "" || sa.PrivateKey == "" {
		return nil, nil, bad("lacks client_email or private_key")
	}
	block, _ := pem.Decode([]byte(sa.PrivateKey))
	if block == nil {
		return nil, nil, bad("has a private_key that is not PEM")
	}
	if k, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return &sa, k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, nil, bad("has a private_key that cannot be read")
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, nil, bad("has a private_key that is not an RSA key")
	}
	return &sa, rk, nil
}
