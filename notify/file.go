package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"iamd/iam"
)

// FileOutbox "delivers" messages by writing each as one JSON file into Dir,
// for development and for realms without SMTP or SMS settings. The file is
// named <created_at as 20060102T150405.000000000Z>-<id>.json and holds
// exactly the fields id, realm (the realm's name), channel, to, subject,
// text, purpose, code, link (both omitted when empty) and created_at (RFC
// 3339, UTC, nanoseconds).
//
// Writes are atomic (a hidden temporary file renamed into place), files are
// 0600 and Dir is created 0700. Sending the same message again replaces its
// file, so a retried message never appears twice.
type FileOutbox struct {
	Dir string // typically <data-dir>/outbox
}

// FileMessage is the JSON shape of one file written by FileOutbox.
type FileMessage struct {
	ID        string `json:"id"`
	Realm     string `json:"realm"`
	Channel   string `json:"channel"`
	To        string `json:"to"`
	Subject   string `json:"subject"`
	Text      string `json:"text"`
	Purpose   string `json:"purpose"`
	Code      string `json:"code,omitempty"`
	Link      string `json:"link,omitempty"`
	CreatedAt string `json:"created_at"`
}

const (
	fileNameTime = "20060102T150405.000000000Z"
	jsonTime     = "2006-01-02T15:04:05.000000000Z07:00"
)

var safeID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$`)

// Send writes m as a file. It fails permanently if m.ID cannot be part of
// a file name, and with a retryable error if the file cannot be written.
func (f *FileOutbox) Send(ctx context.Context, realm *iam.Realm, m *iam.Message) error {
	if !safeID.MatchString(m.ID) {
		return Permanent(fmt.Errorf("notify: message id %q is not usable as a file name", m.ID))
	}
	if f.Dir == "" {
		return errors.New("notify: file outbox has no directory")
	}
	created := m.CreatedAt.UTC()
	b, err := json.MarshalIndent(FileMessage{
		ID: m.ID, Realm: realm.Name, Channel: m.Channel, To: m.To,
		Subject: m.Subject, Text: m.Text, Purpose: m.Purpose,
		Code: m.Code, Link: m.Link, CreatedAt: created.Format(jsonTime),
	}, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(f.Dir, 0o700); err != nil {
		return fmt.Errorf("notify: file outbox: %w", err)
	}
	name := created.Format(fileNameTime) + "-" + m.ID + ".json"
	if err := writeAtomic(f.Dir, name, append(b, '\n')); err != nil {
		return fmt.Errorf("notify: file outbox: %w", err)
	}
	// A copy under another timestamp (CreatedAt read back with another
	// precision) would be a duplicate: keep only the file just written.
	old, _ := filepath.Glob(filepath.Join(f.Dir, "*-"+m.ID+".json"))
	for _, p := range old {
		if filepath.Base(p) != name {
			_ = os.Remove(p)
		}
	}
	return nil
}

func writeAtomic(dir, name string, data []byte) error {
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, name))
}
