package directory

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"iamd/iam"
	"iamd/store"
)

// MergeReason is the delete reason of an account merged into another.
const MergeReason = "merged"

// Merge asks MergeUsers to fold one account into another.
type Merge struct {
	SurvivorID string // the account that stays
	MergedID   string // the account that goes
	// Proven is the address of the merged account whose owner proved
	// it ("email" or "phone"): it arrives verified.
	Proven string
	// MakePrimary takes the merged account's e-mail and phone even where
	// the survivor has its own; otherwise only where it has none.
	MakePrimary bool
	ActorID     string
}

// MergeUsers folds the live account in.MergedID into the live account
// in.SurvivorID in one transaction: organization memberships (roles of
// both united where both are members), realm and app roles, groups,
// social sign-in links, and the password when the survivor has none move
// to the survivor; so do the e-mail address and phone (see Merge), and
// the names where the survivor has none. The merged account is then
// soft-deleted with reason MergeReason, which frees its identifiers and
// ends its sign-ins, and its sessions are revoked.
//
// An account with an authenticator app (TOTP) is not merged: the code
// that proves an address must not bypass the second factor guarding it.
//
// Errors: CodeNotFound for an unknown or deleted account; CodeInvalid
// when the two are the same; CodePrecondition for the authenticator app;
// CodeConflict when an identifier is taken meanwhile.
func (s *Service) MergeUsers(ctx context.Context, realm *iam.Realm, in Merge) (*iam.User, error) {
	if in.SurvivorID == in.MergedID {
		return nil, iam.Invalid("user", "an account cannot be merged into itself")
	}
	now := s.now()
	var survivor *iam.User
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		sc := tx.Realm(realm.ID)
		var err error
		if survivor, err = liveUser(ctx, sc, in.SurvivorID); err != nil {
			return err
		}
		merged, err := liveUser(ctx, sc, in.MergedID)
		if err != nil {
			return err
		}
		if err := moveCredentials(ctx, sc, merged.ID, survivor.ID, now); err != nil {
			return err
		}
		if err := moveMemberships(ctx, sc, merged.ID, survivor.ID, now); err != nil {
			return err
		}
		if err := moveRolesAndGroups(ctx, sc, merged.ID, survivor.ID); err != nil {
			return err
		}
		// The merged account goes first, so that its e-mail and phone are
		// free when the survivor takes them.
		if err := sc.Users().SoftDelete(ctx, merged.ID, MergeReason, now); err != nil {
			return err
		}
		n, err := sc.Sessions().RevokeUser(ctx, merged.ID, now)
		if err != nil {
			return err
		}
		fields := takeIdentity(survivor, merged, in)
		survivor.UpdatedAt = now
		if err := sc.Users().Update(ctx, survivor); err != nil {
			return store.AsIAM(err, "user", conflictMessage(survivor))
		}
		if err := sc.Events().Append(ctx, event(realm, iam.EventUserDeleted, merged.ID, in.ActorID, now, map[string]string{
			"reason": MergeReason, "merged_into": survivor.ID, "sessions_revoked": strconv.Itoa(n)})); err != nil {
			return err
		}
		return sc.Events().Append(ctx, event(realm, iam.EventUserMerged, survivor.ID, in.ActorID, now, map[string]string{
			"merged_from": merged.ID, "fields": fields}))
	})
	if err != nil {
		return nil, store.AsIAM(err, "user", "")
	}
	return survivor, nil
}

// moveCredentials moves social links, and the password when the
// survivor has none, refusing an account with an authenticator app.
// Credentials cannot change owner in the store, so each is recreated for
// the survivor after the original is deleted (a social link is unique).
func moveCredentials(ctx context.Context, sc store.Scope, from, to string, now time.Time) error {
	creds, err := sc.Credentials().List(ctx, from, "")
	if err != nil {
		return err
	}
	own, err := sc.Credentials().List(ctx, to, iam.CredPassword)
	if err != nil {
		return err
	}
	hasPassword := len(own) > 0
	for _, c := range creds {
		switch {
		case c.Type == iam.CredTOTP:
			return iam.Errorf(iam.CodePrecondition, "the account to merge has an authenticator app; turn two-factor sign-in off there first")
		case c.Type == iam.CredSocial, c.Type == iam.CredPassword && !hasPassword:
			if c.Type == iam.CredPassword {
				hasPassword = true // the newest one only
			}
			if err := sc.Credentials().Delete(ctx, c.ID); err != nil {
				return err
			}
			moved := *c
			moved.ID, moved.UserID, moved.UpdatedAt = iam.NewID(), to, now
			if err := sc.Credentials().Create(ctx, &moved); err != nil {
				return err
			}
		}
	}
	return nil
}

