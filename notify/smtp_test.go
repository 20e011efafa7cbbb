package notify_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"iamd/iam"
	"iamd/notify"
)

func testMessage(to string) *iam.Message {
	now := time.Now().UTC()
	return &iam.Message{
		ID: iam.NewID(), RealmID: iam.NewID(), Channel: iam.ChannelEmail, To: to,
		Subject: "Your Acme sign-in code", Text: "Your code: 123456\n",
		Purpose: iam.PurposeSignIn, Code: "123456", CreatedAt: now, NextAttemptAt: now,
	}
}

func TestSMTPDeliversToMailpit(t *testing.T) {
	mp := startMailpit(t, 0)
	s := &notify.SMTP{Timeout: 10 * time.Second}
	cfg := iam.SMTPSettings{Host: "127.0.0.1", Port: mp.SMTPPort, From: "noreply@acme.test", FromName: "Acme Login", Security: "none"}
	m := testMessage("alice@example.com")

	if err := s.Deliver(context.Background(), cfg, m); err != nil {
		t.Fatalf("Deliver: %v", err)
	}
	got := mp.Only(t)
	if len(got.To) != 1 || got.To[0].Address != "alice@example.com" {
		t.Errorf("To = %+v, want alice@example.com", got.To)
	}
	if got.From.Address != "noreply@acme.test" || got.From.Name != "Acme Login" {
		t.Errorf("From = %+v", got.From)
	}
	if got.Subject != m.Subject {
		t.Errorf("Subject = %q, want %q", got.Subject, m.Subject)
	}
	if strings.TrimSpace(got.Text) != strings.TrimSpace(m.Text) {
		t.Errorf("Text = %q, want %q", got.Text, m.Text)
	}
	if got.MessageID != m.ID+"@iamd" {
		t.Errorf("MessageID = %q, want %q", got.MessageID, m.ID+"@iamd")
	}
}

func TestSMTPAuthUsesUnsealedPassword(t *testing.T) {
	pwfile := filepath.Join(t.TempDir(), "smtp-users")
	if err := os.WriteFile(pwfile, []byte("mailer:s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	mp := startMailpit(t, 0, "--smtp-auth-file", pwfile, "--smtp-auth-allow-insecure")
	s := &notify.SMTP{Timeout: 10 * time.Second, Unseal: unseal}
	cfg := iam.SMTPSettings{Host: "127.0.0.1", Port: mp.SMTPPort, From: "noreply@acme.test", Security: "none", User: "mailer"}

	cfg.PasswordEnc = []byte("sealed:wrong")
	err := s.Deliver(context.Background(), cfg, testMessage("bob@example.com"))
	if err == nil || notify.IsPermanent(err) {
		t.Fatalf("wrong password: err = %v, want a retryable error", err)
	}
	if strings.Contains(err.Error(), "wrong") {
		t.Errorf("error leaks the password: %v", err)
	}

	cfg.PasswordEnc = []byte("sealed:s3cret")
	if err := s.Deliver(context.Background(), cfg, testMessage("bob@example.com")); err != nil {
		t.Fatalf("right password: %v", err)
	}
	if got := mp.Only(t); got.To[0].Address != "bob@example.com" {
		t.Errorf("To = %+v", got.To)
	}

	if err := (&notify.SMTP{}).Deliver(context.Background(), cfg, testMessage("bob@example.com")); err == nil {
		t.Error("a sealed password without Unseal was accepted")
	}
}

func TestSMTPRejectedRecipientIsPermanent(t *testing.T) {
	mp := startMailpit(t, 0, "--smtp-allowed-recipients", `@example\.com$`)
	s := &notify.SMTP{Timeout: 10 * time.Second}
	cfg := iam.SMTPSettings{Host: "127.0.0.1", Port: mp.SMTPPort, From: "noreply@acme.test", Security: "none"}

	err := s.Deliver(context.Background(), cfg, testMessage("eve@elsewhere.test"))
	if !notify.IsPermanent(err) {
		t.Fatalf("rejected recipient: err = %v, want permanent", err)
	}
	err = s.Deliver(context.Background(), cfg, testMessage("not an address"))
	if !notify.IsPermanent(err) {
		t.Fatalf("malformed address: err = %v, want permanent", err)
	}
	if n := len(mp.Messages(t)); n != 0 {
		t.Fatalf("mailpit holds %d messages, want 0", n)
	}
}

func TestSMTPNoServerIsRetryable(t *testing.T) {
	s := &notify.SMTP{Timeout: 5 * time.Second}
	cfg := iam.SMTPSettings{Host: "127.0.0.1", Port: freePort(t), From: "noreply@acme.test", Security: "none"}
	err := s.Deliver(context.Background(), cfg, testMessage("alice@example.com"))
	if err == nil || notify.IsPermanent(err) {
		t.Fatalf("err = %v, want a retryable error", err)
	}
}

func TestSMTPTLS(t *testing.T) {
	certFile, keyFile, pool := selfSignedCert(t)
	for _, tc := range []struct {
		security string
		flag     string
	}{
		{"starttls", "--smtp-require-starttls"},
		{"tls", "--smtp-require-tls"},
	} {
		t.Run(tc.security, func(t *testing.T) {
			mp := startMailpit(t, 0, "--smtp-tls-cert", certFile, "--smtp-tls-key", keyFile, tc.flag)
			cfg := iam.SMTPSettings{Host: "127.0.0.1", Port: mp.SMTPPort, From: "noreply@acme.test", Security: tc.security}

			untrusting := &notify.SMTP{Timeout: 10 * time.Second}
			if err := untrusting.Deliver(context.Background(), cfg, testMessage("carol@example.com")); err == nil || notify.IsPermanent(err) {
				t.Fatalf("untrusted certificate: err = %v, want a retryable error", err)
			}

			cleartext := cfg
			cleartext.Security = "none"
			// Against implicit TLS the clear-text client waits for a greeting
			// that never comes, so keep its timeout short.
			if err := (&notify.SMTP{Timeout: time.Second}).Deliver(context.Background(), cleartext, testMessage("carol@example.com")); err == nil {
				t.Fatal("server requiring TLS accepted a clear-text delivery")
			}

			trusting := &notify.SMTP{Timeout: 10 * time.Second, RootCAs: pool}
			m := testMessage("carol@example.com")
			if err := trusting.Deliver(context.Background(), cfg, m); err != nil {
				t.Fatalf("Deliver: %v", err)
			}
			got := mp.Only(t)
			if got.To[0].Address != "carol@example.com" || got.Subject != m.Subject {
				t.Errorf("got To %+v Subject %q", got.To, got.Subject)
			}
		})
	}
}

// selfSignedCert writes a certificate for 127.0.0.1 and localhost and
// returns its files and a pool trusting it.
func selfSignedCert(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "iamd test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}
