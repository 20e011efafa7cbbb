package iamv1_test

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

const (
	integrationsHashFailed     = "Could not generate hash."
	integrationsFirebaseFailed = "Could not generate firebase token."
)

// The three Intercom hashes are HMAC-SHA256 of the user's id (as UserDto
// gives it) with each platform's own secret; an unconfigured platform is
// 400 naming the attribute to set, never a made-up hash.
func TestIntercomHash(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		w := switchSetUp(t, f)
		id := f.signUpWeb("dan@example.com", "Correct-Horse-9", "").num("id")
		token := f.signIn("dan@example.com", "Correct-Horse-9").str("accessToken")
		paths := map[string]string{
			"/v1/iam/users/intercom-hash":         "intercom_secret",
			"/v1/iam/users/intercom-hash-android": "intercom_secret_android",
			"/v1/iam/users/intercom-hash-ios":     "intercom_secret_ios",
		}
		for path, attr := range paths {
			r := f.get(path, "x-access-token", token)
			f.wantError(r, http.StatusBadRequest, integrationsHashFailed, "")
			if !strings.Contains(r.str("detail"), attr) {
				t.Fatalf("%s: the detail names %s: %s", path, attr, r.raw)
			}
			f.wantError(f.get(path), http.StatusUnauthorized, "Unauthorized", "")
			f.wantError(f.get(path, "x-access-token", w.foreignToken), http.StatusUnauthorized, "Unauthorized", "")
		}
		for path, attr := range paths {
			switchSetAttr(t, f, attr, "secret of "+attr)
			r := f.want(f.get(path, "x-access-token", token), http.StatusOK)
			m := hmac.New(sha256.New, []byte("secret of "+attr))
			m.Write([]byte(strconv.FormatInt(id, 10)))
			if r.str("hash") != hex.EncodeToString(m.Sum(nil)) {
				t.Fatalf("%s: %s", path, r.raw)
			}
		}
		// Another user has another hash.
		if f.want(f.get("/v1/iam/users/intercom-hash", "x-access-token", w.access), http.StatusOK).str("hash") ==
			f.want(f.get("/v1/iam/users/intercom-hash", "x-access-token", token), http.StatusOK).str("hash") {
			t.Fatal("two users, one hash")
		}
	})
}

// token/firebase is a custom token signed with the configured service
// account's key, with the claims Firebase checks.
func TestFirebaseToken(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		w := switchSetUp(t, f)
		const path = "/v1/iam/token/firebase"
		r := f.get(path, "x-access-token", w.access)
		f.wantError(r, http.StatusBadRequest, integrationsFirebaseFailed, "")
		if !strings.Contains(r.str("detail"), "firebase_service_account") {
			t.Fatalf("the detail names the attribute: %s", r.raw)
		}
		switchSetAttr(t, f, "firebase_service_account", `{"client_email":"x@y.z"}`)
		f.wantError(f.get(path, "x-access-token", w.access), http.StatusBadRequest, integrationsFirebaseFailed, "")

		key, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		der, _ := x509.MarshalPKCS8PrivateKey(key)
		sa, _ := json.Marshal(map[string]string{
			"type": "service_account", "client_email": "fb@demo.iam.gserviceaccount.com",
			"private_key": string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		})
		switchSetAttr(t, f, "firebase_service_account", string(sa))
		r = f.want(f.get(path, "x-access-token", w.access), http.StatusOK)
		if !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain") {
			t.Fatalf("content type %q", r.header.Get("Content-Type"))
		}
		tok, err := jwt.ParseSigned(r.raw, []jose.SignatureAlgorithm{jose.RS256})
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
		const aud = "https://identitytoolkit.googleapis.com/google.identity.identitytoolkit.v1.IdentityToolkit"
		if err := c.ValidateWithLeeway(jwt.Expected{Issuer: "fb@demo.iam.gserviceaccount.com", Subject: "fb@demo.iam.gserviceaccount.com",
			AnyAudience: jwt.Audience{aud}, Time: time.Now()}, 0); err != nil {
			t.Fatal(err)
		}
		if c.UID != strconv.FormatInt(w.ann.Num, 10) || c.Expiry.Time().Sub(c.IssuedAt.Time()) > time.Hour {
			t.Fatalf("claims: %+v", c)
		}

		f.wantError(f.get(path), http.StatusUnauthorized, "Invalid access token", "")
		f.wantError(f.get(path, "x-access-token", w.foreignToken), http.StatusUnauthorized, "Invalid access token", "")
	})
}
