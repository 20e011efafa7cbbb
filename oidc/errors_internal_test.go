package oidc

import (
	"errors"
	"fmt"
	"net/http/httptest"
	"testing"

	"iamd/iam"
	"iamd/store"
)

// Errors that are not the client's fault map to 503 or 500, never to a
// 4xx the client would act on, and never show internals.
func TestAsOAuthMapsServerFailures(t *testing.T) {
	r := httptest.NewRequest("POST", "/realms/acme/protocol/openid-connect/token", nil)
	cases := []struct {
		err    error
		status int
		code   string
	}{
		{fmt.Errorf("reading realm: %w", store.ErrUnavailable), 503, "temporarily_unavailable"},
		{store.AsIAM(store.ErrUnavailable, "user", ""), 503, "temporarily_unavailable"},
		{iam.Errorf(iam.CodeTooLarge, "too large"), 413, "invalid_request"},
		{iam.NotFound("realm"), 404, "not_found"},
		{errors.New("secret detail"), 500, "server_error"},
		{invalidGrant("nope"), 400, "invalid_grant"},
	}
	for _, c := range cases {
		got := asOAuth(r, c.err)
		if got.Status != c.status || got.Code != c.code {
			t.Errorf("%v: got %d %s, want %d %s", c.err, got.Status, got.Code, c.status, c.code)
		}
		if got.Status == 500 && got.Description != "internal error (request id )" {
			t.Errorf("a 500 must not show its cause: %q", got.Description)
		}
	}
}
