-- iamd schema, version 1 (SQLite).
-- Times are unix microseconds; *_key columns are iam.FoldKey of the field
-- they follow; JSON documents are TEXT. Every realm-owned table has
-- realm_id, and references between realm-owned rows are composite foreign
-- keys (realm_id, x_id), so a row can only point inside its own realm.

CREATE TABLE realms (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	name_key TEXT NOT NULL UNIQUE,
	display_name TEXT NOT NULL,
	enabled BOOLEAN NOT NULL,
	settings TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);

CREATE TABLE users (
	num INTEGER PRIMARY KEY AUTOINCREMENT,
	id TEXT NOT NULL UNIQUE,
	realm_id TEXT NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
	username TEXT NOT NULL,
	username_key TEXT NOT NULL,
	email TEXT NOT NULL,
	email_key TEXT NOT NULL,
	phone TEXT NOT NULL,
	first_name TEXT NOT NULL,
	last_name TEXT NOT NULL,
	name_key TEXT NOT NULL,
	last_name_key TEXT NOT NULL,
	enabled BOOLEAN NOT NULL,
	email_verified BOOLEAN NOT NULL,
	phone_verified BOOLEAN NOT NULL,
	attributes TEXT NOT NULL,
	required_actions TEXT NOT NULL,
	profile TEXT NOT NULL,
	addresses TEXT NOT NULL,
	password_failures INTEGER NOT NULL DEFAULT 0,
	otp_failures INTEGER NOT NULL DEFAULT 0,
	locked_until BIGINT,
	lock_permanent BOOLEAN NOT NULL DEFAULT FALSE,
	last_failure_at BIGINT,
	last_failure_ip TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	deleted_at BIGINT,
	delete_reason TEXT NOT NULL DEFAULT '',
	UNIQUE (realm_id, id)
);
-- A soft-deleted user frees its identifiers; empty e-mail and phone are
-- not identifiers.
CREATE UNIQUE INDEX users_username ON users (realm_id, username_key) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX users_email ON users (realm_id, email_key) WHERE deleted_at IS NULL AND email_key <> '';
CREATE UNIQUE INDEX users_phone ON users (realm_id, phone) WHERE deleted_at IS NULL AND phone <> '';
CREATE INDEX users_realm_created ON users (realm_id, created_at);

CREATE TABLE credentials (
	id TEXT PRIMARY KEY,
	realm_id TEXT NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
	user_id TEXT NOT NULL,
	type TEXT NOT NULL,
	label TEXT NOT NULL,
	secret TEXT NOT NULL,
	data TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	FOREIGN KEY (realm_id, user_id) REFERENCES users (realm_id, id) ON DELETE CASCADE
);
CREATE INDEX credentials_user ON credentials (realm_id, user_id, type);

CREATE TABLE apps (
	num INTEGER PRIMARY KEY AUTOINCREMENT,
	id TEXT NOT NULL UNIQUE,
	realm_id TEXT NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
	client_id TEXT NOT NULL,
	client_key TEXT NOT NULL,
	name TEXT NOT NULL,
	name_key TEXT NOT NULL,
	description TEXT NOT NULL,
	is_public BOOLEAN NOT NULL,
	secret_hash TEXT NOT NULL,
	redirect_uris TEXT NOT NULL,
	grant_types TEXT NOT NULL,
	scopes TEXT NOT NULL,
	enabled BOOLEAN NOT NULL,
	access_ttl BIGINT NOT NULL, -- nanoseconds
	refresh_ttl BIGINT NOT NULL, -- nanoseconds
	attributes TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	deleted_at BIGINT,
	UNIQUE (realm_id, id)
);
CREATE UNIQUE INDEX apps_client_id ON apps (realm_id, client_id) WHERE deleted_at IS NULL;

