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
  `,
  `
  -- The local CA, its server certificates, issued or imported client certificates and trusted
  -- issuers. Private keys only as boxes sealed under the keyring's data key.

  CREATE TABLE certificates (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('ca', 'server', 'client', 'issuer')),
    name TEXT NOT NULL,
    cert_pem TEXT NOT NULL,
    -- Issuer certificates after the leaf (PEM), sent along with it; NULL when there are none.
    chain_pem TEXT,
    -- The PKCS#8 private key sealed by the keyring (AES-256-GCM); NULL for certificates only.
    sealed_key BLOB,
    fingerprint256 TEXT NOT NULL,
    subject TEXT NOT NULL,
    issuer TEXT NOT NULL,
    serial TEXT NOT NULL,
    not_before INTEGER NOT NULL,
    not_after INTEGER NOT NULL,
    -- Server certificates: JSON array of the names and addresses they cover, normalised and sorted.
    hosts TEXT NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL
  );
  CREATE INDEX certificates_by_kind ON certificates (kind, created_at);
  CREATE UNIQUE INDEX certificates_by_fingerprint ON certificates (kind, fingerprint256);

  -- TLS facts of deliveries that arrived over TLS (JSON), NULL for plain HTTP.
  ALTER TABLE deliveries ADD COLUMN tls TEXT;
  -- Endpoint TLS settings (JSON EndpointTlsConfig), NULL for plain HTTP endpoints made before.
  ALTER TABLE endpoints ADD COLUMN tls TEXT;

  -- Connections that never carried a request: refused handshakes, refused client certificates.
  CREATE TABLE rejected_connections (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    endpoint_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    remote_address TEXT NOT NULL,
    remote_port INTEGER NOT NULL,
    rejection TEXT NOT NULL
  );
  `,
  `
  -- Verdicts keep only the first 8 characters of the signature Hookscope computed: the whole value
  -- is a valid signature for a body anyone can post to the capture port. Older verdicts are cut
  -- down here (openDatabase runs this with secure_delete on, then truncates the WAL).
  UPDATE deliveries
  SET verdict = json_remove(json_set(verdict, '$.expectedPrefix', substr(json_extract(verdict, '$.expected'), 1, 8)), '$.expected')
  WHERE verdict IS NOT NULL AND json_valid(verdict) AND json_type(verdict, '$.expected') = 'text';
  `,
  `
  -- The sender's event name (Stripe \`type\`, X-GitHub-Event, ...), computed when a delivery is
  -- stored. Rows stored before this version are filled in afterwards, newest first, in bounded
  -- steps (event-type-backfill.ts): it needs the body parsed, which SQL cannot do.
  ALTER TABLE deliveries ADD COLUMN event_type TEXT;
  INSERT INTO hookscope_meta (key, value)
    SELECT 'event_type_backfill_below', CAST(coalesce(max(seq), 0) + 1 AS TEXT) FROM deliveries;

  -- One index per list filter, each ending in seq (the rowid, implicit in every index) so a filtered
  -- page is read newest first straight from the index, without sorting the matches.
  CREATE INDEX deliveries_by_event_type ON deliveries (event_type, seq);
  CREATE INDEX deliveries_by_verdict ON deliveries (verdict_status, seq);
  CREATE INDEX deliveries_by_verdict_code ON deliveries (verdict_code, seq);
  CREATE INDEX deliveries_by_scheme ON deliveries (verdict_scheme, seq);
  CREATE INDEX deliveries_by_response_status ON deliveries (response_status, seq);
  `,
  `
  -- Tunnels (relay-server or smee channels) feeding an endpoint. The relay client token is kept
  -- only as a box sealed under the keyring's data key (NULL: none, or held for one run only).
  CREATE TABLE tunnels (
    endpoint_id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    sealed_token BLOB,
    created_at INTEGER NOT NULL
  );

  -- Where a delivery came from when not a local listener (JSON RequestSource: tunnel provider,
  -- public URL, re-serialised or not), NULL for listener deliveries.
  ALTER TABLE deliveries ADD COLUMN source TEXT;
  -- The relay's id of a tunnelled delivery: a delivery the relay sends again (its acknowledgement
  -- was lost) is found here and answered without being stored twice. Written in the same
  -- transaction as the delivery itself.
  ALTER TABLE deliveries ADD COLUMN tunnel_delivery_id TEXT;
  CREATE INDEX deliveries_by_tunnel_id ON deliveries (endpoint_id, tunnel_delivery_id) WHERE tunnel_delivery_id IS NOT NULL;
  `,
  `
  -- Forwarding rules and fallback per endpoint (JSON ForwardingConfig without warnings).
  CREATE TABLE forwarding_configs (
    endpoint_id TEXT PRIMARY KEY,
    config TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );

  -- Relay attempts, replays and test sends. A relay chain (one delivery, retries included) has at
  -- most one row 'scheduled' or 'in-flight' at a time; pending rows are what a restart resumes.
  CREATE TABLE attempts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    delivery_id TEXT,
    endpoint_id TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('relay', 'replay', 'send')),
    mode TEXT,
    rule_id TEXT,
    batch_id TEXT,
    number INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('scheduled', 'in-flight', 'succeeded', 'failed', 'interrupted', 'cancelled')),
    due_at INTEGER,
    started_at INTEGER,
    finished_at INTEGER,
    method TEXT NOT NULL,
    target TEXT NOT NULL,
    request_headers TEXT NOT NULL,
    -- NULL: the delivery's own body, not copied.
    request_body BLOB,
    request_body_size INTEGER NOT NULL,
    response_status INTEGER,
    response_headers TEXT,
    response_body BLOB,
    response_body_size INTEGER,
    response_truncated INTEGER NOT NULL DEFAULT 0,
    duration_ms REAL,
    error_code TEXT,
    error_message TEXT,
    resigned_with TEXT,
    edited INTEGER NOT NULL DEFAULT 0,
    verdict TEXT,
    notes TEXT NOT NULL DEFAULT '[]'
  );
  CREATE INDEX attempts_by_delivery ON attempts (delivery_id, seq);
  CREATE INDEX attempts_by_batch ON attempts (batch_id, seq) WHERE batch_id IS NOT NULL;
  CREATE INDEX attempts_by_kind ON attempts (kind, seq);
  CREATE INDEX attempts_pending ON attempts (state) WHERE state IN ('scheduled', 'in-flight');
  `,
  `
  -- Trailer fields of chunked bodies (JSON [name, value] byte strings), NULL when none.
  ALTER TABLE deliveries ADD COLUMN raw_trailers TEXT;
  -- The answer the sender actually got, besides its status (response_status): headers (JSON) and
  -- the first bytes of the body. NULL for deliveries stored before this version (schema 5 and older).
  ALTER TABLE deliveries ADD COLUMN response_headers TEXT;
  ALTER TABLE deliveries ADD COLUMN response_body BLOB;
  ALTER TABLE deliveries ADD COLUMN response_body_truncated INTEGER;
  `,
  `
  -- Bodies of BODY_FILE_MIN_BYTES or more are kept in bodies/<id> in the data folder (body-files.ts):
  -- their row's body is empty and this is the file's length. NULL: the body is in the row.
  ALTER TABLE deliveries ADD COLUMN body_file_bytes INTEGER;
  `
]

export const SCHEMA_VERSION = migrations.length
