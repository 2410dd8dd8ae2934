#!/usr/bin/env python3
"""Builds the long synthetic IDE sessions the context tests replay.

The file contents are this repository's own sources and the recorded provider fixtures, so the
text is real code and real wire data; the logs follow the exact shape of jest and pytest output.
The secrets are fake values in the shapes the redactor must catch. Run from the repository root:
    python3 tests-data/sessions/build.py
"""
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests-data", "sessions")


def src(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


def jest_log(failing):
    lines = ["", "> kimi-dashboard@0.3.0 test", "> jest --ci", ""]
    for i in range(60):
        suite = f"src/components/__tests__/Panel{i:02d}.test.tsx"
        status = "FAIL" if i in failing else "PASS"
        lines.append(f"{status} {suite} ({0.4 + i * 0.013:.2f} s)")
        if i in failing:
            lines += [f"  ● Panel{i:02d} › renders the context map with {i} parts", "",
                      "    expect(received).toHaveLength(expected)", "",
                      f"    Expected length: {i + 3}", f"    Received length: {i + 2}",
                      f"    Received array:  [{', '.join(str(k) for k in range(i + 2))}]", "",
                      f"      {40 + i} |     const parts = screen.getAllByRole('row');",
                      f"    > {41 + i} |     expect(parts).toHaveLength({i + 3});",
                      "         |                   ^", "",
                      f"      at Object.<anonymous> (src/components/__tests__/Panel{i:02d}.test.tsx:{41 + i}:19)", ""]
        else:
            for t in range(3):
                lines.append(f"  ✓ Panel{i:02d} case {t}: renders row {t} with flag ok ({3 + t * 2} ms)")
    lines += ["", f"Test Suites: {len(failing)} failed, {60 - len(failing)} passed, 60 total",
              f"Tests:       {len(failing)} failed, {180 - len(failing)} passed, {180} total",
              "Snapshots:   0 total", "Time:        14.231 s", "Ran all test suites."]
    return "\n".join(lines)


def pytest_log():
    lines = ["============================= test session starts ==============================",
             "platform linux -- Python 3.12.3, pytest-8.3.2, pluggy-1.5.0",
             "rootdir: /home/dev/kimi-tools", "configfile: pyproject.toml", "collected 212 items", ""]
    for m in range(14):
        lines.append(f"tests/test_module_{m:02d}.py " + "." * 14 + ("F" if m % 5 == 0 else ".") + f" [{(m + 1) * 7:3d}%]")
    lines += ["", "=================================== FAILURES ==================================="]
    for m in range(0, 14, 5):
        lines += [f"____________________ test_compaction_keeps_pairs[case{m}] ____________________", "",
                  f"history = <History of {40 + m} messages>", "",
                  "    def test_compaction_keeps_pairs(history):",
                  "        result = compact(history, keep_last=4)",
                  "        for call in result.tool_calls():",
                  ">           assert call.id in result.tool_result_ids()",
                  f"E           AssertionError: assert 'call_{m:03d}' in {{'call_{m + 1:03d}', 'call_{m + 2:03d}'}}",
                  "E            +  where {...} = <bound method History.tool_result_ids of <History>>()", "",
                  f"tests/test_module_{m:02d}.py:{88 + m}: AssertionError"]
        for frame in range(12):
            lines.append(f"  File \"/home/dev/kimi-tools/kimi_tools/compact_{frame}.py\", line {frame * 7 + 3}, in step_{frame}")
            lines.append(f"    return step_{frame + 1}(history[{frame}:], budget={4000 - frame * 100})")
    lines += ["=========================== short test summary info ============================",
              "FAILED tests/test_module_00.py::test_compaction_keeps_pairs[case0] - AssertionError",
              "FAILED tests/test_module_05.py::test_compaction_keeps_pairs[case5] - AssertionError",
              "FAILED tests/test_module_10.py::test_compaction_keeps_pairs[case10] - AssertionError",
              "======================== 3 failed, 209 passed in 8.42s ========================="]
    return "\n".join(lines)


ENV_FILE = "\n".join([
    "# local development settings",
    "MOONSHOT_API_KEY=sk-kimiLocal9f8e7d6c5b4a3928171615141312111009",
    "GROQ_API_KEY=gsk_7Qm2Zp9Lx4Rt8Wv1Ys6Un3Kb5Hd0Jf2Ga9Ce4",
    "NVIDIA_API_KEY=nvapi-Xy7_Kq2-Lm9Pn4Rs8Tv1Wz6Ab3Cd5Ef0Gh2Ij",
    "GEMINI_API_KEY=AIzaSyD4f9Kx2Lm8Pq7Rs1Tu6Vw3Xy5Za0Bc9De",
    "GITHUB_TOKEN=ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
    "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
    "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "DATABASE_URL=postgres://app:S3cr3t-Passw0rd@db.internal:5432/kimi",
    "SLACK_BOT_TOKEN=xoxb-2213-8841-Qw3Er5Ty7Ui9Op1As3Df",
    "LOG_LEVEL=debug",
])

SYSTEM_CLINE = ("You are Cline, a highly skilled software engineer with extensive knowledge in many programming "
                "languages, frameworks, design patterns, and best practices.\n\n====\n\nTOOL USE\n\n"
                "You have access to a set of tools that are executed upon the user's approval. You can use one tool "
                "per message, and will receive the result of that tool use in the user's response.\n\n"
                "# Tools\n\n## read_file\nDescription: Request to read the contents of a file at the specified path.\n"
                "Usage:\n<read_file>\n<path>File path here</path>\n</read_file>\n\n"
                "## execute_command\nDescription: Request to execute a CLI command on the system.\n"
                "Usage:\n<execute_command>\n<command>Your command here</command>\n</execute_command>\n\n"
                "## write_to_file\nDescription: Request to write content to a file at the specified path.\n"
                "Usage:\n<write_to_file>\n<path>File path here</path>\n<content>\nYour file content here\n</content>\n</write_to_file>\n\n"
                "<mcp-memory>\nproject: kimi-proxy (Java 17, Vert.x 5). The user prefers small commits and tests "
                "through WireMock. Streaming must never buffer whole answers.\n</mcp-memory>\n\n"
                "====\n\nRULES\n\n- Your current working directory is: /home/dev/kimi-proxy\n"
                "- Always wait for the user to confirm each tool use before proceeding.\n")

JAVA_FILES = ["src/main/java/io/kimiproxy/proxy/stream/StreamRelay.java",
              "src/main/java/io/kimiproxy/core/db/SqliteLedgerStore.java",
              "src/main/java/io/kimiproxy/config/ConfigLoader.java",
              "src/main/java/io/kimiproxy/proxy/upstream/UpstreamExchange.java",
              "src/main/java/io/kimiproxy/core/tokens/TokenCounter.java",
              "src/main/java/io/kimiproxy/proxy/sse/SseParser.java"]


def cline_session():
    m = [{"role": "system", "content": SYSTEM_CLINE},
         {"role": "user", "content": [{"type": "text", "text": "<task>\nThe proxy sometimes sends the usage chunk twice "
                                       "when Groq streams. Find out why and fix it, with a test.\n</task>"},
                                      {"type": "text", "text": "<environment_details>\n# Current Working Directory (/home/dev/kimi-proxy) Files\npom.xml\nsrc/\ntests-data/\n</environment_details>"}]}]
    for i, path in enumerate(JAVA_FILES):
        m.append({"role": "assistant", "content": f"I'll read {path.split('/')[-1]} to see how it handles this.\n\n<read_file>\n<path>{path}</path>\n</read_file>"})
        m.append({"role": "user", "content": [{"type": "text", "text": f"[read_file for '{path}'] Result:"},
                                               {"type": "text", "text": src(path)}]})
        if i == 2:
            m.append({"role": "assistant", "content": "Let me look at a recorded Groq stream.\n\n<execute_command>\n<command>cat tests-data/fixtures/groq/chat-stream-x-groq-usage.sse</command>\n</execute_command>"})
            m.append({"role": "user", "content": [{"type": "text", "text": "[execute_command for 'cat tests-data/fixtures/groq/chat-stream-x-groq-usage.sse'] Result:"},
                                                   {"type": "text", "text": "Command executed.\nOutput:\n" + src("tests-data/fixtures/groq/chat-stream-x-groq-usage.sse") * 3}]})
        if i == 3:
            m.append({"role": "assistant", "content": "I need the local settings to reproduce against Groq.\n\n<read_file>\n<path>.env</path>\n</read_file>"})
            m.append({"role": "user", "content": [{"type": "text", "text": "[read_file for '.env'] Result:"}, {"type": "text", "text": ENV_FILE}]})
    m.append({"role": "assistant", "content": "Running the dashboard tests to see the current state.\n\n<execute_command>\n<command>npm test</command>\n</execute_command>"})
    m.append({"role": "user", "content": [{"type": "text", "text": "[execute_command for 'npm test'] Result:"},
                                           {"type": "text", "text": "Command executed.\nOutput:\n" + jest_log({7, 23, 41})}]})
    m.append({"role": "assistant", "content": "<write_to_file>\n<path>src/main/java/io/kimiproxy/proxy/stream/StreamRelay.java</path>\n<content>\n" + src(JAVA_FILES[0]) + "\n</content>\n</write_to_file>"})
    m.append({"role": "user", "content": [{"type": "text", "text": "[write_to_file for 'src/main/java/io/kimiproxy/proxy/stream/StreamRelay.java'] Result:"},
                                           {"type": "text", "text": "The content was successfully saved to src/main/java/io/kimiproxy/proxy/stream/StreamRelay.java."}]})
    m.append({"role": "assistant", "content": "<execute_command>\n<command>mvn -q test -Dtest=StreamingRelayTest</command>\n</execute_command>"})
    m.append({"role": "user", "content": [{"type": "text", "text": "[execute_command for 'mvn -q test -Dtest=StreamingRelayTest'] Result:"},
                                           {"type": "text", "text": "Command executed.\nOutput:\n[INFO] Tests run: 1, Failures: 0, Errors: 0, Skipped: 0"}]})
    m.append({"role": "user", "content": "Great. Now also check the Mistral stream and tell me if it has the same problem."})
    return {"description": "Cline (XML tools): tool results as user messages, file dumps, a .env with fake secrets, a jest log, an <mcp-memory> block",
            "client": "cline", "model": "test/model", "messages": m}


def continue_session():
    tools = [{"type": "function", "function": {"name": n, "description": d, "parameters": {"type": "object", "properties": p, "required": list(p)}}}
             for n, d, p in [
                 ("read_file", "Read the contents of a file in the project.", {"filepath": {"type": "string", "description": "The path of the file, relative to the root"}}),
                 ("run_terminal_command", "Run a command in the project's terminal and return its output.", {"command": {"type": "string", "description": "The command to run"}}),
                 ("create_new_file", "Create a new file with the given contents.", {"filepath": {"type": "string", "description": "Where to create it"}, "contents": {"type": "string", "description": "The file's contents"}}),
                 ("mcp__memory__read_graph", "Read the knowledge graph of the memory server.", {})]]
    m = [{"role": "system", "content": "You are Continue, an AI coding assistant in the user's IDE. Use the tools to read files and run commands. Keep answers short."},
         {"role": "user", "content": "The pytest suite of kimi-tools fails since yesterday. Find the cause. Here is the failing module:\n\n```python kimi_tools/compact.py\n" + "\n".join(
             f"def step_{k}(history, budget):\n    \"\"\"Trim step {k}.\"\"\"\n    return history[:budget // {k + 1}]" for k in range(12)) + "\n```"}]
    n = 0

    def call(name, args, result):
        nonlocal n
        n += 1
        cid = f"call_{n:03d}"
        m.append({"role": "assistant", "content": None, "tool_calls": [{"id": cid, "type": "function", "function": {"name": name, "arguments": json.dumps(args)}}]})
        m.append({"role": "tool", "tool_call_id": cid, "content": result})

    call("mcp__memory__read_graph", {}, json.dumps({"entities": [{"name": "kimi-tools", "observations": ["Python 3.12 package", "pytest with xdist", "compaction keeps tool pairs"]},
                                                                 {"name": "user", "observations": ["prefers minimal diffs", "runs tests before commits"]}]}))
    call("run_terminal_command", {"command": "pytest -q"}, pytest_log())
    for path in JAVA_FILES[:4]:
        call("read_file", {"filepath": path}, src(path))
        m.append({"role": "assistant", "content": f"{path.split('/')[-1]} is not the cause; the pairing logic lives elsewhere. Next file."})
        m.append({"role": "user", "content": "ok, continue"})
    call("run_terminal_command", {"command": "cat .env"}, ENV_FILE)
    call("run_terminal_command", {"command": "npm test"}, jest_log({3, 30}))
    m.append({"role": "assistant", "content": "[MEMORY]The user prefers minimal diffs.[/MEMORY] The failures come from compact_3.py slicing history without keeping tool results next to their calls."})
    m.append({"role": "user", "content": "Fix it @memory[remember: tool pairs must stay together] and run the tests again."})
    call("create_new_file", {"filepath": "kimi_tools/compact_3.py", "contents": "def step_3(history, budget):\n    return keep_pairs(history, budget)\n"}, "File created.")
    call("run_terminal_command", {"command": "pytest -q tests/test_module_00.py"}, "1 passed in 0.12s")
    m.append({"role": "user", "content": "Thanks. Summarise what you changed."})
    return {"description": "Continue (native tools): tool_calls with tool results, a memory-server result, [MEMORY] and @memory[] blocks, pytest and jest logs, a .env with fake secrets",
            "client": "continue", "model": "test/model", "tools": tools, "messages": m}


for name, session in [("cline-refactor", cline_session()), ("continue-native-tools", continue_session())]:
    with open(os.path.join(OUT, name + ".json"), "w", encoding="utf-8") as f:
        json.dump(session, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(name, len(session["messages"]), "messages", sum(len(json.dumps(x)) for x in session["messages"]), "chars")
