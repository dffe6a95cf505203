#!/usr/bin/env python3
"""Checks chat-archive exports the way their consumers read them.

- json / jsonl / manifest.json: JSON Schema 2020-12 with format checking, sorted keys, counts, digests.
- mbox: Python's mailbox + email (policy.default): zero defects, ASCII headers, decoded bodies equal to the text of
  the same message in the jsonl export.
- Markdown: rendered with markdown-it-py (CommonMark): only the exporter's structure; each message's paragraphs
  render back to its text.
- HTML: no script, no event handlers, a CSP forbidding scripts, one anchor per message.

Usage: validate_exports.py [--schemas DIR] EXPORT_DIR   (exit 1 on any failure)
"""

import argparse
import email
import email.policy
import hashlib
import json
import mailbox
import pathlib
import re
import sys
from html.parser import HTMLParser

from jsonschema import Draft202012Validator
from markdown_it import MarkdownIt

failures = []
checked = {"json": 0, "jsonl": 0, "manifest": 0, "mbox": 0, "markdown": 0, "html": 0, "messages": 0}


def fail(path, message):
    failures.append(f"{path}: {message}")


def single_line(text):
    """What the exporters do to names and topics shown on one line."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", " ", text)


def sorted_pairs(path):
    def hook(pairs):
        keys = [key for key, _ in pairs]
        if keys != sorted(keys):
            fail(path, f"keys not sorted: {keys}")
        return dict(pairs)

    return hook


class Schemas:
    def __init__(self, directory):
        export = json.loads((directory / "chat-export.schema.json").read_text("utf-8"))
        manifest = json.loads((directory / "export-manifest.schema.json").read_text("utf-8"))
        for schema in (export, manifest):
            Draft202012Validator.check_schema(schema)
        checker = Draft202012Validator.FORMAT_CHECKER
        if "date-time" not in checker.checkers:
            raise SystemExit("date-time format checking is unavailable (install rfc3339-validator)")
        self.document = Draft202012Validator(export, format_checker=checker)
        record = {"$schema": export["$schema"], "$defs": export["$defs"], "$ref": "#/$defs/record"}
        self.record = Draft202012Validator(record, format_checker=checker)
        self.manifest = Draft202012Validator(manifest, format_checker=checker)


def schema_errors(validator, value):
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(value)]


def check_json(path, schemas):
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        fail(path, "BOM")
    document = json.loads(raw.decode("utf-8"), object_pairs_hook=sorted_pairs(path))
    for error in schema_errors(schemas.document, document):
        fail(path, error)
    for thread in document.get("threads", [document]):
        if thread["summary"]["messageCount"] != len(thread["messages"]):
            fail(path, "summary.messageCount disagrees with messages")
    checked["json"] += 1


def check_jsonl(path, schemas):
    """Returns the message records keyed by (threadId, messageId), and the thread records by id."""
    raw = path.read_bytes()
    if not raw.endswith(b"\n") or b"\r" in raw:
        fail(path, "lines must end with a single LF")
    lines = raw.decode("utf-8").split("\n")[:-1]
    records = [json.loads(line, object_pairs_hook=sorted_pairs(path)) for line in lines]
    for number, record in enumerate(records, 1):
        for error in schema_errors(schemas.record, record):
            fail(path, f"line {number}: {error}")
    kinds = [record.get("record") for record in records]
    if not kinds or kinds[0] != "header" or kinds[-1] != "end" or kinds.count("end") != 1:
        fail(path, "must start with a header and end with one end record")
        return {}, {}
    end = records[-1]
    expected = {
        "recordCount": len(records) - 1,
        "threadCount": kinds.count("thread"),
        "participantCount": kinds.count("participant"),
        "messageCount": kinds.count("message"),
        "revisionCount": kinds.count("revision"),
        "readReceiptCount": kinds.count("readReceipt"),
    }
    for key, value in expected.items():
        if end.get(key) != value:
            fail(path, f"end.{key} is {end.get(key)}, lines say {value}")
    checked["jsonl"] += 1
    messages = {(r["threadId"], r["messageId"]): r for r in records if r["record"] == "message"}
    threads = {r["threadId"]: r for r in records if r["record"] == "thread"}
    return messages, threads


def check_manifest(path, schemas):
    manifest = json.loads(path.read_text("utf-8"), object_pairs_hook=sorted_pairs(path))
    for error in schema_errors(schemas.manifest, manifest):
        fail(path, error)
    listed = set()
    for entry in manifest.get("files", []):
        target = path.parent / entry["name"]
        listed.add(entry["name"])
        if not target.is_file():
            fail(path, f"lists missing file {entry['name']}")
            continue
        data = target.read_bytes()
        if hashlib.sha256(data).hexdigest() != entry["sha256"] or len(data) != entry["byteCount"]:
            fail(path, f"digest or size of {entry['name']} does not match")
    extra = {p.name for p in path.parent.iterdir() if p.is_file()} - listed - {"manifest.json"}
    if extra:
        fail(path, f"files not in the manifest: {sorted(extra)}")
    checked["manifest"] += 1


def expected_body(record, with_history_allowed):
    """The text/plain body the mbox should carry for a jsonl message record (None: system text, not compared)."""
    if record["type"] in ("participantAdded", "participantRemoved", "topicUpdated"):
        return None
    body = record["text"]
    if record["deletedOn"] is not None:
        if record["contentVersion"] == record["version"]:
            return f"[This message was deleted at {record['deletedOn']}.]"
        body = f"[This message was deleted at {record['deletedOn']}. Last archived content:]\n\n" + body
    return body


def check_mbox(path, messages, threads):
    raw = path.read_bytes()
    if b"\r" in raw:
        fail(path, "CR in mbox (must be LF only)")
    if not raw.startswith(b"From ") and raw:
        fail(path, "does not start with a From_ line")
    lines = raw.split(b"\n")
    separator = re.compile(rb"^From \S+ (Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} [ 1-3][0-9] \d\d:\d\d:\d\d \d{4}$")
    for index, line in enumerate(lines):
        if len(line) > 998:
            fail(path, f"line {index + 1} longer than 998 octets")
        if re.match(rb"^>*From ", line):
            if not separator.match(line):
                fail(path, f"line {index + 1} would need mbox quoting: {line[:40]!r}")
            elif index > 0 and lines[index - 1] != b"":
                fail(path, f"From_ line {index + 1} does not follow an empty line")
    if raw and not raw.endswith(b"\n\n"):
        fail(path, "last message is not followed by an empty line")
    box = mailbox.mbox(str(path), factory=lambda f: email.message_from_binary_file(f, policy=email.policy.default),
                       create=False)
    ids = set()
    count = 0
    for message in box:
        count += 1
        where = f"{path.name} message {count}"
        header_block = message.as_bytes().split(b"\n\n", 1)[0]
        try:
            header_block.decode("ascii")
        except UnicodeDecodeError:
            fail(where, "non-ASCII header")
        for part in message.walk():
            if part.defects:
                fail(where, f"defects {part.defects}")
        for name in message.keys():
            for value in message.get_all(name):
                if getattr(value, "defects", None):
                    fail(where, f"header {name} defects {value.defects}")
        for forbidden in ("Bcc", "Cc"):
            if message[forbidden] is not None:
                fail(where, f"injected {forbidden} header")
        if message.get_content_type() != "multipart/alternative":
            fail(where, "not multipart/alternative")
        message_id = str(message["Message-ID"])
        if message_id in ids:
            fail(where, "duplicate Message-ID")
        ids.add(message_id)
        key = (str(message["X-Chat-Thread-Id"]), str(message["X-Chat-Message-Id"]))
        record = messages.get(key)
        if record is None:
            fail(where, f"no jsonl record for {key}")
            continue
        thread = threads.get(key[0])
        topic = single_line(thread["topic"]).strip() if thread else None
        if topic and str(message["Subject"]) != topic:
            fail(where, f"Subject {str(message['Subject'])!r} != topic {topic!r}")
        if record["senderId"] is not None:
            if str(message["X-Chat-From-Id"]) != record["senderId"]:
                fail(where, "X-Chat-From-Id differs from senderId")
            addresses = message["From"].addresses
            if len(addresses) != 1:
                fail(where, f"From has {len(addresses)} addresses")
        plain_part = message.get_body(preferencelist=("plain",))
        html_part = message.get_body(preferencelist=("html",))
        if plain_part is None or html_part is None:
            fail(where, "no text/plain or text/html part")
            continue
        plain, html = plain_part.get_content(), html_part.get_content()
        expected = expected_body(record, True)
        if expected is not None and plain != expected and not plain.startswith(expected + "\n\n--- Earlier revision"):
            fail(where, f"plain body {plain[:60]!r} != archive text {expected[:60]!r}")
        part_checks = HTMLChecks(where, document=False)
        part_checks.feed(html)
        checked["messages"] += 1
    if count == 0 and raw:
        fail(path, "no messages parsed")
    checked["mbox"] += 1


ALLOWED_EMPHASIS = re.compile(
    r"^(This message was deleted\.|Deleted\. Last archived content:|End of thread: \d+ messages?\.|\(no text\)"
    r"|Earlier revision .*:)$"
)


def inline_text(token):
    out = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append("\n")
    return "".join(out)


def check_markdown(path, messages_in_order):
    source = path.read_text("utf-8")
    with_history = "(with history)" in source.split("\n## ", 1)[0]
    tokens = MarkdownIt("commonmark").parse(source)
    sections = []  # per h3: list of paragraph texts
    h1 = 0
    in_banner = False
    collecting = False
    for index, token in enumerate(tokens):
        kind = token.type
        if kind in ("html_block", "code_block", "fence", "blockquote_open", "ordered_list_open", "table_open"):
            fail(path, f"user text became structure: {kind} at line {token.map}")
        if kind == "heading_open":
            level = token.tag
            if level == "h1":
                h1 += 1
                in_banner = True
                collecting = False
            elif level == "h2":
                in_banner = False
                text = inline_text(tokens[index + 1])
                if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                    fail(path, f"h2 that is not a day: {text!r}")
            elif level == "h3":
                sections.append([])
                collecting = True
            else:
                fail(path, f"unexpected heading {level}")
        if kind == "bullet_list_open" and not in_banner:
            fail(path, f"list outside the banner at line {token.map}")
        if kind == "inline":
            for child_index, child in enumerate(token.children or []):
                if child.type in ("html_inline", "image"):
                    fail(path, f"user text became {child.type}: {child.content!r}")
                if child.type == "link_open":
                    if child.markup != "autolink":
                        fail(path, f"a link that is not an autolink: {child.attrs}")
                    text = token.children[child_index + 1].content
                    if child.attrs.get("href") != text:
                        fail(path, f"autolink text differs from href: {text!r}")
                if child.type == "em_open":
                    inner = token.children[child_index + 1]
                    if inner.type != "text" or not ALLOWED_EMPHASIS.match(inner.content):
                        fail(path, f"emphasis from user text: {inner.content!r}")
                if child.type == "strong_open":
                    fail(path, "strong emphasis from user text")
            if collecting and tokens[index - 1].type == "paragraph_open":
                sections[-1].append(inline_text(token))
    if messages_in_order is not None:
        threads = {m["threadId"] for m in messages_in_order}
        if h1 != len(threads):
            fail(path, f"{h1} h1 headings for {len(threads)} threads")
        if len(sections) != len(messages_in_order):
            fail(path, f"{len(sections)} message headings for {len(messages_in_order)} messages")
        elif not with_history:
            for record, paragraphs in zip(messages_in_order, sections):
                expected = expected_body(record, False)
                if expected is None or (record["deletedOn"] and record["contentVersion"] == record["version"]):
                    continue
                shown = [p for p in paragraphs if not p.startswith("Read by ") and not ALLOWED_EMPHASIS.match(p)]
                normalize = lambda text: " ".join(text.replace("\x00", "\ufffd").split())
                if normalize("\n".join(shown)) != normalize(record["text"]):
                    fail(path, f"message {record['messageId']} renders as {normalize(' '.join(shown))[:80]!r}")
    checked["markdown"] += 1


class HTMLChecks(HTMLParser):
    def __init__(self, path, document=True):
        super().__init__(convert_charrefs=True)
        self.path = path
        self.document = document
        self.ids = []
        self.articles = 0
        self.csp = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("script", "iframe", "object", "embed", "base", "form", "style" if not self.document else "-"):
            fail(self.path, f"<{tag}> in transcript")
        for name, value in attrs:
            if name.startswith("on"):
                fail(self.path, f"event handler attribute {name}")
            if name in ("href", "src") and value and value.strip().lower().startswith(("javascript:", "data:text")):
                fail(self.path, f"dangerous URL in {name}")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "content-security-policy":
            self.csp = "script-src 'none'" in (attributes.get("content") or "")
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag == "article":
            self.articles += 1


def check_html(path, messages_in_order):
    checks = HTMLChecks(path)
    checks.feed(path.read_text("utf-8"))
    if not checks.csp:
        fail(path, "no Content-Security-Policy with script-src 'none'")
    if len(set(checks.ids)) != len(checks.ids):
        fail(path, "duplicate ids")
    if messages_in_order is not None and checks.articles != len(messages_in_order):
        fail(path, f"{checks.articles} articles for {len(messages_in_order)} messages")
    checked["html"] += 1


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schemas", type=pathlib.Path,
                        default=pathlib.Path(__file__).resolve().parents[2] / "Schemas" / "JSON")
    parser.add_argument("directory", type=pathlib.Path)
    args = parser.parse_args()
    schemas = Schemas(args.schemas)
    files = sorted(p for p in args.directory.rglob("*") if p.is_file())
    if not files:
        raise SystemExit(f"no exports under {args.directory}")
    all_messages, all_threads = {}, {}
    ordered = {}  # jsonl path without suffix -> message records in file order
    for path in files:
        if path.suffix == ".jsonl":
            try:
                messages, threads = check_jsonl(path, schemas)
            except Exception as error:
                fail(path, f"{type(error).__name__}: {error}")
                continue
            all_messages.update(messages)
            all_threads.update(threads)
            ordered[(path.parent.parent, path.stem)] = list(messages.values())
    for path in files:
        try:
            check_file(path, schemas, all_messages, all_threads, ordered.get((path.parent.parent, path.stem)))
        except Exception as error:  # a consumer crashing on an export is a failure of the export
            fail(path, f"{type(error).__name__}: {error}")
    summary = ", ".join(f"{count} {kind}" for kind, count in checked.items())
    for failure in failures:
        print("FAIL", failure)
    print(f"export validation: {summary}")
    print(f"{sum(checked.values()) - checked['messages']} passed, {len(failures)} failed")
    return 1 if failures else 0


def check_file(path, schemas, all_messages, all_threads, siblings):
    if path.name == "manifest.json":
        check_manifest(path, schemas)
    elif path.suffix == ".json":
        check_json(path, schemas)
    elif path.suffix == ".mbox":
        check_mbox(path, all_messages, all_threads)
    elif path.suffix == ".md":
        check_markdown(path, siblings)
    elif path.suffix == ".html":
        check_html(path, siblings)


if __name__ == "__main__":
    sys.exit(main())
