package store

import (
	"context"
	"time"

	"iamd/iam"
)

// Store is a storage backend. All methods are safe for concurrent use.
type Store interface {
	Tx
	// InTx runs fn in one transaction: everything fn writes commits
	// together, or nothing does when fn returns an error (which InTx
	// returns). fn must not keep tx after it returns.
	InTx(ctx context.Context, fn func(tx Tx) error) error
	// Ping reports whether the database answers; ErrUnavailable if not.
	Ping(ctx context.Context) error
	// Migrate brings the schema to the newest version; it is idempotent.
	Migrate(ctx context.Context) error
	Close() error
}

// Tx is what a transaction (and the store outside one) offers.
type Tx interface {
	Realms() Realms
	// Realm returns the handle for data owned by realmID.
	Realm(realmID string) Scope
	// Outbox is the dispatcher's view of messages across all realms.
	Outbox() Outbox
}

// Scope reaches the records of one realm.
type Scope interface {
	Users() Users
	Credentials() Credentials
	Apps() Apps
	Roles() Roles
	Groups() Groups
	Organizations() Organizations
	Sessions() Sessions
	RefreshTokens() RefreshTokens
	Codes() Codes
	Invitations() Invitations
	Riskbits() Riskbits
	Events() Events
	Messages() Messages
	Keys() Keys
}

// Common to every repository: a method given the id of a record that is not
// in the realm (absent, malformed, or another realm's) returns ErrNotFound,
// including Update, Delete and the conditional updates below; an Update that
// would duplicate a unique value returns ErrConflict like Create does.

// Page selects a window of a list. Limit 0 means 100; Limit is capped at 1000.
type Page struct {
	Offset int
	Limit  int
}

// Realms are the top-level records; they are not realm-scoped.
type Realms interface {
	// Create stores r (ID and timestamps set by the caller); ErrConflict
	// if the name is taken (case-insensitively).
	Create(ctx context.Context, r *iam.Realm) error
	Get(ctx context.Context, id string) (*iam.Realm, error)
	// GetByName finds a realm by name, case-insensitively.
	GetByName(ctx context.Context, name string) (*iam.Realm, error)
	List(ctx context.Context, p Page) ([]*iam.Realm, error)
	// Update writes every field but ID and CreatedAt; ErrConflict on a
	// taken name.
	Update(ctx context.Context, r *iam.Realm) error
	// Delete removes the realm and everything it owns.
	Delete(ctx context.Context, id string) error
}

// UserQuery filters, orders and pages a user list.
type UserQuery struct {
	Search   string // substring of username, e-mail, first or last name (case-insensitive)
	Prefix   bool   // Search matches only at the start of those fields
	Username string // exact, case-insensitive
	Email    string // exact, case-insensitive
	Phone    string // exact E.164
	Enabled  *bool
	// OrderBy is "username" (default), "email", "created_at" or "num".
	OrderBy        string
	Desc           bool
	IncludeDeleted bool
	Page
}

// Users of one realm. Get-style methods return ErrNotFound for
// soft-deleted users unless the method says otherwise.
type Users interface {
	// Create stores u (ID set by the caller) and assigns u.Num.
	// ErrConflict if the username, e-mail or phone is taken by a live user.
	Create(ctx context.Context, u *iam.User) error
	// Get returns the user, including a soft-deleted one (check DeletedAt).
	Get(ctx context.Context, id string) (*iam.User, error)
	// GetByNum returns the user with numeric id num, including soft-deleted.
	GetByNum(ctx context.Context, num int64) (*iam.User, error)
	// Find returns the live user whose username, e-mail or phone equals
	// login (case-insensitive), in that order of preference.
	Find(ctx context.Context, login string) (*iam.User, error)
	// List returns matching users and the total count ignoring the page.
	List(ctx context.Context, q UserQuery) ([]*iam.User, int, error)
	// Update writes every mutable field of u (not ID, Num, CreatedAt,
	// Lockout). ErrNotFound if absent, ErrConflict on a taken identifier.
	Update(ctx context.Context, u *iam.User) error
	// SetLockout replaces the brute-force state.
	SetLockout(ctx context.Context, id string, l iam.Lockout) error
	// AddFailure atomically increments the password (otp=false) or OTP
	// failure counter, records at and ip, and returns the new state.
	AddFailure(ctx context.Context, id string, otp bool, at time.Time, ip string) (iam.Lockout, error)
	// SoftDelete marks the user deleted with a reason, freeing its
	// identifiers; ErrNotFound if absent or already deleted.
	SoftDelete(ctx context.Context, id, reason string, at time.Time) error
	// Delete removes the user and what it owns (credentials, sessions,
	// tokens, codes, memberships, role and group links).
	Delete(ctx context.Context, id string) error
}

