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
      new Migration(7, "guardrail decisions on tool calls", List.of(
          """
          CREATE TABLE guardrail_actions (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            ts INTEGER NOT NULL,
            request_id TEXT NOT NULL,
            session_id TEXT,
            client TEXT NOT NULL,
            model TEXT,
            stream INTEGER NOT NULL,
            call_index INTEGER NOT NULL,
            call_id TEXT,
            tool_name TEXT NOT NULL,
            tool_type TEXT NOT NULL,
            decision TEXT NOT NULL,
            rule TEXT,
            pattern TEXT,
            reason TEXT,
            preview TEXT NOT NULL,
            arguments_bytes INTEGER NOT NULL
          )""",
          "CREATE INDEX idx_guardrail_actions_session ON guardrail_actions(session_id, seq)"))
  );

  private Migrations() {}
}
