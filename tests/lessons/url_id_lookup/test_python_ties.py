"""url-id-lookup on Python, issue 11 items 2 and 3: values of one handler that never meet.

Two URL ids where one is checked and the other alone picks the record, and writes whose key
comes from the request body after the URL's id was checked; each shape next to the ways real
code ties the values (one call, a comparison, a third parameter, a dependency that takes both).
"""

from __future__ import annotations

import textwrap

import pytest

from pytest_lessons.checks.url_id_lookup import UrlIdLookup
from pytest_lessons.findings import Finding
from pytest_lessons.testing import judge_files, make_check

BOARDS = """\
from fastapi import APIRouter, Depends
router = APIRouter()

@router.get("/boards/{{board_id}}/cards/{{card_id}}")
async def read_card(board_id: str, card_id: str, db=Depends(get_db)):
    {body}

def get_db():
    pass
"""


def run(files: dict[str, str]) -> list[Finding]:
    check = make_check("url-id-lookup")
    assert isinstance(check, UrlIdLookup)
    return judge_files(check, files)


def boards(body: str) -> list[Finding]:
    indented = textwrap.indent(textwrap.dedent(body), "    ").lstrip()
    return run({"app/boards.py": BOARDS.format(body=indented)})


def test_two_ids_checked_apart_is_flagged_at_the_lookup() -> None:
    findings = boards(
        """\
        await assert_can_view(db, board_id)
        return await db.get(Card, card_id)
        """
    )
    assert [(f.line, f.column) for f in findings] == [(7, 18)]
    assert findings[0].message == (
        "URL parameters `board_id` and `card_id` of GET /boards/{board_id}/cards/{card_id} are "
        "never tied together: `board_id` is checked or loaded (`assert_can_view(db, board_id)`), "
        "but the record is looked up by `card_id` alone (`db.get(Card, card_id)`), so a record "
        "under any other `board_id` passes the same check; look it up by both, or compare its "
        "`board_id` with the URL's"
    )


@pytest.mark.parametrize(
    "body",
    [
        # one lookup takes both
        """\
        await assert_can_view(db, board_id)
        return await load_card(db, board_id=board_id, card_id=card_id)
        """,
        # the loaded record's parent compared with the URL's
        """\
        await assert_can_view(db, board_id)
        card = await db.get(Card, card_id)
        if card.board_id != board_id:
            raise NotFound()
        return card
        """,
        # both in one query
        """\
        await assert_can_view(db, board_id)
        query = select(Card).where(Card.id == card_id, Card.board_id == board_id)
        return (await db.execute(query)).scalar_one()
        """,
    ],
)
def test_two_ids_that_meet_are_clean(body: str) -> None:
    assert boards(body) == []


def test_two_ids_tied_through_a_third_path_parameter_are_clean() -> None:
    """`{team}` names no entity, but each id is checked together with it."""
    code = """\
        from fastapi import APIRouter, Depends
        router = APIRouter()

        @router.get("/{team}/boards/{board_id}/cards/{card_id}")
        async def read_card(team: str, board_id: str, card_id: str, db=Depends(get_db)):
            await assert_board_in_team(db, team, board_id)
            return await load_card(db, team, card_id)

        def get_db():
            pass
    """
    assert run({"app/boards.py": code}) == []


def test_a_dependency_that_takes_and_compares_both_ids_ties_them() -> None:
    code = """\
        from fastapi import APIRouter, Depends
        router = APIRouter()

        async def card_on_board(board_id: str, card_id: str, db=Depends(get_db)):
            card = await db.get(Card, card_id)
            if card is None or card.board_id != board_id:
                raise NotFound()

        @router.get("/boards/{board_id}/cards/{card_id}", dependencies=[Depends(card_on_board)])
        async def read_card(board_id: str, card_id: str, db=Depends(get_db)):
            await assert_can_view(db, board_id)
            return await db.get(Card, card_id)

        def get_db():
            pass
    """
    assert run({"app/boards.py": code}) == []


FLASK = """\
from flask import Blueprint, request
bp = Blueprint("orders", __name__)

@bp.route("/orders/<int:order_id>/lines", methods=["DELETE"])
def remove_line(order_id):
    order = Order.query.get_or_404(order_id)
    {write}
    db.session.commit()
    return "", 204
"""


def test_flask_write_keyed_by_the_request_json_is_flagged() -> None:
    write = 'Line.query.filter_by(id=request.json["line_id"]).delete()'
    findings = run({"views.py": FLASK.format(write=write)})
    assert [(f.line, f.column) for f in findings] == [(7, 5)]
    assert findings[0].message.startswith(
        "DELETE /orders/<int:order_id>/lines uses URL parameter `order_id`, then writes a record "
        'keyed by the request body instead (`request.json["line_id"]` in '
    )


def test_flask_write_keyed_by_the_body_and_the_url_id_is_clean() -> None:
    write = 'Line.query.filter_by(id=request.json["line_id"], order_id=order.id).delete()'
    assert run({"views.py": FLASK.format(write=write)}) == []


def test_a_dict_update_is_no_write() -> None:
    """`data.update(payload)` changes a dict, not a stored record."""
    code = """\
        from fastapi import APIRouter, Depends
        from pydantic import BaseModel
        router = APIRouter()

        class Patch(BaseModel):
            id: str

        @router.patch("/orders/{order_id}")
        async def patch_order(order_id: str, patch: Patch, db=Depends(get_db)):
            order = await load_order(db, order_id)
            data = {}
            data.update(id=patch.id)
            return {**order, **data}

        def get_db():
            pass
    """
    assert run({"app/orders.py": code}) == []


_BULK = """\
    from fastapi import APIRouter, HTTPException
    router = APIRouter()

    @router.put("/lists/{list_id}/labels")
    def update_labels(list_id: str, data: list[LabelUpdate]):
        shopping_list = load_list(list_id)
        {check}
        db.labels.update_many(data)
        return shopping_list
"""


@pytest.mark.parametrize(
    ("check", "flagged"),
    [
        # every element is checked against the URL's id before the whole body is written
        (
            "for label in data:\n"
            "            if label.list_id != list_id:\n"
            "                raise HTTPException(status_code=400)",
            False,
        ),
        ("if any(label.list_id != list_id for label in data):\n            raise Bad()", False),
        # a loop over the body that checks nothing, or checks another value
        ("for label in data:\n            log(label.list_id)", True),
        ("for label in data:\n            assert label.list_id != other_id", True),
    ],
)
def test_a_body_written_whole_is_tied_by_a_check_of_each_element(check: str, flagged: bool) -> None:
    code = _BULK.replace("{check}", check)
    found = run({"app/labels.py": code})
    assert [f.line for f in found] == ([9] if flagged else [])
