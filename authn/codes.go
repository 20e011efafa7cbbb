package authn

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"math/big"
	"strings"
	"time"

	"iamd/iam"
	"iamd/notify"
	"iamd/store"
)

// CodeRequest asks for a one-time code (or link token) to be made and sent.
type CodeRequest struct {
	Realm    *iam.Realm
	UserID   string // "" for a code not yet tied to a user (sign-up)
	Purpose  string // iam.Purpose*
	Channel  string // iam.ChannelEmail or iam.ChannelSMS
	To       string // e-mail address or E.164 phone
	Digits   int    // numeric code length; 0 means 6
	Attempts int    // tries allowed; 0 means the realm's OTP limit
	// TTL is how long the code is valid; 0 means the realm's code lifetime.
	TTL time.Duration
	// LinkBase, when set, makes the message carry a link: LinkBase with
	// the token appended as query parameter "token". A link token is a
	// long random value instead of a short numeric code.
	LinkBase string
	Username string
	Data     map[string]string // kept with the code, e.g. a new e-mail to confirm
	// Handle finds the code again (Codes.GetByHandle, newest first); ""
	// for a fresh random one, the usual "session" a client keeps.
	Handle string
}

// IssuedCode is the result of IssueCode. Clear is the secret itself, for a
// caller that must show it (tests, or a surface that returns it); it is
// not stored.
type IssuedCode struct {
	Code    *iam.OneTimeCode
	Clear   string
	Message *iam.Message
}

// IssueCode makes a one-time code and writes it and the message that
// carries it through tx, so that both commit or neither does. The caller
// runs it inside its own transaction together with the state change that
// needs the code (a sign-up, an e-mail change). Only a keyed hash of the
// code is stored.
func (s *Service) IssueCode(ctx context.Context, tx store.Tx, req CodeRequest) (*IssuedCode, error) {
	if req.Realm == nil || req.Purpose == "" || (req.Channel != iam.ChannelEmail && req.Channel != iam.ChannelSMS) || req.To == "" {
		return nil, iam.Internal(errors.New("authn: incomplete code request"))
	}
	now := s.now()
	ttl := req.Realm.Settings.Tokens.Effective().Code
	if req.TTL > 0 {
		ttl = req.TTL
	}
	attempts := req.Attempts
	if attempts <= 0 {
		attempts = req.Realm.Settings.BruteForce.Effective().MaxOTPFailures
	}
	c := &iam.OneTimeCode{
		ID: iam.NewID(), RealmID: req.Realm.ID, UserID: req.UserID, Purpose: req.Purpose,
		Target: req.To, Handle: cmp.Or(req.Handle, iam.NewSecret(24)), AttemptsLeft: attempts, Data: req.Data,
		CreatedAt: now, ExpiresAt: now.Add(ttl),
	}
	data := notify.TemplateData{Username: req.Username, ExpiresInMinutes: int(ttl.Minutes())}
	var clear string
	if req.LinkBase != "" {
		clear = iam.NewSecret(32)
		c.Hash = iam.HashToken(clear)
		sep := "?"
		if strings.Contains(req.LinkBase, "?") {
			sep = "&"
		}
		data.Link = req.LinkBase + sep + "token=" + clear
	} else {
		clear = numericCode(req.Digits)
		c.Hash = s.codeHash(c.ID, clear)
		data.Code = clear
	}
	msg, err := s.Templates.Message(req.Realm, req.Channel, req.To, req.Purpose, data)
	if err != nil {
		return nil, iam.Internal(err)
	}
	msg.CreatedAt, msg.NextAttemptAt = now, now
	sc := tx.Realm(req.Realm.ID)
	if err := sc.Codes().Create(ctx, c); err != nil {
		return nil, store.AsIAM(err, "user", "")
	}
	if err := sc.Messages().Enqueue(ctx, msg); err != nil {
		return nil, store.AsIAM(err, "message", "")
	}
	return &IssuedCode{Code: c, Clear: clear, Message: msg}, nil
}