// Credentials of users in one realm.
type Credentials interface {
	// Create stores c; ErrNotFound if c.UserID is not a user of the realm.
	Create(ctx context.Context, c *iam.Credential) error
	Get(ctx context.Context, id string) (*iam.Credential, error)
	// List returns a user's credentials of type typ ("" for all), newest first.
	List(ctx context.Context, userID, typ string) ([]*iam.Credential, error)
	// Update writes Label, Secret, Data and UpdatedAt.
	Update(ctx context.Context, c *iam.Credential) error
	Delete(ctx context.Context, id string) error
	// DeleteByType removes a user's credentials of one type; it returns how many.
	DeleteByType(ctx context.Context, userID, typ string) (int, error)
	// FindSocial returns the iam.CredSocial credential with Label provider
	// and Secret subject (compared exactly), whatever the state of its
	// user; ErrNotFound if there is none. At most one exists: Create of a
	// second one with the same non-empty provider and subject is
	// ErrConflict.
	FindSocial(ctx context.Context, provider, subject string) (*iam.Credential, error)
}

// AppQuery filters and pages an app list.
type AppQuery struct {
	Search         string // substring of client id or name
	IncludeDeleted bool
	Page
}

// Apps (OAuth clients) of one realm.
type Apps interface {
	// Create stores a and assigns a.Num; ErrConflict on a taken client id.
	Create(ctx context.Context, a *iam.App) error
	// Get returns the app, including a soft-deleted one.
	Get(ctx context.Context, id string) (*iam.App, error)
	GetByNum(ctx context.Context, num int64) (*iam.App, error)
	// GetByClientID returns the live app with that client id.
	GetByClientID(ctx context.Context, clientID string) (*iam.App, error)
	List(ctx context.Context, q AppQuery) ([]*iam.App, int, error)
	Update(ctx context.Context, a *iam.App) error
	// SoftDelete frees the client id; ErrNotFound if absent or deleted.
	SoftDelete(ctx context.Context, id string, at time.Time) error
}

// Roles of one realm: realm roles (AppID "") and app roles, and their
// grants to users.
type Roles interface {
	// Create stores r; ErrConflict if (AppID, Name) is taken; ErrNotFound
	// if r.AppID names no app of the realm.
	Create(ctx context.Context, r *iam.Role) error
	Get(ctx context.Context, id string) (*iam.Role, error)
	GetByName(ctx context.Context, appID, name string) (*iam.Role, error)
	// List returns the roles of appID ("" for realm roles), by name.
	List(ctx context.Context, appID string) ([]*iam.Role, error)
	Update(ctx context.Context, r *iam.Role) error
	Delete(ctx context.Context, id string) error
	// Grant gives the role to the user (idempotent); ErrNotFound if either
	// is not in the realm.
	Grant(ctx context.Context, userID, roleID string) error
	// Revoke takes it back; ErrNotFound if it was not granted.
	Revoke(ctx context.Context, userID, roleID string) error
	// OfUser lists roles granted directly to the user.
	OfUser(ctx context.Context, userID string) ([]*iam.Role, error)
	// Users lists the users holding the role.
	Users(ctx context.Context, roleID string, p Page) ([]*iam.User, error)
}

// Groups of one realm and their members.
type Groups interface {
	// Create stores g; ErrConflict if the name is taken under the same
	// parent; ErrNotFound if the parent is not in the realm.
	Create(ctx context.Context, g *iam.Group) error
	Get(ctx context.Context, id string) (*iam.Group, error)
	List(ctx context.Context, p Page) ([]*iam.Group, error)
	Update(ctx context.Context, g *iam.Group) error
	Delete(ctx context.Context, id string) error
	AddMember(ctx context.Context, groupID, userID string) error
	RemoveMember(ctx context.Context, groupID, userID string) error
	Members(ctx context.Context, groupID string, p Page) ([]*iam.User, error)
	OfUser(ctx context.Context, userID string) ([]*iam.Group, error)
}

