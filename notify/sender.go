package notify

import (
	"context"
	"errors"

	"iamd/iam"
)

// Sender delivers one message of realm. A nil error means the message was
// handed over (to a mail server, SMS gateway or file) and must not be sent
// again. An error wrapping a PermanentError means retrying cannot help;
// any other error is worth a retry later.
type Sender interface {
	Send(ctx context.Context, realm *iam.Realm, m *iam.Message) error
}

// PermanentError marks a delivery failure that a retry cannot fix, such as
// a recipient the mail server rejected with a 5xx reply or an SMS gateway
// answering 4xx.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return "permanent: " + e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// Permanent wraps err as a PermanentError; Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &PermanentError{Err: err}
}

// IsPermanent reports whether err wraps a PermanentError.
func IsPermanent(err error) bool {
	var p *PermanentError
	return errors.As(err, &p)
}
