package notify_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync"
	"testing"

	"iamd/iam"
	"iamd/notify"
)

// smsGateway is an httptest SMS gateway answering with status and
// recording what it received.
type smsGateway struct {
	*httptest.Server
	mu       sync.Mutex
	status   int
	requests []smsReceived
}

type smsReceived struct {
	Auth, Idempotency, ContentType string
	Body                           map[string]any
}

func newSMSGateway(t *testing.T) *smsGateway {
	g := &smsGateway{status: http.StatusAccepted}
	g.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		g.mu.Lock()
		defer g.mu.Unlock()
		if r.Method != http.MethodPost {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		g.requests = append(g.requests, smsReceived{r.Header.Get("Authorization"), r.Header.Get("Idempotency-Key"), r.Header.Get("Content-Type"), body})
		w.WriteHeader(g.status)
	}))
	t.Cleanup(g.Close)
	return g
}

func (g *smsGateway) answer(status int) {
	g.mu.Lock()
	g.status = status
	g.mu.Unlock()
}

func (g *smsGateway) received() []smsReceived {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]smsReceived(nil), g.requests...)
}

func smsMessage() *iam.Message {
	return &iam.Message{ID: iam.NewID(), Channel: iam.ChannelSMS, To: "+4915112345678",
		Text: "Your code is 123456", Purpose: iam.PurposeSignIn, Code: "123456"}
}

func TestSMSGatewayRequest(t *testing.T) {
	gw := newSMSGateway(t)
	g := &notify.SMSGateway{Unseal: unseal}
	cfg := iam.SMSSettings{URL: gw.URL + "/send", TokenEnc: []byte("sealed:tok-123"), Sender: "ACME"}
	m := smsMessage()
	if err := g.Deliver(context.Background(), cfg, m); err != nil {
		t.Fatal(err)
	}
	reqs := gw.received()
	if len(reqs) != 1 {
		t.Fatalf("gateway got %d requests", len(reqs))
	}
	r := reqs[0]
	if r.Auth != "Bearer tok-123" || r.Idempotency != m.ID || r.ContentType != "application/json" {
		t.Errorf("headers = %+v", r)
	}
	want := map[string]any{"id": m.ID, "to": "+4915112345678", "text": "Your code is 123456", "from": "ACME", "purpose": "sign_in"}
	if !reflect.DeepEqual(r.Body, want) {
		t.Errorf("body = %v\nwant   %v", r.Body, want)
	}

	cfg.TokenEnc, cfg.Sender = nil, ""
	if err := g.Deliver(context.Background(), cfg, m); err != nil {
		t.Fatal(err)
	}
	r = gw.received()[1]
	if _, ok := r.Body["from"]; ok || r.Auth != "" {
		t.Errorf("without sender and token: auth %q body %v", r.Auth, r.Body)
	}
}

func TestSMSGatewayStatusClasses(t *testing.T) {
	gw := newSMSGateway(t)
	g := &notify.SMSGateway{}
	cfg := iam.SMSSettings{URL: gw.URL}
	for _, tc := range []struct {
		status        int
		ok, permanent bool
	}{
		{200, true, false},
		{204, true, false},
		{400, false, true},
		{401, false, true},
		{429, false, false},
		{500, false, false},
		{503, false, false},
		{302, false, false},
	} {
		gw.answer(tc.status)
		err := g.Deliver(context.Background(), cfg, smsMessage())
		if (err == nil) != tc.ok || notify.IsPermanent(err) != tc.permanent {
			t.Errorf("status %d: err = %v, want ok=%v permanent=%v", tc.status, err, tc.ok, tc.permanent)
		}
	}
	gw.Close()
	if err := g.Deliver(context.Background(), cfg, smsMessage()); err == nil || notify.IsPermanent(err) {
		t.Errorf("gateway down: err = %v, want retryable", err)
	}
}
