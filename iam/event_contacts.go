package iam

// Audit event types of e-mail and contact changes, account merges and
// administrators' user codes (package authn, directory).
const (
	EventOTPIssued  = "otp.issued"  // an administrator created a sign-in code for a user; Detail "code_id"
	EventUserMerged = "user.merged" // an account was merged into UserID; Detail "merged_from"
)
