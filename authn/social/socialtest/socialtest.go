// Package socialtest is a stand-in upstream identity provider for tests:
// an OpenID Connect provider (discovery, JWKS, token and userinfo
// endpoints) on an httptest server, whose codes and tokens say whatever
// the test wants. Its userinfo endpoint also serves as a plain OAuth 2.0
// provider's.
package socialtest

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// Provider is a running upstream provider. URL is its issuer.
type Provider struct {
	URL          string
	ClientID     string
	ClientSecret string

	key    *rsa.PrivateKey
	mu     sync.Mutex
	codes  map[string]grant          // unused codes
	tokens map[string]map[string]any // access token → userinfo claims
}

type grant struct {
	claims   map[string]any
	redirect string
	idToken  bool
}

// New starts a provider with one confidential client; it stops when the
// test ends.
func New(t testing.TB, clientID, clientSecret string) *Provider {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &Provider{ClientID: clientID, ClientSecret: clientSecret, key: key, codes: map[string]grant{}, tokens: map[string]map[string]any{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", p.discovery)
	mux.HandleFunc("GET /jwks", p.jwks)
	mux.HandleFunc("POST /token", p.token)
	mux.HandleFunc("GET /userinfo", p.userinfo)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

// IDToken is an ID token for audience aud with claims (iss, aud, iat and
// exp are added unless claims has them), signed with the provider's key.
func (p *Provider) IDToken(t testing.TB, aud string, claims map[string]any) string {
	t.Helper()
	c := map[string]any{"iss": p.URL, "aud": aud, "iat": time.Now().Unix(), "exp": time.Now().Add(5 * time.Minute).Unix()}
	maps.Copy(c, claims)
	return Sign(t, p.key, "k1", c)
}

// Sign signs claims as an RS256 JWT with key, naming kid.
func Sign(t testing.TB, key *rsa.PrivateKey, kid string, claims map[string]any) string {
	t.Helper()
	raw, err := sign(key, kid, claims)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func sign(key *rsa.PrivateKey, kid string, claims map[string]any) (string, error) {
	sig, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: kid}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	obj, err := sig.Sign(payload)
	if err != nil {
		return "", err
	}
	return obj.CompactSerialize()
}

// Code is a one-time authorization code for a user with claims, issued
// for redirectURL. Its exchange returns an access token whose userinfo
// is claims and, with idToken, an ID token for the client.
func (p *Provider) Code(claims map[string]any, redirectURL string, idToken bool) string {
	code := rand.Text()
	p.mu.Lock()
	p.codes[code] = grant{claims: claims, redirect: redirectURL, idToken: idToken}
	p.mu.Unlock()
	return code
}

func (p *Provider) discovery(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer": p.URL, "authorization_endpoint": p.URL + "/auth", "token_endpoint": p.URL + "/token",
		"jwks_uri": p.URL + "/jwks", "userinfo_endpoint": p.URL + "/userinfo",
		"id_token_signing_alg_values_supported": []string{"RS256"},
	})
}

func (p *Provider) jwks(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &p.key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
}

// token is the authorization_code grant with client_secret_basic or
// client_secret_post, as RFC 6749 has it: a code works once, for its
// redirect_uri.
func (p *Provider) token(w http.ResponseWriter, r *http.Request) {
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostFormValue("client_id"), r.PostFormValue("client_secret")
	}
	if id != p.ClientID || secret != p.ClientSecret {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client"})
		return
	}
	code := r.PostFormValue("code")
	p.mu.Lock()
	g, found := p.codes[code]
	delete(p.codes, code)
	p.mu.Unlock()
	if r.PostFormValue("grant_type") != "authorization_code" || !found || g.redirect != r.PostFormValue("redirect_uri") {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant"})
		return
	}
	at := rand.Text()
	p.mu.Lock()
	p.tokens[at] = g.claims
	p.mu.Unlock()
	out := map[string]any{"access_token": at, "token_type": "Bearer", "expires_in": 300}
	if g.idToken {
		c := map[string]any{"iss": p.URL, "aud": p.ClientID, "iat": time.Now().Unix(), "exp": time.Now().Add(5 * time.Minute).Unix()}
		maps.Copy(c, g.claims)
		raw, err := sign(p.key, "k1", c)
		if err != nil {
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "server_error"})
			return
		}
		out["id_token"] = raw
	}
	writeJSON(w, http.StatusOK, out)
}

func (p *Provider) userinfo(w http.ResponseWriter, r *http.Request) {
	at, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	p.mu.Lock()
	claims, ok := p.tokens[at]
	p.mu.Unlock()
	if !ok {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_token"})
		return
	}
	writeJSON(w, http.StatusOK, claims)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
