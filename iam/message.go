package iam

import "time"

// Message channels.
const (
	ChannelEmail = "email"
	ChannelSMS   = "sms"
)

// Message is an outbox entry: an e-mail or SMS written in the same
// transaction as the state change that causes it, delivered later by the
// dispatcher. Code and Link are the secret the message carries; the store
// blanks them (and Text) once the message is delivered.
type Message struct {
	ID            string
	RealmID       string
	Channel       string
	To            string
	Subject       string
	Text          string
	HTML          string
	Purpose       string
	Code          string
	Link          string
	Attempts      int
	NextAttemptAt time.Time
	SentAt        *time.Time
	FailedAt      *time.Time // set when retries are exhausted
	LastError     string
	CreatedAt     time.Time
}
