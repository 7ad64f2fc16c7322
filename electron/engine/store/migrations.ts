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
  `
]

export const SCHEMA_VERSION = migrations.length
