-- iamd schema, version 2 (SQLite): JWT signing keys of each realm.
-- private_enc is the PKCS#8 private key sealed with the master key;
-- public_der is the PKIX public key.

CREATE TABLE signing_keys (
	id TEXT PRIMARY KEY,
	realm_id TEXT NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
	alg TEXT NOT NULL,
	private_enc BLOB NOT NULL,
	public_der BLOB NOT NULL,
	created_at BIGINT NOT NULL,
	retired_at BIGINT,
	expires_at BIGINT
);
CREATE INDEX signing_keys_realm_created ON signing_keys (realm_id, created_at);
