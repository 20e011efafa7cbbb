package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeIdP is a minimal OAuth server with the behaviour the scenarios rely
// on: refresh tokens rotate, and presenting a used one is invalid_grant.
type fakeIdP struct {
	mu       sync.Mutex
	live     map[string]bool // refresh token -> unused
	n        int
	certs500 bool
}

func (f *fakeIdP) newRefresh() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	tok := "rt-" + strings.Repeat("x", f.n%3) + time.Now().Format("150405.000000000")
	f.live[tok] = true
	return tok
}

func (f *fakeIdP) handler(t Target) http.Handler {
	mux := http.NewServeMux()
	writeJSON := func(w http.ResponseWriter, code int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(v)
	}
	authed := func(r *http.Request) bool {
		id, secret, ok := r.BasicAuth()
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
		return ok && id == t.ClientID && secret == t.ClientSecret
	}
	base := "/realms/" + t.Realm
	mux.HandleFunc("POST "+base+"/protocol/openid-connect/token", func(w http.ResponseWriter, r *http.Request) {
		if !authed(r) {
			writeJSON(w, 401, map[string]string{"error": "invalid_client"})
			return
		}
		switch r.PostFormValue("grant_type") {
		case "client_credentials":
			writeJSON(w, 200, map[string]any{"access_token": "at", "token_type": "Bearer"})
		case "password":
			if r.PostFormValue("username") != t.Username || r.PostFormValue("password") != t.Password {
				writeJSON(w, 401, map[string]string{"error": "invalid_grant"})
				return
			}
			writeJSON(w, 200, map[string]any{"access_token": "at", "refresh_token": f.newRefresh()})
		case "refresh_token":
			tok := r.PostFormValue("refresh_token")
			f.mu.Lock()
			ok := f.live[tok]
			delete(f.live, tok)
			f.mu.Unlock()
			if !ok {
				writeJSON(w, 400, map[string]string{"error": "invalid_grant", "error_description": "reused"})
				return
			}
			writeJSON(w, 200, map[string]any{"access_token": "at", "refresh_token": f.newRefresh()})
		default:
			writeJSON(w, 400, map[string]string{"error": "unsupported_grant_type"})
		}
	})
	mux.HandleFunc("POST "+base+"/protocol/openid-connect/token/introspect", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"active": authed(r) && r.PostFormValue("token") == "at"})
	})
	mux.HandleFunc("GET "+base+"/protocol/openid-connect/userinfo", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer at" {
			writeJSON(w, 401, map[string]string{"error": "invalid_token"})
			return
		}
		writeJSON(w, 200, map[string]string{"sub": "u1"})
	})
	mux.HandleFunc("GET "+base+"/protocol/openid-connect/certs", func(w http.ResponseWriter, r *http.Request) {
		if f.certs500 {
			writeJSON(w, 500, map[string]any{"error": map[string]string{"code": "internal", "message": "boom"}})
			return
		}
		writeJSON(w, 200, map[string]any{"keys": []map[string]string{{"kty": "EC"}}})
	})
	mux.HandleFunc("GET "+base+"/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]string{"issuer": "x"})
	})
	return mux
}

func startFake(t *testing.T) (*fakeIdP, Target) {
	tg := Target{Realm: "r", ClientID: "c", ClientSecret: "s3cr3t+/=", Username: "u", Password: "p w&d", Scope: "openid"}
	f := &fakeIdP{live: map[string]bool{}}
	srv := httptest.NewServer(f.handler(tg))
	t.Cleanup(srv.Close)
	tg.URL = srv.URL
	return f, tg
}

func TestEveryScenarioSucceedsAgainstAConformingServer(t *testing.T) {
	_, tg := startFake(t)
	if err := Preflight(context.Background(), tg); err != nil {
		t.Fatal(err)
	}
	var progress bytes.Buffer
	for _, name := range Scenarios {
		d := 400 * time.Millisecond
		if name == "refresh" { // long enough for a progress line
			d = 1100 * time.Millisecond
		}
		res, err := Run(context.Background(), tg, name, Options{Duration: d, Concurrency: 4, Progress: &progress})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if res.Errors != 0 || res.OK == 0 || res.Rate <= 0 || res.P50 <= 0 || res.P99 < res.P50 {
			t.Errorf("%s: %+v", name, res)
		}
	}
	if !strings.Contains(progress.String(), "refresh") || !strings.Contains(progress.String(), "/s") {
		t.Errorf("no progress lines:\n%s", progress.String())
	}
}

func TestFailuresAreCountedNotThroughput(t *testing.T) {
	f, tg := startFake(t)
	f.certs500 = true
	res, err := Run(context.Background(), tg, "jwks", Options{Duration: 300 * time.Millisecond, Concurrency: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.OK != 0 || res.Rate != 0 || res.Errors == 0 || len(res.Samples) != 1 || res.Samples[0].Kind != "500 internal" {
		t.Fatalf("%+v", res)
	}
	var out bytes.Buffer
	if err := WriteTable(&out, []*Result{res}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "errors in jwks") || !strings.Contains(out.String(), "boom") {
		t.Fatalf("table does not show the error:\n%s", out.String())
	}

	tg.ClientSecret = "wrong"
	if _, err := Run(context.Background(), tg, "refresh", Options{Duration: 300 * time.Millisecond, Concurrency: 2}); err == nil || !strings.Contains(err.Error(), "invalid_client") {
		t.Fatalf("refresh with a wrong secret should fail to prepare, got %v", err)
	}
}

func TestRefreshChainsRestartAfterAFailure(t *testing.T) {
	f, tg := startFake(t)
	go func() {
		time.Sleep(300 * time.Millisecond)
		f.mu.Lock()
		clear(f.live) // every current refresh token dies once
		f.mu.Unlock()
	}()
	res, err := Run(context.Background(), tg, "refresh", Options{Duration: time.Second, Concurrency: 3})
	if err != nil {
		t.Fatal(err)
	}
	if res.Errors == 0 || res.Errors > 3 || !strings.Contains(res.Note, "restarted") || res.OK < 10 {
		t.Fatalf("%+v", res)
	}
}
