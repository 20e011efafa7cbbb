package main

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// The server serves /v1/iam for the realm --iam-realm names, creating it
// at start, and its tokens are that realm's.
func TestServeMountsIAMv1ForTheConfiguredRealm(t *testing.T) {
	s := startServer(t, nil, "--data-dir", t.TempDir(), "--iam-realm", "shop")
	post := func(path, body string) (int, map[string]any) {
		resp, err := http.Post(s.url+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&m)
		return resp.StatusCode, m
	}
	code, m := post("/v1/iam/auth/sign-up/web", `{"emailId":"ann@example.com","password":"Correct-Horse-9","organizationName":"Ann's"}`)
	if code != 201 || m["tenantId"] == nil {
		t.Fatalf("sign-up: %d %v", code, m)
	}
	code, m = post("/v1/iam/auth/sign-in/web/sign-in", `{"userName":"ann@example.com","password":"Correct-Horse-9"}`)
	token, _ := m["accessToken"].(string)
	if code != 200 || strings.Count(token, ".") != 2 {
		t.Fatalf("sign-in: %d %v", code, m)
	}
	payload, _ := base64.RawURLEncoding.DecodeString(strings.Split(token, ".")[1])
	if !strings.Contains(string(payload), `"iss":"`+s.url+`/realms/shop"`) {
		t.Fatalf("token of another realm: %s", payload)
	}
	code, _, body := s.get("/realms/shop/.well-known/openid-configuration")
	if code != 200 {
		t.Fatalf("realm shop was not created: %d %s", code, body)
	}
	r := iamd(t, nil, "serve", "--data-dir", t.TempDir(), "--iam-realm", "no good")
	if r.code == 0 || !strings.Contains(r.stderr, "--iam-realm") {
		t.Fatalf("a bad --iam-realm must stop the server: %+v", r)
	}
}
