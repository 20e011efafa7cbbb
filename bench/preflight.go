package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// Reachable checks that something answers GET /healthz at baseURL.
func Reachable(ctx context.Context, baseURL string) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", baseURL+"/healthz", nil)
	if err != nil {
		return fmt.Errorf("--url %q: %w", baseURL, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("cannot reach iamd at %s: %w", baseURL, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s/healthz answered %s: is iamd running there?", baseURL, resp.Status)
	}
	return nil
}

// Preflight checks that the server answers at t.URL and serves t.Realm. A
// realm the server does not know usually means the bench set up another
// database than the server's.
func Preflight(ctx context.Context, t Target) error {
	c := newClient(t)
	c.http.Timeout = 5 * time.Second
	req, err := http.NewRequestWithContext(ctx, "GET", t.discoveryURL(), nil)
	if err != nil {
		return fmt.Errorf("--url %q: %w", t.URL, err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("cannot reach iamd at %s: %w", t.URL, err)
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return fmt.Errorf("the server at %s does not serve realm %q (%s): run the bench with the server's --data-dir or --database-url", t.URL, t.Realm, snippet(body))
	case resp.StatusCode != http.StatusOK:
		return fmt.Errorf("discovery of realm %q at %s: %d %s", t.Realm, t.URL, resp.StatusCode, snippet(body))
	}
	return c.waitAccepted(ctx, 10*time.Second)
}

// waitAccepted signs in as the app and as the user until the server takes
// their new secrets: a server may cache an app for a moment, and the first
// second of a run must not be spent on 401s.
func (c *client) waitAccepted(ctx context.Context, patience time.Duration) error {
	deadline := time.Now().Add(patience)
	for _, form := range []url.Values{{"grant_type": {"client_credentials"}}, c.t.passwordForm()} {
		for {
			_, err := c.token(ctx, form)
			if err == nil {
				break
			}
			var se *statusError
			if !errors.As(err, &se) || se.code != http.StatusUnauthorized || time.Now().After(deadline) {
				return fmt.Errorf("the server does not accept the bench credentials: %w", err)
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
	return nil
}
