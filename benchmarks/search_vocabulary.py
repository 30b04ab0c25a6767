"""Words of the search benchmark: Ukrainian nouns and adjectives in all seven cases and both
numbers, Ukrainian and Korean street names, Korean compounds, English words, contractors."""

from __future__ import annotations

import random

# Singular: nominative, genitive, dative, accusative, instrumental, locative, vocative;
# then the same seven in the plural.
UK_NOUNS = (
    "школа школи школі школу школою школі школо школи шкіл школам школи школами школах школи",
    "лікарня лікарні лікарні лікарню лікарнею лікарні лікарне "
    "лікарні лікарень лікарням лікарні лікарнями лікарнях лікарні",
    "садок садка садку садок садком садку садку садки садків садкам садки садками садках садки",
    "міст мосту мосту міст мостом мосту мосте мости мостів мостам мости мостами мостах мости",
    "дорога дороги дорозі дорогу дорогою дорозі дорого "
    "дороги доріг дорогам дороги дорогами дорогах дороги",
    "вулиця вулиці вулиці вулицю вулицею вулиці вулице "
    "вулиці вулиць вулицям вулиці вулицями вулицях вулиці",
    "сквер скверу скверу сквер сквером скверу сквере "
    "сквери скверів скверам сквери скверами скверах сквери",
    "колектор колектора колектору колектор колектором колекторі колекторе "
    "колектори колекторів колекторам колектори колекторами колекторах колектори",
    "будинок будинку будинку будинок будинком будинку будинку "
    "будинки будинків будинкам будинки будинками будинках будинки",
    "станція станції станції станцію станцією станції станціє "
    "станції станцій станціям станції станціями станціях станції",
    "шляхопровід шляхопроводу шляхопроводу шляхопровід шляхопроводом шляхопроводі "
    "шляхопроводе шляхопроводи шляхопроводів шляхопроводам шляхопроводи шляхопроводами "
    "шляхопроводах шляхопроводи",
    "водогін водогону водогону водогін водогоном водогоні водогоне "
    "водогони водогонів водогонам водогони водогонами водогонах водогони",
)
UK_ADJECTIVES = (
    "міський міського міському міський міським міському міський "
    "міські міських міським міські міськими міських міські",
    "дитячий дитячого дитячому дитячий дитячим дитячому дитячий "
    "дитячі дитячих дитячим дитячі дитячими дитячих дитячі",
    "капітальний капітального капітальному капітальний капітальним капітальному капітальний "
    "капітальні капітальних капітальним капітальні капітальними капітальних капітальні",
)
UK_VERBS = ("ремонт", "реконструкція", "будівництво", "заміна", "благоустрій", "демонтаж")
UK_STREETS = (
    "Хрещатик Хрещатика Хрещатику Хрещатиком",
    "Сагайдачного Сагайдачний Сагайдачному Сагайдачним",
    "Лобановського Лобановський Лобановському Лобановським",
    "Соборності Соборність",
    "Васильківська Васильківської Васильківській Васильківською",
    "Вишгородська Вишгородської Вишгородській Вишгородською",
    "Ревуцького Ревуцький Ревуцькому",
    "Оболонський Оболонського Оболонському",
    "Берестейський Берестейського Берестейському",
    "Кирилівська Кирилівської Кирилівській",
    "Симиренка Симиренку",
    "Глушкова Глушкову",
)
KO_WORDS = (
    "도로",
    "노후도로포장",
    "초등학교",
    "단설유치원",
    "근린공원",
    "시립병원",
    "하수관로",
    "상수도관",
    "고가차도",
    "공공임대주택",
    "도시철도",
    "정거장",
    "확장",
    "정비",
    "교체",
    "공사",
    "신축",
    "철거",
)
KO_PARTS = ("도로", "학교", "유치원", "공원", "병원", "하수관", "상수도", "주택", "철도", "포장")
KO_PARTICLES = ("", "", "를", "에서", "의", "로")
KO_STREETS = [
    "테헤란로",
    "세종대로",
    "종로",
    "을지로",
    "한강대로",
    "이태원로",
    "왕십리로",
    "마포대로",
    "공항대로",
    "경인로",
    "시흥대로",
    "상도로",
    "관악로",
    "강남대로",
    "영동대로",
    "송파대로",
    "올림픽로",
    "보문로",
    "삼양로",
]
EN_WORDS = [
    "school",
    "schools",
    "bridge",
    "bridges",
    "hospital",
    "hospitals",
    "road",
    "roads",
    "repair",
    "sewer",
    "sewers",
    "water",
    "main",
    "mains",
    "park",
    "garden",
    "kindergarten",
    "kindergartens",
    "housing",
    "station",
    "metro",
    "tram",
    "line",
    "overpass",
    "widening",
    "reconstruction",
    "replacement",
    "construction",
]
EN_STREETS = [
    "Khreshchatyk",
    "Sahaidachnoho",
    "Lobanovskoho",
    "Sobornosti",
    "Vasylkivska",
    "Vyshhorodska",
    "Revutskoho",
    "Teheran-ro",
    "Sejong-daero",
    "Jong-ro",
    "Eulji-ro",
    "Itaewon-ro",
    "Mapo-daero",
    "Olympic-ro",
    "Bomun-ro",
]
_SYLLABLES = [
    "lyp",
    "ky",
    "dni",
    "pro",
    "vo",
    "lo",
    "dar",
    "ny",
    "tsia",
    "ho",
    "lo",
    "siiv",
    "ob",
    "ol",
    "nam",
    "san",
    "cheong",
    "gye",
    "ma",
    "po",
]


def uk_forms() -> list[list[str]]:
    """Each Ukrainian noun's and adjective's fourteen forms (case x number)."""
    return [entry.split() for entry in (*UK_NOUNS, *UK_ADJECTIVES)]


def street_forms() -> list[list[str]]:
    """Each Ukrainian street name's forms."""
    return [entry.split() for entry in UK_STREETS]


def contractors(rng: random.Random, count: int) -> list[str]:
    """Made-up contractor names."""
    found: set[str] = set()
    while len(found) < count:
        name = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        found.add(name)
    suffixes = ("Construction LLC", "Engineering LLC", "Roadworks LLC", "E&C Co., Ltd.")
    return [f"{name} {rng.choice(suffixes)}" for name in sorted(found)]
