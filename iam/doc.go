// Package iam is the domain of iamd: realms, organizations, users,
// credentials, apps, roles, groups, sessions, one-time codes, invitations,
// riskbits, audit events and outbox messages, with their invariants and the
// one error vocabulary every surface maps to its own wire format.
//
// Nothing here does I/O. Storage lives behind package store; rules that need
// storage live in packages authn and directory.
package iam