// Organizations of one realm and their memberships.
type Organizations interface {
	// Create stores o and assigns o.Num; ErrConflict on a taken name.
	Create(ctx context.Context, o *iam.Organization) error
	Get(ctx context.Context, id string) (*iam.Organization, error)
	GetByNum(ctx context.Context, num int64) (*iam.Organization, error)
	List(ctx context.Context, search string, p Page) ([]*iam.Organization, int, error)
	Update(ctx context.Context, o *iam.Organization) error
	SoftDelete(ctx context.Context, id string, at time.Time) error
	// PutMember creates or replaces a membership; ErrNotFound if the
	// organization or user is not in the realm.
	PutMember(ctx context.Context, m *iam.Membership) error
	GetMember(ctx context.Context, orgID, userID string) (*iam.Membership, error)
	RemoveMember(ctx context.Context, orgID, userID string) error
	Members(ctx context.Context, orgID string, p Page) ([]*iam.Membership, int, error)
	// OfUser lists the user's memberships, oldest first.
	OfUser(ctx context.Context, userID string) ([]*iam.Membership, error)
}

// Sessions of one realm.
type Sessions interface {
	Create(ctx context.Context, s *iam.Session) error
	Get(ctx context.Context, id string) (*iam.Session, error)
	// Touch sets LastSeenAt (and OrgID when orgID is non-empty).
	Touch(ctx context.Context, id string, at time.Time, orgID string) error
	// Revoke marks the session and all its refresh tokens revoked.
	Revoke(ctx context.Context, id string, at time.Time) error
	// RevokeUser revokes every session of a user; it returns how many.
	RevokeUser(ctx context.Context, userID string, at time.Time) (int, error)
	// OfUser lists a user's active sessions at now, newest first.
	OfUser(ctx context.Context, userID string, now time.Time) ([]*iam.Session, error)
	// Live reports in one read whether the session sessionID exists in the
	// realm, belongs to userID, is neither revoked nor expired at now, and
	// its user exists in the realm, is enabled and is not soft-deleted.
	// Every "not live" case, a missing session or one of another realm
	// included, is (false, nil): an error is only a failure of the store.
	Live(ctx context.Context, sessionID, userID string, now time.Time) (bool, error)
}

// RefreshTokens of one realm, in rotation families.
type RefreshTokens interface {
	Create(ctx context.Context, t *iam.RefreshToken) error
	// GetByHash returns the token (used or not, revoked or not).
	GetByHash(ctx context.Context, hash string) (*iam.RefreshToken, error)
	Get(ctx context.Context, id string) (*iam.RefreshToken, error)
	// MarkUsed sets UsedAt and SuccessorID only if the token is unused and
	// not revoked; ErrConflict if it is used or revoked (someone else used
	// it first), ErrNotFound if it does not exist in the realm.
	MarkUsed(ctx context.Context, id, successorID string, at time.Time) error
	// RevokeFamily revokes every token of the family; it returns how many
	// were still live.
	RevokeFamily(ctx context.Context, familyID string, at time.Time) (int, error)
}

// Codes are one-time codes and link tokens of one realm.
type Codes interface {
	Create(ctx context.Context, c *iam.OneTimeCode) error
	Get(ctx context.Context, id string) (*iam.OneTimeCode, error)
	// GetByHandle returns the newest code with that handle and purpose.
	GetByHandle(ctx context.Context, handle, purpose string) (*iam.OneTimeCode, error)
	// GetByHash returns the code with that hash and purpose.
	GetByHash(ctx context.Context, hash, purpose string) (*iam.OneTimeCode, error)
	// SpendAttempt atomically decrements AttemptsLeft of an unconsumed code
	// that has attempts left and returns the remainder; ErrConflict when
	// none are left or the code is consumed.
	SpendAttempt(ctx context.Context, id string) (int, error)
	// Consume marks the code consumed at at; exactly one of several racing
	// callers succeeds, the others get ErrConflict.
	Consume(ctx context.Context, id string, at time.Time) error
	// DeleteExpired removes codes that expired before now; it returns how many.
	DeleteExpired(ctx context.Context, now time.Time) (int, error)
}