// moveMemberships gives the survivor every membership of the merged
// account; where both are members, the roles are united and the
// membership is active if either was.
func moveMemberships(ctx context.Context, sc store.Scope, from, to string, now time.Time) error {
	list, err := sc.Organizations().OfUser(ctx, from)
	if err != nil {
		return err
	}
	for _, m := range list {
		mine, err := sc.Organizations().GetMember(ctx, m.OrgID, to)
		switch {
		case errors.Is(err, store.ErrNotFound):
			mine = &iam.Membership{OrgID: m.OrgID, UserID: to, Roles: m.Roles, Status: m.Status, CreatedAt: now}
		case err != nil:
			return err
		default:
			for _, r := range m.Roles {
				if !slices.ContainsFunc(mine.Roles, func(x iam.OrgRole) bool { return x.App == r.App && x.Role == r.Role }) {
					mine.Roles = append(mine.Roles, r)
				}
			}
			if m.Active() {
				mine.Status = iam.MemberActive
			}
		}
		mine.UpdatedAt = now
		if err := sc.Organizations().PutMember(ctx, mine); err != nil {
			return err
		}
		if err := sc.Organizations().RemoveMember(ctx, m.OrgID, from); err != nil {
			return err
		}
	}
	return nil
}

// moveRolesAndGroups grants the survivor the merged account's realm and
// app roles and adds it to its groups.
func moveRolesAndGroups(ctx context.Context, sc store.Scope, from, to string) error {
	roles, err := sc.Roles().OfUser(ctx, from)
	if err != nil {
		return err
	}
	for _, r := range roles {
		if err := sc.Roles().Grant(ctx, to, r.ID); err != nil {
			return err
		}
		if err := sc.Roles().Revoke(ctx, from, r.ID); err != nil {
			return err
		}
	}
	groups, err := sc.Groups().OfUser(ctx, from)
	if err != nil {
		return err
	}
	for _, g := range groups {
		if err := sc.Groups().AddMember(ctx, g.ID, to); err != nil {
			return err
		}
		if err := sc.Groups().RemoveMember(ctx, g.ID, from); err != nil {
			return err
		}
	}
	return nil
}

// takeIdentity gives survivor the merged account's e-mail and phone
// (where it has none, or all with MakePrimary) and names where it has
// none. A username that was a replaced address follows it. It returns
// the changed fields, comma-separated.
func takeIdentity(survivor, merged *iam.User, in Merge) string {
	var fields []string
	take := func(name string, dst *string, dstVerified *bool, v string, verified bool) {
		if v == "" || (*dst != "" && !in.MakePrimary) || iam.FoldKey(*dst) == iam.FoldKey(v) {
			return
		}
		if *dst != "" && iam.FoldKey(survivor.Username) == iam.FoldKey(*dst) {
			survivor.Username, fields = v, append(fields, "username")
		}
		*dst, *dstVerified, fields = v, verified, append(fields, name)
	}
	take("email", &survivor.Email, &survivor.EmailVerified, merged.Email, merged.EmailVerified || in.Proven == "email")
	take("phone", &survivor.Phone, &survivor.PhoneVerified, merged.Phone, merged.PhoneVerified || in.Proven == "phone")
	if survivor.FirstName == "" && survivor.LastName == "" && (merged.FirstName != "" || merged.LastName != "") {
		survivor.FirstName, survivor.LastName, fields = merged.FirstName, merged.LastName, append(fields, "firstName", "lastName")
	}
	if survivor.EmailVerified {
		survivor.RequiredActions = slices.DeleteFunc(slices.Clone(survivor.RequiredActions), func(a string) bool { return a == iam.ActionVerifyEmail })
	}
	return strings.Join(fields, ",")
}
