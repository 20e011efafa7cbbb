package notify_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"iamd/iam"
	"iamd/notify"
	"iamd/store"
	"iamd/store/sqlstore/sqlite"
)

// clock is a settable time source for a dispatcher.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Now().UTC()} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// outboxFixture is a real SQLite store with one realm.
type outboxFixture struct {
	store store.Store
	realm *iam.Realm
	tpl   *notify.Templates
	clock *clock
}

func newOutboxFixture(t *testing.T, settings iam.RealmSettings) *outboxFixture {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "iamd.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	realm := &iam.Realm{ID: iam.NewID(), Name: "acme", DisplayName: "Acme", Enabled: true,
		Settings: settings, CreatedAt: now, UpdatedAt: now}
	if err := st.Realms().Create(ctx, realm); err != nil {
		t.Fatal(err)
	}
	c := newClock()
	return &outboxFixture{store: st, realm: realm, tpl: &notify.Templates{Now: c.Now}, clock: c}
}

func (f *outboxFixture) dispatcher(send notify.Sender) *notify.Dispatcher {
	return &notify.Dispatcher{
		Store: f.store, Send: send, Now: f.clock.Now,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
}

func (f *outboxFixture) enqueue(t *testing.T, channel, to, purpose string, data notify.TemplateData) *iam.Message {
	t.Helper()
	m, err := f.tpl.Message(f.realm, channel, to, purpose, data)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.Realm(f.realm.ID).Messages().Enqueue(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	return m
}

func (f *outboxFixture) get(t *testing.T, id string) *iam.Message {
	t.Helper()
	m, err := f.store.Realm(f.realm.ID).Messages().Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func drain(t *testing.T, d *notify.Dispatcher, wantSent int) {
	t.Helper()
	sent, err := d.DrainOnce(context.Background())
	if err != nil {
		t.Fatalf("DrainOnce: %v", err)
	}
	if sent != wantSent {
		t.Fatalf("DrainOnce sent %d, want %d", sent, wantSent)
	}
}

func pending(t *testing.T, d *notify.Dispatcher) int {
	t.Helper()
	n, err := d.Pending(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestMessageSurvivesSMTPOutage(t *testing.T) {
	mailpitBinary(t)    // skip early without mailpit
	port := freePort(t) // nothing listens here yet
	f := newOutboxFixture(t, iam.RealmSettings{SMTP: &iam.SMTPSettings{
		Host: "127.0.0.1", Port: port, From: "noreply@acme.test", Security: "none"}})
	d := f.dispatcher(&notify.Router{SMTP: &notify.SMTP{Timeout: 5 * time.Second}})
	m := f.enqueue(t, iam.ChannelEmail, "alice@example.com", iam.PurposeSignIn,
		notify.TemplateData{Code: "428913", Username: "alice", ExpiresInMinutes: 10})

	drain(t, d, 0)
	got := f.get(t, m.ID)
	if got.Attempts != 1 || got.LastError == "" || got.SentAt != nil || got.FailedAt != nil {
		t.Fatalf("after a failed attempt: %+v", got)
	}
	if !got.NextAttemptAt.After(f.clock.Now()) {
		t.Fatalf("next attempt %v is not after now %v", got.NextAttemptAt, f.clock.Now())
	}
	if strings.Contains(got.LastError, "428913") {
		t.Errorf("LastError leaks the code: %q", got.LastError)
	}
	if n := pending(t, d); n != 1 {
		t.Fatalf("Pending = %d, want 1", n)
	}
	drain(t, d, 0) // not due yet: no new attempt
	if got := f.get(t, m.ID); got.Attempts != 1 {
		t.Fatalf("a message in backoff was retried: attempts %d", got.Attempts)
	}

	mp := startMailpit(t, port)
	f.clock.Advance(3 * time.Second) // past DefaultBackoff(1) <= 2s
	drain(t, d, 1)
	drain(t, d, 0)

	recv := mp.Only(t)
	if recv.To[0].Address != "alice@example.com" || recv.Subject != m.Subject ||
		strings.ReplaceAll(recv.Text, "\r\n", "\n") != m.Text || !strings.Contains(recv.Text, "428913") {
		t.Errorf("received To %+v Subject %q Text %q; want %q / %q", recv.To, recv.Subject, recv.Text, m.Subject, m.Text)
	}
	if n := pending(t, d); n != 0 {
		t.Fatalf("Pending = %d, want 0", n)
	}
	if got := f.get(t, m.ID); got.SentAt == nil || got.Code != "" || got.Text != "" {
		t.Errorf("after delivery: SentAt %v Code %q Text %q", got.SentAt, got.Code, got.Text)
	}
}

func TestSMSRetriedOn5xxGivenUpOn4xx(t *testing.T) {
	gw := newSMSGateway(t)
	f := newOutboxFixture(t, iam.RealmSettings{SMS: &iam.SMSSettings{URL: gw.URL, Sender: "ACME"}})
	d := f.dispatcher(&notify.Router{})
	m := f.enqueue(t, iam.ChannelSMS, "+4915112345678", iam.PurposeVerifyPhone, notify.TemplateData{Code: "777111"})

	gw.answer(http.StatusInternalServerError)
	drain(t, d, 0)
	if got := f.get(t, m.ID); got.Attempts != 1 || got.FailedAt != nil || !strings.Contains(got.LastError, "500") {
		t.Fatalf("after 500: attempts %d failed %v error %q", got.Attempts, got.FailedAt, got.LastError)
	}
	if n := pending(t, d); n != 1 {
		t.Fatalf("Pending = %d after 500, want 1", n)
	}

	gw.answer(http.StatusBadRequest)
	f.clock.Advance(3 * time.Second)
	drain(t, d, 0)
	got := f.get(t, m.ID)
	if got.Attempts != 2 || got.FailedAt == nil || !strings.Contains(got.LastError, "400") {
		t.Fatalf("after 400: attempts %d failed %v error %q", got.Attempts, got.FailedAt, got.LastError)
	}
	if n := pending(t, d); n != 0 {
		t.Fatalf("Pending = %d after 400, want 0", n)
	}
	f.clock.Advance(time.Hour)
	drain(t, d, 0)
	if n := len(gw.received()); n != 2 {
		t.Errorf("gateway got %d requests, want 2 (a given-up message is not retried)", n)
	}
	if body := gw.received()[0].Body; body["id"] != m.ID || body["text"] != m.Text || body["from"] != "ACME" {
		t.Errorf("gateway body = %v", body)
	}
}

func TestGivenUpAfterMaxAttempts(t *testing.T) {
	gw := newSMSGateway(t)
	gw.answer(http.StatusServiceUnavailable)
	f := newOutboxFixture(t, iam.RealmSettings{SMS: &iam.SMSSettings{URL: gw.URL}})
	d := f.dispatcher(&notify.Router{})
	d.MaxAttempts = 3
	d.Backoff = func(int) time.Duration { return time.Minute }
	m := f.enqueue(t, iam.ChannelSMS, "+4915112345678", iam.PurposeMFA, notify.TemplateData{Code: "1"})
	for i := 1; i <= 4; i++ {
		drain(t, d, 0)
		f.clock.Advance(2 * time.Minute)
	}
	got := f.get(t, m.ID)
	if got.Attempts != 3 || got.FailedAt == nil {
		t.Fatalf("attempts %d failed %v, want 3 and failed", got.Attempts, got.FailedAt)
	}
	if n := len(gw.received()); n != 3 {
		t.Errorf("gateway got %d requests, want 3", n)
	}
}

func TestRealmWithoutServersUsesFileOutbox(t *testing.T) {
	f := newOutboxFixture(t, iam.RealmSettings{})
	dir := filepath.Join(t.TempDir(), "outbox")
	d := f.dispatcher(&notify.Router{File: &notify.FileOutbox{Dir: dir}})
	e := f.enqueue(t, iam.ChannelEmail, "alice@example.com", iam.PurposeResetPass,
		notify.TemplateData{Link: "https://id.acme.test/reset?t=abc"})
	s := f.enqueue(t, iam.ChannelSMS, "+4915112345678", iam.PurposeSignIn, notify.TemplateData{Code: "246810"})
	drain(t, d, 2)
	for _, m := range []*iam.Message{e, s} {
		files, _ := filepath.Glob(filepath.Join(dir, "*-"+m.ID+".json"))
		if len(files) != 1 {
			t.Errorf("%s: files %v, want one", m.Channel, files)
		}
	}
	if n := pending(t, d); n != 0 {
		t.Fatalf("Pending = %d, want 0", n)
	}
}

func TestKickWakesRun(t *testing.T) {
	f := newOutboxFixture(t, iam.RealmSettings{})
	dir := filepath.Join(t.TempDir(), "outbox")
	d := f.dispatcher(&notify.Router{File: &notify.FileOutbox{Dir: dir}})
	d.Now = nil // real time: Run polls with it
	d.Interval = time.Hour
	backlog := make(chan int, 16)
	d.Backlog = func(n int) { backlog <- n }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}()

	waitBacklog := func(want int) {
		t.Helper()
		for {
			select {
			case n := <-backlog:
				if n == want {
					return
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("no pass reported backlog %d", want)
			}
		}
	}
	waitBacklog(0) // the first pass runs at start
	m := f.enqueue(t, iam.ChannelSMS, "+4915112345678", iam.PurposeSignIn, notify.TemplateData{Code: "13579"})
	d.Kick()
	waitBacklog(0)
	if _, err := os.Stat(dir); err != nil {
		t.Fatal(err)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*-"+m.ID+".json")); len(files) != 1 {
		t.Fatalf("kicked message not delivered: %v", files)
	}
}
