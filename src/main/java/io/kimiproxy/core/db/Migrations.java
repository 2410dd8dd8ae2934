package io.kimiproxy.core.db;

import java.util.List;

/**
 * The schema, as an ordered list of versions. A version is applied once, in one transaction, and
 * recorded in {@code schema_version}; later features append versions, never edit shipped ones.
 */
final class Migrations {

  record Migration(int version, String description, List<String> statements) {}

  static final List<Migration> ALL = List.of(
      new Migration(1, "usage ledger and sessions", List.of(
          """
          CREATE TABLE requests (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            parent_id TEXT,
            attempt INTEGER NOT NULL DEFAULT 1,
            kind TEXT NOT NULL DEFAULT 'chat',
            ts INTEGER NOT NULL,
            session_id TEXT,
            client TEXT NOT NULL,
            model_alias TEXT NOT NULL,
            provider TEXT,
            upstream_model TEXT,
            stream INTEGER NOT NULL,
            status INTEGER NOT NULL,
            error_type TEXT,
            error_code TEXT,
            error_message TEXT,
            prompt_tokens INTEGER NOT NULL,
            completion_tokens INTEGER NOT NULL,
            cached_tokens INTEGER NOT NULL,
            reasoning_tokens INTEGER NOT NULL,
            tokens_estimated INTEGER NOT NULL,
            cost_usd DOUBLE NOT NULL,
            latency_ms INTEGER NOT NULL,
            ttfb_ms INTEGER,
            max_context INTEGER NOT NULL DEFAULT 0
          )""",
          "CREATE INDEX idx_requests_ts ON requests(ts)",
          "CREATE INDEX idx_requests_session ON requests(session_id, seq)",
          """
          CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            client TEXT NOT NULL,
            model_alias TEXT NOT NULL,
            provider TEXT,
            first_seen INTEGER NOT NULL,
            last_seen INTEGER NOT NULL,
            request_count INTEGER NOT NULL,
            error_count INTEGER NOT NULL,
            prompt_tokens_total INTEGER NOT NULL,
            completion_tokens_total INTEGER NOT NULL,
            cost_total DOUBLE NOT NULL,
            last_prompt_tokens INTEGER NOT NULL,
            max_context INTEGER NOT NULL,
            context_fill DOUBLE NOT NULL
          )""",
          "CREATE INDEX idx_sessions_last_seen ON sessions(last_seen)")),
      new Migration(5, "response cache index; cache hits and client keys in the ledger", List.of(
          """
          CREATE TABLE cache_entries (
            key TEXT PRIMARY KEY,
            created INTEGER NOT NULL,
            expires INTEGER NOT NULL,
            size_bytes INTEGER NOT NULL,
            model TEXT NOT NULL,
            client TEXT NOT NULL,
            stream INTEGER NOT NULL,
            prompt_tokens INTEGER NOT NULL,
            completion_tokens INTEGER NOT NULL,
            cost_usd DOUBLE NOT NULL,
            preview TEXT NOT NULL,
            hits INTEGER NOT NULL,
            last_hit INTEGER NOT NULL
          )""",
          "CREATE INDEX idx_cache_created ON cache_entries(created)",
          "ALTER TABLE requests ADD COLUMN cache_hit INTEGER NOT NULL DEFAULT 0",
          "ALTER TABLE requests ADD COLUMN saved_usd DOUBLE NOT NULL DEFAULT 0",
          "ALTER TABLE requests ADD COLUMN client_key TEXT"))
  );

  private Migrations() {}
}
