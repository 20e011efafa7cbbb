package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Scenarios are the names Run accepts, in the order "all" runs them.
var Scenarios = []string{"client-credentials", "password", "refresh", "introspect", "userinfo", "jwks"}

// Known reports whether name is a scenario Run accepts.
func Known(name string) bool { return slices.Contains(Scenarios, name) }

// plan is a prepared scenario: what to send, and how to judge an answer.
type plan struct {
	next vegeta.Targeter
	// check judges a 2xx answer: nil means a client would accept it.
	check func(body []byte) error
	// after, if set, sees every result once judged (the refresh chain).
	after func(r *vegeta.Result, ok bool)
	// stop, if set, releases what prepare started.
	stop func()
	// note, if set, says something the table should mention.
	note func() string
}

// prepare readies scenario name for n workers: it gets the tokens the
// requests will present, through the server like any client would.
func prepare(ctx context.Context, name string, c *client, n int) (*plan, error) {
	t := c.t
	switch name {
	case "client-credentials":
		body := []byte(url.Values{"grant_type": {"client_credentials"}}.Encode())
		return &plan{
			next:  vegeta.NewStaticTargeter(vegeta.Target{Method: "POST", URL: t.tokenURL(), Body: body, Header: t.formHeader()}),
			check: hasAccessToken,
		}, nil
	case "password":
		body := []byte(t.passwordForm().Encode())
		return &plan{
			next:  vegeta.NewStaticTargeter(vegeta.Target{Method: "POST", URL: t.tokenURL(), Body: body, Header: t.formHeader()}),
			check: hasAccessToken,
		}, nil
	case "refresh":
		return prepareRefresh(ctx, c, n)
	case "introspect":
		tokens, err := userTokens(ctx, c, min(n, 4))
		if err != nil {
			return nil, err
		}
		var tgts []vegeta.Target
		for _, tok := range tokens {
			body := url.Values{"token": {tok.AccessToken}, "token_type_hint": {"access_token"}}.Encode()
			tgts = append(tgts, vegeta.Target{Method: "POST", URL: t.introspectURL(), Body: []byte(body), Header: t.formHeader()})
		}
		return &plan{next: vegeta.NewStaticTargeter(tgts...), check: isActive}, nil
	case "userinfo":
		tokens, err := userTokens(ctx, c, min(n, 4))
		if err != nil {
			return nil, err
		}
		var tgts []vegeta.Target
		for _, tok := range tokens {
			h := http.Header{"Authorization": {"Bearer " + tok.AccessToken}, "Accept": {"application/json"}}
			tgts = append(tgts, vegeta.Target{Method: "GET", URL: t.userinfoURL(), Header: h})
		}
		return &plan{next: vegeta.NewStaticTargeter(tgts...), check: hasSubject}, nil
	case "jwks":
		h := http.Header{"Accept": {"application/json"}}
		return &plan{
			next:  vegeta.NewStaticTargeter(vegeta.Target{Method: "GET", URL: t.certsURL(), Header: h}),
			check: hasKeys,
		}, nil
	}
	return nil, fmt.Errorf("unknown scenario %q", name)
}

// userTokens signs the user in k times: k sessions, k token sets.
func userTokens(ctx context.Context, c *client, k int) ([]*tokenResponse, error) {
	out := make([]*tokenResponse, 0, k)
	for range k {
		tok, err := c.token(ctx, c.t.passwordForm())
		if err != nil {
			return nil, fmt.Errorf("sign in as %s: %w", c.t.Username, err)
		}
		out = append(out, tok)
	}
	return out, nil
}

func hasAccessToken(body []byte) error {
	var tr tokenResponse
	if err := json.Unmarshal(body, &tr); err != nil {
		return fmt.Errorf("token answer is not JSON: %w", err)
	}
	if tr.AccessToken == "" {
		return errors.New("token answer has no access_token")
	}
	return nil
}

func isActive(body []byte) error {
	var ir struct {
		Active bool `json:"active"`
	}
	if err := json.Unmarshal(body, &ir); err != nil {
		return fmt.Errorf("introspection answer is not JSON: %w", err)
	}
	if !ir.Active {
		return errors.New(`introspection says "active": false`)
	}
	return nil
}

func hasSubject(body []byte) error {
	var ui struct {
		Sub string `json:"sub"`
	}
	if err := json.Unmarshal(body, &ui); err != nil {
		return fmt.Errorf("userinfo answer is not JSON: %w", err)
	}
	if ui.Sub == "" {
		return errors.New("userinfo answer has no sub")
	}
	return nil
}

func hasKeys(body []byte) error {
	var jwks struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(body, &jwks); err != nil {
		return fmt.Errorf("JWKS is not JSON: %w", err)
	}
	if len(jwks.Keys) == 0 {
		return errors.New("JWKS has no keys")
	}
	return nil
}
