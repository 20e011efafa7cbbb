package iamv1

// Models of the password operations (#4, #5, #37, #42), JSON names
// exactly as the document's. #4 and #37 answer OtpResponse (models.go).

// ForgotPasswordRequest is the body of POST /v1/iam/auth/password/forgot.
// UserName is an e-mail address, a phone number (the document's example
// is "+65-1234-5678"; a JSON number is read as its digits) or a username.
type ForgotPasswordRequest struct {
	UserName FlexString `json:"userName"`
}

// ConfirmPasswordRequest is the body of POST /v1/iam/auth/password/confirm
// and of POST /v1/iam/users/adminSetPassword.
type ConfirmPasswordRequest struct {
	ConfirmationCode FlexString `json:"confirmationCode"`
	Password         string     `json:"password"`
	UserName         FlexString `json:"userName"`
}

// UserChangePasswordRequest is the body of POST /v1/iam/users/change-password.
type UserChangePasswordRequest struct {
	NewPassword string `json:"newPassword"`
	OldPassword string `json:"oldPassword"`
}
