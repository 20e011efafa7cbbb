package notify_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"iamd/iam"
	"iamd/notify"
)

func TestFileOutboxWritesOneJSONFilePerMessage(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "outbox")
	f := &notify.FileOutbox{Dir: dir}
	realm := &iam.Realm{ID: iam.NewID(), Name: "acme"}
	m := &iam.Message{
		ID: "5b0c5f2e-7c57-4e38-9d0e-0d3c0b1c9a11", RealmID: realm.ID, Channel: iam.ChannelEmail,
		To: "alice@example.com", Subject: "Your code", Text: "Code: 123456\n", HTML: "<p>ignored</p>",
		Purpose: iam.PurposeSignIn, Code: "123456",
		CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 60708090, time.FixedZone("CET", 3600)),
	}
	for range 2 { // a retry overwrites, never duplicates
		if err := f.Send(context.Background(), realm, m); err != nil {
			t.Fatal(err)
		}
	}

	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	wantName := "20260102T020405.060708090Z-5b0c5f2e-7c57-4e38-9d0e-0d3c0b1c9a11.json"
	if len(entries) != 1 || entries[0].Name() != wantName {
		t.Fatalf("files = %v, want exactly %s", entries, wantName)
	}
	if st, _ := os.Stat(dir); st.Mode().Perm() != 0o700 {
		t.Errorf("dir mode = %v, want 0700", st.Mode().Perm())
	}
	if st, _ := os.Stat(filepath.Join(dir, wantName)); st.Mode().Perm() != 0o600 {
		t.Errorf("file mode = %v, want 0600", st.Mode().Perm())
	}
	b, err := os.ReadFile(filepath.Join(dir, wantName))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"id": m.ID, "realm": "acme", "channel": "email", "to": "alice@example.com",
		"subject": "Your code", "text": "Code: 123456\n", "purpose": "sign_in", "code": "123456",
		"created_at": "2026-01-02T02:04:05.060708090Z",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("file = %v\nwant   %v", got, want)
	}
	if ts, err := time.Parse(time.RFC3339Nano, got["created_at"].(string)); err != nil || !ts.Equal(m.CreatedAt) {
		t.Errorf("created_at %v does not parse back to %v: %v", got["created_at"], m.CreatedAt, err)
	}

	// An SMS with a link and no code.
	sms := &iam.Message{ID: iam.NewID(), Channel: iam.ChannelSMS, To: "+4915112345678", Text: "Open https://x.test/m?t=1",
		Purpose: iam.PurposeMagicLink, Link: "https://x.test/m?t=1", CreatedAt: time.Now()}
	if err := f.Send(context.Background(), realm, sms); err != nil {
		t.Fatal(err)
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "*-"+sms.ID+".json"))
	if len(matches) != 1 {
		t.Fatalf("sms files = %v", matches)
	}
	b, _ = os.ReadFile(matches[0])
	got = nil
	_ = json.Unmarshal(b, &got)
	if _, ok := got["code"]; ok || got["link"] != sms.Link || got["subject"] != "" {
		t.Errorf("sms file = %v", got)
	}

	if err := f.Send(context.Background(), realm, &iam.Message{ID: "../escape"}); !notify.IsPermanent(err) {
		t.Errorf("id with a path: err = %v, want permanent", err)
	}
}
