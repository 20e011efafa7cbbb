package sqlstore

import (
	"context"
	"strings"
	"time"

	"iamd/iam"
	"iamd/store"
)

// users implements store.Users.
//
// Besides the fields of iam.User, a row holds folded keys computed here
// with iam.FoldKey: username_key, email_key (case-insensitive uniqueness
// among live users and exact lookups), name_key (FoldKey(first+" "+last),
// so a search for "ada love" finds Ada Lovelace) and last_name_key (so a
// prefix search also matches the start of the last name).
type users struct{ s scope }

const userCols = `num, id, realm_id, username, email, phone, first_name, last_name,
	enabled, email_verified, phone_verified, attributes, required_actions, profile, addresses,
	password_failures, otp_failures, locked_until, lock_permanent, last_failure_at, last_failure_ip,
	created_at, updated_at, deleted_at, delete_reason`

func scanUser(sc scanner) (*iam.User, error) {
	var u iam.User
	l := &u.Lockout
	err := sc.Scan(&u.Num, &u.ID, &u.RealmID, &u.Username, &u.Email, &u.Phone, &u.FirstName, &u.LastName,
		&u.Enabled, &u.EmailVerified, &u.PhoneVerified, jsonCol{&u.Attributes}, jsonCol{&u.RequiredActions},
		jsonCol{&u.Profile}, jsonCol{&u.Addresses},
		&l.PasswordFailures, &l.OTPFailures, nullTimeCol{&l.LockedUntil}, &l.Permanent,
		nullTimeCol{&l.LastFailureAt}, &l.LastFailureIP,
		timeCol{&u.CreatedAt}, timeCol{&u.UpdatedAt}, nullTimeCol{&u.DeletedAt}, &u.DeleteReason)
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// userKeys are the folded columns derived from u, in the order
// username_key, email_key, name_key, last_name_key.
func userKeys(u *iam.User) []any {
	return []any{iam.FoldKey(u.Username), iam.FoldKey(u.Email),
		iam.FoldKey(u.FirstName + " " + u.LastName), iam.FoldKey(u.LastName)}
}

func (x users) Create(ctx context.Context, u *iam.User) error {
	l := u.Lockout
	args := []any{u.ID, u.Username, u.Email, u.Phone, u.FirstName, u.LastName,
		u.Enabled, u.EmailVerified, u.PhoneVerified, jsonVal{u.Attributes}, jsonVal{u.RequiredActions},
		jsonVal{u.Profile}, jsonVal{u.Addresses},
		l.PasswordFailures, l.OTPFailures, microsOrNull(l.LockedUntil), l.Permanent,
		microsOrNull(l.LastFailureAt), l.LastFailureIP,
		micros(u.CreatedAt), micros(u.UpdatedAt), microsOrNull(u.DeletedAt), u.DeleteReason}
	args = append(args, userKeys(u)...)
	var num int64
	err := x.s.writeRow(ctx, `INSERT INTO users (id, realm_id, username, email, phone, first_name, last_name,
		enabled, email_verified, phone_verified, attributes, required_actions, profile, addresses,
		password_failures, otp_failures, locked_until, lock_permanent, last_failure_at, last_failure_ip,
		created_at, updated_at, deleted_at, delete_reason,
		username_key, email_key, name_key, last_name_key)
		VALUES (?, :realm, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING num`, args, &num)
	if err != nil {
		return err
	}
	u.Num, u.RealmID = num, x.s.realm
	return nil
}

func (x users) Get(ctx context.Context, id string) (*iam.User, error) {
	return one(ctx, x.s, scanUser, "SELECT "+userCols+" FROM users WHERE realm_id = :realm AND id = ?", id)
}

func (x users) GetByNum(ctx context.Context, num int64) (*iam.User, error) {
	return one(ctx, x.s, scanUser, "SELECT "+userCols+" FROM users WHERE realm_id = :realm AND num = ?", num)
}

func (x users) Find(ctx context.Context, login string) (*iam.User, error) {
	key := iam.FoldKey(login)
	if key == "" {
		// Empty e-mail and phone columns hold "", which must not match.
		return nil, store.ErrNotFound
	}
	return one(ctx, x.s, scanUser, "SELECT "+userCols+` FROM users
		WHERE realm_id = :realm AND deleted_at IS NULL AND (username_key = ? OR email_key = ? OR phone = ?)
		ORDER BY CASE WHEN username_key = ? THEN 0 WHEN email_key = ? THEN 1 ELSE 2 END, num
		LIMIT 1`, key, key, strings.TrimSpace(login), key, key)
}

// userOrder maps UserQuery.OrderBy to a column; only these names ever
// reach the SQL text.
var userOrder = map[string]string{
	"":           "username_key",
	"username":   "username_key",
	"email":      "email_key",
	"created_at": "created_at",
	"num":        "num",
}

func (x users) List(ctx context.Context, q store.UserQuery) ([]*iam.User, int, error) {
	var f filter
	if !q.IncludeDeleted {
		f.and("deleted_at IS NULL")
	}
	if term := iam.FoldKey(q.Search); term != "" {
		p := likePattern(term, q.Prefix)
		if q.Prefix {
			f.and(`(username_key LIKE ? ESCAPE '\' OR email_key LIKE ? ESCAPE '\' OR name_key LIKE ? ESCAPE '\' OR last_name_key LIKE ? ESCAPE '\')`, p, p, p, p)
		} else {
			f.and(`(username_key LIKE ? ESCAPE '\' OR email_key LIKE ? ESCAPE '\' OR name_key LIKE ? ESCAPE '\')`, p, p, p)
		}
	}
	if q.Username != "" {
		f.and("username_key = ?", iam.FoldKey(q.Username))
	}
	if q.Email != "" {
		f.and("email_key = ?", iam.FoldKey(q.Email))
	}
	if q.Phone != "" {
		f.and("phone = ?", strings.TrimSpace(q.Phone))
	}
	if q.Enabled != nil {
		f.and("enabled = ?", *q.Enabled)
	}
	col, ok := userOrder[q.OrderBy]
	if !ok {
		col = userOrder[""]
	}
	dir := " ASC"
	if q.Desc {
		dir = " DESC"
	}
	total, err := x.s.count(ctx, "SELECT COUNT(*) FROM users WHERE realm_id = :realm"+f.String(), f.args...)
	if err != nil {
		return nil, 0, err
	}
	limit, offset := window(q.Page)
	list, err := all(ctx, x.s, scanUser, "SELECT "+userCols+" FROM users WHERE realm_id = :realm"+f.String()+
		" ORDER BY "+col+dir+", id"+dir+pageSQL, append(f.args, limit, offset)...)
	return list, total, err
}

func (x users) Update(ctx context.Context, u *iam.User) error {
	args := []any{u.Username, u.Email, u.Phone, u.FirstName, u.LastName,
		u.Enabled, u.EmailVerified, u.PhoneVerified, jsonVal{u.Attributes}, jsonVal{u.RequiredActions},
		jsonVal{u.Profile}, jsonVal{u.Addresses},
		micros(u.UpdatedAt), microsOrNull(u.DeletedAt), u.DeleteReason}
	args = append(args, userKeys(u)...)
	return x.s.writeOne(ctx, `UPDATE users SET username = ?, email = ?, phone = ?, first_name = ?, last_name = ?,
		enabled = ?, email_verified = ?, phone_verified = ?, attributes = ?, required_actions = ?,
		profile = ?, addresses = ?, updated_at = ?, deleted_at = ?, delete_reason = ?,
		username_key = ?, email_key = ?, name_key = ?, last_name_key = ?
		WHERE realm_id = :realm AND id = ?`, append(args, u.ID)...)
}

func (x users) SetLockout(ctx context.Context, id string, l iam.Lockout) error {
	return x.s.change(ctx, `UPDATE users SET password_failures = ?, otp_failures = ?, locked_until = ?,
		lock_permanent = ?, last_failure_at = ?, last_failure_ip = ?
		WHERE realm_id = :realm AND id = ?`,
		l.PasswordFailures, l.OTPFailures, microsOrNull(l.LockedUntil), l.Permanent,
		microsOrNull(l.LastFailureAt), l.LastFailureIP, id)
}

// AddFailure increments in the database rather than read-modify-write, so
// concurrent failed sign-ins each count.
func (x users) AddFailure(ctx context.Context, id string, otp bool, at time.Time, ip string) (iam.Lockout, error) {
	counter := "password_failures"
	if otp {
		counter = "otp_failures"
	}
	var l iam.Lockout
	err := x.s.row(ctx, `UPDATE users SET `+counter+` = `+counter+` + 1, last_failure_at = ?, last_failure_ip = ?
		WHERE realm_id = :realm AND id = ?
		RETURNING password_failures, otp_failures, locked_until, lock_permanent, last_failure_at, last_failure_ip`,
		[]any{micros(at), ip, id},
		&l.PasswordFailures, &l.OTPFailures, nullTimeCol{&l.LockedUntil}, &l.Permanent,
		nullTimeCol{&l.LastFailureAt}, &l.LastFailureIP)
	return l, err
}

// SoftDelete sets DeletedAt and DeleteReason only; UpdatedAt stays the
// time of the last edit.
func (x users) SoftDelete(ctx context.Context, id, reason string, at time.Time) error {
	return x.s.change(ctx, `UPDATE users SET deleted_at = ?, delete_reason = ?
		WHERE realm_id = :realm AND id = ? AND deleted_at IS NULL`, micros(at), reason, id)
}

// Delete removes the user; credentials, sessions, refresh tokens, codes,
// memberships and role and group links reference it with ON DELETE
// CASCADE. Audit events and outbox messages stay: they are history.
func (x users) Delete(ctx context.Context, id string) error {
	return x.s.change(ctx, "DELETE FROM users WHERE realm_id = :realm AND id = ?", id)
}
