package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestFreshStartBootstrapsOnceAndStopsCleanly(t *testing.T) {
	dir := t.TempDir()
	s := startServer(t, nil, "--data-dir", dir)
	t.Logf("ready after %v", s.ready)

	first := s.log()
	if !strings.Contains(first, "username: admin") || !strings.Contains(first, "password: ") {
		t.Fatalf("first start should print the generated admin password once; stderr:\n%s", first)
	}
	code, _, body := s.get("/healthz")
	if code != 200 || !strings.Contains(string(body), `"ok"`) {
		t.Fatalf("/healthz = %d %s", code, body)
	}
	s.stop()
	if !strings.Contains(s.log(), `"msg":"stopped"`) {
		t.Fatalf("no clean stop logged:\n%s", s.log())
	}

	// The second start finds the admin and prints no password.
	s2 := startServer(t, nil, "--data-dir", dir)
	if strings.Contains(s2.log(), "password: ") {
		t.Fatalf("restart printed a password again:\n%s", s2.log())
	}
	s2.stop()
	// Exactly one admin and one admin-cli exist: creating them again conflicts.
	r := iamd(t, nil, "user", "create", "--data-dir", dir, "--realm", "master", "--username", "ADMIN", "--password", "another-long-pass")
	if r.code != 1 || !strings.Contains(r.stderr, "already exists") {
		t.Fatalf("admin should exist once: %+v", r)
	}
	r = iamd(t, nil, "app", "create", "--data-dir", dir, "--realm", "master", "--client-id", "admin-cli", "--public")
	if r.code != 1 || !strings.Contains(r.stderr, "already exists") {
		t.Fatalf("admin-cli should exist: %+v", r)
	}
	r = iamd(t, nil, "realm", "create", "--data-dir", dir, "default")
	if r.code != 1 || !strings.Contains(r.stderr, "already exists") {
		t.Fatalf("realm default should exist: %+v", r)
	}
}

func TestBootstrapAdminFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	env := []string{"IAMD_BOOTSTRAP_ADMIN_USER=root-admin", "IAMD_BOOTSTRAP_ADMIN_PASSWORD=Very-Secret-Bootstrap-1"}
	s := startServer(t, env, "--data-dir", dir)
	if strings.Contains(s.log(), "Very-Secret-Bootstrap-1") || strings.Contains(s.log(), "password: ") {
		t.Fatalf("a configured password must never be printed:\n%s", s.log())
	}
	s.stop()
	r := iamd(t, nil, "user", "create", "--data-dir", dir, "--realm", "master", "--username", "root-admin", "--password", "whatever-long-1")
	if r.code != 1 || !strings.Contains(r.stderr, "already exists") {
		t.Fatalf("bootstrap admin root-admin should exist: %+v", r)
	}
}

func TestHTTPBasics(t *testing.T) {
	s := startServer(t, nil, "--data-dir", t.TempDir())

	code, hdr, body := s.get("/readyz")
	if code != 200 || !strings.Contains(string(body), `"ready"`) {
		t.Fatalf("/readyz = %d %s", code, body)
	}
	if hdr.Get("X-Request-Id") == "" {
		t.Fatal("no X-Request-Id on the response")
	}

	code, _, body = s.get("/no/such/thing")
	var e struct {
		Error struct {
			Code      string `json:"code"`
			Message   string `json:"message"`
			RequestID string `json:"request_id"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &e); code != 404 || err != nil || e.Error.Code != "not_found" || e.Error.RequestID == "" {
		t.Fatalf("unknown path = %d %s", code, body)
	}

	req, _ := http.NewRequest("GET", s.url+"/healthz", nil)
	req.Header.Set("X-Request-Id", "trace-abc-123")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("X-Request-Id"); got != "trace-abc-123" {
		t.Fatalf("request id not echoed: %q", got)
	}
	// A hostile request id is replaced, not logged.
	req.Header.Set("X-Request-Id", `evil" injected="<script>`)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("X-Request-Id"); strings.Contains(got, "evil") {
		t.Fatalf("hostile request id accepted: %q", got)
	}

	code, _, body = s.get("/metrics")
	for _, want := range []string{
		`iamd_http_requests_total{method="GET",route="GET /healthz",status="200"}`,
		`iamd_http_requests_total{method="GET",route="unmatched",status="404"}`,
		"iamd_http_request_duration_seconds_bucket",
		"iamd_outbox_backlog 0",
		"iamd_password_hash_queue_length 0",
	} {
		if code != 200 || !strings.Contains(string(body), want) {
			t.Fatalf("/metrics lacks %q:\n%s", want, body)
		}
	}

	// Every access-log line is JSON with a request id; the trace id shows.
	s.stop()
	found := false
	for _, line := range strings.Split(strings.TrimSpace(s.log()), "\n") {
		if !strings.HasPrefix(line, "{") {
			continue // the banner with the generated password
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		if m["msg"] == "request" && m["request_id"] == "trace-abc-123" {
			found = true
		}
	}
	if !found {
		t.Fatalf("access log lacks the request id:\n%s", s.log())
	}
}

func TestServeRejectsBadConfiguration(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  []string
		want string
	}{
		{"bad addr", []string{"--addr", "nonsense"}, nil, "not host:port"},
		{"bad database url", []string{"--database-url", "mysql://x"}, nil, "--database-url must start with"},
		{"bad public url", []string{"--public-url", "ftp://x"}, nil, "--public-url"},
		{"unknown flag", []string{"--frobnicate"}, nil, "flag provided but not defined"},
		{"bad env number", nil, []string{"IAMD_ARGON2_MEMORY=lots"}, "IAMD_ARGON2_MEMORY"},
		{"bad master key", nil, []string{"IAMD_MASTER_KEY=short"}, "master key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			r := iamd(t, tc.env, append([]string{"serve", "--data-dir", dir}, tc.args...)...)
			if r.code == 0 || !strings.Contains(r.stderr, tc.want) {
				t.Fatalf("want failure mentioning %q, got %+v", tc.want, r)
			}
		})
	}
}
