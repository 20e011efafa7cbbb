// Package directory holds the administration use cases: realms, users
// (create, update, soft delete, password reset and change with history,
// keeping one session or none: passwords.go), apps,
// organizations and their members, invitations, roles and grants, groups,
// riskbits, removing a user's e-mail or phone (contacts_remove.go),
// merging two accounts (merge.go), adding and inviting people to an
// organization by its administrators (orgpeople.go, orgpeople_bulk.go,
// invitations_org.go, orgadmin.go), and the first-start bootstrap. Every rule about what an
// administrator may create or change lives here once; surfaces and the
// command line only translate to and from it.
//
// Every method takes the realm explicitly. Ids are checked before any
// query (a malformed, absent or other realm's id is CodeNotFound), bad
// input is CodeInvalid naming the field, each change runs in one
// transaction together with its audit event (and its outbox message, for
// invitations), and every error is an *iam.Error.
package directory
