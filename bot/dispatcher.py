"""build_dispatcher(...): routers, middlewares and the long-lived objects handlers need."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiogram import Dispatcher, Router
from aiogram.fsm.storage.base import BaseStorage
from aiogram.fsm.storage.memory import MemoryStorage, SimpleEventIsolation
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.utils.i18n import I18n

from bot.handlers import routers
from bot.inline_filters import inline_sync_filters
from bot.middlewares import (
    ChatLocaleMiddleware,
    FloodControlMiddleware,
    UnitOfWorkMiddleware,
    UowFactory,
    UpdateContextMiddleware,
)
from core.metrics import Metrics
from core.wages.policy import WagePolicy


def build_dispatcher(
    uow: UowFactory,
    i18n: I18n,
    *,
    zone: ZoneInfo,
    storage: BaseStorage | None = None,
    flood_limit: int = 20,
    flood_window: float = 10.0,
    wage_policy: WagePolicy | None = None,
    metrics: Metrics | None = None,
    api_url: str = "",
) -> Dispatcher:
    """A dispatcher over a unit-of-work factory; the FSM storage is injectable (memory/Redis).

    With Redis, updates of one chat are also serialised across processes (a Redis lock), so
    webhook replicas never handle two steps of one conversation at once.
    """
    storage = storage or MemoryStorage()
    # Updates of one chat run one after another (an album's photos arrive together and each
    # adds to the same draft); with Redis the lock holds across processes too.
    isolation = (
        storage.create_isolation() if isinstance(storage, RedisStorage) else SimpleEventIsolation()
    )
    dp = Dispatcher(
        storage=storage,
        events_isolation=isolation,
        i18n=i18n,
        zone=zone,
        wage_policy=wage_policy or WagePolicy(),
        api_url=api_url,  # where cards link the record as received (empty: no link)
    )
    dp.update.outer_middleware(UpdateContextMiddleware(metrics))
    # Order matters: flood control first (drops cost nothing), then the unit of work (which
    # records the chat), then the locale (which reads the chat's choice).
    dp.update.outer_middleware(FloodControlMiddleware(i18n, flood_limit, flood_window))
    dp.update.outer_middleware(UnitOfWorkMiddleware(uow))
    dp.update.outer_middleware(ChatLocaleMiddleware(i18n))
    for router in routers():
        _detach(router)
        dp.include_router(router)
    inline_sync_filters(dp)
    return dp


def _detach(router: Router) -> None:
    # Handler routers are module-level (house style) and aiogram lets a router have one parent;
    # tests and benchmarks build a dispatcher per database, so a new one adopts them. aiogram
    # has no public way to detach a router.
    parent = router.parent_router
    if parent is not None:
        parent.sub_routers.remove(router)
        router._parent_router = None
