package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Target is the server under load and who the load signs in as: a
// confidential app allowed the client_credentials, password and
// refresh_token grants, and a user with a password, both in Realm.
type Target struct {
	URL          string // e.g. http://127.0.0.1:8080; no trailing slash
	Realm        string
	ClientID     string
	ClientSecret string
	Username     string
	Password     string
	Scope        string // requested by user logins; "openid" asks for ID tokens too
}

func (t Target) realmURL() string { return t.URL + "/realms/" + url.PathEscape(t.Realm) }

func (t Target) tokenURL() string      { return t.realmURL() + "/protocol/openid-connect/token" }
func (t Target) introspectURL() string { return t.tokenURL() + "/introspect" }
func (t Target) userinfoURL() string   { return t.realmURL() + "/protocol/openid-connect/userinfo" }
func (t Target) certsURL() string      { return t.realmURL() + "/protocol/openid-connect/certs" }
func (t Target) discoveryURL() string  { return t.realmURL() + "/.well-known/openid-configuration" }

// basicAuth is the client_secret_basic header: RFC 6749 §2.3.1 form-encodes
// id and secret before base64.
func (t Target) basicAuth() string {
	r, _ := http.NewRequest("GET", "/", nil)
	r.SetBasicAuth(url.QueryEscape(t.ClientID), url.QueryEscape(t.ClientSecret))
	return r.Header.Get("Authorization")
}

func (t Target) formHeader() http.Header {
	return http.Header{
		"Content-Type":  {"application/x-www-form-urlencoded"},
		"Accept":        {"application/json"},
		"Authorization": {t.basicAuth()},
	}
}

func (t Target) passwordForm() url.Values {
	f := url.Values{"grant_type": {"password"}, "username": {t.Username}, "password": {t.Password}}
	if t.Scope != "" {
		f.Set("scope", t.Scope)
	}
	return f
}

// throttleHint explains 429s: all the load comes from one client IP.
const throttleHint = "the server limits sign-in attempts per client IP; for a load test start it with --login-rate-limit 0 (IAMD_LOGIN_RATE_LIMIT=0)"

// tokenResponse is the part of an RFC 6749 §5.1 answer the scenarios use.
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	TokenType    string `json:"token_type"`
}

// client makes the few requests that set a scenario up, outside the load.
type client struct {
	t    Target
	http *http.Client
}

func newClient(t Target) *client {
	return &client{t: t, http: &http.Client{Timeout: 30 * time.Second}}
}

// token posts form to the token endpoint and returns the tokens, or an
// error carrying the status and body.
func (c *client) token(ctx context.Context, form url.Values) (*tokenResponse, error) {
	req, err := http.NewRequestWithContext(ctx, "POST", c.t.tokenURL(), strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header = c.t.formHeader()
	body, err := c.do(req)
	if err != nil {
		return nil, fmt.Errorf("%s grant: %w", form.Get("grant_type"), err)
	}
	var tr tokenResponse
	if err := json.Unmarshal(body, &tr); err != nil || tr.AccessToken == "" {
		return nil, fmt.Errorf("%s grant: answer has no access_token: %s", form.Get("grant_type"), snippet(body))
	}
	return &tr, nil
}

// do sends req and returns the body of a 2xx answer.
func (c *client) do(req *http.Request) ([]byte, error) {
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		return nil, &statusError{req.Method + " " + req.URL.Path, resp.StatusCode, snippet(body)}
	}
	return body, nil
}

// statusError is a non-2xx answer to a set-up request.
type statusError struct {
	request string
	code    int
	body    string
}

func (e *statusError) Error() string {
	msg := fmt.Sprintf("%s: %d %s", e.request, e.code, e.body)
	if e.code == http.StatusTooManyRequests {
		msg += " (" + throttleHint + ")"
	}
	return msg
}

// snippet is body on one line, cut to a readable length.
func snippet(body []byte) string {
	s := strings.Join(strings.Fields(string(body)), " ")
	if len(s) > 240 {
		s = s[:240] + "…"
	}
	if s == "" {
		s = "(empty body)"
	}
	return s
}
