package iamv1_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"iamd/authn"
	"iamd/authn/password"
	"iamd/directory"
	"iamd/httpapi"
	"iamd/httpapi/iamv1"
	"iamd/iam"
	"iamd/internal/testclock"
	"iamd/notify"
	"iamd/oidc"
	"iamd/oidc/signer"
	"iamd/seal"
	"iamd/store"
	"iamd/store/sqlstore/postgres/pgtest"
	"iamd/store/sqlstore/sqlite"
)

// fixture is the whole server as cmd/iamd wires it — store, services,
// the OpenID provider and the /v1/iam surface behind the shared
// middleware — reachable at URL, serving realm "acme" through /v1/iam.
type fixture struct {
	t        *testing.T
	URL      string
	Store    store.Store
	Dir      *directory.Service
	Authn    *authn.Service
	Provider *oidc.Provider
	API      *iamv1.API
	Realm    *iam.Realm
	// SvcSecret is the secret of the confidential app "svc", which
	// introspects tokens.
	SvcSecret string

	clock testclock.Clock
}

// maxBody is the fixture server's request body limit.
const maxBody = 64 << 10

// backends runs fn once per storage backend: SQLite always, PostgreSQL when
// IAMD_TEST_POSTGRES_URL is set (required when IAMD_REQUIRE_POSTGRES is).
func backends(t *testing.T, fn func(t *testing.T, f *fixture)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, newFixture(t, openSQLite(t))) })
	t.Run("postgres", func(t *testing.T) { fn(t, newFixture(t, pgtest.Open(t))) })
}

func openSQLite(t *testing.T) store.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "iamd.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func newFixture(t *testing.T, st store.Store) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{t: t, Store: st}
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	box, err := seal.New(key)
	if err != nil {
		t.Fatal(err)
	}
	h := password.New(password.Params{Memory: 1024, Time: 1, Threads: 1}, 0)
	f.Dir = &directory.Service{Store: st, Passwords: h, Now: f.now}
	f.Authn = &authn.Service{Store: st, Passwords: h, Directory: f.Dir, Now: f.now, Templates: &notify.Templates{}, CodeKey: key}
	srv := httptest.NewUnstartedServer(nil)
	f.URL = "http://" + srv.Listener.Addr().String()
	f.Provider = &oidc.Provider{Store: st, Authn: f.Authn, Keys: &signer.Keys{Store: st, Box: box, Now: f.now},
		PublicURL: f.URL, CookieKey: key, Logger: slog.Default(), Now: f.now}
	f.API = &iamv1.API{Realm: "acme", Store: st, Directory: f.Dir, Authn: f.Authn, OIDC: f.Provider, PublicURL: f.URL}
	mux := http.NewServeMux()
	f.Provider.Mount(mux)
	f.API.Mount(mux)
	mux.HandleFunc("/", httpapi.NotFound)
	mw := &httpapi.Middleware{Logger: slog.New(slog.DiscardHandler), Metrics: httpapi.NewMetrics(), MaxBodyBytes: maxBody}
	// Every answer is checked against the OpenAPI document (openapi_check_test.go).
	srv.Config.Handler = checkOpenAPI(t, mw.Wrap(mux))
	srv.Start()
	t.Cleanup(srv.Close)
	if err := f.API.Setup(ctx); err != nil {
		t.Fatal(err)
	}
	if f.Realm, err = f.Dir.RealmByName(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	if _, f.SvcSecret, err = f.Dir.CreateApp(ctx, f.Realm, directory.NewApp{ClientID: "svc", GrantTypes: []string{iam.GrantClientCredentials}}, ""); err != nil {
		t.Fatal(err)
	}
	return f
}

// now is the fixture's clock: real time unless a test moved it.
func (f *fixture) now() time.Time { return f.clock.Now() }

// advance moves the clock (fixing it at real now first).
func (f *fixture) advance(d time.Duration) { f.clock.Advance(d) }

// resp is a decoded answer.
type resp struct {
	status int
	header http.Header
	raw    string
	body   map[string]any
}

func (r resp) str(k string) string { s, _ := r.body[k].(string); return s }
func (r resp) num(k string) int64  { n, _ := r.body[k].(float64); return int64(n) }
func (r resp) flag(k string) bool  { b, _ := r.body[k].(bool); return b }

// call sends method path with body (a string is sent as is, anything else
// as JSON; nil for none) and header name/value pairs.
func (f *fixture) call(method, path string, body any, header ...string) resp {
	f.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			f.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, f.URL+path, rd)
	if err != nil {
		f.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	out := resp{status: res.StatusCode, header: res.Header, raw: string(b)}
	_ = json.Unmarshal(b, &out.body)
	return out
}