// Invitations of one realm.
type Invitations interface {
	// Create stores inv; ErrNotFound if its organization is not in the realm.
	Create(ctx context.Context, inv *iam.Invitation) error
	Get(ctx context.Context, id string) (*iam.Invitation, error)
	GetByTokenHash(ctx context.Context, hash string) (*iam.Invitation, error)
	// List returns an organization's invitations ("" for all), newest first.
	List(ctx context.Context, orgID string, p Page) ([]*iam.Invitation, error)
	// Update writes Status, Roles, ExpiresAt, AcceptedAt, UserID, TokenHash.
	Update(ctx context.Context, inv *iam.Invitation) error
	Delete(ctx context.Context, id string) error
}

// Riskbits of one realm.
type Riskbits interface {
	// Create stores r; ErrConflict if r.Risk is taken.
	Create(ctx context.Context, r *iam.Riskbit) error
	Get(ctx context.Context, id string) (*iam.Riskbit, error)
	GetByRisk(ctx context.Context, risk string) (*iam.Riskbit, error)
	List(ctx context.Context, p Page) ([]*iam.Riskbit, error)
	Update(ctx context.Context, r *iam.Riskbit) error
	Delete(ctx context.Context, id string) error
	// DeleteAll removes every riskbit of the realm; it returns how many.
	DeleteAll(ctx context.Context) (int, error)
}

// EventQuery filters audit events.
type EventQuery struct {
	UserID string
	Type   string
	Since  time.Time
	Page
}

// Events is the append-only audit log of one realm.
type Events interface {
	Append(ctx context.Context, e *iam.Event) error
	// List returns matching events, newest first.
	List(ctx context.Context, q EventQuery) ([]*iam.Event, error)
}

// Messages enqueues outbox messages of one realm and reads them back.
type Messages interface {
	// Enqueue stores m for delivery at m.NextAttemptAt (now if zero).
	Enqueue(ctx context.Context, m *iam.Message) error
	Get(ctx context.Context, id string) (*iam.Message, error)
	// List returns the realm's messages, newest first.
	List(ctx context.Context, p Page) ([]*iam.Message, error)
}

// Keys are the JWT signing keys of one realm.
type Keys interface {
	// Create stores k (ID, Alg, key material and CreatedAt set by the
	// caller); ErrConflict if the id is taken (key ids are unique across
	// realms, as they are random).
	Create(ctx context.Context, k *iam.SigningKey) error
	// List returns every key of the realm, retired and expired ones
	// included, newest first (CreatedAt descending, then id).
	List(ctx context.Context) ([]*iam.SigningKey, error)
	// Retire sets RetiredAt to at and ExpiresAt to expires of a key that
	// is not retired yet. ErrNotFound if the realm has no such key;
	// ErrConflict if it is already retired (it is left unchanged, so a
	// second rotation does not move the first one's expiry).
	Retire(ctx context.Context, id string, at, expires time.Time) error
	// Delete removes the key; ErrNotFound if the realm has no such key.
	Delete(ctx context.Context, id string) error
}

// Outbox is the dispatcher's cross-realm view of undelivered messages.
type Outbox interface {
	// Claim returns up to limit undelivered, unfailed messages due at now,
	// oldest first, and pushes their NextAttemptAt to now+lease so that
	// another dispatcher does not take them meanwhile.
	Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*iam.Message, error)
	// MarkSent records delivery and blanks Text, HTML, Code and Link.
	MarkSent(ctx context.Context, id string, at time.Time) error
	// MarkRetry records a failed attempt: Attempts+1, LastError, and the
	// next try at next; with failed true the message is given up (FailedAt)
	// and its Text, HTML, Code and Link are blanked as on delivery.
	MarkRetry(ctx context.Context, id, lastError string, next time.Time, failed bool) error
	// Pending counts undelivered, unfailed messages.
	Pending(ctx context.Context) (int, error)
}
