# ruff: noqa: RUF001 - Ukrainian names are written in Cyrillic on purpose
"""The report categories: Open311 services, each with a code, localized names and a target time.

Names are data here (Open311 publishes `service_name`), in every language the bot ships.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import InvalidInput

DEFAULT_TARGET_HOURS = 48
URGENT_TARGET_HOURS = 24


@dataclass(frozen=True)
class Category:
    """One Open311 service: a code, names by language, a group and an urgency."""

    code: str
    names: dict[str, str]
    descriptions: dict[str, str]
    group: str
    is_urgent: bool = False

    def name(self, locale: str) -> str:
        """The name in `locale`, else English."""
        return self.names.get(locale) or self.names["en"]

    def description(self, locale: str) -> str:
        """The description in `locale`, else English."""
        return self.descriptions.get(locale) or self.descriptions["en"]

    def target_hours(self, default_hours: int) -> int:
        """Hours an official has to acknowledge a report of this category."""
        return min(URGENT_TARGET_HOURS, default_hours) if self.is_urgent else default_hours


def _c(code: str, group: str, en: str, uk: str, ko: str, desc: tuple[str, str, str]) -> Category:
    return Category(
        code=code,
        names={"en": en, "uk": uk, "ko": ko},
        descriptions={"en": desc[0], "uk": desc[1], "ko": desc[2]},
        group=group,
        is_urgent=code in {"safety", "blocked_access"},
    )


CATEGORIES: tuple[Category, ...] = (
    _c(
        "question",
        "question",
        "Question about the works",
        "Питання про роботи",
        "공사 문의",
        (
            "Ask the officials about a construction project.",
            "Запитайте посадовців про будівельний проєкт.",
            "건설 사업에 대해 담당 공무원에게 문의합니다.",
        ),
    ),
    _c(
        "noise",
        "nuisance",
        "Noise or working hours",
        "Шум або години роботи",
        "소음 또는 작업 시간",
        (
            "Noise, or work outside the permitted hours.",
            "Шум або роботи поза дозволеними годинами.",
            "소음 또는 허용 시간 외 작업.",
        ),
    ),
    _c(
        "dust",
        "nuisance",
        "Dust or dirt",
        "Пил або бруд",
        "먼지 또는 오염",
        (
            "Dust, mud or waste from the site.",
            "Пил, бруд або сміття з будмайданчика.",
            "공사 현장의 먼지, 진흙 또는 폐기물.",
        ),
    ),
    _c(
        "blocked_access",
        "safety",
        "Blocked road or pavement",
        "Перекрита дорога або тротуар",
        "도로 또는 보도 통행 차단",
        (
            "A road, pavement or entrance blocked by the works.",
            "Дорогу, тротуар або вхід перекрито через роботи.",
            "공사로 도로, 보도 또는 출입구가 막혔습니다.",
        ),
    ),
    _c(
        "safety",
        "safety",
        "Safety hazard",
        "Загроза безпеці",
        "안전 위험",
        (
            "An open pit, loose fencing, falling objects or another danger.",
            "Відкрита яма, хитка огорожа, падіння предметів чи інша небезпека.",
            "열린 구덩이, 느슨한 펜스, 낙하물 등 위험 요소.",
        ),
    ),
    _c(
        "damage",
        "damage",
        "Damage to property",
        "Пошкодження майна",
        "재산 피해",
        (
            "Damage to a building, car, tree or utility caused by the works.",
            "Пошкодження будівлі, авто, дерева чи комунікацій через роботи.",
            "공사로 인한 건물, 차량, 나무 또는 시설물 피해.",
        ),
    ),
    _c(
        "quality",
        "quality",
        "Poor quality or defect",
        "Неякісна робота або дефект",
        "부실 시공 또는 하자",
        (
            "Cracks, poor materials or work not done as planned.",
            "Тріщини, погані матеріали або роботи не за проєктом.",
            "균열, 불량 자재 또는 계획과 다른 시공.",
        ),
    ),
    _c(
        "irregularity",
        "integrity",
        "Suspected irregularity",
        "Підозра на порушення",
        "부정 의심",
        (
            "Possible misuse of money, fake works or another irregularity.",
            "Можливе нецільове використання коштів, фіктивні роботи чи інше порушення.",
            "예산 유용, 허위 공사 등 부정 의심 사항.",
        ),
    ),
    _c(
        "other",
        "other",
        "Other",
        "Інше",
        "기타",
        (
            "Anything else about a construction site.",
            "Будь-що інше щодо будівельного майданчика.",
            "공사 현장에 관한 기타 사항.",
        ),
    ),
)

BY_CODE = {c.code: c for c in CATEGORIES}


def get(code: str) -> Category:
    """The category with this code, or InvalidInput naming the known codes."""
    category = BY_CODE.get(code)
    if category is None:
        raise InvalidInput(
            f"unknown category; one of {', '.join(BY_CODE)}",
            location="service_code",
            code="unknown_category",
        )
    return category
