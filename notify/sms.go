package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"iamd/iam"
)

// SMSGateway delivers SMS through an HTTP gateway described by
// iam.SMSSettings: it POSTs the JSON object
//
//	{"id": message id, "to": E.164 number, "text": ..., "from": Sender, "purpose": ...}
//
// ("from" omitted when Sender is empty) to URL, with
// "Authorization: Bearer <token>" when TokenEnc is set and
// "Idempotency-Key: <message id>" so a gateway can drop a retried copy.
// Redirects are not followed.
type SMSGateway struct {
	// Unseal opens SMSSettings.TokenEnc; nil means no sealed tokens are
	// configured, so settings with one fail.
	Unseal func([]byte) ([]byte, error)
	// Timeout bounds one request; 0 means 15s.
	Timeout time.Duration
	// Client sends the request; nil means a plain http.Client. Its
	// redirect policy is replaced by "do not follow".
	Client *http.Client
}

type smsRequest struct {
	ID      string `json:"id"`
	To      string `json:"to"`
	Text    string `json:"text"`
	From    string `json:"from,omitempty"`
	Purpose string `json:"purpose"`
}

// Send delivers m through realm.Settings.SMS; see Deliver.
func (g *SMSGateway) Send(ctx context.Context, realm *iam.Realm, m *iam.Message) error {
	if realm.Settings.SMS == nil {
		return errors.New("notify: realm has no SMS settings")
	}
	return g.Deliver(ctx, *realm.Settings.SMS, m)
}

// Deliver posts m to the gateway cfg. A 2xx answer means sent; 4xx
// (except 408 and 429) returns a PermanentError; any other status and
// network failures are retryable. The error never quotes the response
// body, which might echo the message text.
func (g *SMSGateway) Deliver(ctx context.Context, cfg iam.SMSSettings, m *iam.Message) error {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("notify: sms gateway url must be an absolute http(s) url")
	}
	body, err := json.Marshal(smsRequest{ID: m.ID, To: m.To, Text: m.Text, From: cfg.Sender, Purpose: m.Purpose})
	if err != nil {
		return err
	}
	timeout := g.Timeout
	if timeout <= 0 {
		timeout = 15 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "iamd")
	req.Header.Set("Idempotency-Key", m.ID)
	if len(cfg.TokenEnc) > 0 {
		if g.Unseal == nil {
			return errors.New("notify: sms token is sealed but no unseal function is configured")
		}
		token, err := g.Unseal(cfg.TokenEnc)
		if err != nil {
			return fmt.Errorf("notify: unseal sms token: %w", err)
		}
		req.Header.Set("Authorization", "Bearer "+string(token))
	}
	resp, err := g.client().Do(req)
	if err != nil {
		return fmt.Errorf("notify: sms gateway: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	switch c := resp.StatusCode; {
	case c >= 200 && c < 300:
		return nil
	case c >= 400 && c < 500 && c != http.StatusRequestTimeout && c != http.StatusTooManyRequests:
		return Permanent(fmt.Errorf("notify: sms gateway answered %s", resp.Status))
	default:
		return fmt.Errorf("notify: sms gateway answered %s", resp.Status)
	}
}

func (g *SMSGateway) client() *http.Client {
	c := http.Client{}
	if g.Client != nil {
		c = *g.Client
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}
