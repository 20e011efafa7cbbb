package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"github.com/wneessen/go-mail"

	"iamd/iam"
)

// SMTP delivers e-mail through a mail server described by
// iam.SMTPSettings: one connection per message, closed after it.
//
// Security "tls" is implicit TLS (default port 465), "starttls" or ""
// requires STARTTLS (default port 587), "none" sends in clear (default port
// 25). With a User, the password is PasswordEnc opened with Unseal; over an
// unencrypted connection only a challenge mechanism or, if the server
// offers nothing else, PLAIN/LOGIN in clear is used.
type SMTP struct {
	// Unseal opens SMTPSettings.PasswordEnc; nil means no sealed
	// passwords are configured, so settings with one fail.
	Unseal func([]byte) ([]byte, error)
	// Timeout bounds one delivery (connect, TLS, auth, send); 0 means 30s.
	Timeout time.Duration
	// RootCAs verifies the server certificate; nil means the system pool.
	RootCAs *x509.CertPool
	// HELO is the name announced to the server; "" means the host name.
	HELO string
}

// Send delivers m through realm.Settings.SMTP; see Deliver.
func (s *SMTP) Send(ctx context.Context, realm *iam.Realm, m *iam.Message) error {
	if realm.Settings.SMTP == nil {
		return errors.New("notify: realm has no SMTP settings")
	}
	return s.Deliver(ctx, *realm.Settings.SMTP, m)
}

// Deliver sends m (To, Subject, Text and, if set, HTML as an alternative)
// through the server cfg. Its Message-ID is derived from m.ID, so a
// receiver can tell a retried copy from a new message. A malformed
// address or a 5xx rejection of the recipient or of the content returns a
// PermanentError; connection, TLS, authentication and 4xx failures are
// retryable.
func (s *SMTP) Deliver(ctx context.Context, cfg iam.SMTPSettings, m *iam.Message) error {
	msg, err := s.compose(cfg, m)
	if err != nil {
		return err
	}
	client, err := s.client(cfg)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout())
	defer cancel()
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return classifySMTP(err)
	}
	return nil
}

func (s *SMTP) timeout() time.Duration {
	if s.Timeout <= 0 {
		return 30 * time.Second
	}
	return s.Timeout
}

func (s *SMTP) compose(cfg iam.SMTPSettings, m *iam.Message) (*mail.Msg, error) {
	msg := mail.NewMsg()
	var err error
	if cfg.FromName != "" {
		err = msg.FromFormat(cfg.FromName, cfg.From)
	} else {
		err = msg.From(cfg.From)
	}
	if err != nil {
		return nil, fmt.Errorf("notify: smtp from address: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, Permanent(fmt.Errorf("notify: smtp recipient: %w", err))
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(m.ID + "@iamd")
	msg.SetDate()
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetUserAgent("iamd")
	msg.SetBodyString(mail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}

func (s *SMTP) client(cfg iam.SMTPSettings) (*mail.Client, error) {
	if cfg.Host == "" {
		return nil, errors.New("notify: smtp host not set")
	}
	port := cfg.Port
	opts := []mail.Option{
		mail.WithTimeout(s.timeout()),
		mail.WithTLSConfig(&tls.Config{ServerName: cfg.Host, RootCAs: s.RootCAs, MinVersion: tls.VersionTLS12}),
	}
	encrypted := true
	switch cfg.Security {
	case "tls":
		opts = append(opts, mail.WithSSL())
		if port == 0 {
			port = 465
		}
	case "", "starttls":
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
		if port == 0 {
			port = 587
		}
	case "none":
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
		encrypted = false
		if port == 0 {
			port = 25
		}
	default:
		return nil, fmt.Errorf("notify: unknown smtp security %q", cfg.Security)
	}
	opts = append(opts, mail.WithPort(port))
	if s.HELO != "" {
		opts = append(opts, mail.WithHELO(s.HELO))
	}
	if cfg.User != "" {
		password, err := s.password(cfg)
		if err != nil {
			return nil, err
		}
		opts = append(opts, mail.WithUsername(cfg.User), mail.WithPassword(password))
		if encrypted {
			opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover))
		} else {
			opts = append(opts, mail.WithOpportunisticSMTPAuth(
				mail.SMTPAuthSCRAMSHA256, mail.SMTPAuthSCRAMSHA1, mail.SMTPAuthCramMD5,
				mail.SMTPAuthPlainNoEnc, mail.SMTPAuthLoginNoEnc))
		}
	}
	c, err := mail.NewClient(cfg.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("notify: smtp client: %w", err)
	}
	return c, nil
}

func (s *SMTP) password(cfg iam.SMTPSettings) (string, error) {
	if len(cfg.PasswordEnc) == 0 {
		return "", nil
	}
	if s.Unseal == nil {
		return "", errors.New("notify: smtp password is sealed but no unseal function is configured")
	}
	p, err := s.Unseal(cfg.PasswordEnc)
	if err != nil {
		return "", fmt.Errorf("notify: unseal smtp password: %w", err)
	}
	return string(p), nil
}

// classifySMTP marks 5xx rejections of the recipient or of the message
// as permanent. A 5xx to MAIL FROM or AUTH is left retryable: it is the
// realm's configuration, which an administrator can still fix.
func classifySMTP(err error) error {
	var se *mail.SendError
	if !errors.As(err, &se) {
		return fmt.Errorf("notify: smtp: %w", err)
	}
	code := se.ErrorCode()
	switch se.Reason {
	case mail.ErrSMTPRcptTo, mail.ErrSMTPData, mail.ErrSMTPDataClose, mail.ErrWriteContent:
		if code >= 500 && code < 600 {
			return Permanent(fmt.Errorf("notify: smtp: %w", err))
		}
	}
	return fmt.Errorf("notify: smtp: %w", err)
}
