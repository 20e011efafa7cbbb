-- iamd schema, version 1 (PostgreSQL).
-- Times are unix microseconds; *_key columns are iam.FoldKey of the field
-- they follow; JSON documents are TEXT. Every realm-owned table has
-- realm_id, and references between realm-owned rows are composite foreign
-- keys (realm_id, x_id), so a row can only point inside its own realm.
-- Text is COLLATE "C" so that ordering and comparison are bytewise, as in
-- SQLite, whatever the database's locale.

CREATE TABLE realms (
	id TEXT COLLATE "C" PRIMARY KEY,
	name TEXT COLLATE "C" NOT NULL,
	name_key TEXT COLLATE "C" NOT NULL UNIQUE,
	display_name TEXT COLLATE "C" NOT NULL,
	enabled BOOLEAN NOT NULL,
	settings TEXT COLLATE "C" NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);

CREATE TABLE users (
	num BIGSERIAL PRIMARY KEY,
	id TEXT COLLATE "C" NOT NULL UNIQUE,
	realm_id TEXT COLLATE "C" NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
	username TEXT COLLATE "C" NOT NULL,
	username_key TEXT COLLATE "C" NOT NULL,
	email TEXT COLLATE "C" NOT NULL,
	email_key TEXT COLLATE "C" NOT NULL,
	phone TEXT COLLATE "C" NOT NULL,
	first_name TEXT COLLATE "C" NOT NULL,
	last_name TEXT COLLATE "C" NOT NULL,
	name_key TEXT COLLATE "C" NOT NULL,
	last_name_key TEXT COLLATE "C" NOT NULL,
	enabled BOOLEAN NOT NULL,
	email_verified BOOLEAN NOT NULL,
	phone_verified BOOLEAN NOT NULL,
	attributes TEXT COLLATE "C" NOT NULL,
	required_actions TEXT COLLATE "C" NOT NULL,
	profile TEXT COLLATE "C" NOT NULL,
	addresses TEXT COLLATE "C" NOT NULL,
	password_failures INTEGER NOT NULL DEFAULT 0,
	otp_failures INTEGER NOT NULL DEFAULT 0,
	locked_until BIGINT,
	lock_permanent BOOLEAN NOT NULL DEFAULT FALSE,
	last_failure_at BIGINT,
	last_failure_ip TEXT COLLATE "C" NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	deleted_at BIGINT,
	delete_reason TEXT COLLATE "C" NOT NULL DEFAULT '',
	UNIQUE (realm_id, id)
);
-- A soft-deleted user frees its identifiers; empty e-mail and phone are
-- not identifiers.
CREATE UNIQUE INDEX users_username ON users (realm_id, username_key) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX users_email ON users (realm_id, email_key) WHERE deleted_at IS NULL AND email_key <> '';
CREATE UNIQUE INDEX users_phone ON users (realm_id, phone) WHERE deleted_at IS NULL AND phone <> '';
CREATE INDEX users_realm_created ON users (realm_id, created_at);

CREATE TABLE credentials (
	id TEXT COLLATE "C" PRIMARY KEY,
	realm_id TEXT COLLATE "C" NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
	user_id TEXT COLLATE "C" NOT NULL,
	type TEXT COLLATE "C" NOT NULL,
	label TEXT COLLATE "C" NOT NULL,
	secret TEXT COLLATE "C" NOT NULL,
	data TEXT COLLATE "C" NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	FOREIGN KEY (realm_id, user_id) REFERENCES users (realm_id, id) ON DELETE CASCADE
);
CREATE INDEX credentials_user ON credentials (realm_id, user_id, type);

CREATE TABLE apps (
	num BIGSERIAL PRIMARY KEY,
	id TEXT COLLATE "C" NOT NULL UNIQUE,
	realm_id TEXT COLLATE "C" NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
	client_id TEXT COLLATE "C" NOT NULL,
	client_key TEXT COLLATE "C" NOT NULL,
	name TEXT COLLATE "C" NOT NULL,
	name_key TEXT COLLATE "C" NOT NULL,
	description TEXT COLLATE "C" NOT NULL,
	is_public BOOLEAN NOT NULL,
	secret_hash TEXT COLLATE "C" NOT NULL,
	redirect_uris TEXT COLLATE "C" NOT NULL,
	grant_types TEXT COLLATE "C" NOT NULL,
	scopes TEXT COLLATE "C" NOT NULL,
	enabled BOOLEAN NOT NULL,
	access_ttl BIGINT NOT NULL, -- nanoseconds
	refresh_ttl BIGINT NOT NULL, -- nanoseconds
	attributes TEXT COLLATE "C" NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	deleted_at BIGINT,
	UNIQUE (realm_id, id)
);
CREATE UNIQUE INDEX apps_client_id ON apps (realm_id, client_id) WHERE deleted_at IS NULL;

