package oidc_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"iamd/oidc"
)

// tokCachedServer serves the fixture's realms through a second provider
// with lookup caching on, and returns its base URL.
func (f *fixture) tokCachedServer(ttl, live time.Duration) string {
	f.t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	p := &oidc.Provider{
		Store: f.Store, Authn: f.Authn, Keys: f.Keys, PublicURL: base,
		CookieKey: []byte("a cookie key for the cached provider"), Now: f.now, CacheTTL: ttl, LiveCacheTTL: live,
	}
	mux := http.NewServeMux()
	p.Mount(mux)
	srv.Config.Handler = mux
	srv.Start()
	f.t.Cleanup(srv.Close)
	return base
}

// With CacheTTL set, a disabled user's access token is refused within the
// TTL, while the refresh grant (which never trusts the cache) refuses at
// once.
func TestLookupCacheBoundsStaleness(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		const ttl = 200 * time.Millisecond
		base := f.tokCachedServer(ttl, ttl)
		u := f.user(f.Realm, "alice", "Correct-Horse-9")
		_, secret := f.tokApp(f.Realm, "web")
		tokenURL := base + "/realms/" + f.Realm.Name + "/protocol/openid-connect/"
		tok := f.tokPost(tokenURL+"token", map[string][]string{"grant_type": {"password"}, "username": {"alice"}, "password": {"Correct-Horse-9"}}, "web", secret)
		if tok.status != 200 {
			t.Fatalf("password grant: %d %s", tok.status, tok.raw)
		}
		introspect := func() bool {
			r := f.tokPost(tokenURL+"token/introspect", map[string][]string{"token": {tok.str("access_token")}}, "web", secret)
			return r.body["active"] == true
		}
		if !introspect() || !introspect() {
			t.Fatal("a live token must be active")
		}
		f.tokSetEnabled(f.Realm, u, false)
		if r := f.tokPost(tokenURL+"token", map[string][]string{"grant_type": {"refresh_token"}, "refresh_token": {tok.str("refresh_token")}}, "web", secret); r.status != 400 {
			t.Fatalf("refresh must not trust the cache: %d %s", r.status, r.raw)
		}
		time.Sleep(ttl + 100*time.Millisecond)
		if introspect() {
			t.Fatal("after the cache TTL a disabled user's token must be inactive")
		}
		if r := f.tokGet(tokenURL+"userinfo", tok.str("access_token")); r.status != 401 {
			t.Fatalf("userinfo after the TTL: %d", r.status)
		}
	})
}

// With only the realm and app lookups cached (the server's setting), a
// disabled user's access token stops working at once.
func TestLivenessIsCheckedAtOnceByDefault(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		base := f.tokCachedServer(time.Minute, 0)
		u := f.user(f.Realm, "bob", "Correct-Horse-9")
		_, secret := f.tokApp(f.Realm, "web")
		tokenURL := base + "/realms/" + f.Realm.Name + "/protocol/openid-connect/"
		tok := f.tokPost(tokenURL+"token", map[string][]string{"grant_type": {"password"}, "username": {"bob"}, "password": {"Correct-Horse-9"}}, "web", secret)
		if tok.status != 200 {
			t.Fatalf("password grant: %d %s", tok.status, tok.raw)
		}
		r := f.tokPost(tokenURL+"token/introspect", map[string][]string{"token": {tok.str("access_token")}}, "web", secret)
		if r.body["active"] != true {
			t.Fatalf("live token inactive: %s", r.raw)
		}
		f.tokSetEnabled(f.Realm, u, false)
		r = f.tokPost(tokenURL+"token/introspect", map[string][]string{"token": {tok.str("access_token")}}, "web", secret)
		if r.body["active"] != false {
			t.Fatalf("a disabled user's token must be inactive at once: %s", r.raw)
		}
	})
}
