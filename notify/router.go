package notify

import (
	"context"
	"errors"
	"fmt"

	"iamd/iam"
)

// Router is the Sender the dispatcher uses: it picks the delivery for each
// message by channel and realm settings.
//
//   - e-mail: the realm's SMTP settings, else DefaultSMTP, else File;
//   - SMS: the realm's SMS settings, else DefaultSMS, else File.
//
// A nil SMTP or SMS sender is used as its zero value. Without a File
// outbox, a message with nowhere to go fails with a retryable error (an
// administrator may still configure a server). An unknown channel fails
// permanently.
type Router struct {
	SMTP *SMTP
	SMS  *SMSGateway
	File *FileOutbox

	// DefaultSMTP and DefaultSMS serve realms without their own settings.
	// Their PasswordEnc / TokenEnc are opened with the same Unseal as a
	// realm's, so seal a configured clear-text secret once at start.
	DefaultSMTP *iam.SMTPSettings
	DefaultSMS  *iam.SMSSettings
}

// Send delivers m by the route described on Router.
func (r *Router) Send(ctx context.Context, realm *iam.Realm, m *iam.Message) error {
	switch m.Channel {
	case iam.ChannelEmail:
		cfg := realm.Settings.SMTP
		if cfg == nil {
			cfg = r.DefaultSMTP
		}
		if cfg != nil {
			s := r.SMTP
			if s == nil {
				s = &SMTP{}
			}
			return s.Deliver(ctx, *cfg, m)
		}
	case iam.ChannelSMS:
		cfg := realm.Settings.SMS
		if cfg == nil {
			cfg = r.DefaultSMS
		}
		if cfg != nil {
			g := r.SMS
			if g == nil {
				g = &SMSGateway{}
			}
			return g.Deliver(ctx, *cfg, m)
		}
	default:
		return Permanent(fmt.Errorf("notify: unknown channel %q", m.Channel))
	}
	if r.File == nil {
		return errors.New("notify: no " + m.Channel + " delivery configured for realm " + realm.Name)
	}
	return r.File.Send(ctx, realm, m)
}
