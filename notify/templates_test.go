package notify_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"iamd/iam"
	"iamd/notify"
)

var purposes = []string{
	iam.PurposeSignIn, iam.PurposeVerifyEmail, iam.PurposeVerifyPhone, iam.PurposeResetPass,
	iam.PurposeMagicLink, iam.PurposeMFA, iam.PurposeEmailChange, iam.PurposeSignup,
	iam.PurposeInvitation, iam.PurposeAccountMerge,
}

func TestEmbeddedTemplatesCarryTheSecret(t *testing.T) {
	tpl := &notify.Templates{}
	for _, p := range purposes {
		for _, ch := range []string{iam.ChannelEmail, iam.ChannelSMS} {
			data := notify.TemplateData{Realm: "Acme", Code: "493817", Username: "alice", ExpiresInMinutes: 10}
			if p == iam.PurposeMagicLink || p == iam.PurposeInvitation {
				data = notify.TemplateData{Realm: "Acme", Link: "https://id.acme.test/x?token=Zq9", ExpiresInMinutes: 10}
			}
			subject, text, err := tpl.Render("acme", p, ch, data)
			if err != nil {
				t.Fatalf("%s.%s: %v", p, ch, err)
			}
			secret := data.Code + data.Link
			if !strings.Contains(text, secret) {
				t.Errorf("%s.%s: text %q lacks %q", p, ch, text, secret)
			}
			if !strings.Contains(text, "Acme") || strings.Contains(text, "<no value>") {
				t.Errorf("%s.%s: text %q", p, ch, text)
			}
			if ch == iam.ChannelEmail && (!strings.Contains(subject, "Acme") || strings.Contains(subject, "\n")) {
				t.Errorf("%s.%s: subject %q", p, ch, subject)
			}
			if ch == iam.ChannelSMS && (subject != "" || len(text) > 160) {
				t.Errorf("%s.%s: subject %q, text %d chars", p, ch, subject, len(text))
			}
		}
	}
}

func TestTemplateOverrides(t *testing.T) {
	dir := t.TempDir()
	write := func(path, content string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(dir, "sign_in.email.txt"), "Subject: global {{.Code}}\r\n\r\nglobal body {{.Code}}\r\n")
	write(filepath.Join(dir, "acme", "sign_in.email.txt"), "Subject: acme {{.Code}}\n\nacme body {{.Code}} for {{.Username}}\n")
	tpl := &notify.Templates{Dir: dir}
	data := notify.TemplateData{Realm: "Acme", Code: "111222", Username: "alice"}

	for _, tc := range []struct {
		realm, purpose, subject, text string
	}{
		{"acme", "sign_in", "acme 111222", "acme body 111222 for alice\n"},  // per-realm override
		{"other", "sign_in", "global 111222", "global body 111222\n"},       // global override
		{"acme", "mfa", "Your Acme verification code", "Your code: 111222"}, // embedded default
	} {
		subject, text, err := tpl.Render(tc.realm, tc.purpose, iam.ChannelEmail, data)
		if err != nil {
			t.Fatalf("%s/%s: %v", tc.realm, tc.purpose, err)
		}
		if subject != tc.subject || !strings.Contains(text, tc.text) {
			t.Errorf("%s/%s: got %q / %q, want %q / containing %q", tc.realm, tc.purpose, subject, text, tc.subject, tc.text)
		}
	}

	if _, _, err := tpl.Render("acme", "no_such_purpose", iam.ChannelEmail, data); !errors.Is(err, notify.ErrNoTemplate) {
		t.Errorf("missing template: err = %v, want ErrNoTemplate", err)
	}
	if _, _, err := tpl.Render("acme", "../../etc/passwd", iam.ChannelEmail, data); err == nil {
		t.Error("a path in the purpose was accepted")
	}
	write(filepath.Join(dir, "broken", "mfa.email.txt"), "no subject line\n")
	if _, _, err := tpl.Render("broken", "mfa", iam.ChannelEmail, data); err == nil {
		t.Error("an e-mail template without a Subject line was accepted")
	}
}

func TestTemplatesMessage(t *testing.T) {
	at := time.Date(2026, 3, 4, 5, 6, 7, 8, time.UTC)
	tpl := &notify.Templates{Now: func() time.Time { return at }}
	realm := &iam.Realm{ID: iam.NewID(), Name: "acme", DisplayName: "Acme Corp"}
	m, err := tpl.Message(realm, iam.ChannelSMS, "+4915112345678", iam.PurposeVerifyPhone,
		notify.TemplateData{Code: "555666", ExpiresInMinutes: 5})
	if err != nil {
		t.Fatal(err)
	}
	if !iam.ValidID(m.ID) || m.RealmID != realm.ID || m.Channel != iam.ChannelSMS || m.To != "+4915112345678" ||
		m.Purpose != iam.PurposeVerifyPhone || m.Code != "555666" || m.Link != "" ||
		!m.CreatedAt.Equal(at) || !m.NextAttemptAt.Equal(at) {
		t.Errorf("message = %+v", m)
	}
	if want := "Your Acme Corp phone verification code is 555666. It expires in 5 minutes."; m.Text != want {
		t.Errorf("Text = %q, want %q", m.Text, want)
	}
}
