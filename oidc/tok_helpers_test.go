package oidc_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"iamd/directory"
	"iamd/iam"
	"iamd/store"
)

// tokResp is a decoded protocol response.
type tokResp struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func (r tokResp) str(k string) string { s, _ := r.body[k].(string); return s }

// tokURL is the URL of protocol endpoint ep of realm under the /realms prefix.
func (f *fixture) tokURL(realm *iam.Realm, ep string) string {
	return f.issuer(realm) + "/protocol/openid-connect/" + ep
}

// tokPost posts form to url; basic, when given, is client id and secret
// sent with HTTP Basic (form-urlencoded, as RFC 6749 §2.3.1 asks).
func (f *fixture) tokPost(u string, form url.Values, basic ...string) tokResp {
	f.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if len(basic) == 2 {
		req.SetBasicAuth(url.QueryEscape(basic[0]), url.QueryEscape(basic[1]))
	}
	return f.tokDo(req)
}

func (f *fixture) tokDo(req *http.Request) tokResp {
	f.t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	out := tokResp{status: res.StatusCode, header: res.Header, raw: string(b)}
	_ = json.Unmarshal(b, &out.body)
	return out
}

// tokGet sends GET u with a Bearer token ("" for none).
func (f *fixture) tokGet(u, bearer string) tokResp {
	f.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	return f.tokDo(req)
}

// tokApp registers a confidential app allowed every grant but the code
// flow's, with a redirect URI, and returns it and its secret.
func (f *fixture) tokApp(realm *iam.Realm, clientID string, grants ...string) (*iam.App, string) {
	f.t.Helper()
	if len(grants) == 0 {
		grants = []string{iam.GrantPassword, iam.GrantRefreshToken, iam.GrantClientCredentials, iam.GrantAuthorizationCode}
	}
	return f.app(realm, directory.NewApp{ClientID: clientID, GrantTypes: grants, RedirectURIs: []string{"https://rp.example/cb"}})
}

// tokPassword runs the password grant and fails the test unless it succeeds.
func (f *fixture) tokPassword(realm *iam.Realm, clientID, secret, username, pw, scope string) tokResp {
	f.t.Helper()
	r := f.tokPost(f.tokURL(realm, "token"), url.Values{
		"grant_type": {"password"}, "username": {username}, "password": {pw}, "scope": {scope},
	}, clientID, secret)
	if r.status != http.StatusOK {
		f.t.Fatalf("password grant: %d %s", r.status, r.raw)
	}
	return r
}

// tokRefresh runs the refresh grant.
func (f *fixture) tokRefresh(realm *iam.Realm, clientID, secret, refresh string) tokResp {
	f.t.Helper()
	return f.tokPost(f.tokURL(realm, "token"), url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}}, clientID, secret)
}

// tokIntrospect asks realm whether token is active, as client.
func (f *fixture) tokIntrospect(realm *iam.Realm, clientID, secret, token string) bool {
	f.t.Helper()
	r := f.tokPost(f.tokURL(realm, "token/introspect"), url.Values{"token": {token}}, clientID, secret)
	if r.status != http.StatusOK {
		f.t.Fatalf("introspect: %d %s", r.status, r.raw)
	}
	return r.body["active"] == true
}

// tokClaims decodes a JWT's payload without verifying it.
func tokClaims(t *testing.T, jwt string) map[string]any {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", jwt)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// tokHeader decodes a JWT's header.
func tokHeader(t *testing.T, jwt string) map[string]any {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(strings.Split(jwt, ".")[0])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m
}

// tokSetEnabled enables or disables a user through the store.
func (f *fixture) tokSetEnabled(realm *iam.Realm, u *iam.User, enabled bool) {
	f.t.Helper()
	ctx := context.Background()
	got, err := f.Store.Realm(realm.ID).Users().Get(ctx, u.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	got.Enabled = enabled
	got.UpdatedAt = time.Now().UTC()
	if err := f.Store.Realm(realm.ID).Users().Update(ctx, got); err != nil {
		f.t.Fatal(err)
	}
}

// tokSessionRevoked reports whether session sid of realm is revoked.
func (f *fixture) tokSessionRevoked(realm *iam.Realm, sid string) bool {
	f.t.Helper()
	s, err := f.Store.Realm(realm.ID).Sessions().Get(context.Background(), sid)
	if err != nil {
		f.t.Fatal(err)
	}
	return s.RevokedAt != nil
}

// tokEvents counts realm's audit events of type typ.
func (f *fixture) tokEvents(realm *iam.Realm, typ string) int {
	f.t.Helper()
	evs, err := f.Store.Realm(realm.ID).Events().List(context.Background(), store.EventQuery{Type: typ})
	if err != nil {
		f.t.Fatal(err)
	}
	return len(evs)
}