-- app_id is NULL for a realm role.
CREATE TABLE roles (
	id TEXT PRIMARY KEY,
	realm_id TEXT NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
	app_id TEXT,
	name TEXT NOT NULL,
	description TEXT NOT NULL,
	attributes TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	UNIQUE (realm_id, id),
	FOREIGN KEY (realm_id, app_id) REFERENCES apps (realm_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX roles_name ON roles (realm_id, COALESCE(app_id, ''), name);
CREATE INDEX roles_app ON roles (realm_id, app_id);

CREATE TABLE user_roles (
	realm_id TEXT NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
	user_id TEXT NOT NULL,
	role_id TEXT NOT NULL,
	PRIMARY KEY (realm_id, user_id, role_id),
	FOREIGN KEY (realm_id, user_id) REFERENCES users (realm_id, id) ON DELETE CASCADE,
	FOREIGN KEY (realm_id, role_id) REFERENCES roles (realm_id, id) ON DELETE CASCADE
);
CREATE INDEX user_roles_role ON user_roles (realm_id, role_id);

-- parent_id is NULL for a top-level group.
CREATE TABLE user_groups (
	id TEXT PRIMARY KEY,
	realm_id TEXT NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
	parent_id TEXT,
	name TEXT NOT NULL,
	attributes TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	UNIQUE (realm_id, id),
	FOREIGN KEY (realm_id, parent_id) REFERENCES user_groups (realm_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX user_groups_name ON user_groups (realm_id, COALESCE(parent_id, ''), name);
CREATE INDEX user_groups_parent ON user_groups (realm_id, parent_id);

CREATE TABLE group_members (
	realm_id TEXT NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
	group_id TEXT NOT NULL,
	user_id TEXT NOT NULL,
	PRIMARY KEY (realm_id, group_id, user_id),
	FOREIGN KEY (realm_id, group_id) REFERENCES user_groups (realm_id, id) ON DELETE CASCADE,
	FOREIGN KEY (realm_id, user_id) REFERENCES users (realm_id, id) ON DELETE CASCADE
);
CREATE INDEX group_members_user ON group_members (realm_id, user_id);

CREATE TABLE organizations (
	num INTEGER PRIMARY KEY AUTOINCREMENT,
	id TEXT NOT NULL UNIQUE,
	realm_id TEXT NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	name_key TEXT NOT NULL,
	display_name TEXT NOT NULL,
	display_key TEXT NOT NULL,
	attributes TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	deleted_at BIGINT,
	UNIQUE (realm_id, id)
);
CREATE UNIQUE INDEX organizations_name ON organizations (realm_id, name_key) WHERE deleted_at IS NULL;

CREATE TABLE memberships (
	realm_id TEXT NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
	org_id TEXT NOT NULL,
	user_id TEXT NOT NULL,
	roles TEXT NOT NULL,
	status TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (realm_id, org_id, user_id),
	FOREIGN KEY (realm_id, org_id) REFERENCES organizations (realm_id, id) ON DELETE CASCADE,
	FOREIGN KEY (realm_id, user_id) REFERENCES users (realm_id, id) ON DELETE CASCADE
);
CREATE INDEX memberships_user ON memberships (realm_id, user_id);

CREATE TABLE sessions (
	id TEXT PRIMARY KEY,
	realm_id TEXT NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
	user_id TEXT NOT NULL,
	org_id TEXT NOT NULL,
	amr TEXT NOT NULL,
	acr TEXT NOT NULL,
	ip TEXT NOT NULL,
	user_agent TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	last_seen_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	revoked_at BIGINT,
	UNIQUE (realm_id, id),
	FOREIGN KEY (realm_id, user_id) REFERENCES users (realm_id, id) ON DELETE CASCADE
);
CREATE INDEX sessions_user ON sessions (realm_id, user_id);

-- session_id and user_id are NULL when the token has none.
CREATE TABLE refresh_tokens (
	id TEXT PRIMARY KEY,
	realm_id TEXT NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
	session_id TEXT,
	family_id TEXT NOT NULL,
	parent_id TEXT NOT NULL,
	hash TEXT NOT NULL,
	app_id TEXT NOT NULL,
	user_id TEXT,
	org_id TEXT NOT NULL,
	scope TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	used_at BIGINT,
	successor_id TEXT NOT NULL,
	revoked_at BIGINT,
	FOREIGN KEY (realm_id, session_id) REFERENCES sessions (realm_id, id) ON DELETE CASCADE,
	FOREIGN KEY (realm_id, user_id) REFERENCES users (realm_id, id) ON DELETE CASCADE
);
CREATE INDEX refresh_tokens_hash ON refresh_tokens (realm_id, hash);
CREATE INDEX refresh_tokens_family ON refresh_tokens (realm_id, family_id);
CREATE INDEX refresh_tokens_session ON refresh_tokens (realm_id, session_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (realm_id, user_id);

-- user_id is NULL for a code not (yet) tied to a user, e.g. at sign-up.
CREATE TABLE one_time_codes (
	id TEXT PRIMARY KEY,
	realm_id TEXT NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
	user_id TEXT,
	purpose TEXT NOT NULL,
	target TEXT NOT NULL,
	hash TEXT NOT NULL,
	handle TEXT NOT NULL,
	attempts_left INTEGER NOT NULL,
	data TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	consumed_at BIGINT,
	FOREIGN KEY (realm_id, user_id) REFERENCES users (realm_id, id) ON DELETE CASCADE
);
CREATE INDEX one_time_codes_handle ON one_time_codes (realm_id, handle, purpose);
CREATE INDEX one_time_codes_hash ON one_time_codes (realm_id, hash, purpose);
CREATE INDEX one_time_codes_user ON one_time_codes (realm_id, user_id);
CREATE INDEX one_time_codes_expires ON one_time_codes (realm_id, expires_at);

CREATE TABLE invitations (
	id TEXT PRIMARY KEY,
	realm_id TEXT NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
	org_id TEXT NOT NULL,
	email TEXT NOT NULL,
	phone TEXT NOT NULL,
	roles TEXT NOT NULL,
	invited_by TEXT NOT NULL,
	token_hash TEXT NOT NULL,
	status TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	accepted_at BIGINT,
	user_id TEXT NOT NULL,
	FOREIGN KEY (realm_id, org_id) REFERENCES organizations (realm_id, id) ON DELETE CASCADE
);
CREATE INDEX invitations_org ON invitations (realm_id, org_id, created_at);
CREATE INDEX invitations_token ON invitations (realm_id, token_hash);

CREATE TABLE riskbits (
	id TEXT PRIMARY KEY,
	realm_id TEXT NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
	risk TEXT NOT NULL,
	rating_level TEXT NOT NULL,
	score INTEGER NOT NULL,
	risk_android TEXT NOT NULL,
	risk_ios TEXT NOT NULL,
	operation TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	UNIQUE (realm_id, risk)
);

CREATE TABLE events (
	id TEXT PRIMARY KEY,
	realm_id TEXT NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
	type TEXT NOT NULL,
	user_id TEXT NOT NULL,
	actor_id TEXT NOT NULL,
	app_id TEXT NOT NULL,
	ip TEXT NOT NULL,
	detail TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX events_realm_created ON events (realm_id, created_at);
CREATE INDEX events_user ON events (realm_id, user_id, created_at);

CREATE TABLE messages (
	id TEXT PRIMARY KEY,
	realm_id TEXT NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
	channel TEXT NOT NULL,
	recipient TEXT NOT NULL,
	subject TEXT NOT NULL,
	text_body TEXT NOT NULL,
	html_body TEXT NOT NULL,
	purpose TEXT NOT NULL,
	code TEXT NOT NULL,
	link TEXT NOT NULL,
	attempts INTEGER NOT NULL,
	next_attempt_at BIGINT NOT NULL,
	sent_at BIGINT,
	failed_at BIGINT,
	last_error TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX messages_realm_created ON messages (realm_id, created_at);
CREATE INDEX messages_due ON messages (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
