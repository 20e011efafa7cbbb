-- iamd schema, version 3 (SQLite): social sign-in. A social credential's
-- label is the provider's name and its secret the user's subject there;
-- one upstream identity is linked to at most one user of a realm, and the
-- sign-in finds it by this index.

CREATE UNIQUE INDEX credentials_social ON credentials (realm_id, label, secret) WHERE type = 'social' AND secret <> '';
