package social

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"golang.org/x/oauth2"

	"iamd/iam"
)

// oauth2Connector is an OAuth 2.0 provider with a userinfo URL: it
// exchanges codes only.
type oauth2Connector struct {
	cfg    *iam.SocialProvider
	secret string
	client *http.Client
}

func (c *oauth2Connector) Config() *iam.SocialProvider { return c.cfg }

// ExchangeCode implements CodeExchanger.
func (c *oauth2Connector) ExchangeCode(ctx context.Context, code, redirectURL string) (*Identity, error) {
	tok, err := exchange(ctx, c.client, c.cfg, c.secret, c.cfg.TokenURL, code, redirectURL)
	if err != nil {
		return nil, err
	}
	claims, err := userinfo(ctx, c.client, c.cfg, c.cfg.UserinfoURL, tok.AccessToken)
	if err != nil {
		return nil, err
	}
	return identityOf(claims, c.cfg)
}

// exchange trades code at tokenURL as client cfg.ClientID. The provider
// refusing it (4xx: a used, expired or foreign code, a wrong redirect_uri)
// is CodeUnauthorized; anything else CodeUnavailable.
func exchange(ctx context.Context, client *http.Client, cfg *iam.SocialProvider, secret, tokenURL, code, redirectURL string) (*oauth2.Token, error) {
	if redirectURL == "" {
		redirectURL = cfg.RedirectURL
	}
	conf := &oauth2.Config{
		ClientID: cfg.ClientID, ClientSecret: secret, RedirectURL: redirectURL,
		Endpoint: oauth2.Endpoint{TokenURL: tokenURL},
	}
	tok, err := conf.Exchange(context.WithValue(ctx, oauth2.HTTPClient, client), code)
	var re *oauth2.RetrieveError
	switch {
	case errors.As(err, &re) && re.Response != nil && re.Response.StatusCode >= 400 && re.Response.StatusCode < 500:
		return nil, unauthorized(err, "the provider %s refused the authorization code (%s)", cfg.Name, oauthCode(re))
	case err != nil:
		return nil, unavailable(err, "the provider %s could not exchange the authorization code", cfg.Name)
	case tok.AccessToken == "":
		return nil, unauthorized(nil, "the provider %s returned no access token", cfg.Name)
	}
	return tok, nil
}

func oauthCode(re *oauth2.RetrieveError) string {
	if re.ErrorCode != "" {
		return re.ErrorCode
	}
	return re.Response.Status
}

// maxUserinfo bounds a userinfo answer.
const maxUserinfo = 1 << 20

// userinfo reads the claims of the user of accessToken at endpoint.
func userinfo(ctx context.Context, client *http.Client, cfg *iam.SocialProvider, endpoint, accessToken string) (map[string]any, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
	if err != nil {
		return nil, unavailable(err, "the provider %s has an unusable userinfo URL", cfg.Name)
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Accept", "application/json")
	res, err := client.Do(req)
	if err != nil {
		return nil, unavailable(err, "the provider %s could not be reached", cfg.Name)
	}
	defer res.Body.Close()
	switch {
	case res.StatusCode == http.StatusUnauthorized || res.StatusCode == http.StatusForbidden:
		return nil, unauthorized(fmt.Errorf("userinfo: %s", res.Status), "the provider %s refused the access token", cfg.Name)
	case res.StatusCode != http.StatusOK:
		return nil, unavailable(fmt.Errorf("userinfo: %s", res.Status), "the provider %s failed to describe the user", cfg.Name)
	}
	if ct := res.Header.Get("Content-Type"); ct != "" && !strings.Contains(ct, "json") {
		// A signed (JWT) userinfo answer would need the provider's keys;
		// ask the provider for JSON instead.
		return nil, unavailable(fmt.Errorf("userinfo: content type %q", ct), "the provider %s did not answer userinfo as JSON", cfg.Name)
	}
	dec := json.NewDecoder(io.LimitReader(res.Body, maxUserinfo))
	dec.UseNumber()
	var claims map[string]any
	if err := dec.Decode(&claims); err != nil {
		return nil, unavailable(err, "the provider %s answered userinfo with something other than a JSON object", cfg.Name)
	}
	return claims, nil
}
