"""Import aiogram with its Telegram types built on first use instead of all at import.

Every aiogram type is declared with pydantic's `defer_build=True`, but `aiogram/types/__init__.py`
ends with a loop that calls `model_rebuild()` on each of its ~450 types (to resolve their forward
references), and that builds every validator and serializer at once. Each type's build inlines
its whole subtree, so the loop costs about 100 MiB and 2 to 3 s in every process (aiogram issue
#1513), while the notifier uses five types and the bot a few dozen.

`import_aiogram()` runs that import with the loop turned into "remember the namespace": each
aiogram model keeps the namespace aiogram would have passed, and pydantic builds it the first
time it is used, which is what `defer_build` is for. `prepare()` builds what a role needs before
it starts serving and checks the result. Should a pydantic or aiogram release stop building
these models on demand, `prepare()` falls back to aiogram's own eager build and logs a warning:
the price of that is memory, never a wrong answer.

Call `import_aiogram()` at each process entry point before anything imports aiogram.
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Iterable, Iterator
from typing import Any, Literal

from pydantic import BaseModel

logger = logging.getLogger(__name__)

Mode = Literal["lazy", "eager"]

_namespace: dict[str, Any] = {}
_mode: list[Mode] = []


def import_aiogram() -> Mode:
    """Import aiogram, deferring its types' builds when it is not imported yet; idempotent."""
    if _mode:
        return _mode[0]
    if "aiogram" in sys.modules:
        # Someone imported it first: aiogram's loop has already built everything.
        _mode.append("eager")
        return "eager"
    original = BaseModel.__dict__["model_rebuild"]

    def remember(cls: type[BaseModel], /, **kwargs: Any) -> bool | None:
        namespace = kwargs.get("_types_namespace")
        if namespace is not None and cls.__module__.startswith("aiogram."):
            _namespace.update(namespace)
            return None
        return original.__func__(cls, **kwargs)  # type: ignore[no-any-return]

    BaseModel.model_rebuild = classmethod(remember)  # type: ignore[method-assign,assignment]
    try:
        importlib.import_module("aiogram")
    finally:
        BaseModel.model_rebuild = original  # type: ignore[method-assign]
    if not _namespace:
        # This aiogram has no such loop: its types were built (or deferred) its own way.
        _mode.append("eager")
        return "eager"
    for model in _aiogram_models():
        # Also on the built ones: a generic model's `Response[Message]` inherits it.
        model.__pydantic_parent_namespace__ = _namespace
    _mode.append("lazy")
    if not _builds_on_demand():
        logger.warning("aiogram types cannot be built on demand here; building all of them now")
        build_all()
    return _mode[0]


def mode() -> Mode | None:
    """How aiogram's types are built in this process (None before `import_aiogram`)."""
    return _mode[0] if _mode else None


def prepare(models: Iterable[type[BaseModel]]) -> None:
    """Build `models` now (a role's warm-up), falling back to the eager build if that fails."""
    if mode() != "lazy":
        return
    try:
        for model in models:
            if not model.__pydantic_complete__:
                model.model_rebuild(_types_namespace=_namespace)
    except Exception:
        logger.warning("aiogram types cannot be built on demand here; building all of them now")
        build_all()


def build_all() -> None:
    """aiogram's own eager build (the fallback): types first, then the rest still incomplete."""
    if mode() != "lazy":
        return
    _mode[0] = "eager"
    models = sorted(
        _incomplete_models(), key=lambda m: not m.__module__.startswith("aiogram.types.")
    )
    for model in models:
        if not model.__pydantic_complete__:
            model.model_rebuild(_types_namespace=_namespace)


def _builds_on_demand() -> bool:
    """Canary: a type whose forward reference (`User`) only the kept namespace resolves, used
    without any explicit rebuild as a handler would, directly and inside a new `Response[...]`."""
    from aiogram.methods.base import Response
    from aiogram.types import MessageEntity

    user = {"id": 1, "is_bot": False, "first_name": "A"}
    entity = {"type": "text_mention", "offset": 0, "length": 1, "user": user}
    try:
        direct = MessageEntity.model_validate(entity)
        answer = Response[MessageEntity].model_validate({"ok": True, "result": entity})
    except Exception:
        return False
    return all(e is not None and e.user is not None for e in (direct, answer.result))


def _incomplete_models() -> Iterator[type[BaseModel]]:
    """aiogram's pydantic models whose validator is not built yet."""
    return (model for model in _aiogram_models() if not model.__pydantic_complete__)


def _aiogram_models() -> Iterator[type[BaseModel]]:
    """Every pydantic model class defined by aiogram so far."""
    seen: set[type[BaseModel]] = set()
    stack = list(BaseModel.__subclasses__())
    while stack:
        model = stack.pop()
        if model in seen:
            continue
        seen.add(model)
        stack.extend(model.__subclasses__())
        if model.__module__.startswith("aiogram."):
            yield model
