"""consumer-idempotency, Go half: NATS/JetStream handlers with exact verdicts."""

from __future__ import annotations

from typing import Any

from pytest_lessons.testing import judge_files, make_check

LESSON = "consumer-idempotency"

HEADER = """\
package worker

import (
	"net/http"

	"github.com/nats-io/nats.go"
)
"""


def run(files: dict[str, str], **options: Any) -> list[tuple[str, int]]:
    return [(f.path or "", f.line) for f in judge_files(make_check(LESSON, **options), files)]


def test_inline_handler_posting_is_flagged_with_the_subject_in_the_message() -> None:
    code = (
        HEADER
        + """
func start(nc *nats.Conn) {
	nc.Subscribe("orders.created.v1", func(m *nats.Msg) {
		http.Post("http://notify/v1", "application/json", nil)
	})
}
"""
    )
    findings = judge_files(make_check(LESSON), {"worker/w.go": code})
    assert [(f.line, f.column) for f in findings] == [(11, 3)]
    assert 'NATS handler of "orders.created.v1"' in findings[0].message
    assert "`http.Post`" in findings[0].message
    assert findings[0].severity.value == "warning"


def test_a_claim_before_the_call_guards_it_and_a_claim_after_does_not() -> None:
    before = (
        HEADER
        + """
func start(nc *nats.Conn) {
	nc.Subscribe("a", func(m *nats.Msg) {
		if ok, _ := rdb.SetNX(ctx, string(m.Data), 1, 0).Result(); !ok {
			return
		}
		http.Post("http://notify/v1", "application/json", nil)
	})
}
"""
    )
    claim = "\t\tif ok, _ := rdb.SetNX(ctx, string(m.Data), 1, 0).Result(); !ok {\n"
    after = before.replace(claim + "\t\t\treturn\n\t\t}\n", "").replace(
        '"application/json", nil)\n',
        '"application/json", nil)\n\t\trdb.SetNX(ctx, string(m.Data), 1, 0)\n',
    )
    assert run({"w.go": before}) == []
    assert run({"w.go": after}) == [("w.go", 11)]


def test_named_handler_in_another_file_of_the_package_is_followed() -> None:
    registration = (
        HEADER
        + """
func (w *Worker) start(nc *nats.Conn) {
	nc.QueueSubscribe("a", "q", w.handle)
}
"""
    )
    handler = (
        HEADER
        + """
func (w *Worker) handle(m *nats.Msg) {
	w.notify(m)
}

func (w *Worker) notify(m *nats.Msg) {
	http.Post("http://notify/v1", "application/json", nil)
}
"""
    )
    assert run({"svc/sub.go": registration, "svc/handle.go": handler}) == [("svc/handle.go", 10)]
    # another package's function of the same name is not this package's
    assert run({"svc/sub.go": registration, "other/handle.go": handler}) == []


def test_options_name_a_teams_own_calls() -> None:
    code = (
        HEADER
        + """
func start(nc *nats.Conn) {
	nc.Subscribe("a", func(m *nats.Msg) {
		inbox.Take(m)
		mailer.Deliver(m)
	})
}
"""
    )
    assert run({"w.go": code}) == []
    assert run({"w.go": code}, side_effect_calls=["mailer.Deliver"]) == [("w.go", 12)]
    assert run({"w.go": code}, side_effect_calls=["Deliver"], dedupe_calls=["inbox.Take"]) == []


def test_jetstream_dedupe_window_in_the_package_counts() -> None:
    consumer = (
        HEADER
        + """
func run(cons jetstream.Consumer) {
	cons.Consume(func(msg jetstream.Msg) {
		http.Post("http://notify/v1", "application/json", nil)
	})
}
"""
    )
    stream = "package worker\n\nvar cfg = jetstream.StreamConfig{Duplicates: time.Hour}\n"
    assert run({"w/c.go": consumer}) == [("w/c.go", 11)]
    assert run({"w/c.go": consumer, "w/stream.go": stream}) == []


def test_files_without_a_nats_import_register_no_consumer() -> None:
    code = (
        HEADER.replace('"github.com/nats-io/nats.go"', '"example.com/bus"')
        + """
func start(b *bus.Bus) {
	b.Subscribe("a", func(m *bus.Msg) {
		http.Post("http://notify/v1", "application/json", nil)
	})
}
"""
    )
    assert run({"w.go": code}) == []
