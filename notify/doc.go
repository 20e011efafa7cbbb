// Package notify delivers the outbox: the e-mails and SMS that use cases
// write into the store in the same transaction as the state change that
// causes them (see store.Messages.Enqueue).
//
// It owns three things:
//
//   - Templates: plain-text message templates per purpose and channel,
//     embedded defaults with per-server and per-realm override files, and
//     Templates.Message, which turns a purpose and data into an
//     iam.Message ready to enqueue.
//   - Senders: SMTP (github.com/wneessen/go-mail), an HTTP SMS gateway,
//     and FileOutbox, which writes one JSON file per message for
//     development and for realms without a server configured. Router
//     picks one per message. A sender marks failures that a retry cannot
//     fix with Permanent.
//   - Dispatcher: claims due messages, sends them, and records delivery
//     or schedules a retry with exponential backoff, giving up after
//     MaxAttempts or on a permanent error.
//
// Nothing in this package logs a message's text, code or link: those are
// secrets (one-time codes, reset and magic links).
package notify
