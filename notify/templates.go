package notify

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"text/template"
	"time"

	"iamd/iam"
)

//go:embed templates/*.txt
var defaultTemplates embed.FS

// ErrNoTemplate is returned (wrapped) when no override and no embedded
// default exists for a purpose and channel.
var ErrNoTemplate = errors.New("notify: no template")

// TemplateData is what a template sees. Code and Link are the secret the
// message carries; the rest is context. Fields left empty render as empty.
type TemplateData struct {
	Realm            string // the realm's display name; Message fills it from the realm when empty
	Code             string // one-time code, if any
	Link             string // verification, reset, magic or invitation link, if any
	Username         string
	ExpiresInMinutes int
	Organization     string            // invitations: the organization's name
	InvitedBy        string            // invitations: who invited
	Extra            map[string]string // anything else an override template wants
}

// Templates renders messages from plain-text templates (text/template).
//
// A template for purpose p on channel c is looked up, first match wins, as
//
//	<Dir>/<realm name>/<p>.<c>.txt
//	<Dir>/<p>.<c>.txt
//	the embedded default templates/<p>.<c>.txt
//
// Files are read on every render, so an edited override takes effect on the
// next message. An e-mail template starts with a "Subject: ..." line and a
// blank line; the rest is the body. An SMS template is only the text.
// The zero value (no Dir) uses the embedded defaults.
type Templates struct {
	Dir string           // override directory; "" for embedded defaults only
	Now func() time.Time // clock for Message; nil means time.Now
}

var safeName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// Render renders the template for purpose on channel ("email" or "sms") in
// realm realmName. It returns subject "" for SMS. It fails with an error
// wrapping ErrNoTemplate when no template exists, and with a parse or
// execution error when the template is malformed.
func (t *Templates) Render(realmName, purpose, channel string, data TemplateData) (subject, text string, err error) {
	if channel != iam.ChannelEmail && channel != iam.ChannelSMS {
		return "", "", fmt.Errorf("notify: unknown channel %q", channel)
	}
	if !safeName.MatchString(purpose) || strings.Contains(purpose, "..") {
		return "", "", fmt.Errorf("notify: bad purpose %q", purpose)
	}
	src, name, err := t.source(realmName, purpose+"."+channel+".txt")
	if err != nil {
		return "", "", err
	}
	src = strings.ReplaceAll(src, "\r\n", "\n")
	body := src
	if channel == iam.ChannelEmail {
		var subj string
		subj, body, err = splitSubject(src)
		if err != nil {
			return "", "", fmt.Errorf("notify: template %s: %w", name, err)
		}
		if subject, err = execute(name, subj, data); err != nil {
			return "", "", err
		}
		subject = strings.Join(strings.Fields(subject), " ")
	}
	if text, err = execute(name, body, data); err != nil {
		return "", "", err
	}
	if channel == iam.ChannelSMS {
		return "", strings.TrimSpace(text), nil
	}
	return subject, strings.TrimRight(text, " \n") + "\n", nil
}

// source finds the template file; name says where it came from.
func (t *Templates) source(realmName, file string) (src, name string, err error) {
	if t != nil && t.Dir != "" {
		var paths []string
		if realmName != "" && safeName.MatchString(realmName) && !strings.Contains(realmName, "..") {
			paths = append(paths, filepath.Join(t.Dir, realmName, file))
		}
		paths = append(paths, filepath.Join(t.Dir, file))
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err == nil {
				return string(b), p, nil
			}
			if !errors.Is(err, fs.ErrNotExist) {
				return "", "", fmt.Errorf("notify: read template: %w", err)
			}
		}
	}
	b, err := defaultTemplates.ReadFile("templates/" + file)
	if err != nil {
		return "", "", fmt.Errorf("%w %s", ErrNoTemplate, file)
	}
	return string(b), "embedded " + file, nil
}

// splitSubject splits "Subject: s\n\nbody" into s and body.
func splitSubject(src string) (subject, body string, err error) {
	first, rest, _ := strings.Cut(src, "\n")
	s, ok := strings.CutPrefix(first, "Subject:")
	if !ok {
		return "", "", errors.New(`first line must be "Subject: ..."`)
	}
	blank, body, _ := strings.Cut(rest, "\n")
	if strings.TrimSpace(blank) != "" {
		return "", "", errors.New("the subject line must be followed by a blank line")
	}
	return strings.TrimSpace(s), body, nil
}

func execute(name, src string, data TemplateData) (string, error) {
	tpl, err := template.New(name).Option("missingkey=zero").Parse(src)
	if err != nil {
		return "", fmt.Errorf("notify: parse template: %w", err)
	}
	var b strings.Builder
	if err := tpl.Execute(&b, data); err != nil {
		return "", fmt.Errorf("notify: render template: %w", err)
	}
	return b.String(), nil
}

// Message renders the template for purpose and returns a new outbox
// message for realm, ready for store.Messages.Enqueue: a fresh ID, due now,
// carrying data.Code and data.Link. data.Realm defaults to the realm's
// display name (or its name).
func (t *Templates) Message(realm *iam.Realm, channel, to, purpose string, data TemplateData) (*iam.Message, error) {
	if data.Realm == "" {
		data.Realm = realm.DisplayName
		if data.Realm == "" {
			data.Realm = realm.Name
		}
	}
	subject, text, err := t.Render(realm.Name, purpose, channel, data)
	if err != nil {
		return nil, err
	}
	now := time.Now
	if t != nil && t.Now != nil {
		now = t.Now
	}
	at := now().UTC()
	return &iam.Message{
		ID:            iam.NewID(),
		RealmID:       realm.ID,
		Channel:       channel,
		To:            to,
		Subject:       subject,
		Text:          text,
		Purpose:       purpose,
		Code:          data.Code,
		Link:          data.Link,
		CreatedAt:     at,
		NextAttemptAt: at,
	}, nil
}