// VerifyCode checks a numeric code the user typed against the code found by
// its handle and purpose, for a request from ip. Each call spends one
// attempt atomically, so parallel guesses cannot exceed the limit; a wrong
// code also counts as an OTP failure of the user (lockout). On success the
// code is consumed: of two racing correct submissions exactly one wins.
//
// Errors: CodeNotFound (no such code), CodeExpired, CodePrecondition (no
// attempts left or already used), CodeUnauthorized (wrong code),
// CodeLocked (the user is locked), CodeRateLimited. A wrong code, a code
// without attempts and a locked user's are a *CodeRejected saying how
// many tries are left (AttemptsLeft). On success the code's AttemptsLeft
// is what remains after this try.
func (s *Service) VerifyCode(ctx context.Context, realm *iam.Realm, handle, purpose, clear, ip string) (*iam.OneTimeCode, error) {
	now := s.now()
	if !s.Throttle.Allow(ip, now) {
		return nil, iam.Errorf(iam.CodeRateLimited, "too many attempts from this address, try again later")
	}
	if handle == "" || len(handle) > 128 {
		return nil, iam.NotFound("code")
	}
	sc := s.Store.Realm(realm.ID)
	c, err := sc.Codes().GetByHandle(ctx, handle, purpose)
	if err != nil {
		return nil, store.AsIAM(err, "code", "")
	}
	var user *iam.User
	if c.UserID != "" {
		if user, err = sc.Users().Get(ctx, c.UserID); err != nil {
			return nil, store.AsIAM(err, "user", "")
		}
		if user.Lockout.Locked(now) {
			return nil, &CodeRejected{Err: lockedError()}
		}
	}
	switch {
	case c.ConsumedAt != nil:
		return nil, iam.Errorf(iam.CodePrecondition, "the code was already used")
	case !now.Before(c.ExpiresAt):
		return nil, iam.Errorf(iam.CodeExpired, "the code has expired; request a new one")
	}
	left, err := sc.Codes().SpendAttempt(ctx, c.ID)
	if err != nil {
		if errors.Is(err, store.ErrConflict) {
			return nil, &CodeRejected{Err: iam.Errorf(iam.CodePrecondition, "no attempts left for this code; request a new one")}
		}
		return nil, store.AsIAM(err, "code", "")
	}
	if !hmac.Equal([]byte(s.codeHash(c.ID, strings.TrimSpace(clear))), []byte(c.Hash)) {
		if user != nil {
			if err := s.recordFailure(ctx, realm, user, true, ip); err != nil {
				if iam.IsCode(err, iam.CodeLocked) {
					return nil, &CodeRejected{Err: err}
				}
				return nil, err
			}
		}
		return nil, &CodeRejected{Left: left, Err: iam.Errorf(iam.CodeUnauthorized, "the code is wrong")}
	}
	if err := sc.Codes().Consume(ctx, c.ID, now); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return nil, iam.Errorf(iam.CodePrecondition, "the code was already used")
		}
		return nil, store.AsIAM(err, "code", "")
	}
	if user != nil && user.Lockout.OTPFailures > 0 {
		if err := s.clearFailures(ctx, realm, user); err != nil {
			return nil, err
		}
	}
	c.ConsumedAt, c.AttemptsLeft = &now, left
	return c, nil
}

// codeHash keys the hash of a short code with the server's code key and the
// code's id: a six-digit code has too little entropy for a plain hash, and
// the id makes equal codes hash apart.
func (s *Service) codeHash(id, clear string) string {
	m := hmac.New(sha256.New, s.CodeKey)
	m.Write([]byte(id))
	m.Write([]byte{0})
	m.Write([]byte(clear))
	return "hmac-sha256$" + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func numericCode(digits int) string {
	if digits <= 0 {
		digits = 6
	}
	if digits > 12 {
		digits = 12
	}
	b := make([]byte, digits)
	ten := big.NewInt(10)
	for i := range b {
		n, _ := rand.Int(rand.Reader, ten)
		b[i] = byte('0' + n.Int64())
	}
	return string(b)
}
