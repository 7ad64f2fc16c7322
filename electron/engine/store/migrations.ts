/**
 * Schema history. Each entry moves `PRAGMA user_version` from its index to index + 1.
 * Append only: never edit a migration that has shipped.
 */
export const migrations: readonly string[] = [
  `
  CREATE TABLE hookscope_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  INSERT INTO hookscope_meta (key, value) VALUES ('app', 'hookscope');

  CREATE TABLE endpoints (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    host TEXT NOT NULL,
    port INTEGER NOT NULL,
    enabled INTEGER NOT NULL,
    max_body_bytes INTEGER NOT NULL,
    response TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );

  -- seq orders deliveries and pages them; id is the public, globally unique name.
  CREATE TABLE deliveries (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    endpoint_id TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    duration_ms REAL NOT NULL,
    method TEXT NOT NULL,
    url TEXT NOT NULL,
    http_version TEXT NOT NULL,
    raw_headers TEXT NOT NULL,
    content_type TEXT,
    body BLOB NOT NULL,
    body_size INTEGER NOT NULL,
    body_is_text INTEGER NOT NULL,
    truncated INTEGER NOT NULL,
    response_status INTEGER NOT NULL,
    remote_address TEXT NOT NULL,
    remote_port INTEGER NOT NULL
  );
  CREATE INDEX deliveries_by_time ON deliveries (received_at);
  CREATE INDEX deliveries_by_endpoint ON deliveries (endpoint_id, seq);
  CREATE INDEX deliveries_by_method ON deliveries (method, seq);
  `,
  `
  -- Verification results live on the delivery row: written in the same transaction as the
  -- delivery itself at capture, rewritten when re-verified.
  ALTER TABLE deliveries ADD COLUMN verdict_status TEXT;
  ALTER TABLE deliveries ADD COLUMN verdict_scheme TEXT;
  ALTER TABLE deliveries ADD COLUMN verdict_code TEXT;
  ALTER TABLE deliveries ADD COLUMN verdict TEXT;

  -- The data key, wrapped once per protection (OS keychain, passphrase); any one unlocks it.
  CREATE TABLE vault_wraps (
    kind TEXT PRIMARY KEY,
    wrapped BLOB NOT NULL,
    params TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );

  -- Key metadata in clear; key material only as AES-256-GCM ciphertext under the data key.
  CREATE TABLE keys (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    scheme TEXT NOT NULL,
    key_id TEXT,
    grp TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('INACTIVE', 'ACTIVE', 'DELETED')),
    created_at INTEGER NOT NULL,
    activated_at INTEGER,
    deleted_at INTEGER,
    endpoint_ids TEXT NOT NULL,
    path_prefixes TEXT NOT NULL,
    notes TEXT NOT NULL,
    options TEXT NOT NULL,
    fields TEXT NOT NULL,
    material BLOB NOT NULL
  );
  CREATE INDEX keys_by_group ON keys (grp, status);

  -- Sender delivery ids seen per endpoint and scheme: a second delivery with the same id is a replay.
  CREATE TABLE replay_log (
    endpoint_id TEXT NOT NULL,
    scheme TEXT NOT NULL,
    sender_id TEXT NOT NULL,
    first_delivery TEXT NOT NULL,
    PRIMARY KEY (endpoint_id, scheme, sender_id)
  ) WITHOUT ROWID;
  `
]

export const SCHEMA_VERSION = migrations.length