-- app_id is NULL for a realm role.
CREATE TABLE roles (
	id TEXT COLLATE "C" PRIMARY KEY,
	realm_id TEXT COLLATE "C" NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
	app_id TEXT COLLATE "C",
	name TEXT COLLATE "C" NOT NULL,
	description TEXT COLLATE "C" NOT NULL,
	attributes TEXT COLLATE "C" NOT NULL,
	created_at BIGINT NOT NULL,
	UNIQUE (realm_id, id),
	FOREIGN KEY (realm_id, app_id) REFERENCES apps (realm_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX roles_name ON roles (realm_id, COALESCE(app_id, ''), name);
CREATE INDEX roles_app ON roles (realm_id, app_id);

CREATE TABLE user_roles (
	realm_id TEXT COLLATE "C" NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
	user_id TEXT COLLATE "C" NOT NULL,
	role_id TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (realm_id, user_id, role_id),
	FOREIGN KEY (realm_id, user_id) REFERENCES users (realm_id, id) ON DELETE CASCADE,
	FOREIGN KEY (realm_id, role_id) REFERENCES roles (realm_id, id) ON DELETE CASCADE
);
CREATE INDEX user_roles_role ON user_roles (realm_id, role_id);

-- parent_id is NULL for a top-level group.
CREATE TABLE user_groups (
	id TEXT COLLATE "C" PRIMARY KEY,
	realm_id TEXT COLLATE "C" NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
	parent_id TEXT COLLATE "C",
	name TEXT COLLATE "C" NOT NULL,
	attributes TEXT COLLATE "C" NOT NULL,
	created_at BIGINT NOT NULL,
	UNIQUE (realm_id, id),
	FOREIGN KEY (realm_id, parent_id) REFERENCES user_groups (realm_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX user_groups_name ON user_groups (realm_id, COALESCE(parent_id, ''), name);
CREATE INDEX user_groups_parent ON user_groups (realm_id, parent_id);

CREATE TABLE group_members (
	realm_id TEXT COLLATE "C" NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
	group_id TEXT COLLATE "C" NOT NULL,
	user_id TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (realm_id, group_id, user_id),
	FOREIGN KEY (realm_id, group_id) REFERENCES user_groups (realm_id, id) ON DELETE CASCADE,
	FOREIGN KEY (realm_id, user_id) REFERENCES users (realm_id, id) ON DELETE CASCADE
);
CREATE INDEX group_members_user ON group_members (realm_id, user_id);

CREATE TABLE organizations (
	num BIGSERIAL PRIMARY KEY,
	id TEXT COLLATE "C" NOT NULL UNIQUE,
	realm_id TEXT COLLATE "C" NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
	name TEXT COLLATE "C" NOT NULL,
	name_key TEXT COLLATE "C" NOT NULL,
	display_name TEXT COLLATE "C" NOT NULL,
	display_key TEXT COLLATE "C" NOT NULL,
	attributes TEXT COLLATE "C" NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	deleted_at BIGINT,
	UNIQUE (realm_id, id)
);
CREATE UNIQUE INDEX organizations_name ON organizations (realm_id, name_key) WHERE deleted_at IS NULL;

CREATE TABLE memberships (
	realm_id TEXT COLLATE "C" NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
	org_id TEXT COLLATE "C" NOT NULL,
	user_id TEXT COLLATE "C" NOT NULL,
	roles TEXT COLLATE "C" NOT NULL,
	status TEXT COLLATE "C" NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (realm_id, org_id, user_id),
	FOREIGN KEY (realm_id, org_id) REFERENCES organizations (realm_id, id) ON DELETE CASCADE,
	FOREIGN KEY (realm_id, user_id) REFERENCES users (realm_id, id) ON DELETE CASCADE
);
CREATE INDEX memberships_user ON memberships (realm_id, user_id);

CREATE TABLE sessions (
	id TEXT COLLATE "C" PRIMARY KEY,
	realm_id TEXT COLLATE "C" NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
	user_id TEXT COLLATE "C" NOT NULL,
	org_id TEXT COLLATE "C" NOT NULL,
	amr TEXT COLLATE "C" NOT NULL,
	acr TEXT COLLATE "C" NOT NULL,
	ip TEXT COLLATE "C" NOT NULL,
	user_agent TEXT COLLATE "C" NOT NULL,
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
	id TEXT COLLATE "C" PRIMARY KEY,
	realm_id TEXT COLLATE "C" NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
	session_id TEXT COLLATE "C",
	family_id TEXT COLLATE "C" NOT NULL,
	parent_id TEXT COLLATE "C" NOT NULL,
	hash TEXT COLLATE "C" NOT NULL,
	app_id TEXT COLLATE "C" NOT NULL,
	user_id TEXT COLLATE "C",
	org_id TEXT COLLATE "C" NOT NULL,
	scope TEXT COLLATE "C" NOT NULL,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	used_at BIGINT,
	successor_id TEXT COLLATE "C" NOT NULL,
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
	id TEXT COLLATE "C" PRIMARY KEY,
	realm_id TEXT COLLATE "C" NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
	user_id TEXT COLLATE "C",
	purpose TEXT COLLATE "C" NOT NULL,
	target TEXT COLLATE "C" NOT NULL,
	hash TEXT COLLATE "C" NOT NULL,
	handle TEXT COLLATE "C" NOT NULL,
	attempts_left INTEGER NOT NULL,
	data TEXT COLLATE "C" NOT NULL,
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
	id TEXT COLLATE "C" PRIMARY KEY,
	realm_id TEXT COLLATE "C" NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
	org_id TEXT COLLATE "C" NOT NULL,
	email TEXT COLLATE "C" NOT NULL,
	phone TEXT COLLATE "C" NOT NULL,
	roles TEXT COLLATE "C" NOT NULL,
	invited_by TEXT COLLATE "C" NOT NULL,
	token_hash TEXT COLLATE "C" NOT NULL,
	status TEXT COLLATE "C" NOT NULL,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	accepted_at BIGINT,
	user_id TEXT COLLATE "C" NOT NULL,
	FOREIGN KEY (realm_id, org_id) REFERENCES organizations (realm_id, id) ON DELETE CASCADE
);
CREATE INDEX invitations_org ON invitations (realm_id, org_id, created_at);
CREATE INDEX invitations_token ON invitations (realm_id, token_hash);

CREATE TABLE riskbits (
	id TEXT COLLATE "C" PRIMARY KEY,
	realm_id TEXT COLLATE "C" NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
	risk TEXT COLLATE "C" NOT NULL,
	rating_level TEXT COLLATE "C" NOT NULL,
	score INTEGER NOT NULL,
	risk_android TEXT COLLATE "C" NOT NULL,
	risk_ios TEXT COLLATE "C" NOT NULL,
	operation TEXT COLLATE "C" NOT NULL,
	created_at BIGINT NOT NULL,
	UNIQUE (realm_id, risk)
);

CREATE TABLE events (
	id TEXT COLLATE "C" PRIMARY KEY,
	realm_id TEXT COLLATE "C" NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
	type TEXT COLLATE "C" NOT NULL,
	user_id TEXT COLLATE "C" NOT NULL,
	actor_id TEXT COLLATE "C" NOT NULL,
	app_id TEXT COLLATE "C" NOT NULL,
	ip TEXT COLLATE "C" NOT NULL,
	detail TEXT COLLATE "C" NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX events_realm_created ON events (realm_id, created_at);
CREATE INDEX events_user ON events (realm_id, user_id, created_at);

CREATE TABLE messages (
	id TEXT COLLATE "C" PRIMARY KEY,
	realm_id TEXT COLLATE "C" NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
	channel TEXT COLLATE "C" NOT NULL,
	recipient TEXT COLLATE "C" NOT NULL,
	subject TEXT COLLATE "C" NOT NULL,
	text_body TEXT COLLATE "C" NOT NULL,
	html_body TEXT COLLATE "C" NOT NULL,
	purpose TEXT COLLATE "C" NOT NULL,
	code TEXT COLLATE "C" NOT NULL,
	link TEXT COLLATE "C" NOT NULL,
	attempts INTEGER NOT NULL,
	next_attempt_at BIGINT NOT NULL,
	sent_at BIGINT,
	failed_at BIGINT,
	last_error TEXT COLLATE "C" NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX messages_realm_created ON messages (realm_id, created_at);
CREATE INDEX messages_due ON messages (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
