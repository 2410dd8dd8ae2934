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
      new Migration(2, "context maps and session phases", List.of(
          // One row per session: its latest request's map (parts as JSON of numbers and previews).
          """
          CREATE TABLE context_maps (
            session_id TEXT PRIMARY KEY,
            request_id TEXT NOT NULL,
            ts INTEGER NOT NULL,
            model TEXT NOT NULL,
            max_context INTEGER NOT NULL,
            reserved_output INTEGER NOT NULL,
            prompt_tokens INTEGER NOT NULL,
            fill DOUBLE NOT NULL,
            phase TEXT NOT NULL,
            memory_tokens INTEGER NOT NULL,
            parts TEXT NOT NULL
          )""")),
      new Migration(3, "sanitizer masks and counts", List.of(
          """
          CREATE TABLE masks (
            hash TEXT PRIMARY KEY,
            session_id TEXT,
            created_at INTEGER NOT NULL,
            tokens INTEGER NOT NULL,
            content TEXT NOT NULL
          )""",
          """
          CREATE TABLE sanitizer_counts (
            session_id TEXT PRIMARY KEY,
            masked INTEGER NOT NULL,
            tokens_saved INTEGER NOT NULL,
            secrets_redacted INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
          )""",
          "CREATE INDEX idx_sanitizer_counts_updated ON sanitizer_counts(updated_at)")),
      new Migration(4, "compactions", List.of(
          """
          CREATE TABLE compactions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            session_id TEXT NOT NULL,
            ts INTEGER NOT NULL,
            trigger TEXT NOT NULL,
            start_index INTEGER NOT NULL,
            message_count INTEGER NOT NULL,
            replaced_hash TEXT NOT NULL,
            summary TEXT NOT NULL,
            summary_source TEXT NOT NULL,
            summary_model TEXT,
            tokens_before INTEGER NOT NULL,
            tokens_after INTEGER NOT NULL
          )""",
          "CREATE INDEX idx_compactions_session ON compactions(session_id, id)",
          """
          CREATE TABLE compaction_state (
            session_id TEXT PRIMARY KEY,
            pending INTEGER NOT NULL,
            last_ms INTEGER NOT NULL,
            consecutive_auto INTEGER NOT NULL
          )""")),
      new Migration(9, "agent runs", List.of(
          // The log is a JSON array of {ts, message}: written whole by the runner, appended to in SQL
          // (json_insert) by the sweep that marks runs interrupted after a restart.
          """
          CREATE TABLE agent_runs (
            id TEXT PRIMARY KEY,
            agent_id TEXT NOT NULL,
            status TEXT NOT NULL,
            model TEXT NOT NULL,
            session_id TEXT NOT NULL,
            input_preview TEXT NOT NULL,
            result TEXT,
            error_status INTEGER,
            error_type TEXT,
            error_code TEXT,
            error_message TEXT,
            log TEXT NOT NULL,
            prompt_tokens INTEGER NOT NULL,
            completion_tokens INTEGER NOT NULL,
            request_id TEXT,
            created_at INTEGER NOT NULL,
            started_at INTEGER,
            finished_at INTEGER
          )""",
          "CREATE INDEX idx_agent_runs_agent ON agent_runs(agent_id, created_at)")),
      new Migration(8, "tasks imported from Cline's history", List.of(
          """
          CREATE TABLE cline_tasks (
            id TEXT PRIMARY KEY,
            ts INTEGER NOT NULL,
            tokens_in INTEGER NOT NULL,
            tokens_out INTEGER NOT NULL,
            cache_writes INTEGER NOT NULL,
            cache_reads INTEGER NOT NULL,
            total_cost DOUBLE NOT NULL,
            model_id TEXT,
            api_provider TEXT,
            imported_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
          )""",
          "CREATE INDEX idx_cline_tasks_ts ON cline_tasks(ts)")),
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
          "CREATE INDEX idx_guardrail_actions_session ON guardrail_actions(session_id, seq)")),
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
          "ALTER TABLE requests ADD COLUMN client_key TEXT")),
      new Migration(10, "smart routing decisions", List.of(
          """
          CREATE TABLE routing_decisions (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            ts INTEGER NOT NULL,
            request_id TEXT NOT NULL,
            session_id TEXT,
            alias TEXT NOT NULL,
            chosen TEXT NOT NULL,
            prompt_tokens INTEGER NOT NULL,
            candidates TEXT NOT NULL
          )""",
          "CREATE INDEX idx_routing_decisions_alias ON routing_decisions(alias, seq)")),
      new Migration(11, "the API each request came through (chat, messages, responses)", List.of(
          "ALTER TABLE requests ADD COLUMN api TEXT NOT NULL DEFAULT 'chat'")),
      new Migration(12, "request detail: queue time and what the steps changed; attempts by request", List.of(
          // Nullable: attempts and rows from before this version have no steps.
          "ALTER TABLE requests ADD COLUMN queue_ms INTEGER",
          "ALTER TABLE requests ADD COLUMN masked INTEGER",
          "ALTER TABLE requests ADD COLUMN redacted INTEGER",
          "ALTER TABLE requests ADD COLUMN compaction_saved INTEGER",
          "ALTER TABLE requests ADD COLUMN guard_flagged INTEGER",
          "ALTER TABLE requests ADD COLUMN guard_blocked INTEGER",
          "CREATE INDEX idx_requests_parent ON requests(parent_id)")),
      new Migration(13, "alerts kept across restarts", List.of(
          // dedup_key names a condition (a budget's level in one period): raised once, however often it is derived.
          """
          CREATE TABLE alerts (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            ts INTEGER NOT NULL,
            level TEXT NOT NULL,
            kind TEXT NOT NULL,
            message TEXT NOT NULL,
            details TEXT,
            dedup_key TEXT UNIQUE
          )""",
          "CREATE INDEX idx_alerts_ts ON alerts(ts)"))
  );

  private Migrations() {}
}
