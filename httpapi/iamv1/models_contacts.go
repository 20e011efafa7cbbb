package iamv1

// Models of the e-mail and contact group (contacts.go, emaillink.go,
// merge.go, userotp.go), JSON names exactly as the document's.

// EmailChangeRequest is the body of POST /v1/iam/users/emailchangeotp.
type EmailChangeRequest struct {
	NewEmail string `json:"newEmail"`
	Password string `json:"password"`
}

// EmailChangeResponse answers it: the session to confirm with, and how
// long the code lives (seconds, a string as the document types it).
type EmailChangeResponse struct {
	OtpExpiryDurationSeconds string `json:"otpExpiryDurationSeconds"`
	SessionID                string `json:"sessionID"`
}

// EmailChangeConfirmRequest is the body of POST /v1/iam/users/emailchangeconfirmotp.
type EmailChangeConfirmRequest struct {
	NewEmail         string     `json:"newEmail"`
	SessionID        string     `json:"sessionID"`
	VerificationCode FlexString `json:"verificationCode"`
}

// ConfirmOtpRequest is the body of POST /v1/iam/users/confirmotp. IsEmail
// is a pointer so that a missing one is told from false.
type ConfirmOtpRequest struct {
	ConfirmationCode FlexString `json:"confirmationCode"`
	IsEmail          *bool      `json:"isEmail"`
	Password         string     `json:"password"`
	UserName         FlexString `json:"userName"`
}

// EmailLinkRequest is the body of POST /v1/iam/users/email/verify.
type EmailLinkRequest struct {
	ConfirmationCode FlexString `json:"confirmationCode"`
	Password         string     `json:"password"`
}

// MergeAccountRequest is the body of POST /v1/iam/users/email/merge.
type MergeAccountRequest struct {
	Contact FlexString `json:"contact"`
	Email   string     `json:"email"`
}

// MergeAccountProcessRequest is the body of POST /v1/iam/users/email/merge/process.
type MergeAccountProcessRequest struct {
	Contact     FlexString `json:"contact"`
	Email       string     `json:"email"`
	IsMobile    bool       `json:"isMobile"`
	MakePrimary bool       `json:"makePrimary"`
	Otp         FlexString `json:"otp"`
}

// UserOtpResponse answers GET and POST /v1/iam/users/otp. Otp is the
// clear code, only in the answer of the POST that made it.
type UserOtpResponse struct {
	Contact string `json:"contact,omitempty"`
	Expiry  string `json:"expiry,omitempty"`
	Otp     string `json:"otp,omitempty"`
	OtpType string `json:"otpType,omitempty"`
	Session string `json:"session,omitempty"`
}