func (f *fixture) post(path string, body any, header ...string) resp {
	f.t.Helper()
	return f.call(http.MethodPost, path, body, header...)
}

func (f *fixture) get(path string, header ...string) resp {
	f.t.Helper()
	return f.call(http.MethodGet, path, nil, header...)
}

// want fails unless r has status.
func (f *fixture) want(r resp, status int) resp {
	f.t.Helper()
	if r.status != status {
		f.t.Fatalf("status %d, want %d: %s", r.status, status, r.raw)
	}
	return r
}

// wantError checks an error answer: status, the document's message
// ("" to skip), the field at fault ("" for none) and the shape.
func (f *fixture) wantError(r resp, status int, message, field string) {
	f.t.Helper()
	if r.status != status {
		f.t.Fatalf("status %d, want %d: %s", r.status, status, r.raw)
	}
	if r.num("status") != int64(status) || r.str("error") != http.StatusText(status) || r.str("timestamp") == "" ||
		!strings.HasPrefix(r.str("path"), "/v1/iam/") || r.str("errorCode") == "" || r.str("requestId") == "" {
		f.t.Fatalf("error shape: %s", r.raw)
	}
	if message != "" && r.str("message") != message {
		f.t.Fatalf("message %q, want %q: %s", r.str("message"), message, r.raw)
	}
	if r.str("field") != field {
		f.t.Fatalf("field %q, want %q: %s", r.str("field"), field, r.raw)
	}
}

// messages are the realm's outbox messages to to, newest first.
func (f *fixture) messages(to string) []*iam.Message {
	f.t.Helper()
	all, err := f.Store.Realm(f.Realm.ID).Messages().List(context.Background(), store.Page{Limit: 1000})
	if err != nil {
		f.t.Fatal(err)
	}
	var out []*iam.Message
	for _, m := range all {
		if m.To == to {
			out = append(out, m)
		}
	}
	return out
}

// last is the newest message to to.
func (f *fixture) last(to string) *iam.Message {
	f.t.Helper()
	ms := f.messages(to)
	if len(ms) == 0 {
		f.t.Fatalf("no message to %s", to)
	}
	return ms[0]
}

// linkPath is the path and query of the newest link sent to to, checked
// to point at this server.
func (f *fixture) linkPath(to string) string {
	f.t.Helper()
	link := f.last(to).Link
	u, err := url.Parse(link)
	if err != nil || u.Scheme+"://"+u.Host != f.URL {
		f.t.Fatalf("link %q does not point at the server", link)
	}
	return u.RequestURI()
}

// signUpWeb signs up email with password (and organization org, if any).
func (f *fixture) signUpWeb(email, pw, org string) resp {
	f.t.Helper()
	return f.want(f.post("/v1/iam/auth/sign-up/web", map[string]any{
		"emailId": email, "password": pw, "firstName": "Test", "lastName": "User", "organizationName": org,
	}), http.StatusCreated)
}

// signIn signs in on the web and returns the AuthenticationResultTypeDto.
func (f *fixture) signIn(user, pw string) resp {
	f.t.Helper()
	return f.want(f.post("/v1/iam/auth/sign-in/web/sign-in", map[string]any{"userName": user, "password": pw}), http.StatusOK)
}

// userCount is the number of live users of the realm.
func (f *fixture) userCount() int {
	f.t.Helper()
	_, n, err := f.Dir.ListUsers(context.Background(), f.Realm, store.UserQuery{})
	if err != nil {
		f.t.Fatal(err)
	}
	return n
}

// introspect reports whether the realm's introspection endpoint calls
// token active.
func (f *fixture) introspect(token string) bool {
	f.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, f.URL+"/realms/acme/protocol/openid-connect/token/introspect",
		strings.NewReader(url.Values{"token": {token}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("svc", f.SvcSecret)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct {
		Active bool `json:"active"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != 200 {
		f.t.Fatalf("introspect: %d %v", res.StatusCode, err)
	}
	return out.Active
}

// userinfo is the status of the realm's userinfo endpoint for token.
func (f *fixture) userinfo(token string) int {
	f.t.Helper()
	return f.call(http.MethodGet, "/realms/acme/protocol/openid-connect/userinfo", nil, "Authorization", "Bearer "+token).status
}

// claims decodes a JWT's payload without verifying it.
func claims(t *testing.T, jwt string) map[string]any {
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

// otherRealmToken is an access token of u in another realm.
func (f *fixture) otherRealmToken(realm *iam.Realm, app *iam.App, u *iam.User) string {
	f.t.Helper()
	ts, err := f.Provider.SignIn(context.Background(), oidc.SignIn{Realm: realm, App: app, User: u, AMR: []string{"pwd"}})
	if err != nil {
		f.t.Fatal(err)
	}
	return ts.AccessToken
}
