"""alembic-env-imports-models on snippets: which modules env.py runs, and what the finding says."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_lessons.findings import Finding
from pytest_lessons.testing import judge_files, make_check

BASE = "from sqlalchemy.orm import DeclarativeBase\n\n\nclass Base(DeclarativeBase):\n    pass\n"
MODEL = "from app.models.base import Base\n\n\nclass {name}(Base):\n    __tablename__ = '{table}'\n"
ENV = (
    "from alembic import context\n{imports}\n\n"
    "target_metadata = Base.metadata\ncontext.run_migrations()\n"
)


def run(files: dict[str, str], **options: Any) -> list[Finding]:
    check = make_check("alembic-env-imports-models", **options)
    found = judge_files(check, files, use_prefilter=True)
    assert [(f.path, f.line) for f in found] == [
        (f.path, f.line) for f in judge_files(check, files, use_prefilter=False)
    ]
    return found


def project(init: str, env_imports: str, **extra: str) -> dict[str, str]:
    return {
        "app/__init__.py": "",
        "app/models/__init__.py": init,
        "app/models/base.py": BASE,
        "app/models/store.py": MODEL.format(name="Store", table="stores"),
        "app/models/coupon.py": MODEL.format(name="Coupon", table="coupons"),
        "alembic/env.py": ENV.format(imports=env_imports),
        **extra,
    }


EVERY_MODEL = "from .base import Base\nfrom .coupon import Coupon\nfrom .store import Store\n"


@pytest.mark.parametrize(
    "env_imports",
    [
        "from app.models import Base",
        "from app.models.base import Base",  # the package __init__ runs first
        "import app.models.base\nBase = app.models.base.Base",
        "from app.models import *",
    ],
)
def test_quiet_when_every_model_module_runs(env_imports: str) -> None:
    assert run(project(EVERY_MODEL, env_imports)) == []


def test_names_the_first_missing_module_and_the_package_to_import() -> None:
    files = project(
        "",
        "from app.models.base import Base",
        **{
            "app/db.py": (
                "from app.models.base import Base\n"
                "import app.models.store\nimport app.models.coupon\n"
            )
        },
    )
    [finding] = run(files)
    assert (finding.path, finding.line) == ("alembic/env.py", 2)
    assert finding.message.startswith(
        "target_metadata is Base.metadata, but nothing env.py imports runs app.models.coupon "
        "(app/models/coupon.py), which maps Coupon on Base (nor 1 more model module: "
        "app.models.store)"
    )
    assert finding.message.endswith("`from app.db import Base`")


def test_suggests_each_module_when_nothing_imports_them_all() -> None:
    [finding] = run(project("", "from app.models.base import Base"))
    assert finding.message.endswith(
        "import each model module in env.py (`import app.models.coupon; import app.models.store`), "
        "or a module that imports them all"
    )


def test_models_through_an_abstract_intermediate_and_a_mixin_count() -> None:
    files = project(
        "",
        "from app.models.base import Base\nimport app.models.store\nimport app.models.coupon",
        **{
            "app/models/abstract.py": "from app.models.base import Base\n\n\nclass Stamped(Base):\n"
            "    __abstract__ = True\n",
            "app/models/receipt.py": "from app.models.abstract import Stamped\n\n\nclass Mixin:\n"
            "    pass\n\n\nclass Receipt(Mixin, Stamped):\n    __tablename__ = 'receipts'\n",
        },
    )
    [finding] = run(files)
    assert "runs app.models.receipt (app/models/receipt.py), which maps Receipt on Base:" in (
        finding.message
    )


def test_a_module_importing_by_computed_name_silences_the_env() -> None:
    files = project(
        "import importlib\n\nfor name in ('store', 'coupon'):\n"
        "    importlib.import_module(f'app.models.{name}')\n",
        "from app.models.base import Base",
    )
    assert run(files) == []


def test_models_in_tests_are_not_expected_unless_the_globs_say_so() -> None:
    files = project(
        EVERY_MODEL,
        "from app.models import Base",
        **{"tests/test_x.py": MODEL.format(name="Scratch", table="scratch")},
    )
    assert run(files) == []
    assert len(run(files, ignore_model_globs=[])) == 1


def test_an_env_without_metadata_or_with_an_unresolved_base_is_not_judged() -> None:
    files = project("", "from app.models.base import Base")
    files["alembic/env.py"] = (
        "from alembic import context\n\ntarget_metadata = None\ncontext.run_migrations()\n"
    )
    assert run(files) == []
    files["alembic/env.py"] = ENV.format(imports="from elsewhere import Base")
    assert run(files) == []


def test_sqlmodel_tables_are_the_table_true_classes() -> None:
    files = {
        "app/__init__.py": "",
        "app/models.py": (
            "from sqlmodel import SQLModel\n\n\nclass ItemBase(SQLModel):\n    pass\n\n\n"
            "class Item(ItemBase, table=True):\n    pass\n"
        ),
        "app/schemas.py": "from sqlmodel import SQLModel\n\n\nclass ItemOut(SQLModel):\n    pass\n",
        "alembic/env.py": ENV.replace("Base.metadata", "SQLModel.metadata").format(
            imports="from sqlmodel import SQLModel"
        ),
    }
    [finding] = run(files)
    assert "runs app.models (app/models.py), which maps Item on SQLModel:" in finding.message
    files["alembic/env.py"] = files["alembic/env.py"].replace(
        "from sqlmodel import SQLModel", "from app.models import SQLModel"
    )
    assert run(files) == []
