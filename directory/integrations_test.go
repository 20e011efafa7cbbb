package directory_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"iamd/directory"
	"iamd/iam"
)

// integrationsSet stores realm attributes (name/value pairs) on f.realm.
func integrationsSet(t *testing.T, f *fixture, pairs ...string) {
	t.Helper()
	if f.realm.Settings.Attributes == nil {
		f.realm.Settings.Attributes = map[string]string{}
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		f.realm.Settings.Attributes[pairs[i]] = pairs[i+1]
	}
	if err := f.s.Store.Realms().Update(f.ctx, f.realm); err != nil {
		t.Fatal(err)
	}
}

// The Intercom hash is HMAC-SHA256 of the numeric user id with the
// platform's own secret; an unset secret is a precondition failure that
// names the attribute, never a made-up hash.
func TestIntercomHash(t *testing.T) {
	onBoth(t, func(t *testing.T, f *fixture) {
		u := f.user(t, f.realm, "ann")
		for _, p := range []string{directory.IntercomWeb, directory.IntercomAndroid, directory.IntercomIOS} {
			_, err := f.s.IntercomHash(f.ctx, f.realm, u.ID, p)
			wantCode(t, err, iam.CodePrecondition, "unconfigured "+p)
		}
		integrationsSet(t, f, directory.IntercomSecretAttribute, "web-secret", directory.IntercomSecretIOSAttribute, "ios-secret")
		for p, secret := range map[string]string{directory.IntercomWeb: "web-secret", directory.IntercomIOS: "ios-secret"} {
			got, err := f.s.IntercomHash(f.ctx, f.realm, u.ID, p)
			m := hmac.New(sha256.New, []byte(secret))
			m.Write([]byte(strconv.FormatInt(u.Num, 10)))
			if err != nil || got != hex.EncodeToString(m.Sum(nil)) {
				t.Fatalf("%s: %q %v", p, got, err)
			}
		}
		_, err := f.s.IntercomHash(f.ctx, f.realm, u.ID, directory.IntercomAndroid)
		if iam.ErrorCode(err) != iam.CodePrecondition || !strings.Contains(iam.ErrorMessage(err), directory.IntercomSecretAndroidAttribute) {
			t.Fatalf("android still unconfigured: %v", err)
		}
		_, err = f.s.IntercomHash(f.ctx, f.realm, iam.NewID(), directory.IntercomWeb)
		wantCode(t, err, iam.CodeNotFound, "unknown user")
		_, err = f.s.IntercomHash(f.ctx, f.realm, u.ID, "windows")
		wantField(t, err, "platform", "unknown platform")
	})
}

// integrationsServiceAccount is a service-account key file with a fresh
// RSA key, as the Firebase console downloads it.
func integrationsServiceAccount(t *testing.T) (string, *rsa.PrivateKey) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(map[string]string{
		"type": "service_account", "project_id": "demo", "private_key_id": "k1",
		"private_key":  string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"client_email": "firebase-adminsdk@demo.iam.gserviceaccount.com",
	})
	return string(b), key
}

// A Firebase custom token verifies with the service account's public key
// and carries the claims Firebase checks.
func TestFirebaseToken(t *testing.T) {
	onBoth(t, func(t *testing.T, f *fixture) {
		u := f.user(t, f.realm, "ann")
		_, err := f.s.FirebaseToken(f.ctx, f.realm, u.ID)
		wantCode(t, err, iam.CodePrecondition, "unconfigured")
		for what, bad := range map[string]string{
			"not JSON":      "{",
			"no key":        `{"client_email":"a@b.c"}`,
			"not PEM":       `{"client_email":"a@b.c","private_key":"secret"}`,
			"not a key":     `{"client_email":"a@b.c","private_key":"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"}`,
			"not RSA (EC)":  integrationsECKeyFile(t),
			"blank setting": "  ",
		} {
			integrationsSet(t, f, directory.FirebaseServiceAccountAttribute, bad)
			_, err := f.s.FirebaseToken(f.ctx, f.realm, u.ID)
			wantCode(t, err, iam.CodePrecondition, what)
		}
		sa, key := integrationsServiceAccount(t)
		integrationsSet(t, f, directory.FirebaseServiceAccountAttribute, sa)
		raw, err := f.s.FirebaseToken(f.ctx, f.realm, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{jose.RS256})
		if err != nil {
			t.Fatal(err)
		}
		var c struct {
			jwt.Claims
			UID string `json:"uid"`
		}
		if err := tok.Claims(&key.PublicKey, &c); err != nil {
			t.Fatalf("signature: %v", err)
		}
		email := "firebase-adminsdk@demo.iam.gserviceaccount.com"
		if err := c.ValidateWithLeeway(jwt.Expected{Issuer: email, Subject: email, AnyAudience: jwt.Audience{directory.FirebaseAudience}, Time: time.Now()}, 0); err != nil {
			t.Fatal(err)
		}
		if c.UID != strconv.FormatInt(u.Num, 10) || c.Expiry.Time().Sub(c.IssuedAt.Time()) != time.Hour {
			t.Fatalf("claims: %+v", c)
		}
		if err := tok.Claims(&integrationsOtherKey(t).PublicKey, &c); err == nil {
			t.Fatal("verifies with another key")
		}
	})
}

// integrationsECKeyFile is a key file whose key is not RSA.
func integrationsECKeyFile(t *testing.T) string {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(map[string]string{"client_email": "a@b.c", "private_key": string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))})
	return string(b)
}

func integrationsOtherKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return k
}
