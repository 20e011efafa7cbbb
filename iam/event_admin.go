package iam

// Audit event types of the administration use cases (package directory).
const (
	EventOrgCreated    = "organization.created"
	EventOrgUpdated    = "organization.updated"
	EventOrgDeleted    = "organization.deleted"
	EventMemberAdded   = "organization.member_added"
	EventMemberUpdated = "organization.member_updated"
	EventMemberRemoved = "organization.member_removed"

	EventRoleCreated = "role.created"
	EventRoleDeleted = "role.deleted"

	EventGroupCreated       = "group.created"
	EventGroupUpdated       = "group.updated"
	EventGroupDeleted       = "group.deleted"
	EventGroupMemberAdded   = "group.member_added"
	EventGroupMemberRemoved = "group.member_removed"

	EventInvitationCreated  = "invitation.created"
	EventInvitationAccepted = "invitation.accepted"
	EventInvitationRevoked  = "invitation.revoked"

	EventRiskbitsChanged      = "riskbits.changed"
	EventRiskbitStatusChanged = "riskbits.status_changed"
)
